from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import ListingButton

from . import views
from .models import LiveBlogPage


@hooks.register("register_admin_urls")
def live_desk_urls():
    return [
        path("live/", views.desk_index, name="live_desk_index"),
        path("live/<int:blog_id>/", views.desk, name="live_desk"),
        path("live/<int:blog_id>/entries/", views.entry_create, name="live_entry_create"),
        path("live/<int:blog_id>/end/", views.blog_end, name="live_blog_end"),
        path("live/entries/<int:entry_id>/edit/", views.entry_edit, name="live_entry_edit"),
        path(
            "live/entries/<int:entry_id>/blocks/",
            views.entry_edit_blocks,
            name="live_entry_edit_blocks",
        ),
        path("live/entries/<int:entry_id>/delete/", views.entry_delete, name="live_entry_delete"),
        path("live/entries/<int:entry_id>/pin/", views.entry_pin, name="live_entry_pin"),
        path("live/entries/<int:entry_id>/unpin/", views.entry_unpin, name="live_entry_unpin"),
        path("live/entries/<int:entry_id>/key/", views.entry_key_event, name="live_entry_key"),
        path(
            "live/entries/<int:entry_id>/publish/", views.entry_publish, name="live_entry_publish"
        ),
    ]


class LiveDeskMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(views.POST_PERMISSION) or request.user.has_perm(
            views.DRAFT_PERMISSION
        )


@hooks.register("register_admin_menu_item")
def live_desk_menu_item():
    return LiveDeskMenuItem(
        _("Live desk"), reverse("live_desk_index"), icon_name="radio-full", order=150
    )


@hooks.register("register_page_listing_buttons")
def live_desk_button(page, user, next_url=None):
    if isinstance(page.specific_deferred, LiveBlogPage) and (
        user.has_perm(views.POST_PERMISSION) or user.has_perm(views.DRAFT_PERMISSION)
    ):
        yield ListingButton(_("Live desk"), reverse("live_desk", args=[page.pk]), priority=5)
