"""The links between editions a page carries: hreflang alternates and the language switcher."""

from dataclasses import dataclass

from django import template
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Page, Site

from newsdesk.editions.lookup import edition_for_request, editions_of_site, readable_translations

register = template.Library()


@dataclass(frozen=True)
class EditionLink:
    language: str
    name: str  # the language's own name: "English", "Русский"
    url: str  # relative to the site
    is_current: bool
    is_translation: bool  # the same story (page) in that edition, not its home page


def _is_page_view(request, page) -> bool:
    """True when the response is the page itself, not a route under it (tags, authors)."""
    return isinstance(page, Page) and request.path == page.get_url(request)


def edition_links(request, page=None) -> list[EditionLink]:
    """Every edition of the site, each pointing at the reader's page in that edition.

    A page with a readable translation links to it; a page without one (an
    article written for one edition) links to that edition's home page; a
    view that is no page (search, accounts) links to the same view there.
    """
    site = Site.find_for_request(request)
    current = edition_for_request(request)
    if site is None or current is None:
        return []
    editions = editions_of_site(site)
    page_view = _is_page_view(request, page)
    versions = readable_translations(page) if page_view else {}
    links = []
    for language, edition in editions.items():
        translated = versions.get(language)
        if translated is not None:
            url = translated.get_url(request)
        elif page is None:
            url = translate_url(request.get_full_path(), language)
        else:
            with translation.override(language):
                url = edition.home.get_url(request)
        links.append(
            EditionLink(
                language=language,
                name=edition.language_name,
                url=url,
                is_current=language == current.language,
                is_translation=translated is not None or page is None,
            )
        )
    return links


@register.inclusion_tag("editions/alternates.html", takes_context=True)
def hreflang_links(context):
    """<link rel="alternate" hreflang> for each edition carrying this very page."""
    request = context["request"]
    page = context.get("page")
    links = [link for link in edition_links(request, page) if link.is_translation]
    if len(links) < 2:
        links = []
    return {
        "alternates": [(link.language, request.build_absolute_uri(link.url)) for link in links],
    }


@register.inclusion_tag("editions/switcher.html", takes_context=True)
def edition_switcher(context):
    request = context["request"]
    links = edition_links(request, context.get("page"))
    return {"links": links if len(links) > 1 else []}


@register.simple_tag(takes_context=True)
def edition_home_url(context):
    request = context["request"]
    edition = edition_for_request(request)
    return edition.home.get_url(request) if edition else "/"
