"""The live desk's writes: each change readers see is one event in the blog's log."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from newsdesk.live import services
from newsdesk.live.models import EntryStatus, LiveBlogStatus, LiveEntry, LiveEvent

pytestmark = pytest.mark.django_db


def log_of(blog):
    return list(LiveEvent.objects.filter(blog=blog).order_by("seq").values_list("seq", "op"))


def post(blog, author=None, text="The sea wall at Oosterdijk has been breached.", **options):
    return services.entry_post(blog=blog, author=author, text=text, **options)


def test_each_change_appends_one_event_with_the_next_number(blog, editor):
    entry = post(blog, editor)
    services.entry_edit(entry_id=entry.pk, expected_version=1, text="The wall held.")
    entry = services.entry_set_pinned(entry_id=entry.pk, pinned=True)
    services.entry_set_key_event(entry_id=entry.pk, is_key_event=True)
    services.entry_set_pinned(entry_id=entry.pk, pinned=False)
    services.entry_delete(entry_id=entry.pk)

    assert log_of(blog) == [
        (1, "add"),
        (2, "edit"),
        (3, "pin"),
        (4, "edit"),
        (5, "unpin"),
        (6, "delete"),
    ]
    assert blog.sequence.last_seq == 6


def test_an_added_entry_event_carries_the_entry_as_the_page_renders_it(blog, editor):
    entry = post(blog, editor, headline="Sea wall breached", is_key_event=True)

    data = LiveEvent.objects.get(blog=blog, seq=1).data
    assert data["entry"] == entry.pk
    assert data["html"] == services.render_entry(entry)
    assert f'id="entry-{entry.pk}"' in data["html"]
    assert "Oosterdijk has been breached" in data["html"]
    assert (data["headline"], data["key"], data["pinned"], data["version"]) == (
        "Sea wall breached",
        True,
        False,
        1,
    )


def test_nothing_is_published_before_the_transaction_commits(
    blog, editor, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        entry = post(blog, editor)
        assert published == [], "readers must not hear of an entry that may yet roll back"

    for callback in callbacks:
        callback()
    assert [(blog_id, seq, op) for blog_id, seq, op, _data in published] == [(blog.pk, 1, "add")]
    assert published[0][3]["entry"] == entry.pk


def test_a_rolled_back_post_leaves_no_entry_no_event_and_publishes_nothing(
    blog, editor, published, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        post(blog, editor)
        raise RuntimeError("the request failed after posting")

    assert published == []
    assert not LiveEntry.objects.exists()
    assert log_of(blog) == []


def test_an_edit_changes_the_same_entry_in_place(blog, editor):
    entry = post(blog, editor, text="Ferries cancelled.")
    posted_at = entry.display_at

    edited = services.entry_edit(
        entry_id=entry.pk, expected_version=1, headline="Ferries", text="Ferries cancelled today."
    )

    assert edited.pk == entry.pk
    assert edited.version == 2
    assert edited.display_at == posted_at, "an edit keeps the entry's place in the feed"
    assert LiveEntry.objects.count() == 1
    event = LiveEvent.objects.get(blog=blog, seq=2)
    assert event.op == "edit"
    assert event.data["entry"] == entry.pk
    assert "Ferries cancelled today." in event.data["html"]


def test_it_refuses_an_edit_made_on_a_stale_copy(blog, editor, live_desk_editor):
    entry = post(blog, editor, text="Schools closed.")
    # Both editors opened version 1; the first to save wins.
    services.entry_edit(entry_id=entry.pk, expected_version=1, text="Schools closed tomorrow.")

    with pytest.raises(services.StaleEntry) as refusal:
        services.entry_edit(entry_id=entry.pk, expected_version=1, text="Schools open.")

    assert "Someone else changed this entry" in refusal.value.message
    assert "Your text is kept" in refusal.value.message
    entry.refresh_from_db()
    assert "Schools closed tomorrow." in services.render_entry(entry)
    assert log_of(blog) == [(1, "add"), (2, "edit")]


def test_it_refuses_to_edit_an_entry_someone_deleted(blog, editor):
    entry = post(blog, editor)
    services.entry_delete(entry_id=entry.pk)

    with pytest.raises(services.StaleEntry, match="deleted by someone else"):
        services.entry_edit(entry_id=entry.pk, expected_version=2, text="Too late.")


def test_it_refuses_to_edit_the_text_of_an_entry_with_a_quote(blog, editor):
    quote = {"text": "Never twice in one afternoon.", "speaker": "Piet Anker", "role": ""}
    entry = post(
        blog,
        editor,
        text="The harbour master speaks.",
        body=[
            *services.body_from_text("The harbour master speaks."),
            {"type": "quote", "value": quote},
        ],
    )

    with pytest.raises(services.LiveDeskError, match="quotes, images or story links"):
        services.entry_edit(entry_id=entry.pk, expected_version=1, text="Replaced.")

    entry.refresh_from_db()
    assert [block.block_type for block in entry.body] == ["paragraph", "quote"]


def test_deleting_an_entry_takes_it_off_the_page_once(blog, editor):
    entry = post(blog, editor)

    services.entry_delete(entry_id=entry.pk)
    services.entry_delete(entry_id=entry.pk)

    assert not LiveEntry.objects.filter(blog=blog).published().exists()
    assert log_of(blog) == [(1, "add"), (2, "delete")]
    assert LiveEvent.objects.get(blog=blog, seq=2).data == {"entry": entry.pk}


def test_pinning_another_entry_unpins_the_first(blog, editor):
    first = post(blog, editor, text="Stay away from the seafront.")
    second = post(blog, editor, text="Evacuation centres are open.")

    services.entry_set_pinned(entry_id=first.pk, pinned=True)
    services.entry_set_pinned(entry_id=second.pk, pinned=True)

    assert list(LiveEntry.objects.filter(blog=blog, is_pinned=True)) == [second]
    events = LiveEvent.objects.filter(blog=blog, seq__gt=2).order_by("seq")
    assert [(event.op, event.data["entry"]) for event in events] == [
        ("pin", first.pk),
        ("unpin", first.pk),
        ("pin", second.pk),
    ]


def test_unpinning_leaves_no_entry_pinned(blog, editor):
    entry = post(blog, editor, is_pinned=True)

    services.entry_set_pinned(entry_id=entry.pk, pinned=False)
    services.entry_set_pinned(entry_id=entry.pk, pinned=False)

    assert not LiveEntry.objects.filter(is_pinned=True).exists()
    assert log_of(blog) == [(1, "add"), (2, "pin"), (3, "unpin")]


def test_only_a_published_entry_can_be_pinned(blog, reporter):
    draft = post(blog, reporter, draft=True)

    with pytest.raises(services.LiveDeskError, match="Only a published entry"):
        services.entry_set_pinned(entry_id=draft.pk, pinned=True)


def test_marking_a_key_event_re_renders_the_entry_for_readers(blog, editor):
    entry = post(blog, editor)

    services.entry_set_key_event(entry_id=entry.pk, is_key_event=True)
    services.entry_set_key_event(entry_id=entry.pk, is_key_event=True)
    services.entry_set_key_event(entry_id=entry.pk, is_key_event=False)

    assert log_of(blog) == [(1, "add"), (2, "edit"), (3, "edit")]
    marked, unmarked = (LiveEvent.objects.get(blog=blog, seq=seq).data for seq in (2, 3))
    assert marked["key"] is True
    assert "live-entry--key" in marked["html"]
    assert unmarked["key"] is False
    assert "live-entry--key" not in unmarked["html"]


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("text", "x" * (services.MAX_TEXT_CHARS + 1), "the limit is 10000. Split it in two"),
        ("headline", "H" * (services.MAX_HEADLINE_CHARS + 1), "the limit is 200"),
        ("text", "   \n\n  ", "The entry has no text"),
    ],
)
def test_it_refuses_an_entry_out_of_bounds_and_records_nothing(blog, editor, field, value, reason):
    options = {"text": "A line.", field: value}

    with pytest.raises(services.LiveDeskError) as refusal:
        services.entry_post(blog=blog, author=editor, **options)

    assert reason in refusal.value.message
    assert not LiveEntry.objects.exists()
    assert log_of(blog) == []


def test_a_scheduled_entry_is_published_exactly_once_when_its_time_comes(blog, editor):
    at = timezone.now() + timedelta(minutes=10)
    entry = post(blog, editor, text="The mayor speaks at noon.", publish_at=at)
    assert entry.status == EntryStatus.SCHEDULED
    assert log_of(blog) == []

    assert services.publish_due_entries(now=at - timedelta(seconds=1)) == 0
    assert services.publish_due_entries(now=at + timedelta(seconds=1)) == 1
    assert services.publish_due_entries(now=at + timedelta(seconds=2)) == 0

    entry.refresh_from_db()
    assert entry.status == EntryStatus.PUBLISHED
    assert entry.display_at == at
    assert log_of(blog) == [(1, "add")]


def test_a_scheduled_pinned_entry_appears_then_takes_the_pin(blog, editor):
    notice = post(blog, editor, text="Stay indoors.", is_pinned=True)
    at = timezone.now() + timedelta(minutes=10)
    scheduled = post(blog, editor, text="The warning is lifted.", publish_at=at, is_pinned=True)

    services.publish_due_entries(now=at)

    assert list(LiveEntry.objects.filter(blog=blog, is_pinned=True)) == [scheduled]
    events = LiveEvent.objects.filter(blog=blog, seq__gt=2).order_by("seq")
    assert [(event.op, event.data["entry"]) for event in events] == [
        ("add", scheduled.pk),
        ("unpin", notice.pk),
        ("pin", scheduled.pk),
    ]


def test_a_reporters_draft_waits_for_an_editor(blog, reporter, editor):
    draft = post(blog, reporter, text="Power cut in the north.", draft=True)
    assert draft.status == EntryStatus.DRAFT
    assert log_of(blog) == []

    posted = services.entry_publish_draft(entry_id=draft.pk, editor=editor)

    assert posted.status == EntryStatus.PUBLISHED
    assert posted.display_at > draft.display_at, "it appears at the time the editor posts it"
    assert log_of(blog) == [(1, "add")]
    with pytest.raises(services.StaleEntry, match="no longer a draft"):
        services.entry_publish_draft(entry_id=draft.pk, editor=editor)


def test_ending_a_blog_records_one_end_event_and_closes_it_to_new_entries(blog, editor, reporter):
    post(blog, editor)
    draft = post(blog, reporter, draft=True)
    at = timezone.now() + timedelta(minutes=5)
    scheduled = post(blog, editor, publish_at=at)

    services.blog_end(blog=blog)
    services.blog_end(blog=blog)

    blog.refresh_from_db()
    assert blog.status == LiveBlogStatus.ENDED
    assert blog.coverage_end is not None
    assert blog.get_latest_revision().as_object().status == LiveBlogStatus.ENDED
    assert log_of(blog) == [(1, "add"), (2, "end")]
    with pytest.raises(services.LiveDeskError, match="has ended"):
        post(blog, editor)
    with pytest.raises(services.LiveDeskError, match="has ended"):
        services.entry_publish_draft(entry_id=draft.pk, editor=editor)
    assert services.publish_due_entries(now=at) == 0
    scheduled.refresh_from_db()
    assert scheduled.status == EntryStatus.SCHEDULED
    assert log_of(blog) == [(1, "add"), (2, "end")]


def test_the_reader_page_shows_the_pinned_entry_key_events_and_the_last_event_number(
    blog, editor, client
):
    post(blog, editor, headline="Warnings raised to red", text="Red warning.", is_key_event=True)
    post(blog, editor, text="Stay away from the seafront.", is_pinned=True)

    response = client.get(blog.url)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-last-seq="3"' in html
    assert 'class="key-events"' in html
    assert "Warnings raised to red" in html
    pinned = html.split('class="live-pinned"', 1)[1].split("</section>", 1)[0]
    assert "Stay away from the seafront." in pinned
