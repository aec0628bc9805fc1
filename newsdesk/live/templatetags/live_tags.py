from django import template
from django.utils.html import json_script, strip_tags

register = template.Library()


@register.filter
def entry_text(entry) -> str:
    """An entry's words without markup, for structured data."""
    return " ".join(" ".join(strip_tags(str(block.render())) for block in entry.body).split())


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
    return json_script(data).replace(
        '<script type="application/json">', '<script type="application/ld+json">', 1
    )
