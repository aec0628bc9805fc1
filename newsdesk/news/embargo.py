"""Embargoes end on time everywhere, cached pages included.

Every public read (freshness.readable, ArticlePage.serve, the cards' templates)
compares an article's embargo with the clock, so nothing shows early. Pages
kept per content token were rendered while the article was hidden, though, and
would go on hiding it: once an embargo passes, this job marks the content
changed, and every page shows the article on its next view.
"""

from django.utils import timezone

from newsdesk.worker.runner import every

from .freshness import content_changed

LIFT_CHECK_SECONDS = 15


@every(LIFT_CHECK_SECONDS, "lift-embargoes")
def lift_due_embargoes() -> int:
    """Mark embargoes that have passed as lifted; how many."""
    from .models import ArticlePage

    lifted = ArticlePage.objects.filter(
        embargo_lifted=False, embargo_until__lte=timezone.now()
    ).update(embargo_lifted=True)
    if lifted:
        content_changed()
    return lifted
