"""Personas and small factories shared by the unit and browser tests."""

import io

import pytest
from django.core.files.images import ImageFile
from PIL import Image
from wagtail.models import Page, Site

from newsdesk.images.models import CreditedImage
from newsdesk.news.models import (
    ArticleAuthor,
    ArticlePage,
    Author,
    HomePage,
    SectionPage,
    SiteSettings,
)
from newsdesk.news.roles import EDITOR, REPORTER, ensure_newsroom_roles

SITE_NAME = "The Test Herald"
TAGLINE = "News from everywhere, tested."


def make_image(*, title="Harbour at dawn", credit="© Test Agency 2024 / Ann Lens", **fields):
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), (90, 140, 200)).save(buffer, "JPEG")
    image = CreditedImage(
        title=title,
        credit=credit,
        description=fields.pop("description", f"{title}, a photograph"),
        **fields,
    )
    image.file = ImageFile(buffer, name="photo.jpg")
    image.save()
    return image


def raw_body(blocks):
    """StreamField raw data from (type, value) pairs whose values hold ids, as stored."""
    return [{"type": block_type, "value": value} for block_type, value in blocks]


def make_article(section, *, title="Ministers meet in Geneva", body=None, publish=True, **fields):
    fields.setdefault("summary", "Talks resume after a year.")
    authors = fields.pop("authors", None)
    blocks = body or [("paragraph", "<p>First paragraph.</p>")]
    page = ArticlePage(title=title, body=raw_body(blocks), live=False, **fields)
    if authors:
        page.article_authors = [
            ArticleAuthor(author=a, sort_order=i) for i, a in enumerate(authors)
        ]
    section.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    page.refresh_from_db()
    return page


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
def reader(django_user_model):
    return django_user_model.objects.create_user(username="reader", password="pass-reader")
