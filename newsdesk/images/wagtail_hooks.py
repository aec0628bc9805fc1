from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.images import get_image_model
from wagtail.permissions import policy_registry

from . import services


class ImageRightsPanel(Component):
    """Images whose licence runs out this week, and expired ones still on live pages."""

    name = "image_rights"
    order = 95
    template_name = "images/rights_panel.html"

    def __init__(self, report):
        self.report = report

    def get_context_data(self, parent_context):
        return {**self.report, "warn_days": services.WARN_DAYS, "heading": _("Image rights")}


@hooks.register("construct_homepage_panels")
def image_rights_panel(request, panels):
    policy = policy_registry.get_by_type(get_image_model())
    if not policy.user_has_any_permission(request.user, ["change"]):
        return
    report = services.image_rights_report()
    if report["expired"] or report["expiring"]:
        panels.append(ImageRightsPanel(report))
