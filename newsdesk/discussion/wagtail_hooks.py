"""The discussion in the Wagtail admin: the Comments menu, its views, the dashboard panel,
and a Discussion button on articles, live blogs and sections."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import Button, ListingButton

from . import admin_views, moderation
from .moderation import Action


@hooks.register("register_admin_urls")
def moderation_urls():
    return [
        path("comments/", admin_views.queue, name="discussion_queue"),
        path("comments/bulk/", admin_views.bulk, name="discussion_bulk"),
        *(
            path(
                f"comments/<int:comment_id>/{action.replace('_', '-')}/",
                admin_views.comment_act,
                {"action": action},
                name=f"discussion_{action}",
            )
            for action in (Action.APPROVE, Action.REJECT, Action.RESOLVE_REPORTS)
        ),
        path(
            "comments/<int:comment_id>/remove/",
            admin_views.comment_remove,
            name="discussion_remove",
        ),
        path("comments/readers/banned/", admin_views.banned, name="discussion_banned"),
        path(
            "comments/readers/<int:reader_id>/ban/", admin_views.reader_ban, name="discussion_ban"
        ),
        path(
            "comments/readers/<int:reader_id>/unban/",
            admin_views.reader_unban,
            name="discussion_unban",
        ),
        path("comments/log/", admin_views.log, name="discussion_log"),
        path(
            "comments/discussions/<int:page_id>/",
            admin_views.discussion_settings,
            name="discussion_settings",
        ),
    ]


class ModeratorsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(moderation.PERMISSION)


@hooks.register("register_admin_menu_item")
def comments_menu_item():
    return ModeratorsMenuItem(
        _("Comments"), reverse("discussion_queue"), icon_name="comment", order=160
    )


class ModerationPanel(Component):
    """Counts of waiting and reported comments on the dashboard, linking to the queue."""

    name = "discussion_moderation"
    order = 90
    template_name = "discussion/admin/dashboard_panel.html"

    def get_context_data(self, parent_context):
        return {
            **moderation.queue_counts(),
            "pending_url": admin_views.queue_url(status="pending"),
            "reported_url": admin_views.queue_url(status="reported"),
        }


@hooks.register("construct_homepage_panels")
def moderation_panel(request, panels):
    if request.user.has_perm(moderation.PERMISSION):
        panels.insert(0, ModerationPanel())


def _discussion_button(page, user, cls, next_url=None, priority=60):
    if user.has_perm(moderation.PERMISSION) and moderation.may_have_own_mode(page):
        url = reverse("discussion_settings", args=[page.pk])
        return cls(_("Discussion"), url, icon_name="comment", priority=priority)
    return None


@hooks.register("register_page_header_buttons")
def discussion_header_button(page, user, view_name=None, next_url=None):
    button = _discussion_button(page, user, Button)
    if button:
        yield button


@hooks.register("register_page_listing_more_buttons")
def discussion_listing_button(page, user, next_url=None):
    button = _discussion_button(page, user, ListingButton)
    if button:
        yield button
