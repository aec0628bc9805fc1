"""RSS 2.0 (with Media RSS), Atom and JSON Feed 1.1 for the site, each section, tag and author.

One selection of articles (`FeedSource`) is written in three formats. Only
live, public articles are ever listed: drafts, scheduled and private pages
are not live or not public. Each item carries the headline, link, summary
(or the full body, by site setting), authors, published and updated times,
tags as categories and the lead image with its credit.
"""

from dataclasses import dataclass

from django.utils import feedgenerator
from django.utils.translation import gettext as _
from taggit.models import Tag

from newsdesk.editions.lookup import edition_for_request, edition_url
from newsdesk.news.freshness import readable
from newsdesk.news.models import ArticlePage, Author, SectionPage

FEED_ITEMS = 30
ENCLOSURE_FILTER = "width-1200|format-jpeg"
FORMATS = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}


@dataclass
class FeedSource:
    """What a feed lists: its title, the page it mirrors, and its articles."""

    title: str
    description: str
    page_path: str  # the listing page the feed mirrors, relative to the site
    feed_path: str  # the feed's own path without the format suffix
    articles: object  # a queryset

    def items(self):
        return list(readable(self.articles).with_listing_data().newest_first()[:FEED_ITEMS])


def source_for(request, kind: str, slug: str | None) -> FeedSource | None:
    """The selection a feed URL names, in the request's edition; None if there is none."""
    edition = edition_for_request(request)
    if edition is None:
        return None
    home = edition.home
    name = edition.site_name
    in_site = ArticlePage.objects.descendant_of(home)
    if kind == "latest":
        return FeedSource(
            title=name,
            description=edition.tagline or _("The latest news"),
            page_path=edition_url(request, edition),
            feed_path=edition_url(request, edition, "feeds/latest"),
            articles=in_site,
        )
    if kind == "section":
        section = SectionPage.objects.live().child_of(home).filter(slug=slug).first()
        if section is None:
            return None
        return FeedSource(
            title=f"{section.title} - {name}",
            description=section.intro or section.title,
            page_path=section.get_url(request),
            feed_path=edition_url(request, edition, f"feeds/section/{slug}"),
            articles=in_site.child_of(section),
        )
    if kind == "tag":
        tag = Tag.objects.filter(slug=slug).first()
        if tag is None:
            return None
        return FeedSource(
            title=f"{tag.name} - {name}",
            description=_("Articles tagged %(tag)s") % {"tag": tag.name},
            page_path=edition_url(request, edition, f"tags/{tag.slug}/"),
            feed_path=edition_url(request, edition, f"feeds/tag/{slug}"),
            articles=in_site.filter(tags=tag),
        )
    if kind == "author":
        author = Author.objects.filter(slug=slug).first()
        if author is None:
            return None
        return FeedSource(
            title=f"{author.name} - {name}",
            description=author.role or _("Articles by %(name)s") % {"name": author.name},
            page_path=edition_url(request, edition, f"authors/{author.slug}/"),
            feed_path=edition_url(request, edition, f"feeds/author/{slug}"),
            articles=in_site.filter(article_authors__author=author),
        )
    return None


@dataclass
class FeedImage:
    url: str
    width: int
    height: int
    length: int
    mime_type: str
    credit: str
    caption: str


def lead_image_of(request, article) -> FeedImage | None:
    image = article.lead_image
    if image is None or not image.usable:  # past its usage expiry: shown nowhere
        return None
    rendition = image.get_rendition(ENCLOSURE_FILTER)
    try:
        length = rendition.file.size
    except OSError:
        length = 0
    return FeedImage(
        url=request.build_absolute_uri(rendition.url),
        width=rendition.width,
        height=rendition.height,
        length=length,
        mime_type="image/jpeg",
        credit=image.credit,
        caption=article.lead_image_caption or image.default_alt_text,
    )


MEDIA_RSS = "http://search.yahoo.com/mrss/"


def add_media_content(handler, image) -> None:
    """The lead image as Media RSS, with its credit (feed readers show it under the photo)."""
    handler.startElement(
        "media:content",
        {
            "url": image.url,
            "medium": "image",
            "type": image.mime_type,
            "width": str(image.width),
            "height": str(image.height),
        },
    )
    handler.addQuickElement("media:credit", image.credit, {"role": "photographer"})
    if image.caption:
        handler.addQuickElement("media:description", image.caption)
    handler.endElement("media:content")


class MediaRssFeed(feedgenerator.Rss201rev2Feed):
    """RSS 2.0 with Media RSS (the lead image and its credit) and content:encoded (full text)."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:media": MEDIA_RSS,
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("image") is not None:
            add_media_content(handler, item["image"])
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])


class MediaAtomFeed(feedgenerator.Atom1Feed):
    """Atom with the full text as content (when the site gives it), and the lead image as
    an enclosure link and as Media RSS with its credit."""

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_RSS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("image") is not None:
            add_media_content(handler, item["image"])
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})
