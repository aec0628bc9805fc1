import re

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from newsdesk.lib.html import clean_rich_text

register = template.Library()

FIRST_PARAGRAPH = re.compile(r"^\s*<p([^>]*)>", re.IGNORECASE)


@register.filter
def machine_time(moment):
    """A timestamp for datetime attributes: ISO 8601 to the second, as HTML validators expect."""
    if not moment:
        return ""
    return moment.replace(microsecond=0).isoformat()


@register.filter
def is_within(page, section):
    """True when page is the section or one of its descendants (for aria-current)."""
    path = getattr(page, "path", None)
    return bool(path) and path.startswith(section.path)


@register.filter
def clean_html(html):
    """Rich text with anything the editor could not have written removed."""
    return mark_safe(clean_rich_text(str(html)))  # noqa: S308 - cleaned just now


@register.filter
def with_dateline(html, dateline):
    """Put the dateline ("MOSCOW (Agency) - ") at the start of the first paragraph.

    The dateline belongs inside the paragraph it introduces, as in print, so it
    is injected after the paragraph's opening tag rather than set apart.
    """
    html = clean_rich_text(str(html))
    if not dateline:
        return mark_safe(html)  # noqa: S308 - cleaned just now
    lead = format_html('<span class="dateline">{} - </span>', dateline)
    match = FIRST_PARAGRAPH.match(html)
    if match:
        return mark_safe(html[: match.end()] + lead + html[match.end() :])  # noqa: S308 - both parts cleaned or escaped
    return mark_safe(format_html("<p>{}</p>", lead) + html)  # noqa: S308


@register.filter
def section_of(page, sections):
    """The navigation section a page lives in, found without another query."""
    for section in sections:
        if is_within(page, section):
            return section
    return None


def _home_url(context):
    from wagtail.models import Site

    request = context["request"]
    site = Site.find_for_request(request)
    return site.root_page.get_url(request) if site else "/"


@register.simple_tag(takes_context=True)
def author_url(context, author):
    return f"{_home_url(context)}authors/{author.slug}/"


@register.simple_tag(takes_context=True)
def tag_url(context, tag):
    return f"{_home_url(context)}tags/{tag.slug}/"


@register.simple_tag(takes_context=True)
def changes_url(context, article):
    return f"{_home_url(context)}changes/{article.pk}/"


@register.simple_tag(takes_context=True)
def corrections_url(context):
    return f"{_home_url(context)}corrections/"


@register.simple_tag(takes_context=True)
def absolute_url(context, page):
    """The page's full address as the reader reached the site (canonical links, sharing).

    Built from the request's host, which ALLOWED_HOSTS vouches for, rather
    than the Wagtail site's configured host name, so one setting (the public
    host name) governs every absolute link.
    """
    request = context["request"]
    return request.build_absolute_uri(page.get_url(request))
