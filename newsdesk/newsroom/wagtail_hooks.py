from wagtail import hooks

from .views import HeldSaveView, newer_revision_than_loaded


@hooks.register("before_edit_page")
def hold_a_save_over_a_newer_version(request, page):
    """A save from a form opened before someone else saved waits for the editor to confirm.

    Wagtail's editor warns about a newer version only once its periodic
    check has seen it, and only in a browser running its scripts; a save
    posted before that replaced the newer version without a word. Autosaves
    (JSON) are refused by Wagtail itself in that case.
    """
    if (
        request.method != "POST"
        or not request.accepts("text/html")
        or getattr(request, "_held_for_newer_version", False)
        or request.resolver_match.url_name != "edit"
    ):
        return None
    newer = newer_revision_than_loaded(request, page)
    # One's own newer version is most often an autosave still on its way when
    # the editor pressed Save or Publish: nothing of anyone else's is replaced.
    if newer is None or newer.user_id == request.user.pk:
        return None
    request._held_for_newer_version = True
    return HeldSaveView.as_view(newer_revision=newer)(request, **request.resolver_match.kwargs)
