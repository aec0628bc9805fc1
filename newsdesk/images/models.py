import datetime
import io
import os
import unicodedata
from contextlib import contextmanager

from django.core.files.images import ImageFile
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.images.models import (
    AbstractImage,
    AbstractRendition,
    Filter,
    Image,
    ImageQuerySet,
)

from . import metadata

# Licences an editor picks from (or types another). Creative Commons licences
# carry their deed's address, so the credit links to the terms.
LICENCE_SUGGESTIONS = {
    "Editorial use only": "",
    "Rights managed": "",
    "Staff photo": "",
    "Handout": "",
    "CC BY 4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC BY-SA 4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "CC BY-ND 4.0": "https://creativecommons.org/licenses/by-nd/4.0/",
    "CC0 1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "Public domain": "",
}


class CreditedImageQuerySet(ImageQuerySet):
    def usable(self, today: datetime.date | None = None):
        """Images the site may still show: no usage limit, or one not yet passed."""
        today = today or timezone.localdate()
        return self.filter(models.Q(usable_until__isnull=True) | models.Q(usable_until__gte=today))

    def expired(self, today: datetime.date | None = None):
        return self.filter(usable_until__lt=today or timezone.localdate())

    def expiring_within(self, days: int, today: datetime.date | None = None):
        today = today or timezone.localdate()
        return self.filter(
            usable_until__gte=today, usable_until__lte=today + datetime.timedelta(days=days)
        )


class CreditedImage(AbstractImage):
    """A photo the newsroom may publish, always with its credit line.

    The credit is required: a news site must credit every image it shows, so
    an image without one cannot be saved. Past `usable_until` the licence no
    longer covers it: every public rendering shows a placeholder instead
    (templates check `usable`; feeds and the API use `objects.usable()`).
    """

    credit = models.CharField(
        _("credit line"),
        max_length=255,
        help_text=_('Shown under every use of the image, e.g. "© Agency 2023 / Photographer".'),
    )
    photographer = models.CharField(_("photographer"), max_length=255, blank=True)
    copyright_holder = models.CharField(_("agency or copyright holder"), max_length=255, blank=True)
    source = models.CharField(
        _("source"), max_length=255, blank=True, help_text=_("Where the image came from.")
    )
    licence = models.CharField(
        _("licence"),
        max_length=255,
        blank=True,
        help_text=_('The terms we may use it under, e.g. "Editorial use only" or "CC BY 4.0".'),
    )
    licence_url = models.URLField(
        _("licence URL"),
        blank=True,
        help_text=_("The licence's terms; filled in for the Creative Commons licences offered."),
    )
    usable_until = models.DateField(
        _("usable until"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_(
            "The last day the licence lets us show it. After it, the site shows a "
            "placeholder and editors are told. Empty: no limit."
        ),
    )
    # When the editors were told it expired; cleared when the date moves on.
    expiry_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    admin_form_fields = (
        *Image.admin_form_fields,
        "credit",
        "photographer",
        "copyright_holder",
        "source",
        "licence",
        "licence_url",
        "usable_until",
    )

    objects = CreditedImageQuerySet.as_manager()

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")
        permissions = [("choose_creditedimage", "Can choose image")]

    @property
    def alt_text(self) -> str:
        return self.default_alt_text

    @property
    def usable(self) -> bool:
        """Whether the site may show it today."""
        return self.usable_until is None or self.usable_until >= timezone.localdate()

    def save(self, *args, **kwargs):
        known = LICENCE_SUGGESTIONS.get(self.licence)
        if known is not None and (
            not self.licence_url or self.licence_url in LICENCE_SUGGESTIONS.values()
        ):
            self.licence_url = known  # one of ours: its terms (and none for a licence without)
        if self.usable:
            self.expiry_notified_at = None  # a new date: tell the editors again when it passes
        super().save(*args, **kwargs)

    def get_upload_to(self, filename):
        return super().get_upload_to(safe_filename(filename))

    def _set_image_file_metadata(self):
        # Called by Wagtail whenever a new file is attached, before the hash
        # is taken: the stored original loses its location (media is public).
        self.file.open()
        self.file.seek(0)
        data = self.file.read()
        cleaned = metadata.without_location(data)
        if cleaned != data:
            if self.file._committed:  # stored already (Wagtail's multiple uploader)
                self.file.storage.delete(self.file.name)
            self.file = ImageFile(io.BytesIO(cleaned), name=os.path.basename(self.file.name))
        super()._set_image_file_metadata()

    def generate_rendition_file(self, filter, *, source=None):
        return super().generate_rendition_file(MetadataFreeFilter(spec=filter.spec), source=source)


class MetadataFreeFilter(Filter):
    """Renditions carry pixels only: no EXIF (GPS, camera serial), XMP or IPTC.

    Willow copies the original's EXIF into every rendition; the orientation is
    applied first, so nothing a reader needs is lost.
    """

    @contextmanager
    def get_willow_image(self, image, source=None):
        with super().get_willow_image(image, source) as original:
            oriented = original.auto_orient()
            metadata.drop_from_info(oriented.image.info)
            oriented.format_name = original.format_name
            yield oriented


def safe_filename(filename: str) -> str:
    """A stored name that cannot surprise a web server or a file system.

    Compatibility forms folded (NFKC), control and format characters
    (including right-to-left overrides) dropped, inner dots replaced so
    "shell.php.jpg" is not a PHP file to a lenient server, a lower-case
    extension, and never empty. Wagtail then makes it ASCII and short.
    """
    name = unicodedata.normalize("NFKC", os.path.basename(filename.replace("\\", "/")))
    name = "".join(c for c in name if unicodedata.category(c)[0] not in "CZ" or c == " ")
    stem, extension = os.path.splitext(name)
    stem = stem.replace(".", "_").strip(" _-") or "image"
    return f"{stem[:80]}{extension.lower()}"


class CreditedRendition(AbstractRendition):
    image = models.ForeignKey(CreditedImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
