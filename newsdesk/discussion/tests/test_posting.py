"""Readers posting, replying, editing, deleting and reporting comments: every rule, through HTTP."""

import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone

from newsdesk.discussion.models import (
    Comment,
    CommentReport,
    Discussion,
    DiscussionSettings,
    Mode,
    ReaderBan,
)
from newsdesk.discussion.services import discussion_for
from newsdesk.testing import make_article, make_reader


@pytest.fixture
def article(world):
    return make_article(world, title="Talks resume in Geneva")


@pytest.fixture
def reader_client(reader):
    client = Client()
    client.force_login(reader)
    return client


def post_url(article):
    return f"/en/discussion/{article.pk}/comments"


def page_url(article):
    return f"/en/discussion/{article.pk}/"


def post(client, article, text, **extra):
    return client.post(post_url(article), {"text": text, **extra})


def post_json(client, article, text, **extra):
    return client.post(
        post_url(article), {"text": text, **extra}, headers={"Accept": "application/json"}
    )


def comment_texts(client, article, query=""):
    soup = BeautifulSoup(client.get(page_url(article) + query).content, "html.parser")
    return [body.get_text(" ", strip=True) for body in soup.select(".comment__body")]


def alert_text(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return soup.select_one(".discussion__message").get_text(strip=True)


def textarea_text(response):
    text = BeautifulSoup(response.content, "html.parser").select_one("textarea[name=text]").text
    # Browsers drop one newline right after <textarea> (Django writes one there).
    return text.removeprefix("\n")


def test_anonymous_readers_read_and_are_invited_to_log_in_back_to_the_same_box(
    client, reader_client, article
):
    post(reader_client, article, "First!")
    response = client.get(f"/en/discussion/{article.pk}/panel")
    soup = BeautifulSoup(response.content, "html.parser")
    assert [b.get_text(strip=True) for b in soup.select(".comment__body")] == ["First!"]
    assert soup.select("form.discussion__form") == []
    links = {a.get_text(): a["href"] for a in soup.select(".discussion__prompt a")}
    assert (
        links["log in"]
        == f"/en/accounts/login/?next={article.url.replace('/', '%2F')}%23discussion"
    )
    assert links["register"].startswith("/en/accounts/signup/?next=")
    assert "private" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_the_article_page_is_the_same_for_everyone(client, reader_client, article):
    anonymous = client.get(article.url)
    logged_in = reader_client.get(article.url)
    assert anonymous.content == logged_in.content
    assert "Cookie" not in anonymous.get("Vary", "")
    assert not anonymous.cookies


def test_a_verified_reader_posts_and_lands_on_the_new_comment(reader_client, article):
    response = post(reader_client, article, "Line one\nline two\n\nSee https://example.org/x")
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/en/discussion/{article.pk}/?sort=newest#comment-{comment.pk}"
    html = reader_client.get(response["Location"]).content.decode()
    assert "Line one<br>line two" in html
    assert (
        '<a href="https://example.org/x" rel="nofollow ugc noopener">https://example.org/x</a>'
        in html
    )
    assert Discussion.objects.get().comment_count == 1
    assert "Ada Reader" in html


def test_the_script_gets_json_answers(reader_client, article):
    created = post_json(reader_client, article, "Posted in place")
    assert created.status_code == 201
    assert created.json()["status"] == "published"
    refused = post_json(reader_client, article, "")
    assert refused.status_code == 400
    assert refused.json() == {"error": "Write something first."}


def test_an_unconfirmed_reader_is_told_to_confirm_and_keeps_the_text(article, db):
    client = Client()
    client.force_login(make_reader("new@example.org", "Newcomer", verified=False))
    response = post(client, article, "My considered view")
    assert response.status_code == 403
    assert "Confirm your email address" in alert_text(response)
    assert textarea_text(response) == "My considered view"
    assert not Comment.objects.exists()


def test_an_expired_session_keeps_the_text(client, article):
    response = post(client, article, "Written before my session ended")
    assert response.status_code == 403
    assert "Log in again" in alert_text(response)
    assert textarea_text(response) == "Written before my session ended"
    scripted = post_json(client, article, "Written before my session ended")
    assert scripted.status_code == 403
    assert scripted.json()["login_url"].startswith("/en/accounts/login/?next=")


@pytest.mark.parametrize(
    ("size", "expected"),
    [(5001, "this one has 5,001"), (1_000_000, "this one has 1,000,000")],
)
def test_too_long_comments_are_refused_with_the_text_kept(reader_client, article, size, expected):
    text = ("word " * size)[: size - 1] + "s"
    response = post(reader_client, article, text)
    assert response.status_code == 400
    assert "limited to 5,000 characters" in alert_text(response)
    assert expected in alert_text(response)
    assert len(textarea_text(response)) == size
    assert not Comment.objects.exists()


def test_exactly_5000_characters_is_accepted(reader_client, article):
    assert post(reader_client, article, "x" * 5000).status_code == 302


def test_markup_and_invisible_characters_are_neutralised(reader_client, article):
    nasty = (
        '<script>alert("x")</script> <img src=x onerror=alert(1)> '
        '<a href="javascript:alert(1)">click</a> javascript:alert(2) '
        "safe\u202etxt.exe zero\u200bwidth nul\x00byte"
    )
    post(reader_client, article, nasty)
    html = reader_client.get(page_url(article)).content.decode()
    body = html[html.index('class="comment__body"') :]
    body = body[: body.index("</div>")]
    assert "<script" not in body and "<img" not in body and '<a href="javascript' not in body
    assert "&lt;script&gt;" in body
    assert "\u202e" not in body and "\u200b" not in body and "\x00" not in body
    assert "safetxt.exe zerowidth nulbyte" in body


def test_a_request_without_the_csrf_token_is_refused_and_the_text_kept(reader, article):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    response = client.post(post_url(article), {"text": "Written in an old tab"})
    assert response.status_code == 403
    assert "Reload the page" in alert_text(response)
    assert textarea_text(response) == "Written in an old tab"
    as_json = post_json(client, article, "From the script")
    assert as_json.status_code == 403
    assert "Reload the page" in as_json.json()["error"]
    elsewhere = client.post("/en/accounts/", {"display_name": "X"})
    assert elsewhere.status_code == 403
    assert "Not sent" in elsewhere.content.decode()
    assert not Comment.objects.exists()


def test_the_honeypot_catches_robots(reader_client, article):
    response = post(reader_client, article, "Buy now", website="http://spam.example")
    assert response.status_code == 400
    assert alert_text(response) == "Your comment could not be posted."
    assert not Comment.objects.exists()


def test_posting_too_fast_is_refused_for_a_minute(reader_client, article, settings):
    settings.NEWSDESK_COMMENTS_PER_MINUTE = 5
    for number in range(5):
        assert post(reader_client, article, f"Point {number}").status_code == 302
    response = post(reader_client, article, "Point 5")
    assert response.status_code == 429
    assert "Wait a minute" in alert_text(response)
    assert textarea_text(response) == "Point 5"
    Comment.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    assert post(reader_client, article, "Point 5").status_code == 302


def test_one_address_is_limited_across_readers(article, settings, db):
    settings.NEWSDESK_COMMENTS_PER_MINUTE_PER_IP = 3
    statuses = []
    for number in range(4):
        client = Client()
        client.force_login(make_reader(f"r{number}@example.org", f"Reader {number}"))
        statuses.append(post(client, article, "Same network").status_code)
    assert statuses == [302, 302, 302, 429]


def test_an_exact_duplicate_is_refused(reader_client, article):
    post(reader_client, article, "Well said")
    response = post(reader_client, article, "Well said")
    assert response.status_code == 409
    assert "already posted exactly this" in alert_text(response)
    assert Comment.objects.count() == 1


def test_replies_are_one_level_deep(reader_client, article, db):
    post(reader_client, article, "Top")
    top = Comment.objects.get()
    other = Client()
    other.force_login(make_reader("b@example.org", "Bea"))
    post(other, article, "Reply", parent=top.pk)
    reply = Comment.objects.get(body="Reply")
    post(reader_client, article, "Reply to the reply", parent=reply.pk)
    assert Comment.objects.get(body="Reply to the reply").parent_id == top.pk
    soup = BeautifulSoup(other.get(page_url(article)).content, "html.parser")
    replies = soup.select(".comments--replies .comment__body")
    assert [r.get_text(strip=True) for r in replies] == ["Reply", "Reply to the reply"]


def test_a_premoderated_discussion_holds_comments(reader_client, client, article):
    discussion = discussion_for(article)
    discussion.mode = Mode.PREMODERATED
    discussion.save()
    response = post(reader_client, article, "Waiting comment")
    assert response["Location"].endswith("#discussion-form")
    assert Comment.objects.get().status == Comment.Status.PENDING
    assert comment_texts(client, article) == []
    own_view = reader_client.get(page_url(article)).content.decode()
    assert "Waiting for a moderator" in own_view and "Waiting comment" in own_view
    assert Discussion.objects.get().comment_count == 0


def test_a_section_setting_applies_to_its_articles_unless_the_article_has_its_own(
    reader_client, world, article
):
    section = discussion_for(world)
    section.mode = Mode.CLOSED
    section.save()
    assert post(reader_client, article, "Closed?").status_code == 403
    own = discussion_for(article)
    own.mode = Mode.OPEN
    own.save()
    assert post(reader_client, article, "Open here").status_code == 302


def test_a_closed_discussion_keeps_its_comments_and_refuses_new_ones(
    reader_client, client, article
):
    post(reader_client, article, "Before closing")
    discussion = Discussion.objects.get()
    discussion.mode = Mode.CLOSED
    discussion.save()
    response = post(reader_client, article, "After closing")
    assert response.status_code == 403
    assert "closed" in alert_text(response)
    assert textarea_text(response) == "After closing"
    assert comment_texts(client, article) == ["Before closing"]


def test_blocklisted_words_and_first_comments_go_to_moderation(reader_client, article, home):
    settings_row = DiscussionSettings.for_site(home.get_site())
    settings_row.blocklist = "scoundrel\nfake news"
    settings_row.save()
    post(reader_client, article, "You SCOUNDREL!")
    post(reader_client, article, "This is Fake News.")
    post(reader_client, article, "A scoundrelly remark")  # whole words only
    assert dict(Comment.objects.values_list("body", "status")) == {
        "You SCOUNDREL!": "pending",
        "This is Fake News.": "pending",
        "A scoundrelly remark": "published",
    }
    settings_row.premoderate_first_comment = True
    settings_row.save()
    newcomer = Client()
    newcomer.force_login(make_reader("n@example.org", "Nia"))
    post(newcomer, article, "Hello all")
    post(reader_client, article, "Regulars are trusted")
    assert Comment.objects.get(body="Hello all").status == "pending"
    assert Comment.objects.get(body="Regulars are trusted").status == "published"


def test_a_banned_reader_is_refused_with_the_reason(reader, reader_client, article):
    ReaderBan.objects.create(reader=reader, reason="Repeated abuse")
    response = post(reader_client, article, "Let me in")
    assert response.status_code == 403
    assert "Repeated abuse" in alert_text(response)
    until = timezone.now() + timedelta(days=3)
    ReaderBan.objects.filter(reader=reader).update(until=until)
    assert "You cannot comment until" in alert_text(post(reader_client, article, "Now?"))
    ReaderBan.objects.filter(reader=reader).update(until=timezone.now() - timedelta(minutes=1))
    assert post(reader_client, article, "Back again").status_code == 302


def test_readers_edit_their_own_comment_for_15_minutes(reader_client, article):
    post(reader_client, article, "Teh first draft")
    comment = Comment.objects.get()
    response = reader_client.post(
        f"/en/discussion/comments/{comment.pk}/edit", {"text": "The draft"}
    )
    assert response.status_code == 302
    html = reader_client.get(page_url(article)).content.decode()
    assert "The draft" in html and "edited" in html
    Comment.objects.update(created_at=timezone.now() - timedelta(minutes=16))
    late = reader_client.post(f"/en/discussion/comments/{comment.pk}/edit", {"text": "Too late"})
    assert late.status_code == 403
    assert "15 minutes" in late.content.decode()
    assert Comment.objects.get().body == "The draft"


def test_nobody_edits_or_deletes_someone_elses_comment_by_guessing_its_id(
    reader_client, article, db
):
    post(reader_client, article, "Mine")
    comment = Comment.objects.get()
    intruder = Client()
    intruder.force_login(make_reader("x@example.org", "Xavier"))
    edit = intruder.post(f"/en/discussion/comments/{comment.pk}/edit", {"text": "Hijacked"})
    delete = intruder.post(f"/en/discussion/comments/{comment.pk}/delete")
    as_json = intruder.post(
        f"/en/discussion/comments/{comment.pk}/delete", headers={"Accept": "application/json"}
    )
    assert edit.status_code == delete.status_code == as_json.status_code == 403
    assert as_json.json()["error"]
    anonymous = Client().post(f"/en/discussion/comments/{comment.pk}/delete")
    assert anonymous.status_code == 403
    assert Comment.objects.get().body == "Mine"
    assert Comment.objects.get().status == "published"


def test_readers_delete_their_own_comment(reader_client, client, article):
    post(reader_client, article, "Regrettable")
    comment = Comment.objects.get()
    assert reader_client.post(f"/en/discussion/comments/{comment.pk}/delete").status_code == 302
    assert comment_texts(client, article) == []
    assert Discussion.objects.get().comment_count == 0
    assert Comment.objects.get().body == ""


def test_readers_report_a_comment_once_with_a_reason(reader_client, article, db):
    post(reader_client, article, "Provocative")
    comment = Comment.objects.get()
    other = Client()
    other.force_login(make_reader("r@example.org", "Rui"))
    url = f"/en/discussion/comments/{comment.pk}/report"
    assert other.post(url, {"note": "no reason"}).status_code == 400
    assert other.post(url, {"reason": "abuse", "note": "Insults"}).status_code == 302
    again = other.post(url, {"reason": "spam"})
    assert again.status_code == 409
    assert "already reported" in again.content.decode()
    assert reader_client.post(url, {"reason": "spam"}).status_code == 403
    assert list(CommentReport.objects.values_list("reason", "note")) == [("abuse", "Insults")]


def test_sorting_and_paging_keep_a_huge_discussion_fast(
    client, reader, article, django_assert_num_queries
):
    discussion = discussion_for(article)
    start = timezone.now() - timedelta(days=1)

    def fill(count):
        Comment.objects.bulk_create(
            Comment(
                discussion=discussion,
                author=reader,
                body=f"Comment {n}",
                created_at=start + timedelta(seconds=n),
            )
            for n in range(count)
        )
        Discussion.objects.filter(pk=discussion.pk).update(comment_count=count)

    fill(10)
    client.get(page_url(article))
    with django_assert_num_queries(DISCUSSION_PAGE_QUERIES):
        small = client.get(page_url(article))
    Comment.objects.all().delete()
    fill(10_000)
    with django_assert_num_queries(DISCUSSION_PAGE_QUERIES):
        big = client.get(page_url(article) + "?sort=oldest&page=3")
    assert small.status_code == big.status_code == 200
    texts = comment_texts(client, article, "?sort=oldest&page=3")
    assert texts[0] == "Comment 100" and len(texts) == 50
    assert comment_texts(client, article)[0] == "Comment 9999"
    assert "10,000 comments" in big.content.decode() or "10000 comments" in big.content.decode()


# The content token, the page (id and type, then the page), its discussion,
# its section's discussion (for the mode), the count of threads, a page of
# them, and their replies; the chrome is kept per content token.
DISCUSSION_PAGE_QUERIES = 8


def test_comment_counts_for_cards(client, reader_client, article, world):
    post(reader_client, article, "Counted")
    other = make_article(world, title="Quiet story")
    response = client.get(f"/discussion/counts?page={article.pk}&page={other.pk}")
    assert response.json() == {str(article.pk): 1, str(other.pk): 0}
    assert "public" in response["Cache-Control"]
    assert client.get("/discussion/counts?page=abc").status_code == 400


def test_unknown_or_unpublished_pages_have_no_discussion(client, reader_client, world):
    draft = make_article(world, title="Draft", publish=False)
    assert client.get(f"/en/discussion/{draft.pk}/").status_code == 404
    assert post(reader_client, draft, "Sneaky").status_code == 404
    assert client.get("/en/discussion/999999/panel").status_code == 404
    assert client.get(f"/en/discussion/{world.pk}/").status_code == 404  # sections have none


def test_the_article_shell_links_to_the_discussion_without_javascript(client, article):
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    shell = soup.select_one("#discussion")
    assert shell["data-panel-url"] == f"/en/discussion/{article.pk}/panel"
    assert shell.select_one(f'a[href="/en/discussion/{article.pk}/"]')
    prompt = re.sub(r"\s+", " ", shell.select_one(".discussion__prompt").get_text())
    assert "To participate in the discussion log in or register" in prompt


def test_live_blogs_have_a_discussion_too(reader_client, client, world):
    from newsdesk.live.tests.factories import make_live_blog

    blog = make_live_blog(world)
    shell = BeautifulSoup(client.get(blog.url).content, "html.parser").select_one("#discussion")
    assert shell["data-panel-url"] == f"/en/discussion/{blog.pk}/panel"
    assert post(reader_client, blog, "Following from Lyon").status_code == 302
    assert comment_texts(client, blog) == ["Following from Lyon"]
