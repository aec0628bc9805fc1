from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImagesConfig(AppConfig):
    name = "newsdesk.images"
    label = "images"
    verbose_name = _("Images")

    def ready(self):
        from newsdesk.worker.runner import every

        from . import services

        # Hourly, though the editors hear once per image: a photo whose licence
        # ends at midnight leaves cached pages within the hour, not a day.
        every(services.EXPIRY_CHECK_SECONDS, "image-expiry")(services.images_expire)
