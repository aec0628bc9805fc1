"""The links between editions a page carries: hreflang alternates and the language switcher."""

from dataclasses import dataclass

from django import template
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Page, Site

from newsdesk.editions.lookup import edition_for_request, editions_of_site, readable_translations
from newsdesk.news.freshness import TokenMemo

register = template.Library()
# A page's links change only with a publish: kept per content token, they cost
# a dictionary lookup per view instead of a URL reversal per edition.
_links_of_page = TokenMemo(max_entries=20_000)


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
    if page is None:
        return _edition_links(request, site, current, page)
    return _links_of_page.get(
        (site.pk, current.language, page.pk, request.path),
        lambda: _edition_links(request, site, current, page),
    )


def _edition_links(request, site, current, page) -> list[EditionLink]:
    editions = editions_of_site(site)
    page_view = _is_page_view(request, page)
    versions = readable_translations(page) if page_view else {}
    links = []
    for language, edition in editions.items():
        url, same_page = _address_in(edition, request, page, versions.get(language), current)
        links.append(
            EditionLink(
                language=language,
                name=edition.language_name,
                url=url,
                is_current=language == current.language,
                is_translation=same_page,
            )
        )
    return links


def _is_view(request) -> bool:
    """True for a view of its own; False for a page address that found no page (a 404)."""
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name != "wagtail_serve"


def _address_in(edition, request, page, translated, current) -> tuple[str, bool]:
    """Where the reader's page is in `edition`, and whether it is the same page there."""
    if translated is not None:
        return translated.get_url(request), True
    here = request.get_full_path()
    if page is None and _is_view(request):  # a view that is no page: search, accounts
        if edition.language == current.language:
            return here, True
        return translate_url(here, edition.language), True
    with translation.override(edition.language):
        return edition.home.get_url(request), False


@register.inclusion_tag("editions/alternates.html", takes_context=True)
def hreflang_links(context):
    """<link rel="alternate" hreflang> for each edition carrying this very page."""
    request = context["request"]
    page = context.get("page")
    links = [link for link in edition_links(request, page) if link.is_translation]
    if len(links) < 2:
        return {"alternates": []}
    alternates = [(link.language, request.build_absolute_uri(link.url)) for link in links]
    edition = edition_for_request(request)
    if page is not None and page.pk == edition.home.pk:
        # The bare address picks an edition by the reader's language: the
        # page for readers whose language has no edition.
        alternates.append(("x-default", request.build_absolute_uri("/")))
    return {"alternates": alternates}


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
