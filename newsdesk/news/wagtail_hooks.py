from django.contrib import messages
from django.utils.translation import ngettext
from wagtail import hooks

from .models import ArticlePage


def broken_article_links(page):
    """Headlines (or ids) of related-story and read-more targets that readers cannot see."""
    targets = [
        block.value["article"]
        for block in page.body
        if block.block_type in ("related_story", "read_more")
    ]
    # Targets are loaded as live articles only; a None means the chosen
    # article is unpublished or deleted.
    return sum(1 for target in targets if target is None)


@hooks.register("before_edit_page")
def warn_about_broken_article_links(request, page):
    if request.method != "GET" or not isinstance(page, ArticlePage):
        return
    draft = page.get_latest_revision_as_object()
    broken = broken_article_links(draft)
    if broken:
        messages.warning(
            request,
            ngettext(
                "%(count)d related story or read-more link points at an article that is "
                "unpublished or deleted; readers will not see it.",
                "%(count)d related story or read-more links point at articles that are "
                "unpublished or deleted; readers will not see them.",
                broken,
            )
            % {"count": broken},
        )
