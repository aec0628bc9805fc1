"""Factories for tests: small helpers that make credited images and articles."""

import io
import os

import pytest
from django.core.files.images import ImageFile
from PIL import Image

from newsdesk.images.models import CreditedImage
from newsdesk.news.models import ArticleAuthor, ArticlePage

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


def require(condition, reason):
    """Skip when a tool is missing; on CI (CI=true) a missing tool is a failure."""
    if condition:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


READER_PASSWORD = "correct horse battery staple"


def make_reader(email, display_name, *, verified=True, password=READER_PASSWORD):
    """A reader account as registration leaves it (confirmed email unless verified=False)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    from newsdesk.accounts.models import ReaderProfile

    user = get_user_model().objects.create_user(
        username=email.split("@")[0], email=email, password=password
    )
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    ReaderProfile.objects.create(user=user, display_name=display_name)
    return user
