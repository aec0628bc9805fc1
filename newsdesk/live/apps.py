from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "newsdesk.live"
    label = "live"
    verbose_name = _("Live coverage")

    def ready(self):
        from . import signal_handlers

        signal_handlers.connect()
