"""Live blogs: a page, its entries, and the append-only log of what readers were sent.

Every change a reader can see (an entry added, edited, deleted, pinned or
unpinned, the blog ending) is one LiveEvent with a per-blog sequence number.
That number is the server-sent event id, so a reader who reconnects with the
last id it saw gets exactly the events after it, from memory or from here.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, TitleFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from newsdesk.editions.pages import LatinSlugMixin

from .blocks import LiveEntryBodyBlock


class LiveBlogStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled to start")
    LIVE = "live", pgettext_lazy("live blog status", "Live")
    ENDED = "ended", _("Ended")


class LiveBlogPage(LatinSlugMixin, Page):
    summary = models.TextField(_("summary"), max_length=400, blank=True)
    lead_image = models.ForeignKey(
        "images.CreditedImage",
        verbose_name=_("lead image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead_image_caption = models.CharField(_("lead image caption"), max_length=500, blank=True)
    dateline_place = models.CharField(_("dateline place"), max_length=100, blank=True)
    dateline_agency = models.CharField(_("dateline agency"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=LiveBlogStatus.choices, default=LiveBlogStatus.LIVE
    )
    coverage_start = models.DateTimeField(_("coverage starts"), null=True, blank=True)
    coverage_end = models.DateTimeField(_("coverage ends"), null=True, blank=True)

    content_panels = [
        TitleFieldPanel("title", help_text=_("The headline.")),
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("lead_image"), FieldPanel("lead_image_caption")], heading=_("Lead photo")
        ),
        MultiFieldPanel(
            [FieldPanel("dateline_place"), FieldPanel("dateline_agency")], heading=_("Dateline")
        ),
        MultiFieldPanel(
            [FieldPanel("status"), FieldPanel("coverage_start"), FieldPanel("coverage_end")],
            heading=_("Coverage"),
        ),
    ]
    parent_page_types = ["news.SectionPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("live blog")

    ENTRIES_PER_PAGE = 20

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
        from django.http import Http404

        context = super().get_context(request, *args, **kwargs)
        # Read before the entries: an event recorded while the page renders is
        # then replayed to the reader (harmlessly, if the page already shows
        # it) instead of skipped.
        last_seq = (
            LiveSequence.objects.filter(blog=self).values_list("last_seq", flat=True).first() or 0
        )
        oldest_first = request.GET.get("order") == "oldest"
        entries = LiveEntry.objects.filter(blog=self).published().select_related("author")
        pinned = next(iter(entries.filter(is_pinned=True)[:1]), None)
        listing = entries.oldest_first() if oldest_first else entries.newest_first()
        paginator = Paginator(listing, self.ENTRIES_PER_PAGE)
        try:
            page_of_entries = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            page_of_entries = paginator.page(1)
        except EmptyPage as exc:
            raise Http404 from exc
        context.update(
            {
                "entries": page_of_entries,
                "pinned": pinned,
                "key_events": list(
                    entries.filter(is_key_event=True)
                    .newest_first()
                    .values("pk", "headline", "display_at")[:20]
                ),
                "oldest_first": oldest_first,
                "last_seq": last_seq,
            }
        )
        return context

    @property
    def is_live(self):
        return self.status == LiveBlogStatus.LIVE

    @property
    def is_ended(self):
        return self.status == LiveBlogStatus.ENDED


class LiveSequence(models.Model):
    """The last event number of a blog.

    Kept apart from the page row, which Wagtail rewrites from a revision on
    every publish and would roll the counter back. Its row is locked while an
    event is recorded, so one blog's events commit in sequence order.
    """

    blog = models.OneToOneField(
        LiveBlogPage, on_delete=models.CASCADE, primary_key=True, related_name="sequence"
    )
    last_seq = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.blog_id}: {self.last_seq}"


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft, waiting for an editor")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    DELETED = "deleted", _("Deleted")


class LiveEntryQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=EntryStatus.PUBLISHED)

    def newest_first(self):
        return self.order_by("-display_at", "-id")

    def oldest_first(self):
        return self.order_by("display_at", "id")


class LiveEntry(models.Model):
    blog = models.ForeignKey(LiveBlogPage, on_delete=models.CASCADE, related_name="entries")
    headline = models.CharField(_("headline"), max_length=200, blank=True)
    body = StreamField(LiveEntryBodyBlock(), verbose_name=_("body"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="live_entries",
    )
    display_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=EntryStatus.choices, default=EntryStatus.PUBLISHED
    )
    is_pinned = models.BooleanField(_("pinned"), default=False)
    is_key_event = models.BooleanField(_("key event"), default=False)
    # Raised on every change: an edit made on an older version is refused
    # instead of silently overwriting a colleague's.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LiveEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("live entry")
        verbose_name_plural = _("live entries")
        indexes = [models.Index(fields=["blog", "status", "display_at"])]
        permissions = [("post_liveentry", "Can post live entries for readers")]

    def __str__(self):
        return self.headline or f"Entry {self.pk}"

    @property
    def dom_id(self):
        return f"entry-{self.pk}"


class LiveEventOp(models.TextChoices):
    ADD = "add"
    EDIT = "edit"
    DELETE = "delete"
    PIN = "pin"
    UNPIN = "unpin"
    END = "end"


class LiveEvent(models.Model):
    blog = models.ForeignKey(LiveBlogPage, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveBigIntegerField()
    op = models.CharField(max_length=8, choices=LiveEventOp.choices)
    entry = models.ForeignKey(
        LiveEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Exactly what readers receive (entry id, rendered HTML, flags): replaying
    # the log must give the same result as having been connected.
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["blog", "seq"], name="live_event_seq")]
        ordering = ["blog", "seq"]

    def __str__(self):
        return f"{self.blog_id}#{self.seq} {self.op}"
