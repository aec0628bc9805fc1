"""Which edition a request is for, and each page's versions in the other editions.

An edition is a translation of the site's home page (Wagtail's locales): the
English home page and its Russian translation are two roots of one site, each
served under its language prefix (/en/, /ru/) with its own sections, articles,
live blogs and discussions below it. Editions change only when a home page is
published or unpublished, so they are kept per content token (freshness.py).
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from wagtail.models import Page, Site

from newsdesk.news.freshness import TokenMemo, readable

_editions_by_site = TokenMemo(max_entries=100)
_translations_by_key = TokenMemo(max_entries=20_000)


@dataclass(frozen=True)
class Edition:
    language: str
    home: Page  # the edition's HomePage
    # The site settings, with this edition's name and tagline where it has its own.
    site_name: str
    tagline: str
    logo: object
    feeds_full_text: bool

    @property
    def language_name(self) -> str:
        """The language's own name for itself ("English", "Русский")."""
        return translation.get_language_info(self.language)["name_local"]


def editions_of_site(site) -> dict[str, Edition]:
    """The site's live editions by language code, in the order of settings.LANGUAGES."""
    return _editions_by_site.get(site.id, lambda: _load_editions(site))


def _load_editions(site) -> dict[str, Edition]:
    from newsdesk.news.models import HomePage

    homes = {
        home.locale.language_code: home
        for home in HomePage.objects.live()
        .filter(translation_key=site.root_page.translation_key)
        .select_related("locale")
    }
    return {
        language: _edition(site, language, homes[language])
        for language, _name in settings.LANGUAGES
        if language in homes
    }


def _edition(site, language, home) -> Edition:
    from newsdesk.news.models import SiteSettings

    try:
        site_settings = site.sitesettings  # loaded with the site (SiteLookupMiddleware)
    except SiteSettings.DoesNotExist:
        site_settings = SiteSettings.for_site(site)
    return Edition(
        language=language,
        home=home,
        site_name=getattr(home, "edition_name", "") or site_settings.site_name,
        tagline=getattr(home, "edition_tagline", "") or site_settings.tagline,
        logo=site_settings.logo,
        feeds_full_text=site_settings.feeds_full_text,
    )


def edition_for_request(request) -> Edition | None:
    """The edition the request's language prefix names, or None when the site has none in it.

    Requests outside the language prefixes (the API, the sitemap index) get
    the site's default edition.
    """
    if not hasattr(request, "_newsdesk_edition"):
        request._newsdesk_edition = _edition_for(request)
    return request._newsdesk_edition


def _edition_for(request) -> Edition | None:
    site = Site.find_for_request(request)
    if site is None:
        return None
    language = translation.get_language_from_path(request.path_info)
    if language:
        return editions_of_site(site).get(language)
    return default_edition(site)


def edition_url(request, edition: Edition, path: str = "") -> str:
    """A path under the edition's prefix ("feeds/latest" → "/ru/feeds/latest")."""
    with translation.override(edition.language):
        return edition.home.get_url(request) + path.lstrip("/")


def default_edition(site) -> Edition:
    """The edition of the site's own root page; a site with no news home page yet
    (a fresh install) gets its root page and settings in the same shape."""
    editions = editions_of_site(site)
    root_language = site.root_page.locale.language_code
    if editions:
        return editions.get(root_language) or next(iter(editions.values()))
    return _edition(site, root_language, site.root_page)


def readable_translations(page) -> dict[str, Page]:
    """The page's versions anyone may read, by language, the page itself included.

    One query per translation key and content token: an article page, its
    hreflang links and its language switcher share the answer.
    """

    def load():
        pages = readable(Page.objects.filter(translation_key=page.translation_key))
        found = {}
        for each in pages.select_related("locale"):
            found.setdefault(each.locale.language_code, each)
        return found

    return _translations_by_key.get(page.translation_key, load)

