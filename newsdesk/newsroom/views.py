"""The page editor, holding a save that would replace a version saved since the form was opened."""

from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.admin.utils import get_user_display_name
from wagtail.admin.views.pages.edit import EditView
from wagtail.models import Revision


def newer_revision_than_loaded(request, page) -> Revision | None:
    """The page's latest revision when it is newer than the one the posted form was loaded from.

    The same reading of the form's hidden fields as Wagtail's autosave check:
    a revision this editing session autosaved, else the revision it loaded
    and that revision's time (autosave may have rewritten it since).
    """
    latest = Revision.objects.filter(pk=page.latest_revision_id).select_related("user").first()
    if latest is None:
        return None
    if autosaved := request.POST.get("overwrite_revision_id"):
        return latest if autosaved != str(latest.pk) else None
    loaded = request.POST.get("loaded_revision_id")
    if not loaded:
        return None
    loaded_at = request.POST.get("loaded_revision_created_at", "")
    if loaded != str(latest.pk) or loaded_at != latest.created_at.isoformat():
        return latest
    return None


class HeldSaveView(EditView):
    """Shows the editor's changes again, unsaved, with who saved a newer version and when.

    The form comes back pointing at the newer version, so saving it again is
    the editor's confirmation to replace it; both stay in the page's history.
    """

    newer_revision = None

    def post(self, request, *args, **kwargs):
        self.form = self.form_class(
            request.POST,
            request.FILES,
            instance=self.page,
            subscription=self.subscription,
            parent_page=self.parent,
            for_user=request.user,
        )
        messages.warning(
            request,
            _(
                "%(user)s saved a newer version of this page at %(time)s, after you opened it. "
                "Your changes are not saved yet: look at their version, then save again to "
                "replace it with yours (theirs stays in the history)."
            )
            % {
                "user": get_user_display_name(self.newer_revision.user)
                if self.newer_revision.user
                else _("Someone"),
                "time": localtime(self.newer_revision.created_at).strftime("%H:%M:%S"),
            },
            buttons=[messages.button(self.get_history_url(), _("History"), new_window=True)],
        )
        self.has_unsaved_changes = True
        return self.render_to_response(self.get_context_data())
