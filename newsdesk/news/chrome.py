"""The site chrome every page shows: site settings and the section navigation.

Both change only when an editor edits the settings or publishes, moves or
unpublishes a section, yet every page needs them, so they are kept in the
cache. Those edits drop the entry at once in this process, and everywhere when
the cache is shared (Redis); with the per-process default cache, other worker
processes see the change within CHROME_TTL seconds.
"""

from dataclasses import dataclass

from django.core.cache import cache
from wagtail.models import Site

CHROME_TTL = 60


@dataclass(frozen=True)
class SiteChrome:
    settings: object
    sections: list


def _cache_key(site_id: int) -> str:
    return f"newsdesk:chrome:v1:{site_id}"


def chrome_for_request(request) -> SiteChrome | None:
    if not hasattr(request, "_newsdesk_chrome"):
        site = Site.find_for_request(request)
        request._newsdesk_chrome = chrome_for_site(site) if site else None
    return request._newsdesk_chrome


def chrome_for_site(site) -> SiteChrome:
    key = _cache_key(site.id)
    chrome = cache.get(key)
    if chrome is None:
        from .models import SectionPage, SiteSettings

        sections = list(
            SectionPage.objects.live()
            .in_menu()
            .child_of(site.root_page)
            .only("id", "title", "slug", "url_path", "path", "depth", "live")
        )
        settings = (
            SiteSettings.objects.select_related("logo")
            .prefetch_related("logo__renditions")
            .filter(site=site)
            .first()
        ) or SiteSettings.for_site(site)
        chrome = SiteChrome(settings=settings, sections=sections)
        cache.set(key, chrome, CHROME_TTL)
    return chrome


def forget_chrome() -> None:
    """Drop every site's cached chrome (after an edit that changes it)."""
    cache.delete_many(
        [_cache_key(site_id) for site_id in Site.objects.values_list("id", flat=True)]
    )
