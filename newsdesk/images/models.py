from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.images.models import AbstractImage, AbstractRendition, Image


class CreditedImage(AbstractImage):
    """A photo the newsroom may publish, always with its credit line.

    The credit is required: a news site must credit every image it shows, so
    an image without one cannot be saved.
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

    admin_form_fields = (
        *Image.admin_form_fields,
        "credit",
        "photographer",
        "copyright_holder",
        "source",
    )

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")
        permissions = [("choose_creditedimage", "Can choose image")]

    @property
    def alt_text(self) -> str:
        return self.default_alt_text


class CreditedRendition(AbstractRendition):
    image = models.ForeignKey(CreditedImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
