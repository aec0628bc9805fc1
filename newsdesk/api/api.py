"""The read-only content API: published articles and images as ninjs, with an OpenAPI document.

/api/v1/docs is the browsable documentation; /api/v1/openapi.json the
machine-readable one. Lists page with opaque cursors (stable while new
articles arrive); every answer carries an ETag and answers 304 to a matching
If-None-Match. Clients are rate-limited per address; partners with a key
(X-Api-Key, keys in the API_KEYS setting) get full text, others the summary.

Full text comes twice: as HTML (a body of contenttype text/html) and as typed
blocks (paragraph, subheading, quote, image, related_story, read_more): JSON
text in a body of contenttype application/vnd.newsdesk.blocks+json, whose
shape is the Blocks schema below.
"""

import base64
import binascii
import hashlib
import json
import re
from datetime import UTC, datetime

from django.conf import settings
from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from ninja import NinjaAPI, Path, Query, Schema
from ninja.throttling import AnonRateThrottle
from pydantic import AwareDatetime, Field, field_validator
from taggit.models import Tag
from wagtail.models import Site

from newsdesk.editions.lookup import editions_of_site
from newsdesk.images.models import CreditedImage
from newsdesk.news.freshness import readable
from newsdesk.news.models import ArticlePage, Author, SectionPage, attach_sections

from . import ninjs, schemas


class ContentAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        # The blocks travel as JSON text inside a ninjs body, so no operation
        # refers to their schemas: put them in the document by hand.
        document = super().get_openapi_schema(**kwargs)
        blocks = dict(schemas.BLOCKS_SCHEMA)
        document["components"]["schemas"].update(blocks.pop("$defs"), Blocks=blocks)
        return document


api = ContentAPI(
    title="newsdesk content API",
    version="1",
    description=__doc__,
    urls_namespace="api",
    throttle=[AnonRateThrottle(settings.NEWSDESK_API_RATE)],
)

MAX_LIMIT = 100
# RFC 3339, as the OpenAPI "date-time" format means it.
DATE_TIME = re.compile(
    r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)\Z", re.ASCII | re.IGNORECASE
)
# Ids beyond SQL's BIGINT can name nothing; refusing them here spares the database.
MAX_ID = 2**63 - 1
Id = Path(..., ge=1, le=MAX_ID)


class ArticleFilters(Schema):
    language: str | None = Field(
        None, description="An edition's language code (en, ru): that edition's articles only"
    )
    section: str | None = None
    tag: str | None = None
    author: str | None = None
    updated_since: AwareDatetime | None = Field(
        None, description="ISO 8601 date and time with its UTC offset"
    )
    cursor: str | None = Field(None, description="From the `next` of the page before")
    limit: int = Field(20, ge=1, le=MAX_LIMIT)

    @field_validator("updated_since", mode="before")
    @classmethod
    def _date_time(cls, value):
        # Left to itself pydantic also takes a number as seconds since 1970:
        # "updated_since=0.5" would quietly mean 1970, not an error.
        if value is not None and not (isinstance(value, str) and DATE_TIME.match(value)):
            raise ValueError("a date and time such as 2026-03-01T12:00:00+01:00")
        return value

    @field_validator("updated_since")
    @classmethod
    def _in_range(cls, value):
        return _utc(value) if value is not None else None


# Read by every view from request.headers; declared for the document.
REQUEST_HEADERS = [
    {
        "name": "X-Api-Key",
        "in": "header",
        "required": False,
        "schema": {"type": "string"},
        "description": "A partner key: articles and live entries come with their full text",
    },
    {
        "name": "If-None-Match",
        "in": "header",
        "required": False,
        "schema": {"type": "string"},
        "description": "The ETag of a copy you hold: 304 and no body while it is current",
    },
]
ETAG = {"ETag": {"required": True, "schema": {"type": "string"}}}


def _operation(path, summary, document, *, refusals=None):
    """An operation answering document (a schemas class), declared with its headers and errors."""
    return api.get(
        path,
        summary=summary,
        response={200: document, **(refusals or {}), **schemas.ERRORS},
        # Fresh each time: django-ninja merges these into the document in place.
        openapi_extra={
            "parameters": [dict(header) for header in REQUEST_HEADERS],
            "responses": {200: {"headers": ETAG}, 304: {"headers": ETAG}},
        },
    )


def _has_key(request) -> bool:
    key = request.headers.get("X-Api-Key", "")
    return bool(key) and key in settings.NEWSDESK_API_KEYS


def _answer(request, data, *, status=200):
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    etag = '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'
    held = {
        tag.strip().removeprefix("W/")
        for tag in request.headers.get("If-None-Match", "").split(",")
    }
    if etag in held or "*" in held:
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


def _articles(request, language=None):
    """The readable articles of every edition of the request's site, or of one edition.

    Returns (edition homes, articles); no homes when the language has no edition.
    """
    site = Site.find_for_request(request)
    editions = editions_of_site(site) if site else {}
    if language is not None:
        editions = {language: editions[language]} if language in editions else {}
    homes = [edition.home for edition in editions.values()]
    articles = readable(ArticlePage.objects.filter(_under_any(homes)))
    # The locale comes in a query of its own: joined in, it led SQLite to plan the
    # list locale-first and sort every article instead of reading the newest.
    return homes, articles.select_related("lead_image").prefetch_related("locale")


