"""The newsroom's roles as Wagtail groups, created on every migrate.

A reporter writes and submits for review; an editor also publishes. Page
permissions are granted on the site root so they cover every section.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
)

REPORTER = "Reporters"
EDITOR = "Editors"
LIVE_DESK = "Live desk editors"
MODERATOR = "Moderators"

ROLE_PAGE_PERMISSIONS = {
    REPORTER: ["add_page"],
    EDITOR: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    LIVE_DESK: [],
    MODERATOR: [],
}
ROLE_IMAGE_PERMISSIONS = {
    REPORTER: ["add_creditedimage", "choose_creditedimage"],
    EDITOR: ["add_creditedimage", "change_creditedimage", "choose_creditedimage"],
    LIVE_DESK: ["add_creditedimage", "choose_creditedimage"],
    MODERATOR: [],
}
ROLE_MODEL_PERMISSIONS = {
    # Reporters may draft live entries for an editor to post.
    REPORTER: [("wagtailadmin", "access_admin"), ("live", "add_liveentry")],
    EDITOR: [
        ("wagtailadmin", "access_admin"),
        ("news", "add_author"),
        ("news", "change_author"),
        ("taggit", "add_tag"),
        ("live", "add_liveentry"),
        ("live", "post_liveentry"),
        ("discussion", "moderate_comment"),
    ],
    LIVE_DESK: [
        ("wagtailadmin", "access_admin"),
        ("live", "add_liveentry"),
        ("live", "post_liveentry"),
    ],
    # Moderators keep the discussion civil; they publish nothing.
    MODERATOR: [
        ("wagtailadmin", "access_admin"),
        ("discussion", "moderate_comment"),
    ],
}


def _drop_wagtails_seeded_grants(group, root_page, root_collection):
    # Wagtail's first migrations create a "Moderators" group that may edit and
    # publish every page and change images and documents. Ours only moderate
    # comments, so those seeded grants go (grants on other pages stay).
    GroupPagePermission.objects.filter(group=group, page=root_page).delete()
    GroupCollectionPermission.objects.filter(group=group, collection=root_collection).delete()
    group.permissions.remove(
        *Permission.objects.filter(content_type__app_label__in=["wagtailimages", "wagtaildocs"])
    )


@transaction.atomic
def ensure_newsroom_roles():
    """Create or top up the role groups; idempotent, never removes what an admin added."""
    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    groups = {}
    for role, page_permissions in ROLE_PAGE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        groups[role] = group
        if root_page:
            for codename in page_permissions:
                GroupPagePermission.objects.get_or_create(
                    group=group,
                    page=root_page,
                    permission=Permission.objects.get(
                        content_type__app_label="wagtailcore", codename=codename
                    ),
                )
        if root_collection:
            for codename in ROLE_IMAGE_PERMISSIONS[role]:
                GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=root_collection,
                    permission=Permission.objects.get(
                        content_type__app_label="images", codename=codename
                    ),
                )
        if role == MODERATOR and root_page and root_collection:
            _drop_wagtails_seeded_grants(group, root_page, root_collection)
        for app_label, codename in ROLE_MODEL_PERMISSIONS[role]:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
    # Reporters' submissions go to the editors: they approve in Wagtail's
    # review workflow (created by Wagtail's migrations for the whole tree).
    for task in GroupApprovalTask.objects.all():
        task.groups.add(groups[EDITOR])
    return groups
