"""The moderators' side of the discussion in the Wagtail admin.

The queue of comments waiting or reported across the site, the forms that
remove a comment or ban a reader with a reason, bulk actions, the banned
readers, the moderation log and a page's discussion setting. Each view is
thin: the rules and the log live in `moderation`. Every action is a form
POST that comes back to the same filtered queue with a message.
"""

from datetime import datetime, time
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.admin.widgets import HeaderButton
from wagtail.models import Page

from . import moderation
from .models import Comment, CommentReport, ModerationLogEntry, ReaderBan
from .moderation import MODE_LABELS, Action
from .services import Refused, discussion_for, effective_mode

PER_PAGE = 30
TABS = {
    "pending": gettext_lazy("Waiting"),
    "reported": gettext_lazy("Reported"),
    "all": gettext_lazy("All comments"),
}
LOG_ACTIONS = {
    Action.APPROVE: gettext_lazy("Approved"),
    Action.REJECT: gettext_lazy("Rejected"),
    Action.REMOVE: gettext_lazy("Removed"),
    Action.RESOLVE_REPORTS: gettext_lazy("Kept (reports resolved)"),
    Action.BAN: gettext_lazy("Banned reader"),
    Action.UNBAN: gettext_lazy("Unbanned reader"),
    Action.SET_MODE: gettext_lazy("Set discussion"),
}


def moderators_only(view):
    """Anyone without the permission gets a 403 page that says so, whatever the ids they tried."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            moderation.check_may_moderate(request.user)
        except Refused as refused:
            return TemplateResponse(
                request,
                "discussion/admin/refused.html",
                {"reason": str(refused), "header_title": _("Comments")},
                status=403,
            )
        return view(request, *args, **kwargs)

    return wrapped


def queue_url(**params) -> str:
    from django.utils.http import urlencode

    query = urlencode({key: value for key, value in params.items() if value})
    return reverse("discussion_queue") + (f"?{query}" if query else "")


def back_url(request) -> str:
    """Where an action returns: the queue it came from (our own admin only), else the queue."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("discussion_queue")


def nav_buttons(current: str):
    """The moderation views' links, shown in the header of each."""
    links = [
        ("queue", _("Queue"), reverse("discussion_queue"), "comment"),
        ("banned", _("Banned readers"), reverse("discussion_banned"), "cross"),
        ("log", _("Moderation log"), reverse("discussion_log"), "history"),
    ]
    return [
        HeaderButton(label, url, icon_name=icon, priority=n)
        for n, (name, label, url, icon) in enumerate(links)
        if name != current
    ]


def base_context(title: str, current: str, *crumbs):
    return {
        "header_title": title,
        "header_icon": "comment",
        "breadcrumbs_items": [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("discussion_queue"), "label": _("Comments")},
            *crumbs,
            {"url": "", "label": title},
        ],
        "header_buttons": nav_buttons(current),
    }


def _int_param(request, name):
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


@require_GET
@moderators_only
def queue(request):
    """Comments across the site, newest first: waiting, reported, or all, filtered."""
    tab = request.GET.get("status", "pending")
    if tab not in TABS:
        tab = "pending"
    article_id, reader_id = _int_param(request, "article"), _int_param(request, "reader")
    search = request.GET.get("q", "").strip()[:100]
    comments = Comment.objects.all()
    if tab == "pending":
        comments = comments.filter(status=Comment.Status.PENDING)
    elif tab == "reported":
        comments = moderation.with_open_reports(comments)
    if article_id:
        comments = comments.filter(discussion__page_id=article_id)
    if reader_id:
        comments = comments.filter(author_id=reader_id)
    if search:
        comments = comments.filter(
            Q(body__icontains=search)
            | Q(discussion__page__title__icontains=search)
            | Q(author__reader_profile__display_name__icontains=search)
            | Q(author__email__icontains=search)
        )
    comments = (
        comments.select_related(
            "discussion__page", "author__reader_profile", "author__discussion_ban"
        )
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=CommentReport.objects.filter(resolved_at=None).order_by("created_at"),
                to_attr="open_reports",
            )
        )
        .order_by("-created_at", "-id")
    )
    paginator = Paginator(comments, PER_PAGE)
    page = paginator.get_page(request.GET.get("p"))
    filter_params = {"article": article_id, "reader": reader_id, "q": search}
    article = Page.objects.filter(pk=article_id).first() if article_id else None
    reader = get_user_model().objects.filter(pk=reader_id).first() if reader_id else None
    context = {
        **base_context(_("Moderation queue"), "queue"),
        "tab": tab,
        "tabs": [
            (name, label, queue_url(status=name, **filter_params)) for name, label in TABS.items()
        ],
        "counts": moderation.queue_counts(),
        "comments": page,
        "elided_page_range": paginator.get_elided_page_range(page.number),
        "search": search,
        "article": article,
        "article_mode": _mode_summary(article) if article else None,
        "reader": reader,
        "clear_article_url": queue_url(status=tab, reader=reader_id, q=search),
        "clear_reader_url": queue_url(status=tab, article=article_id, q=search),
        "next": request.get_full_path(),
        "bulk_actions": BULK_CHOICES,
        "mode_labels": MODE_LABELS,
    }
    return TemplateResponse(request, "discussion/admin/queue.html", context)


