from django.http.request import split_domain_port
from wagtail.models import Site

from .freshness import TokenMemo

_sites = TokenMemo(max_entries=1)
_site_by_host = TokenMemo(max_entries=1_000)


class SiteLookupMiddleware:
    """Find the request's Wagtail site without a query per request.

    Wagtail looks the site up with one query per request, ranking every site
    against the host name; sites change about never. Here every site is
    loaded once per content token (freshness.py) with its root page and its
    settings (the chrome needs them), and matched in memory by Wagtail's own
    rules. Wagtail keeps what is found on `request._wagtail_site`, so setting
    it here serves every later `Site.find_for_request`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        hostname = split_domain_port(request._get_raw_host())[0]
        port = request.get_port()
        request._wagtail_site = _site_by_host.get(
            (hostname, port), lambda: match_site(all_sites(), hostname, port)
        )
        return self.get_response(request)


def all_sites() -> list:
    return _sites.get(
        "all",
        lambda: list(
            Site.objects.select_related("root_page__locale", "sitesettings__logo").prefetch_related(
                "sitesettings__logo__renditions"
            )
        ),
    )


def match_site(sites, hostname: str, port: int):
    """Wagtail's choice of site for a host (wagtail.models.sites.get_site_for_hostname)."""

    def rank(site):
        if site.hostname == hostname:
            if site.port == port:
                return 0
            if site.is_default_site:
                return 1
            return 3
        return 2  # the default site, for any other host name

    candidates = sorted(
        (site for site in sites if site.hostname == hostname or site.is_default_site), key=rank
    )
    if not candidates:
        return None
    if len(candidates) == 1 or rank(candidates[0]) in (0, 1):
        return candidates[0]
    if rank(candidates[0]) == 2:
        # The default site, unless exactly one site has this host name on another port.
        return candidates[len(candidates) == 2]
    return None
