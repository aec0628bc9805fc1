"""The live desk: where editors post to a live blog while it happens.

Every action answers JSON to the desk's script (Accept: application/json) and
redirects back to the desk for a plain form post, so the desk works without
JavaScript too. A refused action keeps the editor's text and says why.
"""

from datetime import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .models import EntryStatus, LiveBlogPage, LiveEntry

POST_PERMISSION = "live.post_liveentry"
DRAFT_PERMISSION = "live.add_liveentry"


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def get_blog_for_user(user, blog_id: int) -> LiveBlogPage:
    if not (user.has_perm(POST_PERMISSION) or user.has_perm(DRAFT_PERMISSION)):
        raise PermissionDenied
    return get_object_or_404(LiveBlogPage, pk=blog_id)


def get_entry_for_user(user, entry_id: int) -> LiveEntry:
    """Entries editors may change; a reporter may change only their own drafts."""
    entry = get_object_or_404(LiveEntry.objects.select_related("blog"), pk=entry_id)
    if user.has_perm(POST_PERMISSION):
        return entry
    if (
        user.has_perm(DRAFT_PERMISSION)
        and entry.author_id == user.pk
        and entry.status == EntryStatus.DRAFT
    ):
        return entry
    raise PermissionDenied


def entry_plain_text(entry: LiveEntry) -> str:
    return "\n\n".join(
        strip_tags(
            str(block.value.source if hasattr(block.value, "source") else block.value)
        ).strip()
        for block in entry.body
        if block.block_type == "paragraph"
    )


def entry_is_text_only(entry: LiveEntry) -> bool:
    return all(block.block_type == "paragraph" for block in entry.body)


def desk(request, blog_id: int, *, form_errors=None, form_values=None, status=200):
    blog = get_blog_for_user(request.user, blog_id)
    entries = list(
        LiveEntry.objects.filter(blog=blog)
        .exclude(status=EntryStatus.DELETED)
        .select_related("author")
        .order_by("-display_at", "-id")[:200]
    )
    for entry in entries:
        entry.plain_text = entry_plain_text(entry)
        entry.text_only = entry_is_text_only(entry)
    return TemplateResponse(
        request,
        "live/desk.html",
        {
            "blog": blog,
            "entries": entries,
            "can_post": request.user.has_perm(POST_PERMISSION),
            "form_errors": form_errors or [],
            "values": form_values or {},
            "max_text": services.MAX_TEXT_CHARS,
        },
        status=status,
    )


def _refused(request, blog_id: int, message: str, values: dict, status: int):
    if _wants_json(request):
        return JsonResponse({"error": message}, status=status)
    return desk(request, blog_id, form_errors=[message], form_values=values, status=status)


def _done(request, blog_id: int, message: str, entry: LiveEntry | None = None):
    if _wants_json(request):
        data = {"ok": True, "message": message}
        if entry is not None:
            data.update({"entry": entry.pk, "version": entry.version, "status": entry.status})
        return JsonResponse(data)
    messages.success(request, message)
    return redirect(reverse("live_desk", args=[blog_id]))


@require_POST
def entry_create(request, blog_id: int):
    blog = get_blog_for_user(request.user, blog_id)
    can_post = request.user.has_perm(POST_PERMISSION)
    values = {
        "headline": request.POST.get("headline", ""),
        "text": request.POST.get("text", ""),
        "key_event": bool(request.POST.get("key_event")),
        "pinned": bool(request.POST.get("pinned")),
        "publish_at": request.POST.get("publish_at", ""),
    }
    publish_at = None
    if values["publish_at"]:
        publish_at = parse_datetime(values["publish_at"])
        if publish_at is None:
            return _refused(
                request, blog_id, _("The scheduled time is not a valid date and time."), values, 400
            )
        if timezone.is_naive(publish_at):
            publish_at = timezone.make_aware(publish_at)
    try:
        entry = services.entry_post(
            blog=blog,
            author=request.user,
            headline=values["headline"],
            text=values["text"],
            is_key_event=values["key_event"],
            is_pinned=values["pinned"] and can_post,
            publish_at=publish_at,
            draft=not can_post,
        )
    except services.LiveDeskError as error:
        return _refused(request, blog_id, error.message, values, 400)
    if entry.status == EntryStatus.DRAFT:
        message = _("Draft saved; an editor will post it.")
    elif entry.status == EntryStatus.SCHEDULED:
        message = _("Entry scheduled for %(time)s.") % {"time": _format(entry.display_at)}
    else:
        message = _("Entry posted.")
    return _done(request, blog_id, message, entry)


def _format(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%d %b %Y %H:%M %Z")


@require_POST
def entry_edit(request, entry_id: int):
    entry = get_entry_for_user(request.user, entry_id)
    values = {
        "headline": request.POST.get("headline", ""),
        "text": request.POST.get("text", ""),
        "edit": entry_id,
    }
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        return _refused(
            request, entry.blog_id, _("The form is missing the entry's version."), values, 400
        )
    try:
        entry = services.entry_edit(
            entry_id=entry.pk,
            expected_version=version,
            headline=values["headline"],
            text=values["text"],
        )
    except services.StaleEntry as error:
        return _refused(request, entry.blog_id, error.message, values, 409)
    except services.LiveDeskError as error:
        return _refused(request, entry.blog_id, error.message, values, 400)
    return _done(request, entry.blog_id, _("Entry updated."), entry)


def _editor_action(action):
    @require_POST
    def view(request, entry_id: int):
        entry = get_entry_for_user(request.user, entry_id)
        if not request.user.has_perm(POST_PERMISSION) and action.__name__ != "delete":
            raise PermissionDenied
        try:
            entry, message = action(request, entry)
        except services.LiveDeskError as error:
            return _refused(request, entry.blog_id, error.message, {}, 409)
        return _done(request, entry.blog_id, message, entry)

    return view


def _delete(request, entry):
    return services.entry_delete(entry_id=entry.pk), _("Entry deleted.")


def _pin(request, entry):
    return services.entry_set_pinned(entry_id=entry.pk, pinned=True), _("Entry pinned.")


def _unpin(request, entry):
    return services.entry_set_pinned(entry_id=entry.pk, pinned=False), _("Entry unpinned.")


def _key(request, entry):
    is_key = request.POST.get("key_event") == "1"
    return services.entry_set_key_event(entry_id=entry.pk, is_key_event=is_key), (
        _("Marked as a key event.") if is_key else _("No longer a key event.")
    )


def _publish(request, entry):
    return services.entry_publish_draft(entry_id=entry.pk, editor=request.user), _("Draft posted.")


_delete.__name__ = "delete"
entry_delete = _editor_action(_delete)
entry_pin = _editor_action(_pin)
entry_unpin = _editor_action(_unpin)
entry_key_event = _editor_action(_key)
entry_publish = _editor_action(_publish)


@require_POST
def blog_end(request, blog_id: int):
    blog = get_blog_for_user(request.user, blog_id)
    if not request.user.has_perm(POST_PERMISSION):
        raise PermissionDenied
    services.blog_end(blog=blog)
    return _done(request, blog_id, _("The live blog has ended; its page is now an archive."))


def desk_index(request):
    if not (request.user.has_perm(POST_PERMISSION) or request.user.has_perm(DRAFT_PERMISSION)):
        raise PermissionDenied
    blogs = LiveBlogPage.objects.order_by("-latest_revision_created_at")
    return TemplateResponse(request, "live/desk_index.html", {"blogs": blogs})
