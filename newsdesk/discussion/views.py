"""The reader side of the discussion: its own page, the panel the article loads, and the actions.

None of this is cached for everyone: these are the per-reader parts, fetched
apart from the article page (which stays one response for all readers).
Every action works as a plain form POST that redirects (no JavaScript), and
answers JSON when the page's script asks for it. A refusal keeps the
reader's text and says why.
"""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, translate_url
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.models import Page, Site

from newsdesk.editions.lookup import edition_for_request
from newsdesk.news.freshness import readable

from . import services
from .forms import CommentForm, ConfirmForm, EditForm, ReportForm
from .models import Comment, Discussion, Mode
from .templatetags.discussion_tags import login_url_back_to

COMMENTS_PER_PAGE = 50
SORTS = {"newest": ("-created_at", "-id"), "oldest": ("created_at", "id")}


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def client_address(request) -> str:
    # SecurityMiddleware/proxy settings decide whether REMOTE_ADDR is the
    # proxy; behind one, the operator sets the real address there.
    return request.META.get("REMOTE_ADDR", "")


def _discussed_page(page_id):
    page = readable(Page.objects).filter(pk=page_id).specific().first()
    if page is None or not services.is_discussed(page):
        raise Http404
    return page


def _thread_page(request, discussion, sort):
    """One page of top-level comments with all their replies: two queries, whatever the size."""
    top_level = (
        Comment.objects.visible()
        .filter(discussion=discussion, parent=None)
        .select_related("author__reader_profile")
        .order_by(*SORTS[sort])
    )
    paginator = Paginator(top_level, COMMENTS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    threads = list(page.object_list)
    replies = {}
    if threads:
        for reply in (
            Comment.objects.visible()
            .filter(parent__in=threads)
            .select_related("author__reader_profile")
            .order_by("created_at", "id")
        ):
            replies.setdefault(reply.parent_id, []).append(reply)
    # A comment its author deleted has nothing to show unless replies need it
    # as context; one a moderator removed shows the reason in its place.
    shown = [
        (comment, replies.get(comment.pk, []))
        for comment in threads
        if comment.status == Comment.Status.PUBLISHED
        or comment.removal_reason
        or replies.get(comment.pk)
    ]
    return page, shown


def _panel_context(request, page, *, form=None, message="", reply_to=None, come_back_to=None):
    discussion = services.discussion_for(page)
    sort = request.GET.get("sort", "newest")
    if sort not in SORTS:
        sort = "newest"
    comments_page, threads = _thread_page(request, discussion, sort)
    user = request.user
    refusal = ""
    if user.is_authenticated:
        try:
            services.check_may_post(user, discussion)
        except services.Refused as refused:
            refusal = str(refused)
    pending = (
        list(
            Comment.objects.filter(
                discussion=discussion, author=user, status=Comment.Status.PENDING
            ).order_by("-created_at")[:5]
        )
        if user.is_authenticated
        else []
    )
    return {
        "page": page,
        "discussion": discussion,
        "mode": services.effective_mode(discussion),
        "modes": Mode,
        "sort": sort,
        "comments_page": comments_page,
        "threads": threads,
        "form": form or CommentForm(initial={"parent": reply_to}),
        "report_form": ReportForm(),
        "message": message,
        "refusal": refusal,
        "pending": pending,
        "reply_to": reply_to,
        "discussion_url": reverse("discussion:page", args=[page.pk]),
        # Where logging in from the prompt returns: the same comment box.
        "come_back_to": come_back_to
        or reverse("discussion:page", args=[page.pk]) + "#discussion-form",
        "edit_window_minutes": int(services.EDIT_WINDOW.total_seconds() // 60),
        "now": services.timezone.now(),
    }


@never_cache
@require_GET
def discussion_page(request, page_id):
    """The whole discussion as its own page: what readers without JavaScript use."""
    page = _discussed_page(page_id)
    edition = edition_for_request(request)
    if edition is not None and page.locale_id != edition.home.locale_id:
        # A link from another edition: the discussion speaks its page's language.
        return redirect(translate_url(request.get_full_path(), page.locale.language_code))
    reply_to = request.GET.get("reply")
    context = _panel_context(request, page, reply_to=reply_to if str(reply_to).isdigit() else None)
    return render(request, "discussion/discussion_page.html", context)


@never_cache
@require_GET
def panel(request, page_id):
    """The discussion panel the article page's script loads in place."""
    page = _discussed_page(page_id)
    context = _panel_context(request, page, come_back_to=page.url + "#discussion")
    return render(request, "discussion/panel.html", context)


def _refuse(request, page, form, message, status):
    if wants_json(request):
        answer = {"error": message}
        if not request.user.is_authenticated:
            answer["login_url"] = login_url_back_to(page.url + "#discussion")
            answer["login_label"] = _("Log in")
        return JsonResponse(answer, status=status)
    context = _panel_context(request, page, form=form, message=message)
    return render(request, "discussion/discussion_page.html", context, status=status)


def refuse_post(request, page_id, message, status):
    """Show a comment that could not be taken again, with its text and why."""
    page = _discussed_page(page_id)
    return _refuse(request, page, CommentForm(request.POST), message, status)


@never_cache
@require_http_methods(["POST"])
def post_comment(request, page_id):
    page = _discussed_page(page_id)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _refuse(request, page, form, form.first_error(), 400)
    discussion = services.discussion_for(page)
    try:
        comment = services.post_comment(
            request.user,
            discussion,
            form.cleaned_data["text"],
            parent_id=form.cleaned_data.get("parent"),
            client=client_address(request),
            site=Site.find_for_request(request),
        )
    except services.Refused as refused:
        return _refuse(request, page, form, str(refused), refused.status)
    held = comment.status == Comment.Status.PENDING
    message = (
        _("Thank you. Your comment will appear once a moderator has read it.")
        if held
        else _("Your comment is posted.")
    )
    if wants_json(request):
        return JsonResponse(
            {"id": comment.pk, "status": comment.status, "message": message}, status=201
        )
    target = reverse("discussion:page", args=[page.pk]) + "?sort=newest"
    target += "#discussion-form" if held else f"#comment-{comment.pk}"
    return HttpResponseRedirect(target)


def _comment_action(request, comment_id, template, form_class, act, done_message):
    """Edit, delete or report: a form page without JavaScript, JSON with it."""
    comment = (
        Comment.objects.filter(pk=comment_id)
        .select_related("discussion__page", "author__reader_profile")
        .first()
    )
    if comment is None or (
        comment.status != Comment.Status.PUBLISHED
        and comment.author_id != (request.user.pk if request.user.is_authenticated else None)
    ):
        if wants_json(request):
            return JsonResponse({"error": _("That comment is gone.")}, status=404)
        raise Http404
    page = comment.discussion.page
    back = reverse("discussion:page", args=[page.pk]) + f"#comment-{comment.pk}"
    data = request.POST if request.method == "POST" else None
    form = form_class(data, initial={"text": comment.body})
    message, status = "", 200
    if request.method == "POST":
        if form.is_valid():
            try:
                act(comment, form.cleaned_data)
            except services.Refused as refused:
                message, status = str(refused), refused.status
            else:
                if wants_json(request):
                    return JsonResponse({"id": comment.pk, "message": done_message})
                return HttpResponseRedirect(back)
        else:
            message, status = form.first_error(), 400
        if wants_json(request):
            return JsonResponse({"error": message}, status=status)
    context = {"comment": comment, "page": page, "form": form, "message": message, "back": back}
    return render(request, template, context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def edit_comment(request, comment_id):
    def act(comment, data):
        services.edit_comment(request.user, comment.pk, data["text"])

    return _comment_action(
        request, comment_id, "discussion/edit.html", EditForm, act, _("Your comment is updated.")
    )


@never_cache
@require_http_methods(["GET", "POST"])
def delete_comment(request, comment_id):
    def act(comment, data):
        services.delete_own_comment(request.user, comment.pk)

    return _comment_action(
        request,
        comment_id,
        "discussion/delete.html",
        ConfirmForm,
        act,
        _("Your comment is deleted."),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def report_comment(request, comment_id):
    def act(comment, data):
        services.report_comment(request.user, comment.pk, data["reason"], data["note"])

    return _comment_action(
        request,
        comment_id,
        "discussion/report.html",
        ReportForm,
        act,
        _("Thank you. A moderator will look at this comment."),
    )


@require_GET
def comment_counts(request):
    """Published comment counts for the pages asked for (?page=1&page=2), for cards and headings."""
    try:
        page_ids = [int(value) for value in request.GET.getlist("page")[:100]]
    except ValueError:
        return JsonResponse({"error": _("Pages are asked for by number: ?page=12")}, status=400)
    counts = dict(
        Discussion.objects.filter(page_id__in=page_ids).values_list("page_id", "comment_count")
    )
    response = JsonResponse({str(page_id): counts.get(page_id, 0) for page_id in page_ids})
    # The same for every reader: a cache may keep it briefly.
    response["Cache-Control"] = "public, max-age=30"
    return response
