"""A reader moves between the English and Russian editions with the header's language switcher."""

import re
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

SWITCHER = "header.site-header nav.edition-switcher"
# The header's elements that reach past either edge of the screen.
HEADER_OVERFLOW = """header => {
    const width = document.documentElement.clientWidth;
    return [header, ...header.querySelectorAll("*")]
        .filter(el => {
            const box = el.getBoundingClientRect();
            return box.width > 1 && (box.left < -1 || box.right > width + 1);
        })
        .map(el => el.outerHTML.slice(0, 120));
}"""


@pytest.fixture(scope="session")
def russian(lead_story, django_db_blocker):
    """The Russian edition as the ORM sees it, and the lead story's translation in it."""
    from django.utils import translation
    from wagtail.models import Locale

    from newsdesk.discussion.models import Discussion
    from newsdesk.news.models import HomePage, SectionPage

    with django_db_blocker.unblock():
        locale = Locale.objects.get(language_code="ru")
        home = HomePage.objects.get(locale=locale)
        story = lead_story.get_translation(locale)
        comments = Discussion.objects.get(page=story).comment_count
        with translation.override("ru"):
            count = translation.ngettext(
                "%(counter)s comment", "%(counter)s comments", comments
            ) % {"counter": comments}
        return SimpleNamespace(
            edition_name=home.edition_name,
            sections=[s.title for s in SectionPage.objects.live().in_menu().child_of(home)],
            story_id=story.pk,
            story_url=story.url,
            story_title=story.title,
            comments=comments,
            comment_count=count,
        )


@pytest.fixture(scope="session")
def english_only_story(newsroom, django_db_blocker):
    """An English demo article the Russian edition has no translation of."""
    from newsdesk.news.freshness import readable
    from newsdesk.news.models import ArticlePage

    with django_db_blocker.unblock():
        russian_keys = ArticlePage.objects.filter(locale__language_code="ru").values(
            "translation_key"
        )
        # The oldest: one the demo built, not one a test wrote.
        story = (
            readable(ArticlePage.objects.filter(locale__language_code="en"))
            .exclude(translation_key__in=russian_keys)
            .order_by("first_published_at", "id")
            .first()
        )
        assert story is not None, "the demo has no English-only article"
        return SimpleNamespace(url=story.url, title=story.title)


def switch_to(page, name):
    page.locator(SWITCHER).get_by_role("link", name=name, exact=True).click()


def test_a_reader_switches_the_lead_story_to_russian_and_back(
    page, lead_story, russian, screenshots_dir
):
    page.goto(lead_story.url)
    switcher = page.locator(SWITCHER)
    expect(switcher).to_be_visible()
    expect(switcher.locator('[aria-current="true"]')).to_have_text("English")
    to_russian = switcher.get_by_role("link", name="Русский", exact=True)
    expect(to_russian).to_have_attribute("hreflang", "ru")
    expect(to_russian).to_have_attribute("rel", "alternate")  # the same story, not a home page
    expect(page.locator('head link[rel="alternate"][hreflang="ru"]')).to_have_attribute(
        "href", re.compile(re.escape(russian.story_url) + "$")
    )

    to_russian.click()

    expect(page).to_have_url(re.compile(re.escape(russian.story_url) + "$"))
    assert russian.story_url.startswith("/ru/"), russian.story_url
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("h1")).to_have_text(russian.story_title)
    header = page.locator("header.site-header")
    expect(header.locator("a.site-brand")).to_have_accessible_name(russian.edition_name)
    expect(header.locator("nav.site-nav a")).to_have_text(russian.sections)
    expect(switcher.locator('[aria-current="true"]')).to_have_text("Русский")
    discussion = page.locator("#discussion")
    expect(discussion.locator("h2")).to_contain_text("Обсуждение")
    assert russian.comments > 0, "the demo's Russian lead story has no comments"
    expect(discussion.locator(".discussion__heading-count")).to_have_text(f"({russian.comments})")
    panel = discussion.locator(".discussion__panel")  # loaded in place, in the page's language
    expect(panel.locator(".discussion__count")).to_have_text(russian.comment_count)
    expect(panel.locator(".discussion__prompt")).to_contain_text("Чтобы участвовать в обсуждении")
    page.screenshot(path=screenshots_dir / "edition-ru-article-desktop.png")

    switch_to(page, "English")

    expect(page).to_have_url(re.compile(re.escape(lead_story.url) + "$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text(lead_story.title)
    expect(page.locator("#discussion h2")).to_contain_text("Discussion")


def test_an_english_only_story_switches_to_the_russian_home_page(page, english_only_story, russian):
    page.goto(english_only_story.url)
    to_russian = page.locator(SWITCHER).get_by_role("link", name="Русский", exact=True)
    expect(to_russian).to_have_attribute("href", "/ru/")
    expect(to_russian).not_to_have_attribute("rel", "alternate")  # not this story
    # No edition carries this very page, so it names no alternates.
    expect(page.locator('head link[rel="alternate"][hreflang]')).to_have_count(0)

    to_russian.click()

    expect(page).to_have_url(re.compile(r"/ru/$"))
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("header a.site-brand")).to_have_accessible_name(russian.edition_name)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_on_a_phone_the_switcher_is_visible_and_fits_the_header(
    open_tab, lead_story, russian, screenshots_dir, language
):
    page = open_tab("phone")
    page.goto(lead_story.url if language == "en" else russian.story_url)
    switcher = page.locator(SWITCHER)
    other = switcher.get_by_role("link")
    expect(other).to_have_count(1)
    expect(other).to_be_visible()
    expect(other).to_be_in_viewport()
    page.screenshot(path=screenshots_dir / f"edition-{language}-header-phone.png")

    width = page.viewport_size["width"]
    box = switcher.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
    # Nothing in the header sticks out sideways, so the page does not scroll across.
    outside = page.locator("header.site-header").evaluate(HEADER_OVERFLOW)
    assert not outside, outside
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize(("language", "ago"), [("en", " ago"), ("ru", " назад")])
def test_recent_times_read_in_words_in_the_editions_language(page, language, ago):
    page.goto(f"/{language}/")
    recent = page.locator(".latest-list time[data-relative]")  # the newest first
    expect(recent.first).to_have_text(re.compile(re.escape(ago) + "$"))
    # The server's date stays as the tooltip, in the edition's language too.
    title = recent.first.get_attribute("title")
    assert title and not title.endswith(ago), title


def test_comment_counts_on_cards_take_the_editions_plural_forms(page, russian):
    # Filled in by discussion.js from /discussion/counts, in the page's language.
    page.goto("/ru/")
    count = page.locator(f'.card__comments[data-comments-for="{russian.story_id}"]').first
    expect(count).to_have_text(russian.comment_count)
