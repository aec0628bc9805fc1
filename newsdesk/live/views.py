"""The live desk: where editors post to a live blog while it happens.

Every action answers JSON to the desk's script (Accept: application/json) and
redirects back to the desk for a plain form post, so the desk works without
JavaScript too. A refused action keeps the editor's text and says why.
"""

import html
import re
from datetime import datetime
from functools import wraps

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin.forms import WagtailAdminModelForm

from . import services
from .models import EntryStatus, LiveBlogPage, LiveEntry

POST_PERMISSION = "live.post_liveentry"
DRAFT_PERMISSION = "live.add_liveentry"


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def refused_with_403(view):
    """A refusal answers 403 with a reason, not Wagtail's redirect to the dashboard.

    The desk's script shows the reason (JSON); a plain form post gets an admin
    page that says it. A redirect would look like a lost session.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as refusal:
            message = str(refusal) or _("You may not do this on the live desk.")
            if _wants_json(request):
                return JsonResponse({"error": message}, status=403)
            blog_id = kwargs.get("blog_id")
            if blog_id is None and "entry_id" in kwargs:
                blog_id = (
                    LiveEntry.objects.filter(pk=kwargs["entry_id"])
                    .values_list("blog_id", flat=True)
                    .first()
                )
            may_open_desk = request.user.has_perm(POST_PERMISSION) or request.user.has_perm(
                DRAFT_PERMISSION
            )
            back = blog_id if may_open_desk else None
            return TemplateResponse(
                request,
                "live/desk_refused.html",
                {
                    "reason": message,
                    "blog": back,
                    "back_url": reverse("live_desk", args=[back])
                    if back
                    else reverse("wagtailadmin_home"),
                },
                status=403,
            )

    return wrapped


def get_blog_for_user(user, blog_id: int) -> LiveBlogPage:
    if not (user.has_perm(POST_PERMISSION) or user.has_perm(DRAFT_PERMISSION)):
        raise PermissionDenied(_("Only editors and reporters work on the live desk."))
    return get_object_or_404(LiveBlogPage, pk=blog_id)


def user_may_change(user, entry: LiveEntry) -> bool:
    """Editors may change any entry; a reporter only their own drafts."""
    if user.has_perm(POST_PERMISSION):
        return True
    return (
        user.has_perm(DRAFT_PERMISSION)
        and entry.author_id == user.pk
        and entry.status == EntryStatus.DRAFT
    )


def get_entry_for_user(user, entry_id: int) -> LiveEntry:
    entry = get_object_or_404(LiveEntry.objects.select_related("blog"), pk=entry_id)
    if not user_may_change(user, entry):
        raise PermissionDenied(_("Only an editor can change this entry."))
    return entry


def entry_plain_text(entry: LiveEntry) -> str:
    """The entry's paragraphs as compose-box text: what services.body_from_text was given."""
    paragraphs = []
    for block in entry.body:
        if block.block_type != "paragraph":
            continue
        source = str(block.value.source if hasattr(block.value, "source") else block.value)
        source = re.sub(r"<br\s*/?>", "\n", source)
        # Unescaped after the tags are gone: "&lt;" was typed as "<".
        paragraphs.append(html.unescape(strip_tags(source)).strip())
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def entry_other_blocks(entry: LiveEntry) -> list[str]:
    """One line for each block that is not a paragraph, for the desk's list."""
    lines = []
    for block in entry.body:
        value = block.value
        if block.block_type == "quote":
            lines.append(_("Quote: “%(text)s” — %(speaker)s") % value)
        elif block.block_type == "image":
            caption = value.get("caption") or (value["image"].title if value["image"] else "")
            lines.append(_("Image: %(caption)s") % {"caption": caption})
        elif block.block_type in ("related_story", "read_more") and value["article"]:
            lines.append(f"{block.block.label}: {value['article'].title}")
    return lines


@refused_with_403
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
        entry.other_blocks = entry_other_blocks(entry)
        entry.text_only = services.is_text_only(entry)
        entry.can_change = user_may_change(request.user, entry)
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


@refused_with_403
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
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


@refused_with_403
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


class EntryBlocksForm(WagtailAdminModelForm):
    """Every block of an entry (paragraph, quote, image, related story, read more),
    with the version the editor started from."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = LiveEntry
        fields = ["headline", "body"]


@refused_with_403
def entry_edit_blocks(request, entry_id: int):
    """The full edit form: any entry, whatever its blocks; refused on a stale copy."""
    entry = get_entry_for_user(request.user, entry_id)
    status = 200
    if request.method == "POST":
        form = EntryBlocksForm(request.POST, instance=LiveEntry(pk=entry.pk, blog=entry.blog))
        if form.is_valid():
            try:
                services.entry_edit(
                    entry_id=entry.pk,
                    expected_version=form.cleaned_data["version"],
                    headline=form.cleaned_data["headline"],
                    body=form.cleaned_data["body"],
                )
            except services.LiveDeskError as error:
                # The editor's blocks stay in the form, with the reason above them.
                form.add_error(None, error.message)
                status = 409 if isinstance(error, services.StaleEntry) else 400
            else:
                messages.success(request, _("Entry updated."))
                return redirect(reverse("live_desk", args=[entry.blog_id]))
        else:
            status = 400
    else:
        form = EntryBlocksForm(instance=entry, initial={"version": entry.version})
    return TemplateResponse(
        request, "live/entry_edit.html", {"entry": entry, "form": form}, status=status
    )


def _editor_action(action, *, reporters_too: bool = False):
    """A desk button's view; `reporters_too` lets a reporter use it on their own drafts."""

    @refused_with_403
    @require_POST
    def view(request, entry_id: int):
        entry = get_entry_for_user(request.user, entry_id)
        if not (reporters_too or request.user.has_perm(POST_PERMISSION)):
            raise PermissionDenied(_("Only an editor can do this."))
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


entry_delete = _editor_action(_delete, reporters_too=True)
entry_pin = _editor_action(_pin)
entry_unpin = _editor_action(_unpin)
entry_key_event = _editor_action(_key)
entry_publish = _editor_action(_publish)


@refused_with_403
@require_POST
def blog_end(request, blog_id: int):
    blog = get_blog_for_user(request.user, blog_id)
    if not request.user.has_perm(POST_PERMISSION):
        raise PermissionDenied(_("Only an editor can end a live blog."))
    services.blog_end(blog=blog)
    return _done(request, blog_id, _("The live blog has ended; its page is now an archive."))


@refused_with_403
def desk_index(request):
    if not (request.user.has_perm(POST_PERMISSION) or request.user.has_perm(DRAFT_PERMISSION)):
        raise PermissionDenied(_("Only editors and reporters work on the live desk."))
    blogs = LiveBlogPage.objects.order_by("-latest_revision_created_at")
    return TemplateResponse(request, "live/desk_index.html", {"blogs": blogs})
