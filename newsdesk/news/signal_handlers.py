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


def _content_changed(**kwargs):
    from .freshness import content_changed

    content_changed()


def connect_freshness():
    """Everything that changes what readers see marks published content as changed.

    Publishing, unpublishing, moving or deleting any page (an article's cards
    show other articles' headlines; the chrome shows the sections), editing an
    image (credits are printed under it), an author, the site settings, a
    site's host names or a page's privacy.
    """
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Page, PageViewRestriction, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from newsdesk.images.models import CreditedImage

    from .models import Author, SiteSettings

    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_content_changed, weak=False, dispatch_uid=f"freshness-{id(signal)}")
    # post_delete is sent for the concrete class of each deleted row, Page included.
    post_delete.connect(_content_changed, sender=Page, weak=False, dispatch_uid="freshness-page")
    for model in (PageViewRestriction, Site, SiteSettings, CreditedImage, Author):
        for signal in (post_save, post_delete):
            signal.connect(
                _content_changed,
                sender=model,
                weak=False,
                dispatch_uid=f"freshness-{model.__name__}-{id(signal)}",
            )


def _reindex_published_article(sender, instance, **kwargs):
    # Publishing queues the page for indexing when its row is saved, before the
    # revision's tags and authors are written; queue it again now that they are
    # (a background task: newsdesk/worker/runner.py). The task reads the page
    # after the commit, so with a worker the first one sees them already; with
    # tasks run at once (tests) only this one does.
    from modelsearch.tasks import insert_or_update_object_task

    meta = instance._meta
    insert_or_update_object_task.enqueue(meta.app_label, meta.model_name, str(instance.pk))


def connect_search_reindex():
    from wagtail.signals import page_published

    from .models import ArticlePage

    page_published.connect(
        _reindex_published_article, sender=ArticlePage, dispatch_uid="reindex-published-article"
    )
