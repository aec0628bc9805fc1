from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.db.models.signals import post_migrate
from django.dispatch import receiver


@receiver(post_migrate)
def create_newsroom_roles(sender, using="default", **kwargs):
    # post_migrate fires once per app; wait for the last one so that every
    # permission the roles need exists.
    last_app = [config for config in apps.get_app_configs() if config.models_module][-1]
    if sender.label != last_app.label:
        return
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    from .roles import ensure_newsroom_roles

    ensure_newsroom_roles()


def _forget_chrome_for_section(sender, instance, **kwargs):
    from .chrome import forget_chrome

    forget_chrome()


def connect_chrome_invalidation():
    """Sections and settings shape every page's chrome; drop it when they change."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from .models import SectionPage, SiteSettings

    for signal in (page_published, page_unpublished, post_save, post_delete):
        signal.connect(_forget_chrome_for_section, sender=SectionPage, weak=False)
    post_page_move.connect(_forget_chrome_for_section, weak=False)
    for signal in (post_save, post_delete):
        signal.connect(_forget_chrome_for_section, sender=SiteSettings, weak=False)
