import html

from django import template
from django.utils.html import json_script, strip_tags
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def entry_text(entry) -> str:
    """An entry's words without markup, for structured data ("&amp;" back to "&")."""
    words = " ".join(strip_tags(str(block.render())) for block in entry.body)
    return " ".join(html.unescape(words).split())


@register.simple_tag(takes_context=True)
def live_blog_jsonld(context, page, entries):
    """schema.org LiveBlogPosting for the page and the entries it shows."""
    url = page.get_full_url(context.get("request"))
    data = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "headline": page.title,
        "url": url,
        "liveBlogUpdate": [
            {
                "@type": "BlogPosting",
                "headline": entry.headline or page.title,
                "datePublished": entry.display_at.isoformat(),
                "url": f"{url}#entry-{entry.pk}",
                "articleBody": entry_text(entry),
            }
            for entry in entries
        ],
    }
    if page.summary:
        data["description"] = page.summary
    if page.coverage_start:
        data["coverageStartTime"] = page.coverage_start.isoformat()
    if page.coverage_end:
        data["coverageEndTime"] = page.coverage_end.isoformat()
    # json_script escapes <, > and & inside the JSON, so the markup is safe.
    return mark_safe(  # noqa: S308
        json_script(data).replace(
            '<script type="application/json">', '<script type="application/ld+json">', 1
        )
    )