def _under_any(pages) -> Q:
    """Pages below any of `pages` (matches nothing when there are none)."""
    condition = Q(pk__in=[])
    for page in pages:
        condition |= Q(path__startswith=page.path, depth__gt=page.depth)
    return condition


def _encode_cursor(article) -> str:
    raw = f"{article.last_published_at.isoformat()}|{article.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str):
    """The (moment, id) a cursor stands for; ValueError if it is not one we gave out."""
    padded = cursor + "=" * (-len(cursor) % 4)
    try:
        moment, pk = base64.urlsafe_b64decode(padded.encode()).decode().split("|")
    except (binascii.Error, UnicodeError) as exc:
        raise ValueError(cursor) from exc
    moment, pk = datetime.fromisoformat(moment), int(pk)
    if moment.tzinfo is None or not 1 <= pk <= MAX_ID:
        raise ValueError(cursor)
    return _utc(moment), pk


def _utc(moment: datetime) -> datetime:
    """moment in UTC, as the database compares it; ValueError for moments it cannot hold."""
    try:
        return moment.astimezone(UTC)
    except OverflowError as exc:  # 0001-01-01T00:00+01:00 is before the year 1
        raise ValueError("out of range") from exc


@_operation(
    "/articles",
    "Published articles, most recently updated first",
    schemas.ArticleList,
    refusals={400: schemas.Problem},
)
def list_articles(request, filters: Query[ArticleFilters]):
    homes, articles = _articles(request, filters.language)
    if not homes:
        return _refuse(f"No edition in language {filters.language}.", 404)
    if filters.section:
        # Each edition has its own section of that name ("world" in English and in Russian).
        sections = list(
            SectionPage.objects.filter(_under_any(homes), slug=filters.section).only(
                "path", "depth"
            )
        )
        if not sections:
            return _refuse(f"No section {filters.section}.", 404)
        articles = articles.filter(_under_any(sections))
    if filters.tag:
        tag = Tag.objects.filter(slug=filters.tag).first()
        if tag is None:
            return _refuse(f"No tag {filters.tag}.", 404)
        articles = articles.filter(tags=tag)
    if filters.author:
        author = Author.objects.filter(slug=filters.author).first()
        if author is None:
            return _refuse(f"No author {filters.author}.", 404)
        articles = articles.filter(article_authors__author=author)
    if filters.updated_since:
        articles = articles.filter(last_published_at__gte=filters.updated_since)
    if filters.cursor:
        try:
            moment, pk = _decode_cursor(filters.cursor)
        except ValueError:
            return _refuse("That cursor is not one this API gave out.", 400)
        articles = articles.filter(last_published_at__lte=moment).exclude(
            last_published_at=moment, id__gte=pk
        )
    page = list(articles.with_listing_data().recently_updated_first()[: filters.limit + 1])
    more, page = len(page) > filters.limit, page[: filters.limit]
    attach_sections(page)
    full_text = _has_key(request)
    data = {"items": [ninjs.article(request, article, full_text=full_text) for article in page]}
    next_url = None
    if more:
        query = request.GET.copy()
        query["cursor"] = _encode_cursor(page[-1])
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    data["next"] = next_url
    return _answer(request, data)


@_operation(
    "/articles/by-path", "One published article by its address on the site", schemas.Article
)
def article_by_path(request, path: str):
    # The address as readers see it: the edition's language prefix, then the page's path.
    language, _slash, rest = path.strip("/").partition("/")
    homes, articles = _articles(request, language)
    article = None
    if homes:
        url_path = homes[0].url_path + rest + "/"
        article = articles.filter(url_path=url_path).first()
    if article is None:
        return _refuse(f"No published article at {path[:200]}.", 404)
    return _answer(request, ninjs.article(request, article, full_text=_has_key(request)))


@_operation("/articles/{article_id}", "One published article", schemas.Article)
def get_article(request, article_id: int = Id):
    _homes, articles = _articles(request)
    article = articles.filter(pk=article_id).first()
    if article is None:
        return _refuse(f"No published article {article_id}.", 404)
    return _answer(request, ninjs.article(request, article, full_text=_has_key(request)))


@_operation("/images/{image_id}", "One image with its credit and renditions", schemas.Picture)
def get_image(request, image_id: int = Id):
    image = CreditedImage.objects.usable().filter(pk=image_id).first()
    if image is None:
        return _refuse(f"No image {image_id}.", 404)
    return _answer(request, ninjs.picture(request, image))


@_operation(
    "/live-blogs/{blog_id}", "A live blog with its newest published entries", schemas.LiveBlog
)
def get_live_blog(request, blog_id: int = Id, entries: int = Query(50, ge=1, le=MAX_LIMIT)):
    from newsdesk.live.models import LiveBlogPage

    blog = readable(LiveBlogPage.objects).select_related("locale").filter(pk=blog_id).first()
    if blog is None:
        return _refuse(f"No published live blog {blog_id}.", 404)
    newest = list(blog.entries.published().newest_first().select_related("author")[:entries])
    return _answer(request, ninjs.live_blog(request, blog, newest, full_text=_has_key(request)))
