"""Emails to the newsroom go out in the language each recipient reads the admin in."""

from collections import defaultdict

from wagtail.users.models import UserProfile


def staff_language(user) -> str:
    """The recipient's admin language (Wagtail's account setting), else the site's."""
    return UserProfile.get_for_user(user).get_preferred_language()


def by_language(users) -> dict[str, list[str]]:
    """Recipients' email addresses grouped by their language: one message per language."""
    groups: dict[str, list[str]] = defaultdict(list)
    for user in users:
        groups[staff_language(user)].append(user.email)
    return dict(groups)
