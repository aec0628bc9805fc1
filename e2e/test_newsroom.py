"""The newsroom in the Wagtail admin: an editor publishes, a reporter cannot."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def log_in(page, username, password):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def insert_block(page, kind):
    """Open the last "+" of the body and pick a block type from the picker."""
    page.locator("#body-root .c-sf-add-button").last.click()
    page.get_by_role("option", name=kind, exact=True).click()


def choose_in_modal(page, opener, search, choice):
    """Open a chooser, search for an item and pick it."""
    opener.click()
    modal = page.locator(".modal.in")
    modal.get_by_role("textbox", name="Search term").fill(search)
    choice(modal).click()
    expect(modal).to_be_hidden()


@pytest.fixture
def world(newsroom):
    from newsdesk.news.models import SectionPage

    return SectionPage.objects.get(slug="world", locale__language_code="en")


def test_an_editor_writes_and_publishes_an_article_in_the_admin(
    page, newsroom, world, lead_story, unique
):
    from newsdesk.images.models import CreditedImage
    from newsdesk.news.models import ArticlePage

    photo = CreditedImage.objects.exclude(id=lead_story.lead_image_id).order_by("id").first()
    headline = f"Harbour reopens after the storm {unique}"
    log_in(page, "editor", newsroom["editor"])

    page.goto(f"/admin/pages/add/news/articlepage/{world.pk}/")
    title = page.locator("#id_title")
    title.fill(headline)
    title.press("Tab")  # the slug follows the headline when the field is left

    insert_block(page, "Quote")
    block = page.locator("[data-streamfield-child]").last
    block.get_by_label("Quoted words").fill("The port is open again and the ships are moving.")
    block.get_by_label(re.compile(r"^Speaker\*?$")).fill("Ines Moreau")
    block.get_by_label("Speaker's role").fill("Harbour master")

    insert_block(page, "Image")
    block = page.locator("[data-streamfield-child]").last
    choose_in_modal(
        page,
        block.get_by_role("button", name="Choose an image"),
        photo.title,
        lambda modal: modal.get_by_title(photo.title, exact=True),
    )
    expect(block).to_contain_text(photo.title)

    insert_block(page, "Related story card")
    block = page.locator("[data-streamfield-child]").last
    choose_in_modal(
        page,
        block.get_by_role("button", name="Choose a page"),
        lead_story.title,
        lambda modal: modal.locator(f'a.choose-page[data-id="{lead_story.pk}"]'),
    )
    expect(block).to_contain_text(lead_story.title)

    page.get_by_role("tab", name="Promote").click()
    expect(page.locator("#id_slug"), "the slug follows the headline").to_have_value(
        f"harbour-reopens-after-the-storm-{unique}"
    )
    page.get_by_role("tab", name="Content").click()

    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish", exact=True).click()
    # "created and published", or "has been published" once autosave has made a draft.
    expect(page.get_by_role("status")).to_contain_text(
        re.compile(rf"Page '{re.escape(headline)}' (created and published|has been published)")
    )

    # The reader sees it on the front page and in its section, and it reads as written.
    page.goto("/en/")
    expect(page.locator(".home__latest").get_by_role("link", name=headline)).to_be_visible()
    page.goto(world.url)
    page.get_by_role("link", name=headline).click()
    expect(page.locator("h1")).to_have_text(headline)
    quote = page.locator("figure.quote")
    expect(quote.locator("blockquote")).to_have_text(
        "The port is open again and the ships are moving."
    )
    expect(quote.locator("figcaption")).to_have_text("Ines Moreau, Harbour master")
    expect(page.locator("figure.body-image .credit")).to_have_text(photo.credit)
    card = page.locator("aside.related-card")
    expect(card.locator(".related-card__title")).to_have_text(lead_story.title)

    article = ArticlePage.objects.get(title=headline)
    assert article.live
    assert [block.block_type for block in article.body] == ["quote", "image", "related_story"]


@pytest.fixture
def reporters_draft(newsroom, world, unique):
    """A draft article the demo reporter wrote (and so may edit)."""
    from django.contrib.auth import get_user_model

    from newsdesk.news.models import ArticlePage

    reporter = get_user_model().objects.get(username="reporter")
    draft = ArticlePage(
        title=f"Reporter's draft {unique}",
        slug=f"reporters-draft-{unique}",
        owner=reporter,
        live=False,
        body=[{"type": "paragraph", "value": "<p>Not checked by an editor yet.</p>"}],
    )
    world.add_child(instance=draft)
    draft.save_revision(user=reporter)
    return draft


def test_a_reporter_cannot_publish(page, newsroom, reporters_draft):
    public_url = reporters_draft.url
    log_in(page, "reporter", newsroom["reporter"])
    page.goto(f"/admin/pages/{reporters_draft.pk}/edit/")

    page.get_by_role("button", name="More actions").click()
    actions = page.locator("footer nav.actions")
    expect(actions.get_by_role("button", name="Save draft")).to_be_visible()
    expect(actions.get_by_role("button", name=re.compile("^Submit to"))).to_be_visible()
    expect(actions.get_by_role("button", name=re.compile("Publish"))).to_have_count(0)

    # A hand-made request that asks for publication anyway: the edit form as
    # the reporter has it, plus the editor's "Publish" button.
    with page.expect_navigation():
        page.evaluate(
            """() => {
                const form = document.querySelector("#page-edit-form");
                const publish = document.createElement("input");
                publish.type = "hidden";
                publish.name = "action-publish";
                publish.value = "action-publish";
                form.append(publish);
                form.submit();
            }"""
        )

    # Leave the admin (its editing-session pings write to the shared test database).
    response = page.goto(public_url)
    assert response.status == 404
    reporters_draft.refresh_from_db()
    assert not reporters_draft.live
    assert reporters_draft.first_published_at is None
