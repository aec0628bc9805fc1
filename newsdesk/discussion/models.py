"""Reader discussion under articles and live blogs, and its moderation."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


class Mode(models.TextChoices):
    OPEN = "open", _("Open")
    PREMODERATED = "premoderated", _("Pre-moderated: comments wait for a moderator")
    CLOSED = "closed", _("Closed: existing comments stay, no new ones")


class Discussion(models.Model):
    """The discussion of one page: its mode and its count of published comments.

    A section's row, when it has one, gives the mode of its pages that have
    none of their own ("follow the section").
    """

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="discussion"
    )
    mode = models.CharField(_("discussion"), max_length=20, choices=Mode.choices, blank=True)
    comment_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("discussion")

    def __str__(self):
        return str(self.page)


class CommentQuerySet(models.QuerySet):
    def visible(self):
        """Comments readers see: published ones, and placeholders kept for their replies."""
        return self.filter(status__in=[Comment.Status.PUBLISHED, Comment.Status.REMOVED])


class Comment(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        PENDING = "pending", _("Waiting for a moderator")
        REJECTED = "rejected", _("Rejected")
        # Removed by a moderator (the reason shows in its place) or deleted by
        # its author (no reason): the text is gone, replies stay in context.
        REMOVED = "removed", _("Removed")

    discussion = models.ForeignKey(Discussion, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    # Null once the author deleted their account and chose to keep their comments.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    body = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PUBLISHED)
    removal_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    # A keyed hash of the poster's address, for the per-address rate limit.
    client_hash = models.CharField(max_length=64, blank=True, db_index=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        indexes = [
            # A page of threads or replies in either order reads straight off
            # this index however long the discussion (the status filter is
            # checked on the way, most comments being published).
            models.Index(fields=["discussion", "parent", "created_at", "id"]),
            models.Index(fields=["author", "created_at"]),
            models.Index(fields=["status", "created_at"]),
        ]
        permissions = [("moderate_comment", _("Can moderate reader comments"))]

    def __str__(self):
        return self.body[:60]


class CommentReport(models.Model):
    class Reason(models.TextChoices):
        ABUSE = "abuse", _("Abusive or hateful")
        SPAM = "spam", _("Spam or advertising")
        OFF_TOPIC = "off_topic", _("Off topic")
        PERSONAL = "personal", _("Shares someone's personal information")
        OTHER = "other", _("Something else")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_reports"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("comment report")
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="one_report_per_reader")
        ]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.comment}"


class ReaderBan(models.Model):
    reader = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="discussion_ban"
    )
    until = models.DateTimeField(_("until"), null=True, blank=True, help_text=_("Empty: for good."))
    reason = models.CharField(_("reason"), max_length=300)
    banned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reader ban")

    def __str__(self):
        return f"{self.reader} ({self.reason})"

    @property
    def is_active(self):
        return self.until is None or self.until > timezone.now()


class ModerationLogEntry(models.Model):
    """Who did what to which comment, reader or discussion, when and why."""

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=30)
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    discussion = models.ForeignKey(
        Discussion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.action} by {self.moderator}"


@register_setting(icon="comment")
class DiscussionSettings(BaseSiteSetting):
    blocklist = models.TextField(
        _("words that send a comment to moderation"),
        blank=True,
        help_text=_("One word or phrase per line; matched whole, ignoring case."),
    )
    premoderate_first_comment = models.BooleanField(
        _("hold a new reader's first comment for a moderator"), default=False
    )

    class Meta:
        verbose_name = _("discussion settings")
