"""What moderators do: approve, reject and remove comments, ban readers, set a discussion's mode.

Every action checks the moderator's permission, changes a comment's status
with a conditional UPDATE (so two moderators acting on the same comment at
once cannot both count it), keeps the discussion's count of published
comments exact, and writes a ModerationLogEntry in the same transaction.
A refusal raises `Refused` with a message for the moderator and changes
nothing.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from newsdesk.lib.text import clean_plain_text

from .models import Comment, CommentReport, Discussion, Mode, ModerationLogEntry, ReaderBan
from .services import CONFLICT, FORBIDDEN, Refused, discussion_for, is_discussed

PERMISSION = "discussion.moderate_comment"
NOT_FOUND = 404
REASON_MAX = 300
SECTION_PAGE_TYPE = "news.sectionpage"

Status = Comment.Status


class Action:
    """The actions as written in the moderation log."""

    APPROVE = "approve"
    REJECT = "reject"
    REMOVE = "remove"
    RESOLVE_REPORTS = "resolve_reports"
    BAN = "ban"
    UNBAN = "unban"
    SET_MODE = "set_mode"


MODE_LABELS = {
    "": gettext_lazy("Follow the section"),
    Mode.OPEN: gettext_lazy("Open"),
    Mode.PREMODERATED: gettext_lazy("Pre-moderated"),
    Mode.CLOSED: gettext_lazy("Closed"),
}


def check_may_moderate(user) -> None:
    if not (user.is_authenticated and user.has_perm(PERMISSION)):
        raise Refused(_("Only moderators may moderate comments."), FORBIDDEN)


def clean_reason(reason: str, *, required: bool, what: str = "") -> str:
    reason = clean_plain_text(reason or "").replace("\n", " ")
    if required and not reason:
        raise Refused(what or _("Give a reason."))
    if len(reason) > REASON_MAX:
        raise Refused(
            _("Keep the reason under %(max)s characters; this one has %(count)s.")
            % {"max": REASON_MAX, "count": len(reason)}
        )
    return reason


def _log(moderator, action: str, *, comment=None, reader=None, discussion=None, reason=""):
    return ModerationLogEntry.objects.create(
        moderator=moderator,
        action=action,
        comment=comment,
        reader=reader if reader is not None else getattr(comment, "author", None),
        discussion=discussion if discussion is not None else getattr(comment, "discussion", None),
        reason=reason,
    )


def _get_comment(comment_id) -> Comment:
    comment = (
        Comment.objects.filter(pk=comment_id).select_related("author", "discussion").first()
        if str(comment_id).isdigit()
        else None
    )
    if comment is None:
        raise Refused(_("There is no comment number %(id)s.") % {"id": comment_id}, NOT_FOUND)
    return comment


def _count_change(discussion_id: int, delta: int) -> None:
    if delta:
        Discussion.objects.filter(pk=discussion_id).update(comment_count=F("comment_count") + delta)


def _move(comment: Comment, from_statuses, to_status: str, **fields) -> str | None:
    """Move the comment to `to_status` if it is still in one of `from_statuses`.

    One conditional UPDATE per possible status: the database serialises two
    moderators' updates of one row, so only one of them finds the status it
    expected and adjusts the count. Returns the status it moved from.
    """
    for from_status in from_statuses:
        moved = Comment.objects.filter(pk=comment.pk, status=from_status).update(
            status=to_status, **fields
        )
        if moved:
            delta = (to_status == Status.PUBLISHED) - (from_status == Status.PUBLISHED)
            _count_change(comment.discussion_id, delta)
            comment.status = to_status
            for name, value in fields.items():
                setattr(comment, name, value)
            return from_status
    return None


def _resolve_open_reports(comment: Comment, now) -> int:
    return CommentReport.objects.filter(comment=comment, resolved_at=None).update(resolved_at=now)


def _change_status(
    moderator, comment_id, action: str, from_statuses, to_status: str, refusal: str, **fields
) -> Comment:
    comment = _get_comment(comment_id)
    with transaction.atomic():
        if _move(comment, from_statuses, to_status, **fields) is None:
            raise Refused(refusal, CONFLICT)
        if to_status != Status.PUBLISHED:
            _resolve_open_reports(comment, timezone.now())
        _log(moderator, action, comment=comment, reason=fields.get("removal_reason", ""))
    return comment


def comment_approve(moderator, comment_id) -> Comment:
    """Publish a waiting (or earlier rejected) comment."""
    check_may_moderate(moderator)
    return _change_status(
        moderator,
        comment_id,
        Action.APPROVE,
        [Status.PENDING, Status.REJECTED],
        Status.PUBLISHED,
        _("This comment is already published or removed."),
    )


def comment_reject(moderator, comment_id) -> Comment:
    """Turn down a waiting comment: readers never see it."""
    check_may_moderate(moderator)
    return _change_status(
        moderator,
        comment_id,
        Action.REJECT,
        [Status.PENDING],
        Status.REJECTED,
        _("Only a comment waiting for a moderator can be rejected; remove it instead."),
    )


def comment_remove(moderator, comment_id, *, reason: str) -> Comment:
    """Take a comment down; readers see the reason in its place. Its reports are resolved."""
    check_may_moderate(moderator)
    reason = clean_reason(
        reason,
        required=True,
        what=_("Give the reason readers will see in place of the comment."),
    )
    return _change_status(
        moderator,
        comment_id,
        Action.REMOVE,
        [Status.PUBLISHED, Status.PENDING, Status.REJECTED],
        Status.REMOVED,
        _("This comment is already removed."),
        removal_reason=reason,
    )


def reports_resolve(moderator, comment_id) -> Comment:
    """Keep a reported comment as it is and close its reports."""
    check_may_moderate(moderator)
    comment = _get_comment(comment_id)
    with transaction.atomic():
        if not _resolve_open_reports(comment, timezone.now()):
            raise Refused(_("This comment has no open reports."), CONFLICT)
        _log(moderator, Action.RESOLVE_REPORTS, comment=comment)
    return comment


def _get_reader(reader_id):
    from django.contrib.auth import get_user_model

    reader = (
        get_user_model().objects.filter(pk=reader_id).first() if str(reader_id).isdigit() else None
    )
    if reader is None:
        raise Refused(_("There is no reader number %(id)s.") % {"id": reader_id}, NOT_FOUND)
    return reader


def reader_ban(moderator, reader_id, *, reason: str, until: datetime | None = None) -> ReaderBan:
    """Stop a reader commenting anywhere on the site, for good or until a date."""
    check_may_moderate(moderator)
    reason = clean_reason(
        reason, required=True, what=_("Give a reason for the ban; the reader is shown it.")
    )
    if until is not None:
        if timezone.is_naive(until):
            raise Refused(_("Give the end of the ban with its time zone."))
        if until <= timezone.now():
            raise Refused(_("The end of the ban must be in the future."))
    reader = _get_reader(reader_id)
    if reader.pk == moderator.pk:
        raise Refused(_("You cannot ban yourself."), FORBIDDEN)
    if reader.has_perm("wagtailadmin.access_admin"):
        raise Refused(_("Newsroom staff cannot be banned here."), FORBIDDEN)
    with transaction.atomic():
        ban, _created = ReaderBan.objects.update_or_create(
            reader=reader,
            defaults={
                "until": until,
                "reason": reason,
                "banned_by": moderator,
                "created_at": timezone.now(),
            },
        )
        when = (
            _("until %(date)s")
            % {"date": date_format(timezone.localtime(until), "SHORT_DATETIME_FORMAT")}
            if until
            else _("for good")
        )
        _log(moderator, Action.BAN, reader=reader, reason=f"{reason} ({when})")
    return ban


def reader_unban(moderator, reader_id, *, reason: str = "") -> None:
    """Let a banned reader comment again."""
    check_may_moderate(moderator)
    reason = clean_reason(reason, required=False)
    reader = _get_reader(reader_id)
    with transaction.atomic():
        deleted, _rows = ReaderBan.objects.filter(reader=reader).delete()
        if not deleted:
            raise Refused(_("This reader is not banned."), CONFLICT)
        _log(moderator, Action.UNBAN, reader=reader, reason=reason)


def may_have_own_mode(page) -> bool:
    """Articles and live blogs have a discussion; sections set the mode their pages follow."""
    return is_discussed(page) or page.specific_class._meta.label_lower == SECTION_PAGE_TYPE


def discussion_set_mode(moderator, page, mode: str, *, reason: str = "") -> Discussion:
    """Open, pre-moderate or close a page's discussion, or let it follow its section ('')."""
    check_may_moderate(moderator)
    if mode not in MODE_LABELS:
        raise Refused(_("Choose open, pre-moderated, closed or follow the section."))
    if not may_have_own_mode(page):
        raise Refused(_("Only articles, live blogs and sections have a discussion setting."))
    reason = clean_reason(reason, required=False)
    with transaction.atomic():
        discussion = discussion_for(page)
        if discussion.mode == mode:
            return discussion
        Discussion.objects.filter(pk=discussion.pk).update(mode=mode)
        discussion.mode = mode
        label = MODE_LABELS[mode]
        _log(
            moderator,
            Action.SET_MODE,
            discussion=discussion,
            reason=f"{label}: {reason}" if reason else str(label),
        )
    return discussion


