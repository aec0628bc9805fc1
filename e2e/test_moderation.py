"""A moderator at work in the newsroom: approves a held comment, bans a reader."""

import re

import pytest
from playwright.sync_api import expect

from newsdesk.testing import READER_PASSWORD, make_article, make_reader

pytestmark = pytest.mark.e2e


@pytest.fixture
def held_article(newsroom, unique):
    """An article of its own whose discussion holds every comment for a moderator."""
    from newsdesk.discussion.models import Mode
    from newsdesk.discussion.services import discussion_for
    from newsdesk.news.models import SectionPage

    article = make_article(
        SectionPage.objects.get(slug="world", locale__language_code="en"),
        title=f"Court hears the appeal {unique}",
    )
    discussion = discussion_for(article)
    discussion.mode = Mode.PREMODERATED
    discussion.save()
    return article


@pytest.fixture
def reader_tab(open_tab, unique):
    """A tab where a confirmed reader is logged in."""
    email = f"reader-{unique}@example.org"
    make_reader(email, f"Reader {unique}")
    tab = open_tab()
    tab.goto("/en/accounts/login/?next=/en/accounts/")
    tab.locator("input[name=login]").fill(email)
    tab.locator("input[name=password]").fill(READER_PASSWORD)
    tab.locator("main form button[type=submit]").click()
    expect(tab).to_have_url(re.compile(r"/en/accounts/$"))
    return tab


@pytest.fixture
def moderator_tab(open_tab, newsroom):
    tab = open_tab()
    tab.goto("/admin/login/")
    tab.get_by_label("Username").fill("moderator")
    tab.get_by_label("Password").fill(newsroom["moderator"])
    tab.get_by_role("button", name="Sign in").click()
    expect(tab).to_have_url(re.compile(r"/admin/$"))
    return tab


def post_comment(tab, article, text, *, already_open=False):
    if not already_open:
        tab.goto(f"/en/discussion/{article.pk}/")
    tab.locator("#discussion-form textarea[name=text]").fill(text)
    tab.locator("#discussion-form").get_by_role("button", name="Post comment").click()


def queue_row(tab, text):
    return tab.locator("tr[data-comment]", has_text=text)


def test_a_held_comment_appears_once_a_moderator_approves_it(
    reader_tab, moderator_tab, held_article, unique
):
    text = f"The ruling deserves a closer look {unique}"
    post_comment(reader_tab, held_article, text)
    expect(reader_tab.locator(".discussion")).to_contain_text("Waiting for a moderator")
    expect(reader_tab.locator(".comment__body", has_text=text)).to_have_count(0)

    moderator_tab.goto("/admin/")
    moderator_tab.locator("#discussion-moderation-section").get_by_role(
        "link", name=re.compile(r"waiting")
    ).click()
    expect(moderator_tab).to_have_url(re.compile(r"/admin/comments/\?status=pending$"))
    row = queue_row(moderator_tab, text)
    expect(row).to_contain_text(held_article.title)
    row.get_by_role("button", name="Approve").click()
    expect(moderator_tab.get_by_role("status")).to_contain_text("Comment approved")
    expect(queue_row(moderator_tab, text)).to_have_count(0)

    reader_tab.goto(f"/en/discussion/{held_article.pk}/")
    expect(reader_tab.locator(".comment__body", has_text=text)).to_be_visible()


def test_a_banned_reader_is_refused_with_the_reason(
    reader_tab, moderator_tab, held_article, unique
):
    text = f"Buy cheap watches {unique}"
    post_comment(reader_tab, held_article, text)
    reader_tab.goto(f"/en/discussion/{held_article.pk}/")  # the form open, about to write again

    moderator_tab.goto("/admin/comments/?status=pending")
    queue_row(moderator_tab, text).get_by_role("link", name="Ban…").click()
    moderator_tab.get_by_label("Reason (the reader is shown it)").fill("Spam or advertising")
    moderator_tab.get_by_role("button", name="Ban this reader").click()
    expect(moderator_tab).to_have_url(re.compile(r"/admin/comments/\?status=pending$"))
    expect(moderator_tab.get_by_role("status")).to_contain_text("Reader banned")
    expect(queue_row(moderator_tab, text)).to_contain_text("Banned")

    post_comment(reader_tab, held_article, f"Let me back in {unique}", already_open=True)
    expect(reader_tab.locator(".discussion__message")).to_contain_text(
        "You cannot comment on this site: Spam or advertising"
    )
    expect(reader_tab.locator("#discussion-form textarea[name=text]")).to_have_value(
        f"Let me back in {unique}"
    )
    reader_tab.goto(f"/en/discussion/{held_article.pk}/")
    expect(reader_tab.locator(".discussion")).to_contain_text(
        "You cannot comment on this site: Spam or advertising"
    )
    expect(reader_tab.locator("#discussion-form")).to_have_count(0)
