from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "newsdesk.news"
    label = "news"
    verbose_name = _("News")

    def ready(self):
        from django.core.signals import request_finished, request_started

        from . import embargo, freshness, signal_handlers  # noqa: F401 (embargo: its job)

        signal_handlers.connect_freshness()
        signal_handlers.connect_search_reindex()
        request_started.connect(freshness.request_started, dispatch_uid="freshness-start")
        request_finished.connect(freshness.request_finished, dispatch_uid="freshness-finish")
