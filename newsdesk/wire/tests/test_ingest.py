import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from newsdesk.wire.models import WireItem, WireSource
from newsdesk.wire.services import ingest_due_sources, source_ingest, wireitem_draft_create
from newsdesk.worker.runner import periodic_jobs

from .documents import NEWSML, RSS, ninjs, ninjs_item


@pytest.fixture
def folder_source(db, tmp_path, world):
    return WireSource.objects.create(
        name="Northwind folder",
        kind="ninjs",
        location=str(tmp_path),
        default_section=world,
        default_credit="Northwind",
    )


def drop(source, name, data: bytes):
    """Put a document into a folder source, as an agency's upload would."""
    (Path(source.location) / name).write_bytes(data)


def test_items_are_queued_once_per_identifier(folder_source):
    drop(folder_source, "a.json", ninjs(ninjs_item()))
    assert source_ingest(source=folder_source).new == 1
    counts = source_ingest(source=folder_source)
    assert (counts.new, counts.updated, counts.unchanged) == (0, 0, 1)
    item = WireItem.objects.get()
    assert (item.headline, item.status, item.agency) == ("Harbour strike ends", "new", "Northwind")


def test_a_newer_version_updates_the_queued_item_and_an_older_one_does_not(folder_source):
    drop(folder_source, "a.json", ninjs(ninjs_item()))
    source_ingest(source=folder_source)
    drop(folder_source, "a.json", ninjs(ninjs_item(version="2", headline="Strike over")))
    assert source_ingest(source=folder_source).updated == 1
    drop(folder_source, "a.json", ninjs(ninjs_item(version="1", headline="Stale")))
    assert source_ingest(source=folder_source).unchanged == 1
    item = WireItem.objects.get()
    assert (item.version, item.headline, item.status) == (2, "Strike over", "new")


def test_feeds_without_versions_update_when_the_story_changes(db, tmp_path):
    source = WireSource.objects.create(name="Feed", kind="rss-atom", location=str(tmp_path))
    (tmp_path / "feed.xml").write_bytes(RSS)
    source_ingest(source=source)
    (tmp_path / "feed.xml").write_bytes(RSS.replace(b"Cars crossed.", b"Buses crossed."))
    counts = source_ingest(source=source)
    assert (counts.updated, counts.unchanged) == (1, 1)
    assert "Buses crossed." in source.items.get(identifier="rss-1").body_html


def test_an_update_to_a_used_item_tells_the_articles_editor(
    folder_source, editor, django_capture_on_commit_callbacks
):
    editor.email = "editor@example.org"
    editor.save()
    drop(folder_source, "a.json", ninjs(ninjs_item(associations=[])))
    source_ingest(source=folder_source)
    item = WireItem.objects.get()
    article = wireitem_draft_create(user=editor, item=item)
    newer = ninjs_item(version="2", headline="Strike over, pay agreed")
    drop(folder_source, "a.json", ninjs(newer))
    with django_capture_on_commit_callbacks(execute=True):
        source_ingest(source=folder_source)
    item.refresh_from_db()
    assert item.status == WireItem.Status.UPDATED_AFTER_USE
    assert item.article == article
    (message,) = mail.outbox
    assert message.to == ["editor@example.org"]
    assert "Strike over, pay agreed" in message.subject
    assert f"/admin/pages/{article.pk}/edit/" in message.body


def test_one_bad_document_or_item_never_stops_the_rest(folder_source):
    drop(folder_source, "1-broken.json", b"{oops")
    drop(folder_source, "2-good.json", ninjs({"headlines": []}, ninjs_item()))
    drop(folder_source, "3-more.xml", NEWSML)  # wrong format for this source: refused, logged
    counts = source_ingest(source=folder_source)
    assert (counts.new, counts.errors) == (1, 3)
    messages = sorted(p.message for p in folder_source.problems.all())
    assert any("malformed JSON" in m for m in messages)
    assert "item without uri or guid" in messages
    folder_source.refresh_from_db()
    assert folder_source.last_status == "1 new, 0 updated, 0 unchanged, 3 errors"


def test_a_missing_folder_is_shown_as_the_sources_error(db):
    source = WireSource.objects.create(name="Gone", kind="ninjs", location="/nonexistent/wire")
    assert source_ingest(source=source).errors == 1
    source.refresh_from_db()
    assert "does not exist" in source.last_error


def test_the_ingest_command_prints_progress_per_source(folder_source, tmp_path):
    drop(folder_source, "a.json", ninjs(ninjs_item()))
    WireSource.objects.create(name="Off", kind="ninjs", location=str(tmp_path), enabled=False)
    out = io.StringIO()
    call_command("ingest", stdout=out)
    assert out.getvalue().splitlines() == [
        "[1/1] Northwind folder ... 1 new, 0 updated, 0 unchanged, 0 errors"
    ]


def test_the_worker_polls_only_sources_whose_interval_has_passed(folder_source, tmp_path):
    assert "wire-ingest" in periodic_jobs
    drop(folder_source, "a.json", ninjs(ninjs_item()))
    recent = WireSource.objects.create(
        name="Recent", kind="ninjs", location=str(tmp_path), last_polled_at=timezone.now()
    )
    assert [source for source, _counts in ingest_due_sources()] == [folder_source]
    WireSource.objects.filter(pk=recent.pk).update(
        last_polled_at=timezone.now() - timedelta(minutes=6)
    )
    folder_source.refresh_from_db()
    assert [source for source, _counts in ingest_due_sources()] == [recent]
    periodic_jobs["wire-ingest"].run()  # what the worker calls