@dataclass
class BulkResult:
    done: int = 0
    refused: list[str] = field(default_factory=list)


BULK_ACTIONS = {
    Action.APPROVE: comment_approve,
    Action.REJECT: comment_reject,
    Action.REMOVE: comment_remove,
    Action.RESOLVE_REPORTS: reports_resolve,
}
BAN_AUTHORS = "ban_authors"


def comments_bulk(
    moderator,
    action: str,
    comment_ids,
    *,
    reason: str = "",
    until: datetime | None = None,
) -> BulkResult:
    """One action on many comments; each is done or refused on its own (with why)."""
    check_may_moderate(moderator)
    ids = [int(value) for value in comment_ids if str(value).isdigit()]
    if not ids:
        raise Refused(_("Tick at least one comment first."))
    if action not in BULK_ACTIONS and action != BAN_AUTHORS:
        raise Refused(_("Choose what to do with the ticked comments."))
    # Refuse a missing reason once, before anything changes.
    if action == Action.REMOVE:
        clean_reason(
            reason,
            required=True,
            what=_("Give the reason readers will see in place of the comments."),
        )
    result = BulkResult()
    if action == BAN_AUTHORS:
        clean_reason(
            reason, required=True, what=_("Give a reason for the ban; the reader is shown it.")
        )
        reader_ids = sorted(
            set(
                Comment.objects.filter(pk__in=ids)
                .exclude(author=None)
                .values_list("author_id", flat=True)
            )
        )
        for reader_id in reader_ids:
            try:
                reader_ban(moderator, reader_id, reason=reason, until=until)
            except Refused as refused:
                result.refused.append(str(refused))
            else:
                result.done += 1
        return result
    act = BULK_ACTIONS[action]
    extra = {"reason": reason} if action == Action.REMOVE else {}
    for comment_id in ids:
        try:
            act(moderator, comment_id, **extra)
        except Refused as refused:
            result.refused.append(f"#{comment_id}: {refused}")
        else:
            result.done += 1
    return result


def with_open_reports(comments):
    """The comments that readers reported and no moderator has dealt with yet."""
    open_reports = CommentReport.objects.filter(comment=OuterRef("pk"), resolved_at=None)
    return comments.filter(Exists(open_reports))


def queue_counts() -> dict:
    """What waits for moderators: comments held back, and reported comments still up."""
    return {
        "pending": Comment.objects.filter(status=Status.PENDING).count(),
        "reported": with_open_reports(Comment.objects.all()).count(),
    }
