"""Every role against every newsroom action, through the real admin URLs.

Each cell posts what a user of that role could send, including what their
screens never offer (a reporter's "Publish"), and checks the effect: done,
refused (and nothing changed), or kept as a draft. The README's "Newsroom
roles" table says the same in words.
"""

import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from newsdesk.images.models import CreditedImage
from newsdesk.live.models import EntryStatus, LiveEntry
from newsdesk.live.tests.factories import make_live_blog
from newsdesk.news.models import ArticlePage
from newsdesk.news.roles import section_editors_name
from newsdesk.testing import make_article, make_image

from .admin import article_form, was_refused

DONE, REFUSED, DRAFT = "done", "refused", "draft only"
Y, N, D = DONE, REFUSED, DRAFT

ROLES = [
    "reporter",
    "editor",
    "world_editor",
    "photo_editor",
    "live_desk_editor",
    "moderator",
    "administrator",
]
# fmt: off
MATRIX = {
    #                              reporter editor  World  photo  live   moderator admin
    "open the admin":               (Y,      Y,      Y,     Y,     Y,     Y,        Y),
    "explore World":                (Y,      Y,      Y,     N,     N,     N,        Y),
    "write in World":               (Y,      Y,      Y,     N,     N,     N,        Y),
    "write in Off-beat":            (Y,      Y,      N,     N,     N,     N,        Y),
    "edit own draft":               (Y,      Y,      Y,     N,     N,     N,        Y),
    "edit others' in World":        (N,      Y,      Y,     N,     N,     N,        Y),
    "edit others' in Off-beat":     (N,      Y,      N,     N,     N,     N,        Y),
    "publish in World":             (D,      Y,      Y,     N,     N,     N,        Y),
    "publish in Off-beat":          (D,      Y,      N,     N,     N,     N,        Y),
    "schedule in World":            (D,      Y,      Y,     N,     N,     N,        Y),
    "unpublish in World":           (N,      Y,      Y,     N,     N,     N,        Y),
    "delete in World":              (N,      Y,      Y,     N,     N,     N,        Y),
    "approve in World":             (N,      Y,      Y,     N,     N,     N,        Y),
    "approve in Off-beat":          (N,      Y,      N,     N,     N,     N,        Y),
    "upload an image":              (Y,      Y,      Y,     Y,     Y,     N,        Y),
    "edit an image's credit":       (N,      Y,      Y,     Y,     N,     N,        Y),
    "delete an image":              (N,      Y,      Y,     Y,     N,     N,        Y),
    "post to a live blog":          (D,      Y,      Y,     N,     Y,     N,        Y),
    "moderate comments":            (N,      Y,      Y,     N,     N,     Y,        Y),
    "manage users":                 (N,      N,      N,     N,     N,     N,        Y),
    "assign sections":              (N,      N,      N,     N,     N,     N,        Y),
}
# fmt: on

ACTIONS = {}


def action(name):
    def register(function):
        ACTIONS[name] = function
        return function

    return register


def outcome(response, done: bool, *, draft: bool = False) -> str:
    """What happened, told by the effect; a refusal must have changed nothing."""
    if done:
        assert response.status_code in (200, 302), response.status_code
        return DONE
    if draft:
        assert response.status_code == 302, "kept as a draft"
        return DRAFT
    assert was_refused(response), (response.status_code, response.get("Location"))
    return REFUSED


def page_url(name, page, *args):
    return reverse(f"wagtailadmin_pages:{name}", args=(page.pk, *args))


def draft_of(section, owner, title="Draft story"):
    return make_article(section, title=title, publish=False, owner=owner)


def post_edit(client, page, **overrides):
    data = article_form(page.get_parent(), **{"title": page.title, "slug": page.slug, **overrides})
    return client.post(page_url("edit", page), data)


def saved_by(page, user) -> bool:
    return page.revisions.filter(user=user).exists()


@action("open the admin")
def _(client, user, fx):
    response = client.get(reverse("wagtailadmin_home"))
    return outcome(response, response.status_code == 200)


@action("explore World")
def _(client, user, fx):
    world = fx("world")
    response = client.get(reverse("wagtailadmin_explore", args=(world.pk,)))
    return outcome(response, response.status_code == 200)


def _write(client, section):
    slug = f"new-in-{section.slug}"
    response = client.post(
        reverse("wagtailadmin_pages:add", args=("news", "articlepage", section.pk)),
        article_form(section, slug=slug),
    )
    return outcome(response, ArticlePage.objects.filter(slug=slug).exists())


@action("write in World")
def _(client, user, fx):
    return _write(client, fx("world"))


@action("write in Off-beat")
def _(client, user, fx):
    return _write(client, fx("offbeat"))


@action("edit own draft")
def _(client, user, fx):
    page = draft_of(fx("world"), user)
    response = post_edit(client, page, title="Own draft, rewritten")
    return outcome(response, saved_by(page, user))


def _edit_others(client, user, section):
    page = make_article(section, title="Someone else's story")
    response = post_edit(client, page, title="Rewritten")
    return outcome(response, saved_by(page, user))


@action("edit others' in World")
def _(client, user, fx):
    return _edit_others(client, user, fx("world"))


