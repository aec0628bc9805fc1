"""Feeds and sitemaps: one selection of published articles, several formats, conditional GET."""

import hashlib
import json

from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sitemaps.views import SitemapIndexItem
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import feedgenerator, translation
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import condition
from wagtail.models import Site

from newsdesk.editions.lookup import edition_for_request, edition_url, editions_of_site
from newsdesk.news.freshness import content_token, readable

from .feeds import (
    FORMATS,
    FeedSource,
    MediaAtomFeed,
    MediaRssFeed,
    lead_image_of,
    source_for,
)
from .sitemaps import SectionArticlesSitemap, news_articles, sitemaps_for

# Feed readers poll; a short shared cache lifetime absorbs the polling.
FEED_MAX_AGE = 300
FEED_ENTRIES = 50


def _etag(request, kind, slug=None, fmt="rss"):
    # Feeds change only when something is published: the content token says when.
    key = f"{content_token()}:{request.get_host()}:{kind}:{slug}:{fmt}:{get_language()}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _last_modified(request, kind, slug=None, fmt="rss"):
    source = source_for(request, kind, slug)
    if source is None:
        return None
    newest = (
        readable(source.articles)
        .order_by("-last_published_at")
        .values_list("last_published_at", flat=True)
    ).first()
    return newest


def _live_blog(request, page_id):
    from newsdesk.live.models import LiveBlogPage

    edition = _edition(request)
    return readable(LiveBlogPage.objects.descendant_of(edition.home)).filter(pk=page_id).first()


def _live_etag(request, page_id, fmt="rss"):
    # Entries change without a publish: the blog's event log says when.
    from newsdesk.live.models import LiveEvent

    last_event = (
        LiveEvent.objects.filter(blog_id=page_id).order_by("-id").values_list("id", flat=True)
    )
    key = f"{content_token()}:{request.get_host()}:live:{page_id}:{last_event.first()}:{fmt}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


@condition(etag_func=_live_etag)
def live_feed(request, page_id, fmt="rss"):
    """A live blog's published entries, newest first, as feed items."""
    from newsdesk.accounts.models import display_name_of
    from newsdesk.live.templatetags.live_tags import entry_text

    if fmt not in FORMATS:
        raise Http404
    blog = _live_blog(request, page_id)
    if blog is None:
        raise Http404
    blog_url = request.build_absolute_uri(blog.get_url(request))
    source = FeedSource(
        title=blog.title,
        description=blog.summary or blog.title,
        page_path=blog.get_url(request),
        feed_path=edition_url(request, _edition(request), f"feeds/live/{blog.pk}"),
        articles=None,
    )
    entries = []
    for entry in blog.entries.published().newest_first().select_related("author")[:FEED_ENTRIES]:
        text = entry_text(entry)
        entries.append(
            {
                "url": f"{blog_url}#{entry.dom_id}",
                "title": entry.headline or Truncator(text).words(12),
                "summary": text,
                "content_html": str(entry.body),
                "authors": [{"name": display_name_of(entry.author)}] if entry.author else [],
                "author_names": [display_name_of(entry.author)] if entry.author else [],
                "published": entry.display_at,
                "updated": max(entry.display_at, entry.updated_at),
                "tags": [_("Key event")] if entry.is_key_event else [],
                "image": None,
            }
        )
    if fmt == "json":
        body = json.dumps(_json_feed(request, source, entries), ensure_ascii=False, indent=1)
    else:
        body = _xml_feed(request, source, entries, fmt)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    # Readers of a live blog want new entries quickly.
    response["Cache-Control"] = "public, max-age=15"
    return response


@condition(etag_func=_etag, last_modified_func=_last_modified)
def feed(request, kind, slug=None, fmt="rss"):
    if fmt not in FORMATS:
        raise Http404
    source = source_for(request, kind, slug)
    if source is None:
        raise Http404
    edition = _edition(request)
    entries = [
        _entry(request, edition, article, edition.feeds_full_text) for article in source.items()
    ]
    if fmt == "json":
        body = json.dumps(_json_feed(request, source, entries), ensure_ascii=False, indent=1)
    else:
        body = _xml_feed(request, source, entries, fmt)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Cache-Control"] = f"public, max-age={FEED_MAX_AGE}"
    return response


def _entry(request, edition, article, full_text):
    authors = [link.author for link in article.article_authors.all()]
    author_names = [author.name for author in authors]
    if article.byline_agency:
        author_names.append(article.byline_agency)
    return {
        "article": article,
        "url": request.build_absolute_uri(article.get_url(request)),
        "title": article.title,
        "summary": article.summary,
        "content_html": str(article.rendered_body(request)) if full_text else "",
        "authors": [
            {
                "name": author.name,
                "url": request.build_absolute_uri(
                    edition_url(request, edition, f"authors/{author.slug}/")
                ),
            }
            for author in authors
        ]
        + ([{"name": article.byline_agency}] if article.byline_agency else []),
        "author_names": author_names,
        "published": article.first_published_at,
        "updated": article.last_published_at,
        "tags": [tag.name for tag in article.tags.all()],
        "image": lead_image_of(request, article),
    }


