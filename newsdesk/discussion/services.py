"""The rules of the discussion: who may post, edit, delete and report, and what happens.

Views and the admin call these; each raises `Refused` with a message meant
for the reader when a rule says no, and changes nothing in that case.
"""

import hashlib
import hmac
import re
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.models import Page

from newsdesk.lib.text import clean_plain_text

from .models import Comment, CommentReport, Discussion, DiscussionSettings, Mode, ReaderBan

MAX_COMMENT_CHARS = 5000
EDIT_WINDOW = timedelta(minutes=15)
DISCUSSED_PAGE_TYPES = ("news.articlepage", "live.liveblogpage")


class Refused(Exception):
    """A rule said no; the message is for the reader, the status for HTTP."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


FORBIDDEN, CONFLICT, TOO_MANY = 403, 409, 429


def is_discussed(page) -> bool:
    return page.specific_class._meta.label_lower in DISCUSSED_PAGE_TYPES


def discussion_for(page) -> Discussion:
    discussion, _created = Discussion.objects.get_or_create(page_id=page.pk)
    discussion.page = page  # already loaded: spares a query for its path
    return discussion


def effective_mode(discussion: Discussion) -> str:
    """The page's own mode, else its section's, else open."""
    if discussion.mode:
        return discussion.mode
    parent_path = discussion.page.path[: -Page.steplen]
    section_mode = (
        Discussion.objects.filter(page__path=parent_path).values_list("mode", flat=True).first()
    )
    return section_mode or Mode.OPEN


def client_hash(address: str) -> str:
    """The poster's address, keyed so the stored value cannot be turned back into it."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, (address or "").encode(), hashlib.sha256).hexdigest()


def active_ban(user):
    ban = ReaderBan.objects.filter(reader=user).first()
    return ban if ban is not None and ban.is_active else None


def can_moderate(user) -> bool:
    return user.is_authenticated and user.has_perm("discussion.moderate_comment")


def _is_staff(user) -> bool:
    return user.has_perm("wagtailadmin.access_admin")


def check_may_post(user, discussion: Discussion) -> None:
    if not user.is_authenticated:
        raise Refused(
            _("Your session has ended. Log in again to post; your text is kept here."), FORBIDDEN
        )
    if not _is_staff(user) and not EmailAddress.objects.filter(user=user, verified=True).exists():
        raise Refused(
            _("Confirm your email address first: follow the link we sent you."), FORBIDDEN
        )
    ban = active_ban(user)
    if ban is not None:
        if ban.until:
            raise Refused(
                _("You cannot comment until %(date)s: %(reason)s")
                % {
                    "date": date_format(timezone.localtime(ban.until), "SHORT_DATETIME_FORMAT"),
                    "reason": ban.reason,
                }
            )
        raise Refused(
            _("You cannot comment on this site: %(reason)s") % {"reason": ban.reason}, FORBIDDEN
        )
    if effective_mode(discussion) == Mode.CLOSED:
        raise Refused(_("This discussion is closed: no new comments."), FORBIDDEN)


def clean_comment_text(text: str) -> str:
    text = clean_plain_text(text or "")
    if not text:
        raise Refused(_("Write something first."))
    if len(text) > MAX_COMMENT_CHARS:
        raise Refused(
            _("Comments are limited to %(max)s characters; this one has %(count)s.")
            % {"max": f"{MAX_COMMENT_CHARS:,}", "count": f"{len(text):,}"}
        )
    return text


def _check_rate(user, client: str, now) -> None:
    minute_ago = now - timedelta(minutes=1)
    recent = Comment.objects.filter(created_at__gt=minute_ago)
    if recent.filter(author=user).count() >= settings.NEWSDESK_COMMENTS_PER_MINUTE:
        raise Refused(_("You are posting very fast. Wait a minute, then post again."), TOO_MANY)
    if recent.filter(client_hash=client).count() >= settings.NEWSDESK_COMMENTS_PER_MINUTE_PER_IP:
        raise Refused(
            _("Many comments came from your network just now. Wait a minute, then post again."),
            TOO_MANY,
        )


def _held_for_moderation(user, text: str, discussion: Discussion, site_settings) -> bool:
    if effective_mode(discussion) == Mode.PREMODERATED:
        return True
    if site_settings is not None:
        if (
            site_settings.premoderate_first_comment
            and not Comment.objects.filter(author=user, status=Comment.Status.PUBLISHED).exists()
        ):
            return True
        if _matches_blocklist(text, site_settings.blocklist):
            return True
    return False


def _matches_blocklist(text: str, blocklist: str) -> bool:
    words = [word.strip() for word in blocklist.splitlines() if word.strip()]
    if not words:
        return False
    pattern = r"\b(?:" + "|".join(re.escape(word) for word in words) + r")\b"
    return re.search(pattern, text, flags=re.IGNORECASE) is not None


