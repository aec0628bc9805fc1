from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "newsdesk.api"
    label = "newsdesk_api"
    verbose_name = _("Content API")
