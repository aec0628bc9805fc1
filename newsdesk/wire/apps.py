from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WireConfig(AppConfig):
    name = "newsdesk.wire"
    verbose_name = _("Wire ingest")

    def ready(self):
        from newsdesk.worker.runner import every

        from . import services

        every(60, "wire-ingest")(services.ingest_due_sources)
