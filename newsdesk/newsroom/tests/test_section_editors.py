"""Sections assigned to editors: a group per section, made by the sections themselves."""

from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import GroupPagePermission

from newsdesk.news.models import SectionPage
from newsdesk.news.roles import ensure_newsroom_roles, section_editors_name
from newsdesk.testing import make_article

from .admin import article_form, was_refused


def page_permissions(group):
    return {
        (grant.page.title, grant.permission.codename)
        for grant in GroupPagePermission.objects.filter(group=group).select_related(
            "page", "permission"
        )
    }


def test_each_section_has_an_editors_group_for_that_section_only(roles, world, offbeat):
    group = Group.objects.get(name="Editors: World")
    assert page_permissions(group) == {
        ("World", codename)
        for codename in ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
    }
    assert group.permissions.filter(codename="moderate_comment").exists(), "an editor's desk too"
    assert Group.objects.filter(name="Editors: Off-beat").exists()


def test_a_section_created_later_gets_its_group_at_once(roles, home):
    sport = SectionPage(title="Sport", slug="sport")
    home.add_child(instance=sport)
    assert ("Sport", "publish_page") in page_permissions(Group.objects.get(name="Editors: Sport"))


def test_a_renamed_section_keeps_its_group_under_the_new_name(roles, world, world_editor):
    world.title = "World news"
    world.save_revision().publish()
    group = world_editor.groups.get()
    assert group.name == "Editors: World news"
    assert section_editors_name(world) == group.name


def test_making_the_roles_again_changes_nothing(roles, world):
    before = Group.objects.count(), GroupPagePermission.objects.count()
    ensure_newsroom_roles()
    assert (Group.objects.count(), GroupPagePermission.objects.count()) == before


def test_the_explorer_of_a_section_editor_opens_on_their_section(client, world, world_editor):
    client.force_login(world_editor)
    response = client.get(reverse("wagtailadmin_explore_root"))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_explore", args=(world.pk,))


def test_a_reporter_edits_their_own_draft_but_not_another_reporters(
    client, django_user_model, roles, world, reporter
):
    colleague = django_user_model.objects.create_user("colleague")
    colleague.groups.add(roles["Reporters"])
    own = make_article(world, title="Own draft", publish=False, owner=reporter)
    theirs = make_article(world, title="Their draft", publish=False, owner=colleague)
    client.force_login(reporter)
    for page, allowed in ((own, True), (theirs, False)):
        response = client.post(
            reverse("wagtailadmin_pages:edit", args=(page.pk,)),
            article_form(world, title="Rewritten", slug=page.slug),
        )
        assert page.revisions.filter(user=reporter).exists() is allowed
        assert was_refused(response) is not allowed
