"""The wire in the Wagtail admin: its menu item and screens, the sources, the dashboard
panel of updates to used items, and the link from an article to its wire item."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import Button

from . import admin_views
from .models import WireItem
from .views import source_viewset


@hooks.register("register_admin_urls")
def wire_urls():
    return [
        path("wire/", admin_views.queue, name="wire_queue"),
        path("wire/items/<int:item_id>/", admin_views.item, name="wire_item"),
        path("wire/items/<int:item_id>/draft/", admin_views.item_draft, name="wire_item_draft"),
        path("wire/items/<int:item_id>/seen/", admin_views.item_seen, name="wire_item_seen"),
    ]


@hooks.register("register_admin_viewset")
def wire_source_viewset():
    return source_viewset


class WireMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.PERMISSION)


@hooks.register("register_admin_menu_item")
def wire_menu_item():
    return WireMenuItem(_("Wire"), reverse("wire_queue"), icon_name="download", order=140)


class WireUpdatesPanel(Component):
    """Wire items that changed after an article was made from them."""

    name = "wire_updates"
    order = 95
    template_name = "wire/admin/dashboard_panel.html"

    def get_context_data(self, parent_context):
        items = WireItem.objects.updated_after_use().select_related("article", "source")
        return {"items": items.order_by("-updated_at")[:10]}


@hooks.register("construct_homepage_panels")
def wire_updates_panel(request, panels):
    if (
        request.user.has_perm(admin_views.PERMISSION)
        and WireItem.objects.updated_after_use().exists()
    ):
        panels.append(WireUpdatesPanel())


@hooks.register("register_page_header_buttons")
def wire_item_button(page, user, view_name=None, next_url=None):
    if view_name != "edit" or not user.has_perm(admin_views.PERMISSION):
        return
    for wire_item in WireItem.objects.filter(article_id=page.pk).only("id", "headline")[:1]:
        yield Button(
            _("From wire item: %(headline)s") % {"headline": wire_item.headline[:60]},
            reverse("wire_item", args=[wire_item.pk]),
            icon_name="download",
            priority=70,
        )