@action("edit others' in Off-beat")
def _(client, user, fx):
    return _edit_others(client, user, fx("offbeat"))


def _publish(client, user, page, **extra):
    # The reporter's own draft: the one page a reporter may open, and so the
    # one where a crafted "Publish" reaches the edit view.
    response = post_edit(client, page, **{"action-publish": "action-publish", **extra})
    page.refresh_from_db()
    return page, response


@action("publish in World")
def _(client, user, fx):
    page, response = _publish(client, user, draft_of(fx("world"), fx("reporter")))
    return outcome(response, page.live, draft=saved_by(page, user))


@action("publish in Off-beat")
def _(client, user, fx):
    page, response = _publish(client, user, draft_of(fx("offbeat"), fx("reporter")))
    return outcome(response, page.live, draft=saved_by(page, user))


@action("schedule in World")
def _(client, user, fx):
    go_live_at = (timezone.now() + timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    page, response = _publish(
        client, user, draft_of(fx("world"), fx("reporter")), go_live_at=go_live_at
    )
    assert not page.live
    scheduled = page.revisions.filter(approved_go_live_at__isnull=False).exists()
    return outcome(response, scheduled, draft=saved_by(page, user))


@action("unpublish in World")
def _(client, user, fx):
    page = make_article(fx("world"))
    response = client.post(page_url("unpublish", page))
    page.refresh_from_db()
    return outcome(response, not page.live)


@action("delete in World")
def _(client, user, fx):
    page = make_article(fx("world"))
    response = client.post(page_url("delete", page))
    return outcome(response, not ArticlePage.objects.filter(pk=page.pk).exists())


def _approve(client, user, fx, section):
    reporter = fx("reporter")
    page = draft_of(section, reporter, title="Submitted story")
    section.get_workflow().start(page, reporter)
    task_state = page.current_workflow_task_state
    response = client.post(page_url("workflow_action", page, "approve", task_state.pk))
    page.refresh_from_db()
    return outcome(response, page.live)


@action("approve in World")
def _(client, user, fx):
    return _approve(client, user, fx, fx("world"))


@action("approve in Off-beat")
def _(client, user, fx):
    return _approve(client, user, fx, fx("offbeat"))


@action("upload an image")
def _(client, user, fx):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "red.png"
    data = {"title": "Red square", "file": buffer, "credit": "© Ann Lens", "collection": "1"}
    response = client.post(reverse("wagtailimages:add"), data)
    return outcome(response, CreditedImage.objects.filter(title="Red square").exists())


@action("edit an image's credit")
def _(client, user, fx):
    image = make_image()  # uploaded by someone else
    data = {"title": image.title, "credit": "© New Agency", "collection": "1", "tags": ""}
    response = client.post(reverse("wagtailimages:edit", args=(image.pk,)), data)
    image.refresh_from_db()
    return outcome(response, image.credit == "© New Agency")


@action("delete an image")
def _(client, user, fx):
    image = make_image()
    response = client.post(reverse("wagtailimages:delete", args=(image.pk,)))
    return outcome(response, not CreditedImage.objects.filter(pk=image.pk).exists())


@action("post to a live blog")
def _(client, user, fx):
    blog = make_live_blog(fx("world"))
    response = client.post(
        reverse("live_entry_create", args=(blog.pk,)),
        {"headline": "", "text": "The harbour wall holds."},
    )
    entry = LiveEntry.objects.filter(blog=blog).first()
    if response.status_code == 403:
        return outcome(response, False)
    return outcome(
        response,
        entry is not None and entry.status == EntryStatus.PUBLISHED,
        draft=entry is not None and entry.status == EntryStatus.DRAFT,
    )


@action("moderate comments")
def _(client, user, fx):
    response = client.get(reverse("discussion_queue"))
    return outcome(response, response.status_code == 200)


@action("manage users")
def _(client, user, fx):
    data = {
        "username": "new-hire",
        "email": "new-hire@example.org",
        "first_name": "New",
        "last_name": "Hire",
        "password1": "a-Long-pass-phrase-42",
        "password2": "a-Long-pass-phrase-42",
    }
    response = client.post(reverse("wagtailusers_users:add"), data)
    return outcome(response, get_user_model().objects.filter(username="new-hire").exists())


@action("assign sections")
def _(client, user, fx):
    from django.contrib.auth.models import Group

    group = Group.objects.get(name=section_editors_name(fx("offbeat")))
    response = client.get(reverse("wagtailusers_groups:edit", args=(group.pk,)))
    return outcome(response, response.status_code == 200)


def test_the_matrix_covers_every_action():
    assert set(MATRIX) == set(ACTIONS)


@pytest.mark.parametrize(
    ("role", "name", "expected"),
    [
        pytest.param(role, name, cells[i], id=f"{role}-{name.replace(' ', '_')}")
        for name, cells in MATRIX.items()
        for i, role in enumerate(ROLES)
    ],
)
def test_role_action(client, request, world, offbeat, role, name, expected):
    user = request.getfixturevalue(role)
    client.force_login(user)
    assert ACTIONS[name](client, user, request.getfixturevalue) == expected
