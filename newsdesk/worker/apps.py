from django.apps import AppConfig


class WorkerConfig(AppConfig):
    name = "newsdesk.worker"
    verbose_name = "Background work"

    def ready(self):
        from . import runner

        runner.connect_signals()
