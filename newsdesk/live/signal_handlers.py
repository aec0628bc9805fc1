"""A live blog that readers may no longer follow (unpublished, deleted) closes its streams.

Open streams would otherwise keep a page that is gone alive on readers'
screens. After the change commits, every server process checks the blog's
state and closes its readers' streams; a reader that reconnects gets 404.
"""

from functools import partial

from django.db import transaction


def close_streams(sender, instance, **kwargs) -> None:
    from . import broker

    transaction.on_commit(partial(broker.close_blog, instance.pk))


def connect() -> None:
    from django.db.models.signals import post_delete
    from wagtail.signals import page_unpublished

    from .models import LiveBlogPage

    page_unpublished.connect(close_streams, sender=LiveBlogPage, dispatch_uid="live-unpublished")
    post_delete.connect(close_streams, sender=LiveBlogPage, dispatch_uid="live-deleted")