def post_comment(
    user, discussion: Discussion, text: str, *, parent_id=None, client="", site=None
) -> Comment:
    """Post a comment or a reply; published at once or held for a moderator."""
    check_may_post(user, discussion)
    text = clean_comment_text(text)
    now = timezone.now()
    hashed_client = client_hash(client)
    parent = None
    if parent_id:
        parent = Comment.objects.filter(
            pk=parent_id, discussion=discussion, status=Comment.Status.PUBLISHED
        ).first()
        if parent is None:
            raise Refused(_("The comment you replied to is no longer there."), CONFLICT)
        parent = parent.parent or parent  # one level of replies: answer the thread
    site_settings = DiscussionSettings.for_site(site) if site is not None else None
    with transaction.atomic():
        # One reader's posts go in one at a time, so that a double click or a
        # burst cannot slip past the duplicate and per-reader checks below
        # (PostgreSQL; SQLite's IMMEDIATE transactions already queue writers).
        list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))
        _check_rate(user, hashed_client, now)
        if (
            Comment.objects.filter(author=user, discussion=discussion, body=text)
            .exclude(status=Comment.Status.REMOVED)
            .exists()
        ):
            raise Refused(_("You have already posted exactly this comment here."), CONFLICT)
        held = _held_for_moderation(user, text, discussion, site_settings)
        comment = Comment.objects.create(
            discussion=discussion,
            parent=parent,
            author=user,
            body=text,
            status=Comment.Status.PENDING if held else Comment.Status.PUBLISHED,
            created_at=now,
            client_hash=hashed_client,
        )
        if not held:
            Discussion.objects.filter(pk=discussion.pk).update(comment_count=F("comment_count") + 1)
    return comment


def _own_comment(user, comment_id) -> Comment:
    # Someone else's comment answers exactly like a missing one: ids are not a way in.
    if not user.is_authenticated:
        raise Refused(_("Log in to change your comments."), FORBIDDEN)
    comment = (
        Comment.objects.filter(pk=comment_id, author=user)
        .exclude(status__in=[Comment.Status.REMOVED, Comment.Status.REJECTED])
        .select_related("discussion")
        .first()
    )
    if comment is None:
        raise Refused(_("That comment is not yours to change, or it is gone."), FORBIDDEN)
    return comment


def edit_comment(user, comment_id, text: str) -> Comment:
    comment = _own_comment(user, comment_id)
    if timezone.now() - comment.created_at > EDIT_WINDOW:
        raise Refused(
            _("Comments can be edited for 15 minutes after posting; this one no longer can."),
            FORBIDDEN,
        )
    if effective_mode(comment.discussion) == Mode.CLOSED:
        raise Refused(_("This discussion is closed: comments can no longer be edited."), FORBIDDEN)
    comment.body = clean_comment_text(text)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    return comment


def delete_own_comment(user, comment_id) -> None:
    comment = _own_comment(user, comment_id)
    with transaction.atomic():
        if comment.status == Comment.Status.PUBLISHED:
            Discussion.objects.filter(pk=comment.discussion_id).update(
                comment_count=F("comment_count") - 1
            )
        comment.status = Comment.Status.REMOVED
        comment.body = ""
        comment.removal_reason = ""
        comment.save(update_fields=["status", "body", "removal_reason"])


def report_comment(user, comment_id, reason: str, note: str = "") -> CommentReport:
    if not user.is_authenticated:
        raise Refused(_("Log in to report a comment."), FORBIDDEN)
    comment = Comment.objects.filter(pk=comment_id, status=Comment.Status.PUBLISHED).first()
    if comment is None:
        raise Refused(_("That comment is no longer there."), CONFLICT)
    if comment.author_id == user.pk:
        raise Refused(_("You cannot report your own comment."), FORBIDDEN)
    if reason not in CommentReport.Reason.values:
        raise Refused(_("Choose a reason for the report."))
    note = clean_plain_text(note or "")[:500]
    try:
        with transaction.atomic():
            return CommentReport.objects.create(
                comment=comment, reporter=user, reason=reason, note=note
            )
    except IntegrityError:
        raise Refused(
            _("You have already reported this comment; a moderator will look at it."), CONFLICT
        ) from None


def remove_reader_data(user, *, keep_comments: bool) -> None:
    """Delete an account: its comments stay as by "deleted account" or lose their text."""
    with transaction.atomic():
        comments = Comment.objects.filter(author=user)
        if not keep_comments:
            for (discussion_id,) in comments.filter(status=Comment.Status.PUBLISHED).values_list(
                "discussion_id"
            ):
                Discussion.objects.filter(pk=discussion_id).update(
                    comment_count=F("comment_count") - 1
                )
            comments.update(status=Comment.Status.REMOVED, body="", removal_reason="")
        comments.update(author=None, client_hash="")
        user.delete()
