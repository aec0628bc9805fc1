"""Section editors and the other newsroom personas (reporter, editor, moderator: root conftest)."""

import pytest
from django.contrib.auth.models import Group

from newsdesk.news.models import SectionPage
from newsdesk.news.roles import LIVE_DESK, PHOTO_EDITOR, section_editors_name


@pytest.fixture
def offbeat(home):
    section = SectionPage(title="Off-beat", slug="off-beat", show_in_menus=True)
    home.add_child(instance=section)
    section.save_revision().publish()
    return section


def _member(django_user_model, username, group_name):
    user = django_user_model.objects.create_user(username=username, password="pass-" + username)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def world_editor(django_user_model, roles, world):
    return _member(django_user_model, "world-editor", section_editors_name(world))


@pytest.fixture
def offbeat_editor(django_user_model, roles, offbeat):
    return _member(django_user_model, "offbeat-editor", section_editors_name(offbeat))


@pytest.fixture
def live_desk_editor(django_user_model, roles):
    return _member(django_user_model, "livedesk", LIVE_DESK)


@pytest.fixture
def photo_editor(django_user_model, roles):
    return _member(django_user_model, "photo-editor", PHOTO_EDITOR)


@pytest.fixture
def administrator(django_user_model, db):
    return django_user_model.objects.create_superuser("admin", "admin@example.org", "pass-admin")
