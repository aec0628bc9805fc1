"""Two editors on one article: the later save waits for a confirmation, and every save is kept."""

from django.urls import reverse

from newsdesk.testing import make_article

from .admin import edit_form, loaded_from


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def test_saving_over_a_version_saved_since_opening_asks_first_and_keeps_both(
    client, world, editor, world_editor
):
    page = make_article(world, title="Storm closes the port")
    client.force_login(world_editor)
    b_form = edit_form(client, page, title="Storm closes the port for a week")
    client.force_login(editor)
    a_form = edit_form(client, page, title="Storm closes the port, ships wait")
    assert client.post(edit_url(page), a_form).status_code == 302
    a_revision = page.revisions.latest("created_at")

    client.force_login(world_editor)
    held = client.post(edit_url(page), b_form)
    assert held.status_code == 200
    html = held.content.decode()
    assert "editor saved a newer version of this page" in html
    assert "Storm closes the port for a week" in html, "the second editor's text is still there"
    assert page.revisions.latest("created_at") == a_revision, "nothing was replaced yet"

    # Saving the form as it came back is the confirmation.
    assert loaded_from(html)["loaded_revision_id"] == str(a_revision.pk)
    assert client.post(edit_url(page), {**b_form, **loaded_from(html)}).status_code == 302
    titles = [revision.content["title"] for revision in page.revisions.order_by("created_at")]
    assert titles[-2:] == ["Storm closes the port, ships wait", "Storm closes the port for a week"]


def test_publishing_over_a_newer_version_is_held_too(client, world, editor, world_editor):
    page = make_article(world, title="Storm closes the port")
    client.force_login(world_editor)
    stale = edit_form(client, page, title="Port closed", **{"action-publish": "1"})
    client.force_login(editor)
    assert (
        client.post(edit_url(page), edit_form(client, page, title="Port shut")).status_code == 302
    )

    client.force_login(world_editor)
    assert client.post(edit_url(page), stale).status_code == 200
    page.refresh_from_db()
    assert page.title == "Storm closes the port", "the live article did not change"


def test_a_save_from_an_up_to_date_form_goes_through(client, world, editor):
    page = make_article(world, title="Storm closes the port")
    client.force_login(editor)
    response = client.post(edit_url(page), edit_form(client, page, title="Port shut"))
    assert response.status_code == 302
    assert page.revisions.latest("created_at").content["title"] == "Port shut"


def test_a_save_over_ones_own_newer_version_goes_through(client, world, editor):
    page = make_article(world, title="Storm closes the port")
    client.force_login(editor)
    first_tab = edit_form(client, page, title="Port closed")
    assert (
        client.post(edit_url(page), edit_form(client, page, title="Port shut")).status_code == 302
    )
    assert client.post(edit_url(page), first_tab).status_code == 302
    assert page.revisions.latest("created_at").content["title"] == "Port closed"


def test_wagtail_refuses_a_stale_autosave(client, world, editor, world_editor):
    page = make_article(world, title="Storm closes the port")
    client.force_login(world_editor)
    stale = edit_form(client, page, title="Port closed")
    client.force_login(editor)
    client.post(edit_url(page), edit_form(client, page, title="Port shut"))

    client.force_login(world_editor)
    response = client.post(edit_url(page), stale, headers={"Accept": "application/json"})
    assert response.json()["error_code"] == "invalid_revision"
    assert page.revisions.latest("created_at").content["title"] == "Port shut"
