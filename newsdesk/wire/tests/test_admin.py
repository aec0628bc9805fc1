import pytest
from django.urls import reverse

from newsdesk.news.models import ArticlePage
from newsdesk.wire.models import WireItem, WireSource
from newsdesk.wire.services import source_ingest

from .documents import jpeg, ninjs, ninjs_item


@pytest.fixture
def wire_item(db, wire_server, world):
    picture_url = wire_server.serve("/quay.jpg", jpeg(), **{"Content-Type": "image/jpeg"})
    item = ninjs_item()
    item["associations"][0]["renditions"] = [{"href": picture_url, "width": 64}]
    source = WireSource.objects.create(
        name="Northwind",
        kind="ninjs",
        location=wire_server.serve("/wire", ninjs(item)),
        allow_private_addresses=True,
        default_section=world,
        default_credit="Northwind Press",
    )
    source_ingest(source=source)
    return WireItem.objects.get()


def draft_url(item):
    return reverse("wire_item_draft", args=[item.pk])


def test_an_editor_makes_a_draft_article_from_a_wire_item_in_one_action(
    client, editor, wire_item, world
):
    client.force_login(editor)
    response = client.post(draft_url(wire_item))
    article = ArticlePage.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_pages:edit", args=[article.pk])
    assert not article.live
    assert article.get_parent().specific == world
    assert article.title == "Harbour strike ends"
    assert article.summary == "Dockers return after nine days."
    assert (article.dateline_place, article.byline_agency) == ("Rotterdam", "Northwind Press")
    assert [block.block_type for block in article.body] == [
        "paragraph",
        "subheading",
        "paragraph",
        "quote",
    ]
    assert article.body[1].value == "What was agreed"
    assert article.body[3].value["speaker"] == "Lena Brandt"
    assert "alert" not in str(article.body[2].value)
    assert article.lead_image.credit == "© Northwind Press 2026 / Ines Vaal"
    assert article.lead_image.photographer == "Ines Vaal"
    assert article.lead_image_caption == "Cranes idle at the quay"
    assert article.latest_revision.user == editor
    wire_item.refresh_from_db()
    assert (wire_item.article, wire_item.status) == (article, WireItem.Status.USED)

    # The editor opens on the draft, which says where it came from.
    page = client.get(response.url)
    assert page.status_code == 200
    assert "From wire item: Harbour strike ends" in page.content.decode()
    item_page = client.get(reverse("wire_item", args=[wire_item.pk])).content.decode()
    assert reverse("wagtailadmin_pages:edit", args=[article.pk]) in item_page


def test_a_reporter_may_make_a_draft_too(client, reporter, wire_item):
    client.force_login(reporter)
    assert client.post(draft_url(wire_item)).status_code == 302
    assert ArticlePage.objects.filter(title="Harbour strike ends").exists()


def test_a_second_draft_from_the_same_item_is_refused(client, editor, wire_item):
    client.force_login(editor)
    client.post(draft_url(wire_item))
    response = client.post(draft_url(wire_item), follow=True)
    assert "already made" in response.content.decode()
    assert ArticlePage.objects.count() == 1


def test_a_picture_that_cannot_be_fetched_leaves_the_draft_without_it(
    client, editor, wire_item, wire_server
):
    wire_item.images = [{"url": wire_server.url("/gone.jpg"), "caption": "", "credit": ""}]
    wire_item.save()
    client.force_login(editor)
    client.post(draft_url(wire_item))
    assert ArticlePage.objects.get().lead_image is None
    assert "HTTP 404" in wire_item.source.problems.get().message


def test_readers_and_anonymous_visitors_cannot_make_drafts(client, reader, wire_item):
    response = client.post(draft_url(wire_item))
    assert response.status_code == 302
    assert response.url.startswith(reverse("wagtailadmin_login"))
    client.force_login(reader)
    assert client.post(draft_url(wire_item)).status_code in (302, 403)
    assert not ArticlePage.objects.exists()


def test_staff_without_the_wire_permission_are_refused(client, moderator, wire_item):
    client.force_login(moderator)
    assert client.post(draft_url(wire_item)).status_code == 403
    assert client.get(reverse("wire_queue")).status_code == 403
    assert not ArticlePage.objects.exists()


def test_the_draft_action_needs_a_post_with_csrf(editor, wire_item):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.get(draft_url(wire_item)).status_code == 405
    assert client.post(draft_url(wire_item)).status_code == 403
    assert not ArticlePage.objects.exists()


def test_the_queue_lists_newest_first_filtered_and_searched(client, editor, wire_item):
    older = WireItem.objects.create(
        source=wire_item.source, identifier="older", headline="Earlier storm"
    )
    WireItem.objects.filter(pk=older.pk).update(
        received_at=wire_item.received_at.replace(year=2020)
    )
    client.force_login(editor)
    page = client.get(reverse("wire_queue")).content.decode()
    assert page.index("Harbour strike ends") < page.index("Earlier storm")
    searched = client.get(reverse("wire_queue"), {"q": "storm"}).content.decode()
    assert "Earlier storm" in searched and "Harbour strike ends" not in searched
    used = client.get(reverse("wire_queue"), {"status": "used"}).content.decode()
    assert "Earlier storm" not in used and "Harbour strike ends" not in used


def test_the_item_page_shows_the_text_and_the_action(client, editor, wire_item):
    client.force_login(editor)
    page = client.get(reverse("wire_item", args=[wire_item.pk])).content.decode()
    assert "Dockers voted to return to work on Monday." in page
    assert "<script>alert" not in page
    assert "Create draft article" in page
    assert "© Northwind Press 2026 / Ines Vaal" in page


def test_the_source_page_shows_its_status_and_recent_problems(admin_client, db, tmp_path):
    source = WireSource.objects.create(name="Broken", kind="ninjs", location=str(tmp_path))
    (tmp_path / "bad.json").write_bytes(b"{nope")
    source_ingest(source=source)
    page = admin_client.get(reverse("wire_source:inspect", args=[source.pk])).content.decode()
    assert "bad.json: malformed JSON" in page
    assert "0 new, 0 updated, 0 unchanged, 1 errors" in page


def test_the_dashboard_lists_updates_to_used_items(client, editor, wire_item):
    client.force_login(editor)
    client.post(draft_url(wire_item))
    WireItem.objects.update(status=WireItem.Status.UPDATED_AFTER_USE)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Wire updates to stories in use" in page
    assert "Harbour strike ends" in page

    client.post(reverse("wire_item_seen", args=[wire_item.pk]))
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Wire updates to stories in use" not in page
    wire_item.refresh_from_db()
    assert wire_item.status == WireItem.Status.USED


def test_an_administrator_adds_a_source_and_only_http_urls_or_folders_are_taken(
    admin_client, world
):
    fields = {
        "name": "Northwind",
        "kind": "ninjs",
        "poll_interval": "5",
        "default_section": world.pk,
        "default_credit": "Northwind Press",
        "enabled": "on",
    }
    refused = admin_client.post(
        reverse("wire_source:add"), {**fields, "location": "file:///etc/passwd"}
    )
    assert "Only http and https URLs can be fetched." in refused.content.decode()
    admin_client.post(
        reverse("wire_source:add"), {**fields, "location": "https://wire.example.org/feed"}
    )
    source = WireSource.objects.get()
    assert (source.location, source.allow_private_addresses) == (
        "https://wire.example.org/feed",
        False,
    )
