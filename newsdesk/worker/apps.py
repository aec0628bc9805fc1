from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkerConfig(AppConfig):
    name = "newsdesk.worker"
    verbose_name = _("Background work")

    def ready(self):
        from . import runner

        runner.connect_signals()
