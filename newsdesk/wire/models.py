"""Agency copy waiting in the wire queue, and the sources it comes from."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class WireSource(models.Model):
    """Where agency copy comes from: a feed URL or a folder, polled on its own interval."""

    class Kind(models.TextChoices):
        NINJS = "ninjs", _("IPTC ninjs (JSON)")
        RSS_ATOM = "rss-atom", _("RSS 2.0 or Atom")
        NEWSML_G2 = "newsml-g2", _("NewsML-G2 text items")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("format"), max_length=20, choices=Kind.choices)
    location = models.CharField(
        _("location"),
        max_length=500,
        help_text=_("An http(s) URL, or the path of a folder of .json or .xml files."),
    )
    poll_interval = models.PositiveIntegerField(
        _("poll interval (minutes)"), default=5, help_text=_("How often the worker fetches it.")
    )
    default_section = models.ForeignKey(
        "news.SectionPage",
        verbose_name=_("default section"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Drafts made from this source's items go here."),
    )
    default_credit = models.CharField(
        _("agency"),
        max_length=100,
        blank=True,
        help_text=_("The agency credited in the byline and on photos without their own credit."),
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    allow_private_addresses = models.BooleanField(
        _("allow private addresses"),
        default=False,
        help_text=_(
            "Let this source reach loopback and private network addresses. "
            "Only for testing: off, a URL can never reach the newsroom's own network."
        ),
    )
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True)
    last_status = models.CharField(_("last status"), max_length=255, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("wire source")
        verbose_name_plural = _("wire sources")

    def __str__(self):
        return self.name

    @property
    def is_url(self) -> bool:
        return self.location.lower().startswith(("http://", "https://"))

    def clean(self):
        if "://" in self.location and not self.is_url:
            raise ValidationError({"location": _("Only http and https URLs can be fetched.")})


class WireItemQuerySet(models.QuerySet):
    def newest_first(self):
        return self.order_by("-received_at", "-id")

    def updated_after_use(self):
        return self.filter(status=WireItem.Status.UPDATED_AFTER_USE)


class WireItem(models.Model):
    """One agency story, as last received; a newer version replaces its text."""

    class Status(models.TextChoices):
        NEW = "new", pgettext_lazy("wire item status", "New")
        USED = "used", _("Used")
        UPDATED_AFTER_USE = "updated", _("Updated after use")

    source = models.ForeignKey(WireSource, on_delete=models.CASCADE, related_name="items")
    identifier = models.CharField(_("identifier"), max_length=500)
    version = models.BigIntegerField(_("version"), default=0)
    content_hash = models.CharField(max_length=64, blank=True)
    headline = models.CharField(_("headline"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    body_html = models.TextField(_("body"), blank=True)
    dateline_place = models.CharField(_("dateline place"), max_length=100, blank=True)
    byline = models.CharField(_("byline"), max_length=255, blank=True)
    agency = models.CharField(_("agency"), max_length=100, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    images = models.JSONField(
        _("images"), default=list, blank=True, help_text=_("[{url, caption, credit}]")
    )
    raw_size = models.PositiveIntegerField(_("size in bytes"), default=0)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    article = models.ForeignKey(
        "news.ArticlePage",
        verbose_name=_("article"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="wire_items",
    )

    objects = WireItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("wire item")
        verbose_name_plural = _("wire items")
        constraints = [
            models.UniqueConstraint(fields=["source", "identifier"], name="wire_item_once")
        ]
        indexes = [models.Index(fields=["-received_at"], name="wire_item_newest")]
        permissions = [("use_wireitem", "Can make draft articles from wire items")]

    def __str__(self):
        return self.headline


class WireProblem(models.Model):
    """Something that went wrong fetching or reading a source, kept for its admin page."""

    source = models.ForeignKey(WireSource, on_delete=models.CASCADE, related_name="problems")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    identifier = models.CharField(_("item"), max_length=500, blank=True)
    message = models.TextField(_("problem"))

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("wire problem")
        verbose_name_plural = _("wire problems")

    def __str__(self):
        return self.message
