"""Writes to live blogs. Each change readers can see is recorded as a LiveEvent
and handed to the broker after the transaction commits, never before: a reader
must never see an entry that a rollback then takes away."""

import json
from functools import partial

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape, linebreaks, urlize
from django.utils.translation import gettext as _

from . import broker
from .models import (
    EntryStatus,
    LiveBlogPage,
    LiveBlogStatus,
    LiveEntry,
    LiveEvent,
    LiveEventOp,
    LiveSequence,
)

MAX_HEADLINE_CHARS = 200
MAX_TEXT_CHARS = 10_000
# The blocks of an entry, as stored (JSON, with the markup of its paragraphs).
MAX_BODY_BYTES = 4 * MAX_TEXT_CHARS


class LiveDeskError(Exception):
    """A refused change, with a message for the editor."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class StaleEntry(LiveDeskError):
    pass


def body_from_text(text: str) -> list[dict]:
    """Plain text from the compose box as paragraph blocks: blank lines part paragraphs."""
    paragraphs = [part.strip() for part in text.replace("\r\n", "\n").split("\n\n")]
    return [
        {"type": "paragraph", "value": linebreaks(urlize(escape(part), nofollow=True))}
        for part in paragraphs
        if part
    ]


def _check_sizes(*, headline: str, text: str) -> None:
    if len(headline) > MAX_HEADLINE_CHARS:
        raise LiveDeskError(
            _("The headline is %(count)d characters long; the limit is %(limit)d.")
            % {"count": len(headline), "limit": MAX_HEADLINE_CHARS}
        )
    if len(text) > MAX_TEXT_CHARS:
        raise LiveDeskError(
            _("The entry is %(count)d characters long; the limit is %(limit)d. Split it in two.")
            % {"count": len(text), "limit": MAX_TEXT_CHARS}
        )
    if not text.strip():
        raise LiveDeskError(_("The entry has no text."))


def render_entry(entry: LiveEntry) -> str:
    # Streamed to every reader of the blog: in the blog's edition language,
    # not in the language of the editor who posted it.
    with translation.override(entry.blog.locale.language_code):
        return render_to_string("live/entry.html", {"entry": entry})


def _entry_data(entry: LiveEntry) -> dict:
    return {
        "entry": entry.pk,
        "html": render_entry(entry),
        "pinned": entry.is_pinned,
        "key": entry.is_key_event,
        "headline": entry.headline,
        "at": entry.display_at.isoformat(),
        "version": entry.version,
    }


def lock_blog(blog_id: int) -> LiveSequence:
    """Lock the blog's event counter for the rest of the transaction (one writer at a time)."""
    sequence, _created = LiveSequence.objects.select_for_update().get_or_create(blog_id=blog_id)
    return sequence


def _record(blog_id: int, op: str, entry: LiveEntry | None = None) -> LiveEvent:
    """Append an event to the blog's log; the broker hears of it after commit."""
    sequence = lock_blog(blog_id)
    sequence.last_seq += 1
    sequence.save(update_fields=["last_seq"])
    if entry is None:
        data = {}
    elif op in (LiveEventOp.ADD, LiveEventOp.EDIT, LiveEventOp.PIN):
        # A pin carries the entry too: a reader who does not have it on screen
        # (an older page, oldest-first order) can still show it pinned.
        data = _entry_data(entry)
    else:
        data = {"entry": entry.pk}
    event = LiveEvent.objects.create(
        blog_id=blog_id, seq=sequence.last_seq, op=op, entry=entry, data=data
    )
    transaction.on_commit(partial(broker.publish, blog_id, event.seq, op, data))
    return event


