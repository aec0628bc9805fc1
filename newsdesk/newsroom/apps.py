from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    name = "newsdesk.newsroom"
    label = "newsroom"
    verbose_name = _("Newsroom")

    def ready(self):
        from . import signal_handlers

        signal_handlers.connect_section_editors()
