from django.apps import AppConfig


class WireConfig(AppConfig):
    name = "newsdesk.wire"
    verbose_name = "Wire ingest"

    def ready(self):
        from newsdesk.worker.runner import every

        from . import services

        every(60, "wire-ingest")(services.ingest_due_sources)