@transaction.atomic
def entry_post(
    *,
    blog: LiveBlogPage,
    author,
    text: str,
    headline: str = "",
    is_key_event: bool = False,
    is_pinned: bool = False,
    publish_at=None,
    draft: bool = False,
    body: list[dict] | None = None,
    posted_at=None,
) -> LiveEntry:
    """Post an entry now, schedule it for publish_at, or keep it as a draft for an editor.

    `body` gives the blocks directly (imports, the demo) instead of building
    paragraphs from `text`; `posted_at` backdates an imported entry.
    """
    _check_sizes(headline=headline, text=text)
    _check_open(blog.pk)
    now = timezone.now()
    if draft:
        status = EntryStatus.DRAFT
    elif publish_at and publish_at > now:
        status = EntryStatus.SCHEDULED
    else:
        status = EntryStatus.PUBLISHED
    entry = LiveEntry.objects.create(
        blog=blog,
        author=author,
        headline=headline.strip(),
        body=body if body is not None else body_from_text(text),
        display_at=publish_at if status == EntryStatus.SCHEDULED else (posted_at or now),
        status=status,
        is_key_event=is_key_event,
    )
    if status == EntryStatus.PUBLISHED:
        _record(blog.pk, LiveEventOp.ADD, entry)
        if is_pinned:
            _pin(entry)
    elif is_pinned:
        LiveEntry.objects.filter(pk=entry.pk).update(is_pinned=True)
        entry.is_pinned = True
    return entry


def _check_open(blog_id: int) -> None:
    # Under the blog's lock, so that nothing is posted after the "end" event.
    lock_blog(blog_id)
    status = LiveBlogPage.objects.filter(pk=blog_id).values_list("status", flat=True).first()
    if status == LiveBlogStatus.ENDED:
        raise LiveDeskError(_("This live blog has ended; reopen it to post."))


def is_text_only(entry: LiveEntry) -> bool:
    """Whether the entry is paragraphs only, so that editing its text loses nothing."""
    return all(block.block_type == "paragraph" for block in entry.body)


def _locked(entry_id: int) -> LiveEntry:
    return LiveEntry.objects.select_for_update().select_related("blog").get(pk=entry_id)


@transaction.atomic
def entry_edit(
    *,
    entry_id: int,
    expected_version: int,
    text: str = "",
    headline: str = "",
    body=None,
    is_key_event: bool | None = None,
) -> LiveEntry:
    """Change an entry in place; refused if someone else changed it since the editor loaded it.

    `text` replaces a paragraphs-only entry's text (the desk's quick edit);
    `body` replaces the blocks of any entry (the desk's full edit form).
    """
    if body is None:
        _check_sizes(headline=headline, text=text)
    else:
        _check_body(headline=headline, body=body)
    entry = _locked(entry_id)
    if entry.status == EntryStatus.DELETED:
        raise StaleEntry(_("This entry was deleted by someone else."))
    if body is None and not is_text_only(entry):
        raise LiveDeskError(
            _("This entry has quotes, images or story links: edit it with all its blocks.")
        )
    if entry.version != expected_version:
        raise StaleEntry(
            _(
                "Someone else changed this entry while you were editing it. Your text is "
                "kept below: compare it with the current version and save again."
            )
        )
    entry.headline = headline.strip()
    entry.body = body_from_text(text) if body is None else body
    if is_key_event is not None:
        entry.is_key_event = is_key_event
    entry.version += 1
    entry.save()
    if entry.status == EntryStatus.PUBLISHED:
        _record(entry.blog_id, LiveEventOp.EDIT, entry)
    return entry


def _check_body(*, headline: str, body) -> None:
    """The full edit form's blocks: something in them, and not more than an entry holds."""
    _check_sizes(headline=headline, text="-")
    if not len(body):
        raise LiveDeskError(_("The entry has no blocks."))
    size = len(json.dumps(body.get_prep_value() if hasattr(body, "get_prep_value") else body))
    if size > MAX_BODY_BYTES:
        raise LiveDeskError(
            _("The entry is too long (%(count)d characters of content; the limit is %(limit)d).")
            % {"count": size, "limit": MAX_BODY_BYTES}
        )


@transaction.atomic
def entry_set_key_event(*, entry_id: int, is_key_event: bool) -> LiveEntry:
    entry = _locked(entry_id)
    if entry.is_key_event != is_key_event:
        entry.is_key_event = is_key_event
        entry.version += 1
        entry.save(update_fields=["is_key_event", "version", "updated_at"])
        if entry.status == EntryStatus.PUBLISHED:
            _record(entry.blog_id, LiveEventOp.EDIT, entry)
    return entry


