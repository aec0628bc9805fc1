"""The newsroom admin: who may do what, and what happens to bad input."""

import json

import pytest
from django.urls import reverse

from newsdesk.images.models import CreditedImage
from newsdesk.news.models import ArticlePage
from newsdesk.testing import make_article, make_image, raw_body


def _article_form(section, **overrides):
    data = {
        "title": "Port reopens after storm",
        "slug": "port-reopens-after-storm",
        "summary": "",
        "short_title": "",
        "lead_image_caption": "",
        "dateline_place": "",
        "dateline_agency": "",
        "byline_agency": "",
        "tags": "",
        "body-count": "1",
        "body-0-deleted": "",
        "body-0-order": "0",
        "body-0-type": "paragraph",
        "body-0-id": "b0",
        "body-0-value": json.dumps(
            {
                "blocks": [
                    {
                        "key": "a",
                        "text": "Ships are moving again.",
                        "type": "unstyled",
                        "depth": 0,
                        "inlineStyleRanges": [],
                        "entityRanges": [],
                    }
                ],
                "entityMap": {},
            }
        ),
        "article_authors-TOTAL_FORMS": "0",
        "article_authors-INITIAL_FORMS": "0",
        "article_authors-MIN_NUM_FORMS": "0",
        "article_authors-MAX_NUM_FORMS": "1000",
        "notes-TOTAL_FORMS": "0",
        "notes-INITIAL_FORMS": "0",
        "notes-MIN_NUM_FORMS": "0",
        "notes-MAX_NUM_FORMS": "1000",
        "comment_notifications": "",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def _add_url(section):
    return reverse("wagtailadmin_pages:add", args=("news", "articlepage", section.pk))


def test_an_anonymous_visitor_cannot_reach_the_admin(client, home):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_reader_without_a_role_cannot_reach_the_admin(client, reader):
    client.force_login(reader)
    response = client.get("/admin/")
    assert response.status_code == 302


def test_a_reporter_can_write_and_submit_but_not_publish(client, world, reporter):
    client.force_login(reporter)
    response = client.post(_add_url(world), _article_form(world, **{"action-publish": "1"}))
    assert response.status_code in (200, 302, 403)
    page = ArticlePage.objects.filter(slug="port-reopens-after-storm").first()
    if page is not None:
        assert not page.live, "a reporter's publish action must not publish"
    response = client.post(_add_url(world), _article_form(world, slug="draft-two"))
    assert response.status_code == 302
    draft = ArticlePage.objects.get(slug="draft-two")
    assert not draft.live
    assert draft.owner == reporter


def test_an_editor_can_publish(client, world, editor):
    client.force_login(editor)
    response = client.post(_add_url(world), _article_form(world, **{"action-publish": "1"}))
    assert response.status_code == 302
    page = ArticlePage.objects.get(slug="port-reopens-after-storm")
    assert page.live
    assert "Ships are moving again." in client.get(page.url).content.decode()


def test_an_article_without_a_headline_is_refused_and_nothing_is_saved(client, world, editor):
    client.force_login(editor)
    response = client.post(
        _add_url(world), _article_form(world, title="", **{"action-publish": "1"})
    )
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert "Ships are moving again." in response.content.decode(), "the editor's text is kept"
    assert not ArticlePage.objects.exists()


def test_an_image_without_a_credit_is_refused(client, editor):
    import io

    from PIL import Image

    client.force_login(editor)
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "red.png"
    response = client.post(
        reverse("wagtailimages:add"),
        {"title": "Red square", "file": buffer, "credit": "", "collection": "1", "tags": ""},
    )
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not CreditedImage.objects.exists()


def test_editors_are_warned_about_links_to_unpublished_articles(client, world, editor):
    target = make_article(world, title="Soon withdrawn")
    page = make_article(
        world,
        title="Story with a card",
        body=[("paragraph", "<p>Text.</p>"), ("related_story", {"article": target.pk})],
    )
    target.unpublish()
    client.force_login(editor)
    response = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
    assert "unpublished or deleted" in response.content.decode()


@pytest.mark.parametrize("field", ["credit"])
def test_every_image_needs_a_credit_at_the_model_level(db, field):
    image = make_image()
    setattr(image, field, "")
    with pytest.raises(Exception, match="blank"):
        image.full_clean()


def test_raw_body_helper_matches_the_stored_shape(world):
    page = make_article(world, body=[("subheading", "Heading")])
    assert page.body.raw_data[0]["type"] == "subheading"
    assert raw_body([("paragraph", "x")]) == [{"type": "paragraph", "value": "x"}]
