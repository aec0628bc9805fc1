"""schema.org data for search engines and OpenGraph/Twitter tags for sharing.

Built from the page's own fields, never typed twice: the image's credit
fields become creditText, copyrightHolder and creator; the dateline,
authors, section and tags come from the article.
"""

from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import json_script
from django.utils.safestring import mark_safe

SHARE_IMAGE_FILTER = "fill-1200x675-c50|format-jpeg"


def as_json_ld(data) -> str:
    # json_script escapes <, > and & inside the JSON, so no text can end the script.
    script = json_script(data)
    return mark_safe(  # noqa: S308
        script.replace('<script type="application/json">', '<script type="application/ld+json">', 1)
    )


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def share_image(request, image):
    """The picture to show when a page is shared, as (url, width, height)."""
    rendition = image.get_rendition(SHARE_IMAGE_FILTER)
    return absolute(request, rendition.url), rendition.width, rendition.height


def publisher(request, site_settings) -> dict:
    logo = site_settings.logo
    if logo is not None:
        rendition = logo.get_rendition("height-60|format-png")
        logo_data = {
            "@type": "ImageObject",
            "url": absolute(request, rendition.url),
            "width": rendition.width,
            "height": rendition.height,
        }
    else:
        logo_data = {"@type": "ImageObject", "url": absolute(request, static("logo.png"))}
    return {
        "@type": "NewsMediaOrganization",
        "name": site_settings.site_name,
        "url": absolute(request, site_settings.home.get_url(request)),
        "logo": logo_data,
    }


def image_object(request, image, caption="") -> dict:
    url, width, height = share_image(request, image)
    data = {
        "@type": "ImageObject",
        "url": url,
        "contentUrl": url,
        "width": width,
        "height": height,
        "creditText": image.credit,
    }
    if caption:
        data["caption"] = caption
    if image.copyright_holder:
        data["copyrightHolder"] = {"@type": "Organization", "name": image.copyright_holder}
    if image.photographer:
        data["creator"] = {"@type": "Person", "name": image.photographer}
    return data


def news_article(request, page, *, site_settings, section, tags) -> dict:
    url = absolute(request, page.get_url(request))
    authors = [
        {
            "@type": "Person",
            "name": author.name,
            "url": absolute(
                request, f"{site_settings.home.get_url(request)}authors/{author.slug}/"
            ),
        }
        for author in page.authors
    ]
    if page.byline_agency:
        authors.append({"@type": "Organization", "name": page.byline_agency})
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": page.title[:110],
        "inLanguage": page.locale.language_code,
        "datePublished": page.first_published_at.isoformat(),
        "dateModified": (page.last_published_at or page.first_published_at).isoformat(),
        "author": authors or [{"@type": "Organization", "name": site_settings.site_name}],
        "publisher": publisher(request, site_settings),
        "isAccessibleForFree": True,
    }
    if page.summary:
        data["description"] = page.summary
    if page.lead_image is not None and page.lead_image.usable:
        data["image"] = [image_object(request, page.lead_image, page.lead_image_caption)]
    if section is not None:
        data["articleSection"] = section.title
    if tags:
        data["keywords"] = [tag.name for tag in tags]
    if page.dateline:
        data["dateline"] = page.dateline
    if page.corrections:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": note.text,
                "datePublished": note.noted_at.isoformat(),
            }
            for note in page.corrections
        ]
    return data


def breadcrumbs(request, trail) -> dict:
    """BreadcrumbList for [(name, path), …] from the home page down."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": number, "name": name, "item": absolute(request, path)}
            for number, (name, path) in enumerate(trail, start=1)
        ],
    }


def website(request, site_settings) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": site_settings.site_name,
        "url": absolute(request, site_settings.home.get_url(request)),
        "inLanguage": site_settings.language,
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": absolute(request, reverse("search")) + "?q={search_term_string}",
            },
            "query-input": "required name=search_term_string",
        },
    }


def profile_page(request, author) -> dict:
    person = {
        "@type": "Person",
        "name": author.name,
        "url": absolute(request, f"/authors/{author.slug}/"),
    }
    if author.role:
        person["jobTitle"] = author.role
    if author.bio:
        person["description"] = author.bio
    if author.photo is not None:
        person["image"] = share_image(request, author.photo)[0]
    return {"@context": "https://schema.org", "@type": "ProfilePage", "mainEntity": person}
