"""The read-only content API: published articles and images as ninjs, with an OpenAPI document.

/api/v1/docs is the browsable documentation; /api/v1/openapi.json the
machine-readable one. Lists page with opaque cursors (stable while new
articles arrive); every answer carries an ETag and answers 304 to a matching
If-None-Match. Clients are rate-limited per address; partners with a key
(X-Api-Key, keys in the API_KEYS setting) get full text, others the summary.
"""

import base64
import hashlib
import json
from datetime import datetime

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Schema
from ninja.throttling import AnonRateThrottle
from taggit.models import Tag
from wagtail.models import Site

from newsdesk.images.models import CreditedImage
from newsdesk.news.freshness import readable
from newsdesk.news.models import ArticlePage, Author, SectionPage

from . import ninjs

api = NinjaAPI(
    title="newsdesk content API",
    version="1",
    description=__doc__,
    urls_namespace="api",
    throttle=[AnonRateThrottle(settings.NEWSDESK_API_RATE)],
)

MAX_LIMIT = 100


class ArticleFilters(Schema):
    section: str | None = None
    tag: str | None = None
    author: str | None = None
    updated_since: datetime | None = None
    cursor: str | None = None
    limit: int = 20


def _has_key(request) -> bool:
    key = request.headers.get("X-Api-Key", "")
    return bool(key) and key in settings.NEWSDESK_API_KEYS


def _answer(request, data, *, status=200):
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    etag = '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, status=status, content_type="application/json")
    response["ETag"] = etag
    # Full text differs per key holder: keep it out of shared caches.
    response["Cache-Control"] = "private, max-age=60" if _has_key(request) else "public, max-age=60"
    response["Vary"] = "X-Api-Key"
    return response


def _refuse(message, status):
    return JsonResponse({"detail": message}, status=status)


def _articles(request):
    site = Site.find_for_request(request)
    articles = readable(ArticlePage.objects.descendant_of(site.root_page))
    return site, articles.select_related("lead_image", "locale")


def _encode_cursor(article) -> str:
    raw = f"{article.last_published_at.isoformat()}|{article.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str):
    padded = cursor + "=" * (-len(cursor) % 4)
    moment, pk = base64.urlsafe_b64decode(padded.encode()).decode().split("|")
    return datetime.fromisoformat(moment), int(pk)


@api.get("/articles", summary="Published articles, most recently updated first")
def list_articles(request, filters: Query[ArticleFilters]):
    if not 1 <= filters.limit <= MAX_LIMIT:
        return _refuse(_("limit must be between 1 and %(max)d.") % {"max": MAX_LIMIT}, 400)
    site, articles = _articles(request)
    if filters.section:
        section = SectionPage.objects.child_of(site.root_page).filter(slug=filters.section).first()
        if section is None:
            return _refuse(_("No section %(slug)s.") % {"slug": filters.section}, 404)
        articles = articles.child_of(section)
    if filters.tag:
        tag = Tag.objects.filter(slug=filters.tag).first()
        if tag is None:
            return _refuse(_("No tag %(slug)s.") % {"slug": filters.tag}, 404)
        articles = articles.filter(tags=tag)
    if filters.author:
        author = Author.objects.filter(slug=filters.author).first()
        if author is None:
            return _refuse(_("No author %(slug)s.") % {"slug": filters.author}, 404)
        articles = articles.filter(article_authors__author=author)
    if filters.updated_since:
        articles = articles.filter(last_published_at__gte=filters.updated_since)
    if filters.cursor:
        try:
            moment, pk = _decode_cursor(filters.cursor)
        except (ValueError, UnicodeDecodeError):
            return _refuse(_("That cursor is not one this API gave out."), 400)
        articles = articles.filter(last_published_at__lte=moment).exclude(
            last_published_at=moment, id__gte=pk
        )
    page = list(articles.order_by("-last_published_at", "-id")[: filters.limit + 1])
    more, page = len(page) > filters.limit, page[: filters.limit]
    full_text = _has_key(request)
    data = {"items": [ninjs.article(request, article, full_text=full_text) for article in page]}
    next_url = None
    if more:
        query = request.GET.copy()
        query["cursor"] = _encode_cursor(page[-1])
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    data["next"] = next_url
    return _answer(request, data)


@api.get("/articles/by-path", summary="One published article by its address on the site")
def article_by_path(request, path: str):
    site, articles = _articles(request)
    url_path = site.root_page.url_path + path.strip("/") + "/"
    article = articles.filter(url_path=url_path).first()
    if article is None:
        return _refuse(_("No published article at %(path)s.") % {"path": path[:200]}, 404)
    return _answer(request, ninjs.article(request, article, full_text=_has_key(request)))


@api.get("/articles/{article_id}", summary="One published article")
def get_article(request, article_id: int):
    _site, articles = _articles(request)
    article = articles.filter(pk=article_id).first()
    if article is None:
        return _refuse(_("No published article %(id)s.") % {"id": article_id}, 404)
    return _answer(request, ninjs.article(request, article, full_text=_has_key(request)))


@api.get("/images/{image_id}", summary="One image with its credit and renditions")
def get_image(request, image_id: int):
    image = CreditedImage.objects.filter(pk=image_id).first()
    if image is None:
        return _refuse(_("No image %(id)s.") % {"id": image_id}, 404)
    return _answer(request, ninjs.picture(request, image))


@api.get("/live-blogs/{blog_id}", summary="A live blog with its newest published entries")
def get_live_blog(request, blog_id: int, entries: int = 50):
    from newsdesk.live.models import LiveBlogPage

    if not 1 <= entries <= MAX_LIMIT:
        return _refuse(_("entries must be between 1 and %(max)d.") % {"max": MAX_LIMIT}, 400)
    blog = readable(LiveBlogPage.objects).select_related("locale").filter(pk=blog_id).first()
    if blog is None:
        return _refuse(_("No published live blog %(id)s.") % {"id": blog_id}, 404)
    newest = list(blog.entries.published().newest_first().select_related("author")[:entries])
    return _answer(request, ninjs.live_blog(request, blog, newest, full_text=_has_key(request)))
