"""Reader accounts (allauth): registration, log in, brute force, enumeration, deletion."""

import re
from urllib.parse import urlencode

import pytest
from allauth.account.models import EmailAddress
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from newsdesk.accounts.models import ReaderProfile
from newsdesk.discussion.models import Comment, Discussion
from newsdesk.discussion.services import discussion_for
from newsdesk.testing import READER_PASSWORD, make_article


def page_text(response):
    return re.sub(r"\s+", " ", BeautifulSoup(response.content, "html.parser").main.get_text())


def test_register_confirm_and_come_back_to_the_article(client, world):
    article = make_article(world, title="Bridge reopens")
    back = f"{article.url}#discussion"
    response = client.post(
        "/en/accounts/signup/?" + urlencode({"next": back}),
        {
            "email": "lea@example.org",
            "password1": "a long and private phrase",
            "password2": "a long and private phrase",
            "display_name": "Léa <b>M</b>",
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(email="lea@example.org")
    assert ReaderProfile.objects.get(user=user).display_name == "Léa <b>M</b>"
    assert not EmailAddress.objects.get(user=user).verified
    [message] = mail.outbox
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    confirm = client.post(link.split("://", 1)[1].split("/", 1)[1].join(["/", ""]))
    assert EmailAddress.objects.get(user=user).verified
    assert confirm.status_code == 302
    assert confirm["Location"] == back


def test_logging_in_from_the_prompt_returns_to_the_article(client, reader, world):
    article = make_article(world, title="Bridge reopens")
    back = f"{article.url}#discussion"
    response = client.post(
        "/en/accounts/login/?" + urlencode({"next": back}),
        {"login": "reader@example.org", "password": READER_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == back


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"]
)
def test_log_in_never_redirects_off_the_site(client, home, reader, target):
    response = client.post(
        "/en/accounts/login/?" + urlencode({"next": target}),
        {"login": "reader@example.org", "password": READER_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/"


def test_a_burst_of_wrong_passwords_locks_the_account_for_a_while(reader):
    attacker = Client()
    for _attempt in range(5):
        wrong = attacker.post(
            "/en/accounts/login/", {"login": "reader@example.org", "password": "guess"}
        )
        assert wrong.status_code == 200
    # Even the right password is refused now, from anywhere.
    owner = Client(REMOTE_ADDR="10.0.0.9")
    refused = owner.post(
        "/en/accounts/login/", {"login": "reader@example.org", "password": READER_PASSWORD}
    )
    assert refused.status_code in (200, 429)
    assert "_auth_user_id" not in owner.session


def test_login_register_and_reset_answer_alike_for_known_and_unknown_emails(client, reader):
    def answer(path, data):
        response = Client().post(path, data)
        location = response.get("Location", "")
        return response.status_code, location, page_text(response) if not location else ""

    known = answer("/en/accounts/login/", {"login": "reader@example.org", "password": "wrong"})
    unknown = answer("/en/accounts/login/", {"login": "nobody@example.org", "password": "wrong"})
    assert known == unknown
    known = answer("/en/accounts/password/reset/", {"email": "reader@example.org"})
    unknown = answer("/en/accounts/password/reset/", {"email": "nobody@example.org"})
    assert known == unknown
    signup = {"password1": "a long and private phrase", "password2": "a long and private phrase"}
    signup["display_name"] = "Someone"
    known = answer("/en/accounts/signup/", {**signup, "email": "reader@example.org"})
    unknown = answer("/en/accounts/signup/", {**signup, "email": "fresh@example.org"})
    assert known == unknown


def test_readers_never_reach_the_newsroom(reader):
    client = Client()
    client.force_login(reader)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_account_page_changes_the_display_name(reader):
    client = Client()
    client.force_login(reader)
    assert client.post("/en/accounts/", {"display_name": "  "}).status_code == 400
    assert client.post("/en/accounts/", {"display_name": "Ada L."}).status_code == 302
    assert ReaderProfile.objects.get(user=reader).display_name == "Ada L."
    assert Client().get("/en/accounts/").status_code == 302  # logged out: to the log-in page


@pytest.mark.parametrize("choice", ["keep", "remove"])
def test_deleting_an_account_removes_personal_data_and_keeps_or_blanks_comments(
    reader, world, choice
):
    article = make_article(world, title="Bridge reopens")
    discussion = discussion_for(article)
    Comment.objects.create(discussion=discussion, author=reader, body="My view")
    Discussion.objects.filter(pk=discussion.pk).update(comment_count=1)
    client = Client()
    client.force_login(reader)
    wrong = client.post("/en/accounts/delete/", {"comments": choice, "password": "nope"})
    assert wrong.status_code == 400
    response = client.post(
        "/en/accounts/delete/", {"comments": choice, "password": READER_PASSWORD}
    )
    assert response.status_code == 200
    assert not get_user_model().objects.filter(email="reader@example.org").exists()
    assert not EmailAddress.objects.filter(email="reader@example.org").exists()
    comment = Comment.objects.get()
    assert comment.author is None
    html = Client().get(f"/en/discussion/{article.pk}/").content.decode()
    if choice == "keep":
        assert comment.body == "My view"
        assert "deleted account" in html and "My view" in html
    else:
        assert comment.body == ""
        assert "My view" not in html
        assert Discussion.objects.get().comment_count == 0


def test_newsroom_accounts_are_not_deleted_from_the_reader_side(editor):
    client = Client()
    client.force_login(editor)
    response = client.post("/en/accounts/delete/", {"comments": "keep", "password": "pass-editor"})
    assert response.status_code == 403
    assert get_user_model().objects.filter(pk=editor.pk).exists()


def test_the_newsroom_login_and_the_reader_login_share_one_allowance_per_account(editor):
    editor.email = "editor@example.org"
    editor.save()
    EmailAddress.objects.create(user=editor, email=editor.email, verified=True, primary=True)
    attacker = Client()
    for _attempt in range(3):
        attacker.post("/admin/login/", {"username": "editor", "password": "guess"})
    for _attempt in range(2):
        attacker.post("/en/accounts/login/", {"login": "editor@example.org", "password": "guess"})
    owner = Client(REMOTE_ADDR="10.0.0.7")
    locked = owner.post("/admin/login/", {"username": "editor", "password": "pass-editor"})
    assert "Too many failed attempts" in locked.content.decode()
    assert "_auth_user_id" not in owner.session


def test_the_newsroom_login_still_works(editor):
    client = Client()
    response = client.post("/admin/login/", {"username": "editor", "password": "pass-editor"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_reader_is_greeted_by_their_display_name_not_the_internal_username(client, reader):
    response = client.post(
        "/en/accounts/login/?next=/accounts/",
        {"login": "reader@example.org", "password": READER_PASSWORD},
        follow=True,
    )

    status = BeautifulSoup(response.content, "html.parser").select_one("[role=status]")
    assert status.get_text(strip=True) == "Successfully signed in as Ada Reader."
