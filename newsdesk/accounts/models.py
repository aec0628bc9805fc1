"""What a reader's account holds beyond Django's user: the name shown on comments."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

DISPLAY_NAME_MAX = 50


class ReaderProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reader_profile"
    )
    display_name = models.CharField(
        _("display name"),
        max_length=DISPLAY_NAME_MAX,
        help_text=_("Shown with your comments."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reader profile")

    def __str__(self):
        return self.display_name


def display_name_of(user) -> str:
    """The name shown for a user's comments: their chosen one, else a staff member's name."""
    profile = getattr(user, "reader_profile", None)
    if profile is not None and profile.display_name:
        return profile.display_name
    return user.get_full_name() or user.get_username()
