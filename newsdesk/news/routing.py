"""Page routing in two queries instead of one per URL segment.

Wagtail finds a page by walking the tree: the site's root page, its specific
version, then a query per URL segment and another for each specific page, so
an article two levels down costs six queries before rendering starts. A page's
full URL path is stored on the page, so the page a URL names exactly can be
found with one indexed lookup (plus one for its specific type). The result is
handed to Wagtail's own `serve` view, which then applies its usual hooks
(privacy, before-serve) unchanged. Anything not matched exactly, such as the
home page's author and tag routes, falls back to Wagtail's tree walk.

Which page a path names changes only when something is published, moved or
deleted, so the first query's answer is kept per content token
(freshness.py), leaving one query: the page itself.
"""

from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpResponsePermanentRedirect
from wagtail.models import Page
from wagtail.views import serve as wagtail_serve

from newsdesk.editions.lookup import edition_for_request
from newsdesk.editions.slugs import transliterate_slug

from .freshness import TokenMemo

_page_by_url_path = TokenMemo(max_entries=20_000)


def find_route(request, path: str):
    """Return Wagtail's RouteResult for a path naming a page exactly, else None."""
    edition = edition_for_request(request)
    if edition is None:
        return None
    # The edition's home page is kept per content token (editions/lookup.py).
    url_path = edition.home.url_path + path.lstrip("/")
    row = _page_by_url_path.get(
        url_path,
        lambda: Page.objects.filter(url_path=url_path).values_list("id", "content_type_id").first(),
    )
    if row is None:
        return None
    page_id, content_type_id = row
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    # The locale rides along: the page's language shows in its markup and links.
    page = model._default_manager.select_related("locale").get(id=page_id)
    return page.route(request, [])


def serve(request, path):
    edition = edition_for_request(request)
    if edition is None:
        # No edition in this language: Wagtail would serve another edition's
        # pages under this prefix.
        raise Http404
    if not hasattr(request, "_wagtail_route_for_request"):
        try:
            route = find_route(request, path)
            if route is None:
                # Not a page's exact path (the home page's author and tag
                # routes): walk the tree from the edition's home page.
                route = edition.home.route(request, [part for part in path.split("/") if part])
        except Http404:
            route = None
        if route is None and not path.isascii():
            return _redirect_transliterated(request, path)
        # Wagtail's serve view reads the route from here instead of walking the tree.
        request._wagtail_route_for_request = route
    return wagtail_serve(request, path)


def _redirect_transliterated(request, path):
    """A link typed or shared with a Cyrillic slug finds the page under its Latin slug."""
    latin = "/".join(transliterate_slug(part) for part in path.split("/"))
    try:
        route = find_route(request, latin)
    except Http404:
        route = None
    if route is None:
        raise Http404
    return HttpResponsePermanentRedirect(route[0].get_url(request))
