"""A reader finds the news: the front page, the lead story, its photo and related stories."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_a_reader_follows_the_lead_story_and_a_related_story(page, lead_story):
    page.goto("/en/")
    top = page.locator(".home__top article.card--lead")
    expect(top.locator(".card__title")).to_have_text(lead_story.card_title)

    top.locator(".card__title a").click()

    expect(page).to_have_url(re.compile(re.escape(lead_story.url) + "$"))
    expect(page.locator("h1")).to_have_text(lead_story.title)
    photo = page.locator("figure.lead-image")
    expect(photo.locator("img")).to_be_visible()
    assert photo.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
    expect(photo.locator("figcaption .credit")).to_have_text(lead_story.lead_image.credit)
    expect(photo.locator("figcaption .caption")).to_have_text(lead_story.lead_image_caption)

    card = page.locator("aside.related-card").first
    expect(card).to_be_visible()
    link = card.locator("a.related-card__link")
    headline = card.locator(".related-card__title").inner_text()
    href = link.get_attribute("href")
    link.click()

    expect(page).to_have_url(re.compile(re.escape(href) + "$"))
    expect(page.locator("h1")).to_have_text(headline)


@pytest.mark.parametrize(
    "path", ["/no-such-page/", "/en/world/no-such-story/", "/en/authors/nobody/"]
)
def test_unknown_urls_answer_404_with_the_sites_own_page(page, path):
    response = page.goto(path)

    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    expect(page.locator("header.site-header nav.site-nav a").first).to_be_visible()
    expect(page.get_by_role("link", name="Go to the latest news")).to_have_attribute("href", "/en/")
