"""Moderators in the Wagtail admin: the queue, every action and its log entry, and who may act."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone

from newsdesk.discussion import moderation
from newsdesk.discussion.models import (
    Comment,
    CommentReport,
    Discussion,
    Mode,
    ModerationLogEntry,
    ReaderBan,
)
from newsdesk.discussion.services import Refused, discussion_for
from newsdesk.live.tests.factories import make_live_blog
from newsdesk.testing import make_article, make_reader

QUEUE = "/admin/comments/"


@pytest.fixture
def moderator_client(moderator):
    client = Client()
    client.force_login(moderator)
    return client


@pytest.fixture
def article(world):
    return make_article(world, title="Talks resume in Geneva")


@pytest.fixture
def troll(db):
    return make_reader("troll@example.org", "Tom Troll")


def make_comment(article, author, body="A view", status=Comment.Status.PENDING, **fields):
    discussion = discussion_for(article)
    comment = Comment.objects.create(
        discussion=discussion, author=author, body=body, status=status, **fields
    )
    if status == Comment.Status.PUBLISHED:
        Discussion.objects.filter(pk=discussion.pk).update(
            comment_count=discussion.comment_count + 1
        )
    return comment


def count(article):
    return Discussion.objects.get(page=article).comment_count


def log_rows():
    return list(
        ModerationLogEntry.objects.order_by("id").values_list(
            "moderator__username", "action", "comment_id", "reader_id", "reason"
        )
    )


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def reader_page_texts(article):
    soup = soup_of(Client().get(f"/en/discussion/{article.pk}/"))
    return [
        node.get_text(" ", strip=True) for node in soup.select(".comment__body, .comment__removed")
    ]


# Every action, its count and its log entry ----------------------------------------------------


def test_a_moderator_approves_a_waiting_comment_and_readers_then_see_it(
    moderator, moderator_client, article, reader
):
    comment = make_comment(article, reader, "Worth reading")
    assert reader_page_texts(article) == []

    queue = moderator_client.get(QUEUE)
    row = soup_of(queue).select_one(f"#queue-comment-{comment.pk}")
    assert "Worth reading" in row.get_text()
    response = moderator_client.post(
        f"/admin/comments/{comment.pk}/approve/", {"next": QUEUE + "?status=pending"}
    )

    assert response.status_code == 302
    assert response["Location"] == QUEUE + "?status=pending"
    followed = moderator_client.get(response["Location"])
    assert "Comment approved: readers see it." in messages_of(followed)
    assert reader_page_texts(article) == ["Worth reading"]
    assert count(article) == 1
    assert log_rows() == [("moderator", "approve", comment.pk, reader.pk, "")]


def test_a_rejected_comment_stays_hidden_and_counts_nothing(moderator_client, article, reader):
    comment = make_comment(article, reader, "Not for print")
    moderator_client.post(f"/admin/comments/{comment.pk}/reject/")
    assert Comment.objects.get().status == "rejected"
    assert reader_page_texts(article) == []
    assert count(article) == 0
    assert log_rows() == [("moderator", "reject", comment.pk, reader.pk, "")]


def test_a_removed_comment_shows_the_reason_in_its_place_and_leaves_the_count(
    moderator_client, article, reader, troll
):
    insult = make_comment(article, troll, "You idiot", status="published")
    make_comment(article, reader, "Please keep it civil", status="published", parent=insult)
    CommentReport.objects.create(comment=insult, reporter=reader, reason="abuse")
    assert count(article) == 2

    form = moderator_client.get(f"/admin/comments/{insult.pk}/remove/?next=/admin/comments/")
    assert "You idiot" in form.content.decode()
    response = moderator_client.post(
        f"/admin/comments/{insult.pk}/remove/",
        {"reason": "Abusive or hateful", "next": "/admin/comments/?status=reported"},
    )

    assert response["Location"] == "/admin/comments/?status=reported"
    assert reader_page_texts(article) == [
        "Removed by a moderator: Abusive or hateful",
        "Please keep it civil",
    ]
    assert count(article) == 1
    assert CommentReport.objects.get().resolved_at is not None
    assert log_rows() == [("moderator", "remove", insult.pk, troll.pk, "Abusive or hateful")]


def test_a_removed_comment_without_replies_still_shows_the_reason(moderator, article, troll):
    comment = make_comment(article, troll, "Buy watches", status="published")
    moderation.comment_remove(moderator, comment.pk, reason="Spam or advertising")
    assert reader_page_texts(article) == ["Removed by a moderator: Spam or advertising"]


def test_a_reported_comment_can_be_kept_and_its_reports_resolved(
    moderator_client, article, reader, troll
):
    comment = make_comment(article, reader, "Sharp but fair", status="published")
    CommentReport.objects.create(comment=comment, reporter=troll, reason="off_topic")
    assert (
        f"queue-comment-{comment.pk}"
        in moderator_client.get(QUEUE + "?status=reported").content.decode()
    )

    moderator_client.post(f"/admin/comments/{comment.pk}/resolve-reports/")

    assert (
        f"queue-comment-{comment.pk}"
        not in moderator_client.get(QUEUE + "?status=reported").content.decode()
    )
    assert Comment.objects.get().status == "published"
    assert count(article) == 1
    assert log_rows() == [("moderator", "resolve_reports", comment.pk, reader.pk, "")]


def test_a_second_moderator_acting_on_the_same_comment_does_not_count_it_twice(
    moderator, editor, article, reader, monkeypatch
):
    comment = make_comment(article, reader, "Twice?")
    stale = Comment.objects.get(pk=comment.pk)  # what the second moderator's page loaded
    moderation.comment_approve(moderator, comment.pk)
    monkeypatch.setattr(moderation, "_get_comment", lambda comment_id: stale)
    with pytest.raises(Refused, match="already published"):
        moderation.comment_approve(editor, comment.pk)
    assert count(article) == 1

    stale.status = "published"
    moderation.comment_remove(moderator, comment.pk, reason="Spam")
    with pytest.raises(Refused, match="already removed"):
        moderation.comment_remove(editor, comment.pk, reason="Spam")
    assert count(article) == 0
    assert [row[1] for row in log_rows()] == ["approve", "remove"]


def test_counts_stay_exact_through_every_path(moderator, article, reader):
    published = make_comment(article, reader, "one", status="published")
    waiting = make_comment(article, reader, "two")
    rejected = make_comment(article, reader, "three")
    moderation.comment_reject(moderator, rejected.pk)
    assert count(article) == 1
    moderation.comment_approve(moderator, rejected.pk)  # a change of mind
    moderation.comment_approve(moderator, waiting.pk)
    assert count(article) == 3
    moderation.comment_remove(moderator, waiting.pk, reason="Off topic")
    moderation.comment_remove(moderator, published.pk, reason="Off topic")
    assert count(article) == 1
    pending_removed = make_comment(article, reader, "four")
    moderation.comment_remove(moderator, pending_removed.pk, reason="Spam")
    assert count(article) == Comment.objects.filter(status="published").count() == 1


# Bulk ----------------------------------------------------------------------------------------


def test_bulk_approve_and_remove_act_on_the_ticked_comments(moderator_client, article, reader):
    comments = [make_comment(article, reader, f"Comment {n}") for n in range(4)]
    ids = [c.pk for c in comments]

    response = moderator_client.post(
        "/admin/comments/bulk/",
        {"action": "approve", "comment": ids[:3], "next": QUEUE},
    )
    assert "Done for 3." in messages_of(moderator_client.get(response["Location"]))
    assert count(article) == 3

    response = moderator_client.post(
        "/admin/comments/bulk/",
        {"action": "remove", "comment": ids, "reason": "Spam or advertising", "next": QUEUE},
    )
    assert "Done for 4." in messages_of(moderator_client.get(response["Location"]))
    assert set(Comment.objects.values_list("status", "removal_reason")) == {
        ("removed", "Spam or advertising")
    }
    assert count(article) == 0
    assert [row[1] for row in log_rows()] == ["approve"] * 3 + ["remove"] * 4


def test_bulk_says_which_ones_it_could_not_do(moderator_client, article, reader):
    waiting = make_comment(article, reader, "waiting")
    published = make_comment(article, reader, "published", status="published")
    response = moderator_client.post(
        "/admin/comments/bulk/", {"action": "reject", "comment": [waiting.pk, published.pk]}
    )
    shown = messages_of(moderator_client.get(response["Location"]))
    assert "Done for 1." in shown
    assert any(
        f"#{published.pk}" in message and "remove it instead" in message for message in shown
    )


def test_bulk_ban_bans_the_authors_of_the_ticked_comments(moderator_client, article, reader, troll):
    first = make_comment(article, troll, "spam 1", status="published")
    second = make_comment(article, troll, "spam 2", status="published")
    moderator_client.post(
        "/admin/comments/bulk/",
        {"action": "ban_authors", "comment": [first.pk, second.pk], "reason": "Spammer"},
    )
    assert list(ReaderBan.objects.values_list("reader_id", "reason", "until")) == [
        (troll.pk, "Spammer", None)
    ]
    assert [row[1] for row in log_rows()] == ["ban"]


# Bans ----------------------------------------------------------------------------------------


def test_a_banned_reader_is_refused_until_unbanned(moderator_client, article, troll):
    client = Client()
    client.force_login(troll)
    until = (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")

    response = moderator_client.post(
        f"/admin/comments/readers/{troll.pk}/ban/",
        {"reason": "Repeated insults", "until": until, "next": QUEUE},
    )

    assert response.status_code == 302
    ban = ReaderBan.objects.get()
    assert ban.reason == "Repeated insults"
    assert timezone.localtime(ban.until).strftime("%Y-%m-%dT%H:%M") == until
    refused = client.post(f"/en/discussion/{article.pk}/comments", {"text": "Let me back in"})
    assert "You cannot comment until" in refused.content.decode()
    assert "Repeated insults" in refused.content.decode()

    banned = moderator_client.get("/admin/comments/readers/banned/")
    assert "Tom Troll" in banned.content.decode()
    moderator_client.post(f"/admin/comments/readers/{troll.pk}/unban/")
    assert not ReaderBan.objects.exists()
    assert (
        client.post(f"/en/discussion/{article.pk}/comments", {"text": "Sorry"}).status_code == 302
    )
    assert [row[1] for row in log_rows()] == ["ban", "unban"]
    assert log_rows()[0][3] == troll.pk


def test_staff_and_moderators_themselves_cannot_be_banned(moderator, moderator_client, editor):
    for user in (moderator, editor):
        response = moderator_client.post(
            f"/admin/comments/readers/{user.pk}/ban/", {"reason": "Mutiny"}
        )
        assert response.status_code == 400
    assert not ReaderBan.objects.exists()


# Discussion modes ------------------------------------------------------------------------------


def test_a_moderator_closes_a_discussion_from_the_queue(moderator_client, article, reader):
    make_comment(article, reader, "Heated")
    queue = moderator_client.get(f"{QUEUE}?status=pending&article={article.pk}")
    form = soup_of(queue).select_one(f'form[action="/admin/comments/discussions/{article.pk}/"]')
    assert form.select_one('button[value="closed"]')

    response = moderator_client.post(
        f"/admin/comments/discussions/{article.pk}/",
        {"mode": "closed", "next": f"{QUEUE}?status=pending&article={article.pk}"},
    )

    assert response["Location"] == f"{QUEUE}?status=pending&article={article.pk}"
    assert Discussion.objects.get(page=article).mode == Mode.CLOSED
    client = Client()
    client.force_login(reader)
    refused = client.post(f"/en/discussion/{article.pk}/comments", {"text": "More"})
    assert refused.status_code == 403
    assert "This discussion is closed" in refused.content.decode()
    assert log_rows() == [("moderator", "set_mode", None, None, "Closed")]


def test_the_article_has_a_discussion_button_that_sets_its_mode(editor, article, world):
    client = Client()
    client.force_login(editor)
    edit_page = client.get(f"/admin/pages/{article.pk}/edit/").content.decode()
    assert f'href="/admin/comments/discussions/{article.pk}/"' in edit_page
    listing = client.get(f"/admin/pages/{world.pk}/").content.decode()
    assert f'href="/admin/comments/discussions/{article.pk}/"' in listing
    blog = make_live_blog(world)
    blog_page = client.get(f"/admin/pages/{blog.pk}/edit/").content.decode()
    assert f'href="/admin/comments/discussions/{blog.pk}/"' in blog_page

    form = client.get(f"/admin/comments/discussions/{article.pk}/")
    choices = [i["value"] for i in soup_of(form).select("input[name=mode]")]
    assert choices == ["", "open", "premoderated", "closed"]
    client.post(
        f"/admin/comments/discussions/{article.pk}/",
        {"mode": "premoderated", "reason": "Trial coverage"},
    )
    assert Discussion.objects.get(page=article).mode == Mode.PREMODERATED
    assert log_rows() == [("editor", "set_mode", None, None, "Pre-moderated: Trial coverage")]
    # Sections set what their articles follow; other pages have no discussion.
    client.post(f"/admin/comments/discussions/{world.pk}/", {"mode": "closed"})
    assert Discussion.objects.get(page=world).mode == Mode.CLOSED
    home = world.get_parent()
    assert client.get(f"/admin/comments/discussions/{home.pk}/").status_code == 404


# The dashboard, the menu and the log ---------------------------------------------------------


def test_the_dashboard_counts_waiting_and_reported_comments(
    moderator_client, article, reader, troll
):
    make_comment(article, reader, "wait 1")
    make_comment(article, reader, "wait 2")
    reported = make_comment(article, reader, "rude", status="published")
    CommentReport.objects.create(comment=reported, reporter=troll, reason="abuse")
    panel = soup_of(moderator_client.get("/admin/")).select_one("#discussion-moderation-section")
    links = {a.get_text(strip=True): a["href"] for a in panel.select("a.button")}
    assert links == {
        "2 comments waiting": "/admin/comments/?status=pending",
        "1 reported comment": "/admin/comments/?status=reported",
    }


def test_the_log_shows_who_did_what_when_and_why_to_editors(moderator, editor, article, reader):
    comment = make_comment(article, reader, "Off the rails", status="published")
    moderation.comment_remove(moderator, comment.pk, reason="Off topic")
    client = Client()
    client.force_login(editor)
    row = soup_of(client.get("/admin/comments/log/")).select_one(".moderation-log__entry")
    cells = [cell.get_text(" ", strip=True) for cell in row.select("td")]
    assert cells[1:] == [
        "moderator",
        "Removed",
        "Off the rails Talks resume in Geneva",
        "Ada Reader",
        "Off topic",
    ]
    assert cells[0]


def test_the_queue_filters_by_article_and_reader_newest_first_in_pages(
    moderator_client, article, world, reader, troll
):
    other = make_article(world, title="Quiet story")
    start = timezone.now() - timedelta(hours=1)
    for n in range(35):
        make_comment(article, reader, f"Mine {n}", created_at=start + timedelta(minutes=n))
    make_comment(other, troll, "Elsewhere")

    def bodies(query):
        soup = soup_of(moderator_client.get(QUEUE + query))
        return [b.get_text(strip=True) for b in soup.select(".moderation-comment__body")]

    assert bodies("")[:2] == ["Elsewhere", "Mine 34"]
    assert len(bodies("")) == 30
    assert bodies("?p=2") == [f"Mine {n}" for n in range(5, -1, -1)]
    assert bodies(f"?reader={troll.pk}") == ["Elsewhere"]
    assert bodies(f"?article={article.pk}&p=2")[-1] == "Mine 0"
    assert bodies("?q=elsewhere") == ["Elsewhere"]
    assert bodies("?status=reported") == []


def test_a_full_page_of_the_queue_costs_no_more_queries_than_one_row(
    moderator_client, article, reader
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_queue():
        with CaptureQueriesContext(connection) as captured:
            assert moderator_client.get(QUEUE + "?status=all").status_code == 200
        return len(captured)

    make_comment(article, reader, "Only one")
    queries_for_queue()  # the first view of the admin loads what it keeps afterwards
    one_row = queries_for_queue()
    for n in range(29):
        author = make_reader(f"r{n}@example.org", f"Reader {n}")
        comment = make_comment(article, author, f"Comment {n}", status="published")
        CommentReport.objects.create(comment=comment, reporter=reader, reason="spam")
        ReaderBan.objects.create(reader=author, reason="Spam")
    assert queries_for_queue() == one_row


# Who may do what -----------------------------------------------------------------------------


def test_the_comments_menu_and_panel_are_for_moderators_only(moderator_client, reporter):
    assert 'href="/admin/comments/"' in moderator_client.get("/admin/").content.decode() or (
        "/admin/comments/" in moderator_client.get("/admin/").content.decode()
    )
    client = Client()
    client.force_login(reporter)
    dashboard = client.get("/admin/").content.decode()
    assert "/admin/comments/" not in dashboard
    assert "discussion-moderation" not in dashboard


def test_a_moderator_can_moderate_but_not_edit_or_publish_articles(moderator_client, article):
    edit = moderator_client.get(f"/admin/pages/{article.pk}/edit/")
    assert edit.status_code in (302, 403)
    attempt = moderator_client.post(
        f"/admin/pages/{article.pk}/edit/",
        {"title": "Hijacked", "slug": article.slug, "action-publish": "1"},
    )
    assert attempt.status_code in (302, 403)
    article.refresh_from_db()
    assert article.title == "Talks resume in Geneva"
    assert moderator_client.get(
        f"/admin/pages/add/news/articlepage/{article.get_parent().pk}/"
    ).status_code in (302, 403)
    assert moderator_client.get(QUEUE).status_code == 200


def test_a_reporter_or_reader_cannot_reach_the_queue_nor_act_by_guessing_ids(
    reporter, reader, troll, article
):
    comment = make_comment(article, troll, "Waiting")
    staff = Client()
    staff.force_login(reporter)
    visitor = Client()
    visitor.force_login(reader)
    assert staff.get(QUEUE).status_code == 403
    assert "Only moderators may moderate comments." in staff.get(QUEUE).content.decode()
    assert visitor.get(QUEUE).status_code == 302  # to the newsroom's login
    for client in (staff, visitor, Client()):
        for url, data in [
            (f"/admin/comments/{comment.pk}/approve/", {}),
            (f"/admin/comments/{comment.pk}/remove/", {"reason": "x"}),
            (f"/admin/comments/readers/{troll.pk}/ban/", {"reason": "x"}),
            ("/admin/comments/bulk/", {"action": "approve", "comment": [comment.pk]}),
            (f"/admin/comments/discussions/{article.pk}/", {"mode": "closed"}),
            ("/admin/comments/log/", {}),
        ]:
            response = client.post(url, data) if data or "log" not in url else client.get(url)
            assert response.status_code in (302, 403), url
            if response.status_code == 302:
                assert response["Location"].startswith("/admin/login/")
    assert Comment.objects.get().status == "pending"
    assert not ReaderBan.objects.exists()
    assert Discussion.objects.get(page=article).mode == ""
    assert not ModerationLogEntry.objects.exists()
    with pytest.raises(Refused, match="Only moderators"):
        moderation.comment_approve(reporter, comment.pk)


def test_a_missing_csrf_token_is_refused(moderator, article, reader):
    comment = make_comment(article, reader, "Waiting")
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    assert client.post(f"/admin/comments/{comment.pk}/approve/").status_code == 403
    assert (
        client.post(
            "/admin/comments/bulk/", {"action": "approve", "comment": [comment.pk]}
        ).status_code
        == 403
    )
    assert Comment.objects.get().status == "pending"


# Hostile text and bad input --------------------------------------------------------------------

HOSTILE = '<script>alert("x")</script><img src=x onerror="alert(1)">'


def test_hostile_text_is_shown_as_text_in_the_admin(
    moderator, moderator_client, article, troll, reader
):
    comment = make_comment(article, troll, HOSTILE, status="published")
    CommentReport.objects.create(comment=comment, reporter=reader, reason="other", note=HOSTILE)
    troll.reader_profile.display_name = "<b onmouseover=alert(2)>Tom</b>"
    troll.reader_profile.save()
    moderation.reader_ban(moderator, troll.pk, reason=HOSTILE)
    moderation.comment_remove(moderator, comment.pk, reason=HOSTILE)
    for url in [QUEUE + "?status=all", "/admin/comments/log/", "/admin/comments/readers/banned/"]:
        html = moderator_client.get(url).content.decode()
        assert (
            "<script>alert" not in html
            and "<img src=x" not in html
            and "<b onmouseover" not in html
        )
        assert "&lt;script&gt;" in html


def test_removing_without_a_reason_is_refused_and_changes_nothing(
    moderator_client, article, reader
):
    comment = make_comment(article, reader, "Keep me", status="published")
    response = moderator_client.post(f"/admin/comments/{comment.pk}/remove/", {"reason": "  "})
    assert response.status_code == 400
    assert (
        "Give the reason readers will see"
        in soup_of(response).select_one("[role=alert]").get_text()
    )
    bulk = moderator_client.post(
        "/admin/comments/bulk/", {"action": "remove", "comment": [comment.pk]}
    )
    assert "Give the reason readers will see in place of the comments." in messages_of(
        moderator_client.get(bulk["Location"])
    )
    assert Comment.objects.get().status == "published"
    assert count(article) == 1
    assert not ModerationLogEntry.objects.exists()


@pytest.mark.parametrize(
    ("until", "message"),
    [
        ("next tuesday", "Give the end of the ban as a date and time"),
        ("2024-13-45T10:00", "Give the end of the ban as a date and time"),
        ("2001-01-01T10:00", "The end of the ban must be in the future."),
    ],
)
def test_a_ban_with_a_bad_end_is_refused_and_changes_nothing(
    moderator_client, troll, until, message
):
    response = moderator_client.post(
        f"/admin/comments/readers/{troll.pk}/ban/", {"reason": "Abuse", "until": until}
    )
    assert response.status_code == 400
    assert message in soup_of(response).select_one("[role=alert]").get_text()
    assert not ReaderBan.objects.exists()
    assert not ModerationLogEntry.objects.exists()


def test_unknown_ids_and_actions_get_a_clear_message(moderator_client, troll):
    response = moderator_client.post("/admin/comments/999999/approve/", {"next": QUEUE})
    assert "There is no comment number 999999." in messages_of(
        moderator_client.get(response["Location"])
    )
    assert moderator_client.get("/admin/comments/999999/remove/").status_code == 404
    assert moderator_client.get("/admin/comments/readers/999999/ban/").status_code == 404
    unban = moderator_client.post("/admin/comments/readers/999999/unban/")
    assert "There is no reader number 999999." in messages_of(
        moderator_client.get(unban["Location"])
    )
    not_banned = moderator_client.post(f"/admin/comments/readers/{troll.pk}/unban/")
    assert "This reader is not banned." in messages_of(moderator_client.get(not_banned["Location"]))
    for data, message in [
        ({"action": "approve"}, "Tick at least one comment first."),
        ({"action": "launch", "comment": ["1"]}, "Choose what to do with the ticked comments."),
    ]:
        bulk = moderator_client.post("/admin/comments/bulk/", data)
        assert message in messages_of(moderator_client.get(bulk["Location"]))
    bad_mode = moderator_client.post("/admin/comments/discussions/1/", {"mode": "anarchy"})
    assert bad_mode.status_code in (400, 404)
    assert not ModerationLogEntry.objects.exists()


def test_an_action_never_sends_the_moderator_off_site(moderator_client, article, reader):
    comment = make_comment(article, reader, "Waiting")
    response = moderator_client.post(
        f"/admin/comments/{comment.pk}/approve/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == QUEUE
