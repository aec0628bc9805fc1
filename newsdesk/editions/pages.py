"""What every public page type needs to live in language editions: Latin slugs."""

from wagtail.admin.forms import WagtailAdminPageForm

from .slugs import latin_slug, transliterate_slug


class EditionPageForm(WagtailAdminPageForm):
    """The page editor's form: a Cyrillic slug is saved transliterated.

    Wagtail's slug field fills itself from the headline as the editor types
    (Cyrillic stays Cyrillic); the form turns it into Latin before Wagtail
    checks it against the page's siblings, so a clash is reported on the field.
    """

    def clean_slug(self):
        slug = self.cleaned_data.get("slug")
        return latin_slug(slug) if slug else slug


class LatinSlugMixin:
    """Pages created from code (the demo, wire ingest, translations) get Latin slugs too."""

    base_form_class = EditionPageForm

    def full_clean(self, *args, **kwargs):
        if not self.slug and self.title:
            self.slug = transliterate_slug(self.title) or None
        elif self.slug and not self.slug.isascii():
            self.slug = transliterate_slug(self.slug)
        super().full_clean(*args, **kwargs)
