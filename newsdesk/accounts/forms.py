from allauth.account.adapter import get_adapter
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from newsdesk.lib.text import clean_plain_text

from .models import DISPLAY_NAME_MAX, ReaderProfile


class DisplayNameField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Display name"),
            max_length=DISPLAY_NAME_MAX,
            help_text=_("Shown with your comments. Up to %(max)d characters.")
            % {"max": DISPLAY_NAME_MAX},
            **kwargs,
        )

    def clean(self, value):
        value = clean_plain_text(super().clean(value) or "").replace("\n", " ").strip()
        if not value:
            raise forms.ValidationError(_("Enter the name to show with your comments."))
        return value


class ReaderSignupForm(forms.Form):
    """Added to allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    display_name = DisplayNameField()

    def signup(self, request, user):
        ReaderProfile.objects.update_or_create(
            user=user, defaults={"display_name": self.cleaned_data["display_name"]}
        )


class DisplayNameForm(forms.ModelForm):
    display_name = DisplayNameField()

    class Meta:
        model = ReaderProfile
        fields = ["display_name"]


class DeleteAccountForm(forms.Form):
    KEEP = "keep"
    REMOVE = "remove"
    comments = forms.ChoiceField(
        label=_("Your comments"),
        choices=[
            (KEEP, _('Keep them, shown as by "deleted account"')),
            (REMOVE, _("Remove their text")),
        ],
        widget=forms.RadioSelect,
        initial=KEEP,
    )
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To be sure it is you."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password


class NewsroomLoginForm(WagtailLoginForm):
    """Wagtail's login form, with the same failed-login limits as the readers' login.

    Staff and readers share one user model, so an account must not be
    guessable at /admin/login/ when /accounts/login/ would lock it: the check
    goes through allauth's adapter, which counts failures per account
    (ReaderAccountAdapter) and per address.
    """

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            return self.cleaned_data
        adapter = get_adapter(self.request)
        try:
            self.user_cache = adapter.authenticate(
                self.request, username=username, password=password
            )
        except forms.ValidationError as refusal:
            raise forms.ValidationError(
                _("Too many failed attempts. Try again in a few minutes."), code="locked"
            ) from refusal
        if self.user_cache is None:
            raise self.get_invalid_login_error()
        self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data
