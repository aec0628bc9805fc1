"""Personas and fixtures shared by the unit and browser tests (factories: newsdesk.testing)."""

import pytest
from wagtail.models import Page, Site

from newsdesk.news.models import Author, HomePage, SectionPage, SiteSettings
from newsdesk.news.roles import EDITOR, MODERATOR, REPORTER, ensure_newsroom_roles
from newsdesk.testing import SITE_NAME, TAGLINE, make_reader

# PostgreSQL fixtures (postgres_url, postgres_site, ...): see that module.
pytest_plugins = ["newsdesk.testing_postgres"]


@pytest.fixture
def home(db):
    root = Page.get_first_root_node()
    home = HomePage(title="Home", slug="front-page")
    root.add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.get(is_default_site=True)
    old_root = site.root_page
    site.root_page = home
    site.save()
    old_root.delete()
    SiteSettings.objects.update_or_create(
        site=site, defaults={"site_name": SITE_NAME, "tagline": TAGLINE}
    )
    return home


@pytest.fixture
def world(home):
    section = SectionPage(title="World", slug="world", show_in_menus=True)
    home.add_child(instance=section)
    section.save_revision().publish()
    return section


@pytest.fixture
def author(db):
    return Author.objects.create(name="Maria Kovacs", role="Diplomatic correspondent")


@pytest.fixture
def roles(db):
    return ensure_newsroom_roles()


def _staff(django_user_model, username, group):
    user = django_user_model.objects.create_user(username=username, password="pass-" + username)
    user.groups.add(group)
    return user


@pytest.fixture
def reporter(django_user_model, roles):
    return _staff(django_user_model, "reporter", roles[REPORTER])


@pytest.fixture
def editor(django_user_model, roles):
    return _staff(django_user_model, "editor", roles[EDITOR])


@pytest.fixture
def moderator(django_user_model, roles):
    return _staff(django_user_model, "moderator", roles[MODERATOR])


@pytest.fixture(autouse=True)
def _fresh_caches():
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture
def reader(db):
    """A registered reader with a confirmed email address."""
    return make_reader("reader@example.org", "Ada Reader")
