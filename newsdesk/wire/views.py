"""Wire sources in the admin: list, add, edit, and a page with their status and problems."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic import InspectView
from wagtail.admin.viewsets.model import ModelViewSet

from .models import WireSource

# What an editor sets on a source, besides its name.
SETTINGS = [
    "kind",
    "location",
    "poll_interval",
    "default_section",
    "default_credit",
    "enabled",
    "allow_private_addresses",
]


class SourceInspectView(InspectView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["source"] = self.object
        context["problems"] = self.object.problems.all()[:50]
        context["item_count"] = self.object.items.count()
        return context


class WireSourceViewSet(ModelViewSet):
    model = WireSource
    icon = "download"
    menu_label = _("Wire sources")
    add_to_admin_menu = False
    url_prefix = "wire/sources"
    name = "wire_source"
    form_fields = ["name", *SETTINGS]
    list_display = ["name", "kind", "enabled", "last_polled_at", "last_status"]
    list_filter = ["kind", "enabled"]
    search_fields = ["name", "location"]
    inspect_view_enabled = True
    inspect_view_class = SourceInspectView
    inspect_template_name = "wire/admin/source.html"
    inspect_view_fields = [*SETTINGS, "last_polled_at", "last_status"]


source_viewset = WireSourceViewSet()
