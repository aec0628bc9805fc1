from django import template
from django.template.loader import render_to_string

from newsdesk.distribution import structured_data
from newsdesk.news.freshness import kept_per_token
from newsdesk.news.templatetags.news_tags import section_of

register = template.Library()


@register.simple_tag(takes_context=True)
def article_head(context, page):
    """An article's NewsArticle and BreadcrumbList data, and its sharing tags.

    Like the body, kept per content token: building it needs the lead image
    and its share-size rendition, two queries a repeat view need not make.
    """
    # Its links are absolute, so the host is part of the key.
    key = f"article-head:{page.pk}:{context['request'].get_host()}"
    return kept_per_token(key, context["request"], lambda: _article_head(context, page))


def _article_head(context, page):
    request = context["request"]
    site_settings = context["site_settings"]
    section = section_of(page, context["site_sections"])
    tags = page.tag_list
    article = structured_data.news_article(
        request, page, site_settings=site_settings, section=section, tags=tags
    )
    trail = [(site_settings.site_name, site_settings.home.get_url(request))]
    if section is not None:
        trail.append((section.title, section.get_url(request)))
    trail.append((page.title, page.get_url(request)))
    image = None
    if page.lead_image is not None and page.lead_image.usable:
        url, width, height = structured_data.share_image(request, page.lead_image)
        image = {
            "url": url,
            "width": width,
            "height": height,
            "alt": page.lead_image.default_alt_text,
        }
    sharing = render_to_string(
        "distribution/share_meta.html",
        {
            "type": "article",
            "title": page.title,
            "description": page.search_description or page.summary,
            "url": request.build_absolute_uri(page.get_url(request)),
            "image": image,
            "site_name": site_settings.site_name,
            "published": page.first_published_at,
            "modified": page.last_published_at,
            "section": section.title if section else "",
            "tags": tags,
        },
    )
    return (
        structured_data.as_json_ld(article)
        + structured_data.as_json_ld(structured_data.breadcrumbs(request, trail))
        + sharing
    )


@register.simple_tag(takes_context=True)
def website_head(context):
    request = context["request"]
    site_settings = context["site_settings"]
    sharing = render_to_string(
        "distribution/share_meta.html",
        {
            "type": "website",
            "title": site_settings.site_name,
            "description": site_settings.tagline,
            "url": request.build_absolute_uri(site_settings.home.get_url(request)),
            "site_name": site_settings.site_name,
        },
    )
    return structured_data.as_json_ld(structured_data.website(request, site_settings)) + sharing


@register.simple_tag(takes_context=True)
def profile_head(context, author):
    return structured_data.as_json_ld(structured_data.profile_page(context["request"], author))
