"""Helpers for driving the Wagtail admin with the test client."""

import re

from django.urls import reverse

from newsdesk.news.tests.test_newsroom import _article_form as article_form

__all__ = ["article_form", "edit_form", "loaded_from", "was_refused"]


def was_refused(response) -> bool:
    """Wagtail answers a refusal with 403 or a redirect to the dashboard (or the login)."""
    if response.status_code == 403:
        return True
    location = response.get("Location", "") if response.status_code == 302 else ""
    return location in (reverse("wagtailadmin_home"), "/admin/") or "/login/" in location


def loaded_from(html) -> dict:
    """The hidden fields by which the edit form says which version it shows."""
    return {
        name: re.search(rf'name="{name}" value="([^"]*)"', html).group(1)
        for name in ("loaded_revision_id", "loaded_revision_created_at")
    }


def edit_form(client, page, **overrides):
    """The edit form as the user opened it: the content and the version it was loaded from."""
    html = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()
    loaded = loaded_from(html)
    return article_form(
        page.get_parent(), **{"title": page.title, "slug": page.slug, **loaded, **overrides}
    )