def _xml_feed(request, source, entries, fmt):
    feed_class = MediaRssFeed if fmt == "rss" else MediaAtomFeed
    generator = feed_class(
        title=source.title,
        link=request.build_absolute_uri(source.page_path),
        description=source.description,
        language=get_language(),
        feed_url=request.build_absolute_uri(f"{source.feed_path}.{fmt}"),
    )
    for entry in entries:
        image = entry["image"]
        generator.add_item(
            title=entry["title"],
            link=entry["url"],
            description=entry["summary"],
            unique_id=entry["url"],
            unique_id_is_permalink=True,
            author_name=" and ".join(entry["author_names"]) or None,
            pubdate=entry["published"],
            updateddate=entry["updated"],
            categories=entry["tags"],
            enclosures=(
                [feedgenerator.Enclosure(image.url, str(image.length), image.mime_type)]
                if image
                else []
            ),
            image=image,
            content_html=entry["content_html"],
        )
    return generator.writeString("utf-8")


def _json_feed(request, source, entries):
    """JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/)."""
    items = []
    for entry in entries:
        item = {
            "id": entry["url"],
            "url": entry["url"],
            "title": entry["title"],
            "summary": entry["summary"],
            "date_published": entry["published"].isoformat(),
            "date_modified": entry["updated"].isoformat(),
            "authors": entry["authors"],
            "tags": entry["tags"],
        }
        if entry["content_html"]:
            item["content_html"] = entry["content_html"]
        else:
            item["content_text"] = entry["summary"]
        image = entry["image"]
        if image is not None:
            item["image"] = image.url
            item["attachments"] = [
                {
                    "url": image.url,
                    "mime_type": image.mime_type,
                    "size_in_bytes": image.length,
                    "title": f"{image.caption} ({image.credit})" if image.caption else image.credit,
                }
            ]
        items.append(item)
    return {
        "version": "https://jsonfeed.org/version/1.1",
        "title": source.title,
        "home_page_url": request.build_absolute_uri(source.page_path),
        "feed_url": request.build_absolute_uri(f"{source.feed_path}.json"),
        "description": source.description,
        "language": get_language(),
        "items": items,
    }


def _edition(request):
    edition = edition_for_request(request)
    if edition is None:
        raise Http404
    return edition


@condition(etag_func=lambda request, **kwargs: _etag(request, "sitemap-index"))
def sitemap_index(request):
    """Every edition's sitemaps and news sitemap, in the one index robots.txt names."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    items = []
    for language, edition in editions_of_site(site).items():
        with translation.override(language):
            items.append(
                SitemapIndexItem(
                    request.build_absolute_uri(reverse("distribution:news_sitemap")), None
                )
            )
            for section, sitemap in sitemaps_for(edition).items():
                location = request.build_absolute_uri(
                    reverse("distribution:sitemap", kwargs={"section": section})
                )
                lastmod = sitemap.get_latest_lastmod()
                for number in range(1, sitemap.paginator.num_pages + 1):
                    page_location = location if number == 1 else f"{location}?p={number}"
                    items.append(SitemapIndexItem(page_location, lastmod))
    response = render(
        request,
        "sitemap_index.xml",
        {"sitemaps": items},
        content_type="application/xml; charset=utf-8",
    )
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response


@condition(etag_func=lambda request, section: _etag(request, "sitemap", section))
def sitemap(request, section):
    maps = sitemaps_for(_edition(request))
    articles = maps.get(section)
    if isinstance(articles, SectionArticlesSitemap):
        try:
            page = articles.paginator.validate_number(request.GET.get("p", 1))
        except (EmptyPage, PageNotAnInteger) as error:
            raise Http404(str(error)) from error
        origin = f"{request.scheme}://{request.get_host()}"
        response = HttpResponse(
            articles.render(page, origin), content_type="application/xml; charset=utf-8"
        )
        response["X-Robots-Tag"] = "noindex, noodp, noarchive"  # as Django's sitemap view
    else:
        response = sitemap_views.sitemap(
            request, maps, section=section, template_name="distribution/sitemap.xml"
        )
    response["Cache-Control"] = f"public, max-age={FEED_MAX_AGE}"
    return response


@condition(etag_func=lambda request: _etag(request, "news-sitemap"))
def news_sitemap(request):
    edition = _edition(request)
    response = render(
        request,
        "distribution/news_sitemap.xml",
        {
            "articles": news_articles(edition),
            "publication": edition.site_name,
            "language": edition.language,
        },
        content_type="application/xml; charset=utf-8",
    )
    response["Cache-Control"] = f"public, max-age={FEED_MAX_AGE}"
    return response
