"""Live-coverage fixtures: a live blog, a live-desk editor, and the events it publishes."""

import pytest

from newsdesk.live import broker
from newsdesk.news.roles import LIVE_DESK

from .factories import make_live_blog


@pytest.fixture
def blog(world):
    return make_live_blog(world)


@pytest.fixture
def live_desk_editor(django_user_model, roles):
    user = django_user_model.objects.create_user(username="livedesk", password="pass-livedesk")
    user.groups.add(roles[LIVE_DESK])
    return user


@pytest.fixture
def published(monkeypatch):
    """What the services hand to the broker, as (blog id, seq, op, data), in order."""
    sent = []
    monkeypatch.setattr(
        broker, "publish", lambda blog_id, seq, op, data: sent.append((blog_id, seq, op, data))
    )
    return sent