@transaction.atomic
def entry_delete(*, entry_id: int) -> LiveEntry:
    entry = _locked(entry_id)
    if entry.status == EntryStatus.DELETED:
        return entry
    was_public = entry.status == EntryStatus.PUBLISHED
    entry.status = EntryStatus.DELETED
    entry.is_pinned = False
    entry.version += 1
    entry.save(update_fields=["status", "is_pinned", "version", "updated_at"])
    if was_public:
        _record(entry.blog_id, LiveEventOp.DELETE, entry)
    return entry


def _pin(entry: LiveEntry) -> None:
    # One pinned entry per blog: pinning another unpins the previous one.
    for previous in (
        LiveEntry.objects.select_for_update()
        .filter(blog_id=entry.blog_id, is_pinned=True)
        .exclude(pk=entry.pk)
    ):
        previous.is_pinned = False
        previous.version += 1
        previous.save(update_fields=["is_pinned", "version", "updated_at"])
        _record(entry.blog_id, LiveEventOp.UNPIN, previous)
    entry.is_pinned = True
    entry.version += 1
    entry.save(update_fields=["is_pinned", "version", "updated_at"])
    _record(entry.blog_id, LiveEventOp.PIN, entry)


@transaction.atomic
def entry_set_pinned(*, entry_id: int, pinned: bool) -> LiveEntry:
    entry = _locked(entry_id)
    if entry.status != EntryStatus.PUBLISHED:
        raise LiveDeskError(_("Only a published entry can be pinned."))
    if pinned and not entry.is_pinned:
        _pin(entry)
    elif not pinned and entry.is_pinned:
        entry.is_pinned = False
        entry.version += 1
        entry.save(update_fields=["is_pinned", "version", "updated_at"])
        _record(entry.blog_id, LiveEventOp.UNPIN, entry)
    return entry


@transaction.atomic
def entry_publish_draft(*, entry_id: int, editor) -> LiveEntry:
    """An editor posts a reporter's draft."""
    entry = _locked(entry_id)
    if entry.status != EntryStatus.DRAFT:
        raise StaleEntry(_("This entry is no longer a draft."))
    _check_open(entry.blog_id)
    entry.status = EntryStatus.PUBLISHED
    entry.display_at = timezone.now()
    entry.version += 1
    entry.save(update_fields=["status", "display_at", "version", "updated_at"])
    _record(entry.blog_id, LiveEventOp.ADD, entry)
    return entry


def publish_due_entries(*, now=None) -> int:
    """Publish scheduled entries whose time has come; safe to run in several processes at once.

    Entries of an ended blog stay scheduled: the coverage is over.
    """
    now = now or timezone.now()
    published = 0
    due = LiveEntry.objects.filter(status=EntryStatus.SCHEDULED, display_at__lte=now).exclude(
        blog__status=LiveBlogStatus.ENDED
    )
    for entry_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            entry = _locked(entry_id)
            if entry.status != EntryStatus.SCHEDULED:
                continue  # another process got there first
            # The entry appears, then is pinned (unpinning any other), as when posted.
            pin = entry.is_pinned
            entry.status = EntryStatus.PUBLISHED
            entry.is_pinned = False
            entry.version += 1
            entry.save(update_fields=["status", "is_pinned", "version", "updated_at"])
            _record(entry.blog_id, LiveEventOp.ADD, entry)
            if pin:
                _pin(entry)
            published += 1
    return published


@transaction.atomic
def blog_end(*, blog: LiveBlogPage) -> None:
    """End the coverage: readers' streams close and the page becomes an archive."""
    lock_blog(blog.pk)
    if LiveBlogPage.objects.filter(pk=blog.pk, status=LiveBlogStatus.ENDED).exists():
        return  # ended already (by a colleague a moment ago): one "end" event is enough
    blog.status = LiveBlogStatus.ENDED
    blog.coverage_end = blog.coverage_end or timezone.now()
    # Through a revision, so that a later publish of the page keeps the status.
    blog.save_revision().publish()
    _record(blog.pk, LiveEventOp.END)
