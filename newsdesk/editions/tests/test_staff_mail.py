"""Emails to the newsroom go out in the language each recipient reads the admin in."""

import datetime
from types import SimpleNamespace

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.users.models import UserProfile

from newsdesk.images.services import images_expire
from newsdesk.news.roles import EDITOR
from newsdesk.testing import make_image
from newsdesk.wire.services import notify_editor_of_update


@pytest.fixture
def editors(django_user_model, roles):
    """An editor who reads the admin in English, one in Russian."""

    def editor(username, language):
        user = django_user_model.objects.create_user(
            username, email=f"{username}@example.org", password="x"
        )
        user.groups.add(roles[EDITOR])
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = language
        profile.save()
        return user

    return editor("anna", "en"), editor("boris", "ru")


def test_an_expired_licence_is_reported_to_each_editor_in_their_language(
    editors, django_capture_on_commit_callbacks
):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    make_image(title="Harbour", usable_until=yesterday)

    with django_capture_on_commit_callbacks(execute=True):
        images_expire()

    by_recipient = {tuple(message.to): message for message in mail.outbox}
    english = by_recipient[("anna@example.org",)]
    russian = by_recipient[("boris@example.org",)]
    assert english.subject == "Image licence expired: Harbour"
    assert 'The licence for the image "Harbour"' in english.body
    assert russian.subject == "Истекла лицензия на изображение: Harbour"
    assert "Лицензия на изображение «Harbour»" in russian.body


def test_a_wire_update_is_told_in_the_editors_language(editors):
    _, boris = editors
    article = SimpleNamespace(pk=7, title="Strike in the port", latest_revision=None, owner=boris)
    item = SimpleNamespace(article=article, version="2", headline="Strike over, pay agreed")

    notify_editor_of_update(item)

    (message,) = mail.outbox
    assert message.subject == "Обновление сообщения агентства: Strike over, pay agreed"
    assert "Агентство прислало новую версию (версия 2)" in message.body
    assert "/admin/pages/7/edit/" in message.body
