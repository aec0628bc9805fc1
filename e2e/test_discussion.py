"""A reader joins the discussion under an article: registers, confirms, logs in and comments,
with JavaScript (in place) and without (through the discussion's own page)."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect
from test_page_quality import describe_axe_violations

from newsdesk.testing import READER_PASSWORD, make_reader

pytestmark = pytest.mark.e2e

TOO_LONG = ("A long thought. " * 320)[:5001]
assert len(TOO_LONG) == 5001
THREADS = "ol.comments:not(.comments--replies) > li"  # a comment with its replies
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+/")


@pytest.fixture
def reader(unique):
    """A reader who registered and confirmed their email address."""
    email = f"reader-{unique}@example.org"
    make_reader(email, f"Reader {unique}")
    return email


@pytest.fixture
def no_js_tab(browser, site):
    context = browser.new_context(base_url=site, java_script_enabled=False)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def discussion_panel(page):
    """The reader's own panel, once the article's script has loaded it in place."""
    panel = page.locator("#discussion .discussion__panel")
    expect(panel).to_be_visible()
    return panel


def log_in(page, email, password=READER_PASSWORD):
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()


def test_a_reader_registers_confirms_logs_in_from_the_article_and_comments_in_place(
    open_tab, lead_story, unique
):
    email = f"new-{unique}@example.org"
    page = open_tab()
    page.goto(lead_story.url)
    discussion_panel(page).get_by_role("link", name="register").click()

    expect(page).to_have_url(re.compile(r"/en/accounts/signup/"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Display name").fill(f"Newcomer {unique}")
    page.locator("input[name=password1]").fill("a long and new passphrase")
    page.locator("input[name=password2]").fill("a long and new passphrase")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("Verify")

    message = next(message for message in reversed(mail.outbox) if email in message.to)
    link = CONFIRM_LINK.search(message.body).group(0)
    page.goto(link)
    page.locator("main form button[type=submit]").click()
    # Confirmed and logged in, the reader is back where they meant to comment.
    expect(page).to_have_url(re.compile(re.escape(lead_story.url) + "#discussion$"))
    expect(discussion_panel(page).get_by_label("Your comment")).to_be_visible()

    reading = open_tab()  # later, on another device
    reading.goto(lead_story.url)
    discussion_panel(reading).get_by_role("link", name="log in").click()
    log_in(reading, email, "a long and new passphrase")

    expect(reading).to_have_url(re.compile(re.escape(lead_story.url) + "#discussion$"))
    panel = discussion_panel(reading)
    expect(panel.locator(".discussion__whoami")).to_contain_text(f"Newcomer {unique}")
    reading.evaluate("window.notReloaded = true")
    text = f"First comment from a new reader {unique}."
    panel.get_by_label("Your comment").fill(text)
    panel.get_by_role("button", name="Post comment").click()

    posted = reading.locator(".comment", has_text=text)
    expect(posted).to_be_visible()
    expect(posted).to_be_focused()  # the keyboard goes on from the new comment
    expect(posted.locator(".comment__author")).to_have_text(f"Newcomer {unique}")
    expect(discussion_panel(reading).locator(".discussion__message")).to_have_text(
        "Your comment is posted."
    )
    assert reading.evaluate("window.notReloaded"), "the article page was reloaded"


def test_a_reply_in_place_says_whom_it_answers_and_lands_under_that_comment(
    page, lead_story, reader, unique
):
    page.goto(f"/en/accounts/login/?next={lead_story.url}%23discussion")
    log_in(page, reader)
    panel = discussion_panel(page)
    answered = panel.locator(THREADS).first
    name = answered.locator(".comment__author").first.inner_text()

    answered.get_by_role("link", name="Reply").first.click()
    expect(panel.locator(".discussion__replying")).to_contain_text(f"Replying to {name}.")
    expect(panel.get_by_label("Your comment")).to_be_focused()
    text = f"A reply in place {unique}."
    panel.get_by_label("Your comment").fill(text)
    panel.get_by_role("button", name="Post comment").click()

    thread = discussion_panel(page).locator(THREADS, has_text=text)
    expect(thread.locator(".comment").first.locator(".comment__author")).to_have_text(name)
    expect(thread.locator(".comments--replies .comment", has_text=text)).to_be_visible()


def test_a_refused_comment_keeps_its_text_and_says_why_in_place(page, lead_story, reader):
    page.goto(f"/en/accounts/login/?next={lead_story.url}%23discussion")
    log_in(page, reader)
    panel = discussion_panel(page)

    panel.get_by_label("Your comment").fill(TOO_LONG)
    panel.get_by_role("button", name="Post comment").click()

    expect(panel.locator(".discussion__message")).to_have_text(
        "Comments are limited to 5,000 characters; this one has 5,001."
    )
    expect(panel.get_by_label("Your comment")).to_have_value(TOO_LONG)
    expect(panel.get_by_role("button", name="Post comment")).to_be_enabled()


def test_without_javascript_the_discussion_page_posts_and_shows_the_new_comment(
    no_js_tab, lead_story, reader, unique
):
    page = no_js_tab
    page.goto(lead_story.url)
    page.locator("#discussion").get_by_role("link", name="Read the discussion").click()
    expect(page).to_have_url(re.compile(rf"/en/discussion/{lead_story.pk}/$"))
    page.locator("#discussion").get_by_role("link", name="log in").click()
    log_in(page, reader)
    expect(page).to_have_url(re.compile(rf"/en/discussion/{lead_story.pk}/#discussion-form$"))

    text = f"Posted without a script {unique}.\nSecond line."
    page.get_by_label("Your comment").fill(text)
    page.get_by_role("button", name="Post comment").click()

    expect(page).to_have_url(
        re.compile(rf"/en/discussion/{lead_story.pk}/\?sort=newest#comment-\d+$")
    )
    comment_id = page.url.rpartition("#")[2]
    posted = page.locator(f"#{comment_id}")
    expect(posted.locator(".comment__body")).to_contain_text(f"Posted without a script {unique}.")
    expect(posted.locator(".comment__body br")).to_have_count(1)
    expect(posted.locator(".comment__author")).to_have_text(f"Reader {unique}")


def test_without_javascript_a_refused_comment_keeps_its_text_and_says_why(
    no_js_tab, lead_story, reader
):
    page = no_js_tab
    page.goto(f"/en/accounts/login/?next=/en/discussion/{lead_story.pk}/%23discussion-form")
    log_in(page, reader)

    page.get_by_label("Your comment").fill(TOO_LONG)
    page.get_by_role("button", name="Post comment").click()

    expect(page.locator(".discussion__message")).to_have_text(
        "Comments are limited to 5,000 characters; this one has 5,001."
    )
    expect(page.get_by_label("Your comment")).to_have_value(TOO_LONG)


def test_the_article_page_is_the_same_for_a_logged_in_reader(open_tab, lead_story, reader):
    anonymous = open_tab()
    logged_in = open_tab()
    logged_in.goto("/en/accounts/login/?next=/en/accounts/")
    log_in(logged_in, reader)
    expect(logged_in.locator("h1")).to_have_text("Your account")

    for_anyone = anonymous.request.get(lead_story.url)
    for_the_reader = logged_in.request.get(lead_story.url)

    assert for_the_reader.text() == for_anyone.text()
    assert "set-cookie" not in for_the_reader.headers
    assert "cookie" not in for_the_reader.headers.get("vary", "").lower()


def test_a_logged_in_readers_pages_have_no_accessibility_violations(
    page, axe_js, lead_story, reader
):
    page.goto("/en/accounts/login/?next=/en/accounts/")
    log_in(page, reader)
    expect(page.get_by_role("status")).to_contain_text("Successfully signed in")

    problems = []
    for path in ["/en/accounts/", f"/en/discussion/{lead_story.pk}/", "/en/accounts/delete/"]:
        if path != "/en/accounts/":
            page.goto(path)
        page.wait_for_load_state("networkidle")
        page.add_script_tag(path=axe_js)
        violations = page.evaluate("async () => (await axe.run(document)).violations")
        if violations:
            problems.append(f"{path}:\n{describe_axe_violations(violations)}")

    assert not problems, "\n".join(problems)
