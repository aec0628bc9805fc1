"""Photo editors keep the media library and its credits; they publish nothing."""

import pytest
from django.urls import reverse

from newsdesk.images.models import CreditedImage
from newsdesk.news.roles import PHOTO_EDITOR, ensure_newsroom_roles
from newsdesk.testing import make_article, make_image


@pytest.fixture
def photo_editor(django_user_model, roles):
    user = django_user_model.objects.create_user("photos", password="x")
    user.groups.add(roles[PHOTO_EDITOR])
    return user


def test_the_role_is_created_with_the_others(db):
    assert PHOTO_EDITOR in ensure_newsroom_roles()


def test_a_photo_editor_corrects_anyones_credit_and_removes_images(client, photo_editor):
    image = make_image(credit="Wrong agency")
    gone = make_image(title="Withdrawn by the agency")
    client.force_login(photo_editor)

    response = client.post(
        reverse("wagtailimages:edit", args=(image.pk,)),
        {
            "title": image.title,
            "credit": "© Right Agency",
            "licence": "CC BY 4.0",
            "collection": "1",
        },
    )
    assert response.status_code == 302
    client.post(reverse("wagtailimages:delete", args=(gone.pk,)))

    image.refresh_from_db()
    assert (image.credit, image.licence_url) == (
        "© Right Agency",
        "https://creativecommons.org/licenses/by/4.0/",
    )
    assert not CreditedImage.objects.filter(pk=gone.pk).exists()


def test_a_licence_changed_to_one_without_terms_loses_the_old_link(client, photo_editor):
    image = make_image(licence="CC BY 4.0")
    client.force_login(photo_editor)

    client.post(
        reverse("wagtailimages:edit", args=(image.pk,)),
        {
            "title": image.title,
            "credit": image.credit,
            "licence": "Editorial use only",
            "licence_url": image.licence_url,
            "collection": "1",
        },
    )

    image.refresh_from_db()
    assert (image.licence, image.licence_url) == ("Editorial use only", "")


def test_the_licence_field_offers_the_usual_licences(client, photo_editor):
    image = make_image()
    client.force_login(photo_editor)

    page = client.get(reverse("wagtailimages:edit", args=(image.pk,))).content.decode()

    assert 'list="licence-suggestions"' in page
    assert '<option value="CC BY 4.0">' in page


def test_a_photo_editor_cannot_write_or_publish_pages(client, photo_editor, world):
    article = make_article(world)
    client.force_login(photo_editor)

    assert client.get(reverse("wagtailadmin_pages:edit", args=(article.pk,))).status_code != 200
    assert (
        client.get(
            reverse("wagtailadmin_pages:add", args=("news", "articlepage", world.pk))
        ).status_code
        != 200
    )
