"""Sitemaps: an index of per-section sitemaps (with lead images), and a Google News sitemap.

Search engines read /sitemap.xml (the index), each section's list of
articles (split into pages of 50,000 URLs by Django's sitemap framework)
with the lead image and its credit, and /sitemaps/news.xml: the articles of
the last 48 hours, at most 1,000, as Google News asks.
"""

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.utils import timezone

from newsdesk.news.freshness import readable
from newsdesk.news.models import ArticlePage, SectionPage

NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000


class PagesSitemap(Sitemap):
    """The home page and the section fronts."""

    changefreq = "hourly"

    def __init__(self, site):
        self.site = site

    def items(self):
        home = self.site.root_page.specific
        sections = readable(SectionPage.objects.child_of(home)).order_by("path")
        return [home, *sections]

    def location(self, page):
        return page.url

    def lastmod(self, page):
        return page.last_published_at


class SectionArticlesSitemap(Sitemap):
    """One section's articles, newest first, each with its lead image."""

    limit = 50_000

    def __init__(self, section):
        self.section = section

    def items(self):
        return (
            readable(ArticlePage.objects.child_of(self.section))
            .select_related("lead_image")
            .only(
                "url_path",
                "last_published_at",
                "first_published_at",
                "lead_image",
                "lead_image_caption",
                "title",
            )
            .order_by("-first_published_at", "-id")
        )

    def location(self, article):
        return article.url

    def lastmod(self, article):
        return article.last_published_at


def sitemaps_for(site) -> dict:
    home = site.root_page
    sections = readable(SectionPage.objects.child_of(home)).order_by("path")
    return {
        "pages": PagesSitemap(site),
        **{f"section-{section.slug}": SectionArticlesSitemap(section) for section in sections},
    }


def news_articles(site):
    """Articles published in the last 48 hours, newest first, at most 1,000."""
    since = timezone.now() - NEWS_WINDOW
    return list(
        readable(ArticlePage.objects.descendant_of(site.root_page))
        .filter(first_published_at__gte=since)
        .order_by("-first_published_at", "-id")
        .only("url_path", "title", "first_published_at")[:NEWS_LIMIT]
    )
