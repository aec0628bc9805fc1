from django import template
from django.utils.html import format_html_join
from django.utils.translation import gettext as _

from newsdesk.distribution.feeds import FORMATS

register = template.Library()

FORMAT_NAMES = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}


@register.simple_tag(takes_context=True)
def feed_links(context):
    """<link rel="alternate"> for the site's feeds, and for the section, tag or author shown."""
    from newsdesk.editions.lookup import edition_for_request, edition_url
    from newsdesk.news.models import SectionPage

    request = context["request"]
    edition = edition_for_request(request)
    if edition is None:
        return ""
    site_name = edition.site_name

    def feed_path(path):
        return edition_url(request, edition, path)

    feeds = [(feed_path("feeds/latest"), _("%(site)s: latest") % {"site": site_name})]
    page, tag, author = context.get("page"), context.get("tag"), context.get("author")
    if getattr(page, "specific_class", None) and page.specific_class._meta.label_lower == (
        "live.liveblogpage"
    ):
        feeds.append((feed_path(f"feeds/live/{page.pk}"), f"{page.title} ({_('live')})"))
    if isinstance(page, SectionPage):
        feeds.append((feed_path(f"feeds/section/{page.slug}"), f"{site_name}: {page.title}"))
    if tag is not None and hasattr(tag, "slug"):
        feeds.append((feed_path(f"feeds/tag/{tag.slug}"), f"{site_name}: {tag.name}"))
    if author is not None and hasattr(author, "slug"):
        feeds.append((feed_path(f"feeds/author/{author.slug}"), f"{site_name}: {author.name}"))
    return format_html_join(
        "\n",
        '<link rel="alternate" type="{}" title="{} ({})" href="{}.{}">',
        (
            (FORMATS[fmt].split(";")[0], title, FORMAT_NAMES[fmt], path, fmt)
            for path, title in feeds
            for fmt in FORMATS
        ),
    )
