"""The image upload and edit form: safe uploads, credits read from the file.

Wagtail builds its image forms on the class named by the setting
WAGTAILIMAGES_IMAGE_FORM_BASE ("newsdesk.images.forms.CreditedImageForm").
"""

import warnings

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from wagtail.admin.widgets import AdminDateInput
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from .metadata import read_credits
from .models import LICENCE_SUGGESTIONS

CREDIT_FIELDS = ("credit", "photographer", "copyright_holder", "description")


class UploadImageField(WagtailImageField):
    """Wagtail's checks (size, format by content matching the extension), no
    markup at all, and a pixel limit read from the header, before any decoding."""

    def check_image_file_format(self, f):
        # Willow takes any markup (an SVG, but also HTML or PHP named .jpg)
        # for an SVG image. None of it is a photo, and SVG can carry scripts.
        if f.image.format_name == "svg":
            raise ValidationError(
                _(
                    "This file is a text document (SVG, HTML or similar), not a photo. "
                    "Upload a JPEG, PNG, WebP, GIF or AVIF image."
                ),
                code="invalid_image_known_format",
            )
        super().check_image_file_format(f)

    def check_image_pixel_size(self, f):
        # Wagtail's check asks Willow for the size, which decodes the whole
        # image first: a bomb would be expanded before it is refused. Pillow
        # reads the size (and frame count) from the header alone.
        if self.max_image_pixels is None:
            return
        source = f.image.f
        source.seek(0)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
                with PILImage.open(source) as header:
                    width, height = header.size
                    frames = getattr(header, "n_frames", 1)
        except PILImage.DecompressionBombError:
            raise ValidationError(self._too_many_pixels(), code="file_too_many_pixels") from None
        except Exception as error:
            raise ValidationError(
                self.error_messages["invalid_image"], code="invalid_image"
            ) from error
        finally:
            source.seek(0)
        if width * height * frames > self.max_image_pixels:
            raise ValidationError(self._too_many_pixels(width, height), code="file_too_many_pixels")

    def _too_many_pixels(self, width=None, height=None):
        limit = (self.max_image_pixels or PILImage.MAX_IMAGE_PIXELS) // 1_000_000
        if width is None:
            size = _("This image is too large to open")
        else:
            size = _("This image is %(width)s × %(height)s pixels (%(megapixels)s megapixels)") % {
                "width": f"{width:,}",
                "height": f"{height:,}",
                "megapixels": f"{width * height // 1_000_000:,}",
            }
        return _("%(size)s; the limit is %(limit)s megapixels. Upload a smaller version.") % {
            "size": size,
            "limit": f"{limit:,}",
        }


class LicenceInput(forms.TextInput):
    """Free text, with the usual licences offered as the editor types."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = {**(attrs or {}), "list": f"{name}-suggestions"}
        options = format_html_join("", '<option value="{}">', ((s,) for s in LICENCE_SUGGESTIONS))
        return format_html(
            '{}<datalist id="{}-suggestions">{}</datalist>',
            super().render(name, value, attrs, renderer),
            name,
            options,
        )


class CreditedImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "file" in self.fields:
            field = self.fields["file"]
            self.fields["file"] = UploadImageField(
                label=field.label, required=field.required, widget=field.widget
            )
        if "licence" in self.fields:
            self.fields["licence"].widget = LicenceInput()
        if "usable_until" in self.fields:
            self.fields["usable_until"].widget = AdminDateInput()
        self.reads_credits = "file" in self.fields and self.instance.pk is None
        if self.reads_credits and "credit" in self.fields:
            # A new photo's credit may come from its file (see clean).
            self.fields["credit"].required = False
            self.fields["credit"].help_text = _(
                "Shown under every use of the image. Leave empty to use the credit "
                "embedded in the file."
            )

    def clean(self):
        cleaned_data = super().clean()
        upload = cleaned_data.get("file")
        if self.reads_credits and upload:
            upload.seek(0)
            found = read_credits(upload.read())
            upload.seek(0)
            for name in CREDIT_FIELDS:
                if name in self.fields and not cleaned_data.get(name) and found.get(name):
                    cleaned_data[name] = found[name]
            if "credit" in self.fields and not cleaned_data.get("credit"):
                self.add_error(
                    "credit",
                    _("This field is required: the file carries no credit line of its own."),
                )
        return cleaned_data
