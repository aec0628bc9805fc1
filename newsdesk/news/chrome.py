"""The site chrome every page shows: site settings and the section navigation.

Both change only when an editor edits the settings or publishes, moves or
unpublishes a section, yet every page needs them, so each worker keeps them in
memory for as long as the published-content token stays the same
(freshness.py): a change made anywhere shows on the next request everywhere.
"""

from dataclasses import dataclass

from wagtail.models import Site

from .freshness import TokenMemo

_chrome_by_site = TokenMemo(max_entries=100)


@dataclass(frozen=True)
class SiteChrome:
    settings: object
    sections: list


def chrome_for_request(request) -> SiteChrome | None:
    if not hasattr(request, "_newsdesk_chrome"):
        site = Site.find_for_request(request)
        request._newsdesk_chrome = chrome_for_site(site) if site else None
    return request._newsdesk_chrome


def chrome_for_site(site) -> SiteChrome:
    return _chrome_by_site.get(site.id, lambda: _load_chrome(site))


def _load_chrome(site) -> SiteChrome:
    from .models import SectionPage, SiteSettings

    sections = list(
        SectionPage.objects.live()
        .in_menu()
        .child_of(site.root_page)
        .only("id", "title", "slug", "url_path", "path", "depth", "live")
    )
    try:
        settings = site.sitesettings  # loaded with the site (SiteLookupMiddleware)
    except SiteSettings.DoesNotExist:
        settings = SiteSettings.for_site(site)
    return SiteChrome(settings=settings, sections=sections)
