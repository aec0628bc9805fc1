"""Sitemaps: an index of per-section sitemaps (with lead images), and a Google News sitemap.

Search engines read /sitemap.xml (the index), each section's list of
articles (split into pages of 50,000 URLs by Django's sitemap framework)
with the lead image and its credit, and /sitemaps/news.xml: the articles of
the last 48 hours, at most 1,000, as Google News asks.
"""

from datetime import timedelta
from xml.sax.saxutils import escape

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.utils import timezone, translation

from newsdesk.images.models import CreditedImage
from newsdesk.news.freshness import readable
from newsdesk.news.models import ArticlePage, SectionPage

NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000


class PagesSitemap(Sitemap):
    """The home page and the section fronts."""

    changefreq = "hourly"

    def __init__(self, edition):
        self.edition = edition

    def items(self):
        home = self.edition.home
        sections = readable(SectionPage.objects.child_of(home)).order_by("path")
        return [home, *sections]

    def location(self, page):
        return page.url

    def lastmod(self, page):
        return page.last_published_at


SITEMAP_HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">\n'
)


class SectionArticlesSitemap(Sitemap):
    """One section's articles, newest first, each with its lead image and credit.

    A section of a big archive holds tens of thousands of articles. Read as
    model instances, linked with Wagtail's page URLs and rendered through a
    template, 45,000 of them took 12 s on SQLite; read as rows and written
    straight to XML, a fraction of a second (docs/performance.md).
    """

    limit = 50_000

    def __init__(self, section, edition):
        self.section = section
        self.root_url_path = edition.home.url_path
        with translation.override(edition.language):
            self.root_url = edition.home.url  # "/ru/": the edition's prefix

    def articles(self):
        return readable(ArticlePage.objects.child_of(self.section))

    def items(self):
        return (
            self.articles()
            .newest_first()
            .values_list(
                "url_path",
                "last_published_at",
                "lead_image_caption",
                "lead_image__file",
                "lead_image__title",
                "lead_image__description",
                "lead_image__credit",
                "lead_image__usable_until",
            )
        )

    def location(self, row):
        return self.root_url + row[0][len(self.root_url_path) :]

    def lastmod(self, row):
        return row[1]

    def get_latest_lastmod(self):
        # For the index; Django's own would read every row to find it.
        return self.articles().aggregate(latest=Max("last_published_at"))["latest"]

    def render(self, page_number, origin: str) -> str:
        """The XML of one page of this sitemap; origin is "https://host"."""
        storage = CreditedImage._meta.get_field("file").storage
        today = timezone.localdate()
        parts = [SITEMAP_HEADER]
        for row in self.paginator.page(page_number).object_list:
            _path, lastmod, caption, file, title, description, credit, usable_until = row
            parts.append(f"<url><loc>{escape(origin + self.location(row))}</loc>")
            if lastmod:
                parts.append(f"<lastmod>{lastmod.isoformat()}</lastmod>")
            if file and (usable_until is None or usable_until >= today):
                words = f"{caption or description or title} ({credit})"
                parts.append(
                    f"<image:image><image:loc>{escape(origin + storage.url(file))}</image:loc>"
                    f"<image:caption>{escape(words)}</image:caption>"
                    f"<image:title>{escape(title)}</image:title></image:image>"
                )
            parts.append("</url>\n")
        parts.append("</urlset>\n")
        return "".join(parts)


def sitemaps_for(edition) -> dict:
    """An edition's sitemaps: its home and section fronts, and each section's articles."""
    sections = readable(SectionPage.objects.child_of(edition.home)).order_by("path")
    return {
        "pages": PagesSitemap(edition),
        **{
            f"section-{section.slug}": SectionArticlesSitemap(section, edition)
            for section in sections
        },
    }


def news_articles(edition):
    """The edition's articles published in the last 48 hours, newest first, at most 1,000."""
    since = timezone.now() - NEWS_WINDOW
    return list(
        readable(ArticlePage.objects.descendant_of(edition.home))
        .filter(first_published_at__gte=since)
        .newest_first()
        .only("url_path", "title", "first_published_at")[:NEWS_LIMIT]
    )
