"""The site chrome every page shows: the edition's settings and its section navigation.

Both change only when an editor edits the settings or publishes, moves or
unpublishes a section, yet every page needs them, so each worker keeps them in
memory for as long as the published-content token stays the same
(freshness.py): a change made anywhere shows on the next request everywhere.
"""

from dataclasses import dataclass

from wagtail.models import Site

from newsdesk.editions.lookup import Edition, default_edition, edition_for_request

from .freshness import TokenMemo

_chrome_by_edition = TokenMemo(max_entries=100)


@dataclass(frozen=True)
class SiteChrome:
    settings: Edition  # site_name, tagline, logo, feeds_full_text of the edition
    sections: list


def chrome_for_request(request) -> SiteChrome | None:
    if not hasattr(request, "_newsdesk_chrome"):
        # A page outside any edition (a 404 under a language the site has no
        # edition in) wears the site's default edition.
        site = Site.find_for_request(request)
        edition = edition_for_request(request) or (default_edition(site) if site else None)
        request._newsdesk_chrome = chrome_for_edition(edition) if edition else None
    return request._newsdesk_chrome


def chrome_for_edition(edition: Edition) -> SiteChrome:
    return _chrome_by_edition.get(edition.home.pk, lambda: _load_chrome(edition))


def _load_chrome(edition: Edition) -> SiteChrome:
    from .models import SectionPage

    sections = list(
        SectionPage.objects.live()
        .in_menu()
        .child_of(edition.home)
        .only("id", "title", "slug", "url_path", "path", "depth", "live", "locale_id")
    )
    return SiteChrome(settings=edition, sections=sections)
