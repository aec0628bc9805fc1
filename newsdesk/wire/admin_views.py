"""The wire queue in the Wagtail admin: the items, one item's text, and making a draft of it."""

from functools import wraps

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import services
from .models import WireItem, WireSource

PERMISSION = "wire.use_wireitem"
PER_PAGE = 50


def wire_desk_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            return TemplateResponse(
                request,
                "wire/admin/refused.html",
                {"header_title": _("Wire")},
                status=403,
            )
        return view(request, *args, **kwargs)

    return wrapped


def _breadcrumbs(*crumbs):
    return [
        {"url": reverse("wagtailadmin_home"), "label": _("Home")},
        {"url": reverse("wire_queue"), "label": _("Wire")},
        *crumbs,
    ]


def _item_or_404(item_id) -> WireItem:
    item = WireItem.objects.select_related("source", "article").filter(pk=item_id).first()
    if item is None:
        raise Http404
    return item


@require_GET
@wire_desk_only
def queue(request):
    """Wire items, newest first, by source and status, searched by headline."""
    items = WireItem.objects.select_related("source").newest_first()
    source_id = request.GET.get("source", "")
    status = request.GET.get("status", "")
    search = request.GET.get("q", "").strip()[:100]
    if source_id.isdigit():
        items = items.filter(source_id=int(source_id))
    if status in WireItem.Status.values:
        items = items.filter(status=status)
    if search:
        items = items.filter(headline__icontains=search)
    paginator = Paginator(items, PER_PAGE)
    page = paginator.get_page(request.GET.get("p"))
    filters = {"source": source_id, "status": status, "q": search}
    context = {
        "header_title": _("Wire queue"),
        "header_icon": "doc-full-inverse",
        "breadcrumbs_items": _breadcrumbs({"url": "", "label": _("Queue")}),
        "items": page,
        "elided_page_range": paginator.get_elided_page_range(page.number),
        "sources": WireSource.objects.all(),
        "statuses": WireItem.Status.choices,
        "filters": filters,
        "page_query": urlencode({k: v for k, v in filters.items() if v}),
        "sources_url": (
            reverse("wire_source:index")
            if any(request.user.has_perm(f"wire.{a}_wiresource") for a in ("view", "change"))
            else ""
        ),
    }
    return TemplateResponse(request, "wire/admin/queue.html", context)


@require_GET
@wire_desk_only
def item(request, item_id):
    """One wire item's text, with its photos and the article made from it."""
    wire_item = _item_or_404(item_id)
    context = {
        "header_title": wire_item.headline,
        "header_icon": "doc-full-inverse",
        "breadcrumbs_items": _breadcrumbs({"url": "", "label": wire_item.headline}),
        "item": wire_item,
        "article_edit_url": (
            reverse("wagtailadmin_pages:edit", args=[wire_item.article_id])
            if wire_item.article_id
            else ""
        ),
    }
    return TemplateResponse(request, "wire/admin/item.html", context)


@require_POST
@wire_desk_only
def item_draft(request, item_id):
    """Make a draft article from the item and open it in the editor."""
    wire_item = _item_or_404(item_id)
    try:
        article = services.wireitem_draft_create(user=request.user, item=wire_item)
    except services.Refused as refused:
        messages.error(request, str(refused))
        return redirect("wire_item", item_id=wire_item.pk)
    messages.success(request, _("Draft made from the wire item: edit it and publish as usual."))
    return redirect("wagtailadmin_pages:edit", article.pk)


@require_POST
@wire_desk_only
def item_seen(request, item_id):
    """The editor has compared the article with the update: off the dashboard."""
    wire_item = _item_or_404(item_id)
    services.wireitem_update_seen(item=wire_item)
    messages.success(request, _("Marked as seen."))
    return redirect("wire_item", item_id=wire_item.pk)