BULK_CHOICES = [
    (Action.APPROVE, gettext_lazy("Approve")),
    (Action.REJECT, gettext_lazy("Reject")),
    (Action.REMOVE, gettext_lazy("Remove (give a reason)")),
    (Action.RESOLVE_REPORTS, gettext_lazy("Keep and resolve reports")),
    (moderation.BAN_AUTHORS, gettext_lazy("Ban their authors (give a reason)")),
]


def _mode_summary(page):
    if not moderation.may_have_own_mode(page):
        return None
    discussion = discussion_for(page)
    return {
        "own": discussion.mode,
        "effective": effective_mode(discussion),
        "url": reverse("discussion_settings", args=[page.pk]),
    }


def _done(request, message):
    messages.success(request, message)
    return redirect(back_url(request))


def _refused(request, refused: Refused):
    messages.error(request, str(refused))
    return redirect(back_url(request))


SIMPLE_ACTIONS = {
    Action.APPROVE: (moderation.comment_approve, gettext_lazy("Comment approved: readers see it.")),
    Action.REJECT: (moderation.comment_reject, gettext_lazy("Comment rejected.")),
    Action.RESOLVE_REPORTS: (
        moderation.reports_resolve,
        gettext_lazy("Comment kept; its reports are resolved."),
    ),
}


@require_POST
@moderators_only
def comment_act(request, comment_id, action):
    """Approve, reject, or keep a reported comment: one click from the queue."""
    act, done = SIMPLE_ACTIONS[action]
    try:
        act(request.user, comment_id)
    except Refused as refused:
        return _refused(request, refused)
    return _done(request, str(done))


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason shown to readers in place of the comment"),
        max_length=moderation.REASON_MAX,
        required=False,
    )


def _comment_for_form(comment_id):
    comment = (
        Comment.objects.filter(pk=comment_id)
        .select_related("discussion__page", "author__reader_profile")
        .first()
    )
    if comment is None:
        raise Http404
    return comment


@require_http_methods(["GET", "POST"])
@moderators_only
def comment_remove(request, comment_id):
    """Remove a comment with a reason readers see in its place."""
    comment = _comment_for_form(comment_id)
    form = ReasonForm(request.POST or None)
    message, status = "", 200
    if request.method == "POST":
        try:
            moderation.comment_remove(
                request.user, comment.pk, reason=request.POST.get("reason", "")
            )
        except Refused as refused:
            message, status = str(refused), 400
        else:
            return _done(request, _("Comment removed; readers see the reason in its place."))
    context = {
        **base_context(_("Remove a comment"), ""),
        "comment": comment,
        "form": form,
        "message": message,
        "next": back_url(request),
        "reasons": COMMON_REASONS,
    }
    return TemplateResponse(request, "discussion/admin/remove.html", context, status=status)


COMMON_REASONS = [
    gettext_lazy("Abusive or hateful"),
    gettext_lazy("Spam or advertising"),
    gettext_lazy("Off topic"),
    gettext_lazy("Shares someone's personal information"),
]


class BanForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (the reader is shown it)"),
        max_length=moderation.REASON_MAX,
        required=False,
    )
    until = forms.CharField(
        label=gettext_lazy("Until (leave empty to ban for good)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


def parse_until(value: str) -> datetime | None:
    """The ban's end from the form: a date and time, or a date (its start), in local time."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            moment = datetime.combine(day, time()) if day else None
    except ValueError:
        moment = None
    if moment is None:
        raise Refused(
            _(
                "Give the end of the ban as a date and time, like 2030-01-31 18:00, "
                "or leave it empty."
            )
        )
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


@require_http_methods(["GET", "POST"])
@moderators_only
def reader_ban(request, reader_id):
    """Ban a reader from commenting anywhere, for good or until a date."""
    reader = (
        get_user_model()
        .objects.filter(pk=reader_id)
        .select_related("reader_profile", "discussion_ban")
        .first()
    )
    if reader is None:
        raise Http404
    form = BanForm(request.POST or None)
    message, status = "", 200
    if request.method == "POST":
        try:
            until = parse_until(request.POST.get("until", ""))
            moderation.reader_ban(
                request.user, reader.pk, reason=request.POST.get("reason", ""), until=until
            )
        except Refused as refused:
            message, status = str(refused), 400
        else:
            return _done(request, _("Reader banned: their next comment will be refused."))
    recent = (
        Comment.objects.filter(author=reader)
        .select_related("discussion__page")
        .order_by("-created_at")[:5]
    )
    context = {
        **base_context(_("Ban a reader"), ""),
        "reader": reader,
        "recent": recent,
        "form": form,
        "message": message,
        "next": back_url(request),
        "reasons": COMMON_REASONS,
    }
    return TemplateResponse(request, "discussion/admin/ban.html", context, status=status)


@require_POST
@moderators_only
def bulk(request):
    """One action on the ticked comments."""
    try:
        until = parse_until(request.POST.get("until", ""))
        result = moderation.comments_bulk(
            request.user,
            request.POST.get("action", ""),
            request.POST.getlist("comment"),
            reason=request.POST.get("reason", ""),
            until=until,
        )
    except Refused as refused:
        return _refused(request, refused)
    if result.done:
        messages.success(request, _("Done for %(count)s.") % {"count": result.done})
    if result.refused:
        messages.warning(
            request,
            _("Not done for %(count)s: %(why)s")
            % {"count": len(result.refused), "why": "; ".join(result.refused[:5])},
        )
    return redirect(back_url(request))


@require_GET
@moderators_only
def banned(request):
    """Readers who may not comment, newest ban first, with their end and reason."""
    bans = ReaderBan.objects.select_related("reader__reader_profile", "banned_by").order_by(
        "-created_at", "-id"
    )
    paginator = Paginator(bans, PER_PAGE)
    page = paginator.get_page(request.GET.get("p"))
    context = {
        **base_context(_("Banned readers"), "banned"),
        "bans": page,
        "elided_page_range": paginator.get_elided_page_range(page.number),
        "next": request.get_full_path(),
    }
    return TemplateResponse(request, "discussion/admin/banned.html", context)


@require_POST
@moderators_only
def reader_unban(request, reader_id):
    try:
        moderation.reader_unban(request.user, reader_id, reason=request.POST.get("reason", ""))
    except Refused as refused:
        return _refused(request, refused)
    return _done(request, _("Ban lifted: the reader may comment again."))


@require_GET
@moderators_only
def log(request):
    """Every moderation action: who, what, when and why."""
    entries = ModerationLogEntry.objects.select_related(
        "moderator", "comment", "reader__reader_profile", "discussion__page"
    )
    reader_id = _int_param(request, "reader")
    if reader_id:
        entries = entries.filter(reader_id=reader_id)
    paginator = Paginator(entries, PER_PAGE)
    page = paginator.get_page(request.GET.get("p"))
    context = {
        **base_context(_("Moderation log"), "log"),
        "entries": page,
        "elided_page_range": paginator.get_elided_page_range(page.number),
        "action_labels": LOG_ACTIONS,
    }
    return TemplateResponse(request, "discussion/admin/log.html", context)


@require_http_methods(["GET", "POST"])
@moderators_only
def discussion_settings(request, page_id):
    """Open, pre-moderate or close one page's discussion, or let it follow its section."""
    page = Page.objects.filter(pk=page_id).specific().first()
    if page is None or not moderation.may_have_own_mode(page):
        raise Http404
    message, status = "", 200
    if request.method == "POST":
        try:
            moderation.discussion_set_mode(
                request.user,
                page,
                request.POST.get("mode", "?"),
                reason=request.POST.get("reason", ""),
            )
        except Refused as refused:
            message, status = str(refused), 400
        else:
            messages.success(
                request,
                _("Discussion of '%(title)s' is now: %(mode)s")
                % {"title": page.title, "mode": MODE_LABELS[request.POST["mode"]]},
            )
            if request.POST.get("next"):
                return redirect(back_url(request))
            return redirect(reverse("discussion_settings", args=[page.pk]))
    discussion = discussion_for(page)
    is_section = not moderation.is_discussed(page)
    choices = [
        (mode, label) for mode, label in MODE_LABELS.items() if not (is_section and mode == "")
    ]
    context = {
        **base_context(_("Discussion"), "", {"url": "", "label": page.title}),
        "page": page,
        "discussion": discussion,
        "effective": effective_mode(discussion),
        "mode_labels": MODE_LABELS,
        "choices": choices,
        "is_section": is_section,
        "message": message,
        "next": request.POST.get("next") or request.GET.get("next") or "",
        "queue_url": queue_url(status="all", article=page.pk),
        "pending": Comment.objects.filter(
            discussion=discussion, status=Comment.Status.PENDING
        ).count(),
    }
    return TemplateResponse(request, "discussion/admin/discussion.html", context, status=status)
