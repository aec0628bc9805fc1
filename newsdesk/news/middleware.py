from django.http.request import split_domain_port
from wagtail.models import Site

from .freshness import TokenMemo

_site_by_host = TokenMemo(max_entries=1_000)


class SiteLookupMiddleware:
    """Find the request's Wagtail site once per host name and content token.

    Wagtail looks the site up with one query per request, ordering every site
    by how well it matches the host; sites change about never. Wagtail keeps
    whatever is found on `request._wagtail_site` for the rest of the request,
    so setting it here serves every later `Site.find_for_request`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        hostname = split_domain_port(request._get_raw_host())[0]
        port = request.get_port()
        request._wagtail_site = _site_by_host.get(
            (hostname, port), lambda: Site._find_for_request(request)
        )
        return self.get_response(request)
