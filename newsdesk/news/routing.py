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
from django.http import Http404
from wagtail.models import Page, Site
from wagtail.views import serve as wagtail_serve

from .freshness import TokenMemo

_page_by_url_path = TokenMemo(max_entries=20_000)


def find_route(request, path: str):
    """Return Wagtail's RouteResult for a path naming a page exactly, else None."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    # The site comes from SiteLookupMiddleware, kept with its root page per content token.
    url_path = site.root_page.url_path + path.lstrip("/")
    row = _page_by_url_path.get(
        url_path,
        lambda: Page.objects.filter(url_path=url_path).values_list("id", "content_type_id").first(),
    )
    if row is None:
        return None
    page_id, content_type_id = row
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    page = model._default_manager.get(id=page_id)
    return page.route(request, [])


def serve(request, path):
    if not hasattr(request, "_wagtail_route_for_request"):
        try:
            route = find_route(request, path)
        except Http404:
            route = None  # e.g. a draft: Wagtail's own walk answers 404 the same way
        if route is not None:
            # Wagtail's serve view reads the route from here instead of walking the tree.
            request._wagtail_route_for_request = route
    return wagtail_serve(request, path)
