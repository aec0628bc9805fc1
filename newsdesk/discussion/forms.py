from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CommentReport


class FirstErrorMixin:
    def first_error(self) -> str:
        for errors in self.errors.values():
            return str(errors[0])
        return ""


class ReaderTextField(forms.CharField):
    """Reader text; NUL characters are dropped (they cannot be stored) rather than refused."""

    def to_python(self, value):
        return super().to_python(value).replace("\x00", "")


class CommentForm(FirstErrorMixin, forms.Form):
    # The length rule lives in the service (with its message). No maxlength
    # here: a browser would silently cut a longer pasted text, and the reader
    # would lose its end instead of being told and keeping it.
    text = ReaderTextField(
        label=_("Your comment"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write something first.")},
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    # Invisible to people (hidden by CSS and from assistive technology);
    # form-filling robots fill it in.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise forms.ValidationError(_("Your comment could not be posted."))
        return ""


class EditForm(FirstErrorMixin, forms.Form):
    text = CommentForm.base_fields["text"]


class ConfirmForm(FirstErrorMixin, forms.Form):
    """Deleting needs nothing but the POST itself (and its CSRF token)."""


class ReportForm(FirstErrorMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with it?"),
        choices=CommentReport.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a reason for the report.")},
    )
    note = forms.CharField(
        label=_("Anything a moderator should know (optional)"), required=False, max_length=500
    )
