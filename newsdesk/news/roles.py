"""The newsroom's roles as Wagtail groups, created on every migrate.

A reporter writes and submits for review; an editor also publishes. Page
permissions are granted on the site root so they cover every section; each
section also has its own editors' group ("Editors: World") whose members edit,
publish and approve in that section only.
"""

from django.conf import settings
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
PHOTO_EDITOR = "Photo editors"
# Followed by the section's title: "Editors: World".
SECTION_EDITORS_PREFIX = "Editors: "

ROLE_PAGE_PERMISSIONS = {
    REPORTER: ["add_page"],
    EDITOR: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    LIVE_DESK: [],
    MODERATOR: [],
    PHOTO_EDITOR: [],  # the media library and its credits; publishes nothing
}
# Wagtail checks image permissions on its own Image model whatever the image
# model is (wagtail.images.get_permission_policy), so these are wagtailimages'.
ROLE_IMAGE_PERMISSIONS = {
    REPORTER: ["add_image", "choose_image"],
    EDITOR: ["add_image", "change_image", "choose_image"],
    LIVE_DESK: ["add_image", "choose_image"],
    MODERATOR: [],
    PHOTO_EDITOR: ["add_image", "change_image", "choose_image", "delete_image"],
}
ROLE_MODEL_PERMISSIONS = {
    # Reporters may draft live entries for an editor to post.
    REPORTER: [
        ("wagtailadmin", "access_admin"),
        ("live", "add_liveentry"),
        ("wire", "use_wireitem"),
    ],
    EDITOR: [
        ("wagtailadmin", "access_admin"),
        ("news", "add_author"),
        ("news", "change_author"),
        ("taggit", "add_tag"),
        ("live", "add_liveentry"),
        ("live", "post_liveentry"),
        ("discussion", "moderate_comment"),
        ("wire", "use_wireitem"),
        # Editors set up the agencies' feeds the wire queue reads.
        ("wire", "view_wiresource"),
        ("wire", "add_wiresource"),
        ("wire", "change_wiresource"),
        ("wire", "delete_wiresource"),
        # Editors start another edition's version of a page ("Translate").
        ("simple_translation", "submit_translation"),
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
    PHOTO_EDITOR: [("wagtailadmin", "access_admin")],
}


WAGTAILS_SEEDED_TASK = "Moderators approval"


def _drop_wagtails_seeded_grants(group, root_page, root_collection):
    # Wagtail's first migrations create a "Moderators" group that may edit and
    # publish every page and change images and documents. Ours only moderate
    # comments, so those seeded grants go (grants on other pages stay).
    GroupPagePermission.objects.filter(group=group, page=root_page).delete()
    GroupCollectionPermission.objects.filter(group=group, collection=root_collection).delete()
    group.permissions.remove(
        *Permission.objects.filter(content_type__app_label__in=["wagtailimages", "wagtaildocs"])
    )
    # Its approval task would let them approve (and so publish) pages in review.
    for task in GroupApprovalTask.objects.filter(name=WAGTAILS_SEEDED_TASK):
        task.groups.remove(group)


def _permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _grant(group, role, *, page, collection):
    """Give a group the role's permissions, its page permissions on `page` and below."""
    if page:
        for codename in ROLE_PAGE_PERMISSIONS[role]:
            GroupPagePermission.objects.get_or_create(
                group=group, page=page, permission=_permission("wagtailcore", codename)
            )
    if collection:
        for codename in ROLE_IMAGE_PERMISSIONS[role]:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=collection,
                permission=_permission("wagtailimages", codename),
            )
    group.permissions.add(
        *(_permission(app_label, codename) for app_label, codename in ROLE_MODEL_PERMISSIONS[role])
    )


@transaction.atomic
def ensure_newsroom_roles():
    """Create or top up the role groups; idempotent, never removes what an admin added."""
    from newsdesk.newsroom.workflow import ensure_review_workflow

    from .models import SectionPage

    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    groups = {}
    for role in ROLE_PAGE_PERMISSIONS:
        group, _ = Group.objects.get_or_create(name=role)
        groups[role] = group
        _grant(group, role, page=root_page, collection=root_collection)
        if role == MODERATOR and root_page and root_collection:
            _drop_wagtails_seeded_grants(group, root_page, root_collection)
    for section in SectionPage.objects.all():
        ensure_section_editors(section)
    # Reporters' submissions go to the editors of the article's section.
    ensure_review_workflow()
    return groups


def section_editors_name(section) -> str:
    """ "Editors: World"; in another edition "Editors: Мир (ru)": each edition's
    section has its own desk, and a new translation (still titled "World" when
    first saved) must not take over the original section's group."""
    name = f"{SECTION_EDITORS_PREFIX}{section.title}"
    language = section.locale.language_code
    if language != settings.LANGUAGE_CODE:
        name = f"{name} ({language})"
    return name[: Group._meta.get_field("name").max_length]


@transaction.atomic
def ensure_section_editors(section) -> Group:
    """The group of a section's editors: everything an editor does, pages in this section only.

    Found by its publish permission on the section, so it follows a renamed
    section (and is renamed with it, unless that name is taken).
    """
    grant = (
        GroupPagePermission.objects.filter(
            page=section,
            permission=_permission("wagtailcore", "publish_page"),
            group__name__startswith=SECTION_EDITORS_PREFIX,
        )
        .select_related("group")
        .first()
    )
    name = section_editors_name(section)
    if grant is None:
        group, _ = Group.objects.get_or_create(name=name)
    else:
        group = grant.group
        if group.name != name and not Group.objects.filter(name=name).exists():
            group.name = name
            group.save(update_fields=["name"])
    _grant(group, EDITOR, page=section, collection=Collection.get_first_root_node())
    return group
