import re

import pytest
from bs4 import BeautifulSoup
from django.db import connection

from newsdesk.news.freshness import content_changed
from newsdesk.news.models import ArticlePage
from newsdesk.testing import SITE_NAME, make_article, make_image

# A repeat view: the content token (with whether any page is private) and the
# page. The site, the route, the chrome, the rendered article (headline to
# tags) and its structured data are kept per content token (news/freshness.py).
ARTICLE_PAGE_QUERIES = 2
# The first view after anything was published anywhere: also every site (with
# its root page and settings), the route, the navigation sections, and the
# article's linked articles, images, renditions, tags, authors and its
# corrections and updates; the site's editions (its home pages) and the
# article's translations (hreflang links, the edition switcher).
ARTICLE_PAGE_QUERIES_AFTER_A_CHANGE = 13


@pytest.fixture
def lead_story(world, author):
    photo = make_image(title="Smoke over the valley", credit="© Meridian Wire 2018 / Lena Hart")
    inline_photo = make_image(title="Convoy", credit="© Meridian Wire 2018 / Omar Said")
    card_photo = make_image(
        title="Flight deck", credit="© Navy Press / File", description="A carrier's flight deck"
    )
    related = make_article(world, title="Pentagon rules out joint action", lead_image=card_photo)
    read_more = make_article(world, title="Analyst weighs the options")
    body = [
        ("paragraph", "<p>Officials said the talks would go on.</p>"),
        (
            "quote",
            {
                "text": "We will answer any attack.",
                "speaker": "Oleg Petrov",
                "role": "Deputy Minister",
            },
        ),
        ("related_story", {"article": related.pk}),
        ("subheading", "Chemical weapons"),
        ("paragraph", "<p>Inspectors were told of new containers.</p>"),
        ("image", {"image": inline_photo.pk, "caption": "Trucks on the road north"}),
        ("read_more", {"article": read_more.pk}),
    ]
    return make_article(
        world,
        title="Moscow vows to answer attacks from the valley",
        summary="A deputy minister says militants used the truce to dig in.",
        lead_image=photo,
        lead_image_caption="Smoke rises after a strike",
        dateline_place="Moscow",
        dateline_agency="Meridian Wire",
        authors=[author],
        body=body,
    )


def test_it_renders_every_element_of_the_reference_page_in_order(client, lead_story):
    response = client.get(lead_story.url)
    assert response.status_code == 200
    html = response.content.decode()
    soup = BeautifulSoup(html, "html.parser")

    assert soup.title.string == f"Moscow vows to answer attacks from the valley - {SITE_NAME}"
    assert [h.get_text() for h in soup.find_all("h1")] == [
        "Moscow vows to answer attacks from the valley"
    ]
    lead = soup.select_one("figure.lead-image")
    assert "© Meridian Wire 2018 / Lena Hart" in lead.figcaption.get_text()
    assert "Smoke rises after a strike" in lead.figcaption.get_text()
    first_paragraph = soup.select_one(".article__body p")
    assert first_paragraph.get_text().startswith("MOSCOW (Meridian Wire) - Officials said")
    quote = soup.select_one("figure.quote")
    assert "We will answer any attack." in quote.blockquote.get_text()
    assert quote.figcaption.get_text() == "Oleg Petrov, Deputy Minister"
    card = soup.select_one("aside.related-card")
    assert card.a["href"].endswith("/pentagon-rules-out-joint-action/")
    assert card.img["alt"] == "A carrier's flight deck"
    assert "© Navy Press / File" in card.get_text()
    assert soup.select_one("h2#chemical-weapons").get_text() == "Chemical weapons"
    read_more = soup.select_one("p.read-more")
    assert read_more.get_text(" ", strip=True) == "READ MORE: Analyst weighs the options"
    assert "To participate in the discussion log in or register" in re.sub(
        r"\s+", " ", soup.select_one(".discussion__prompt").get_text()
    )
    # ANATOMY.md order: headline, photo, dateline, quote, card, subheading, read more, discussion.
    positions = [
        html.index("<h1"),
        html.index('class="lead-image"'),
        html.index('class="dateline"'),
        html.index('class="quote"'),
        html.index('class="related-card"'),
        html.index('id="chemical-weapons"'),
        html.index('class="read-more"'),
        html.index('class="discussion"'),
    ]
    assert positions == sorted(positions)


def test_every_image_shows_its_credit(client, lead_story):
    soup = BeautifulSoup(client.get(lead_story.url).content, "html.parser")
    for img in soup.select("main img"):
        container = img.find_parent(["figure", "aside"])
        assert container.select_one(".credit"), f"no credit next to {img['src']}"
        assert img.get("width") and img.get("height"), "images must reserve their space"
        assert img.get("alt")


def test_a_related_card_follows_a_renamed_headline(client, lead_story, world):
    related = lead_story.body[2].value["article"]
    related.title = "Pentagon says no to a joint operation"
    related.save_revision().publish()
    html = client.get(lead_story.url).content.decode()
    assert "Pentagon says no to a joint operation" in html
    assert "Pentagon rules out joint action" not in html


def test_links_to_unpublished_or_deleted_articles_drop_out_quietly(client, lead_story):
    related = lead_story.body[2].value["article"]
    read_more = lead_story.body[6].value["article"]
    related.unpublish()
    read_more.delete()
    response = client.get(lead_story.url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select("aside.related-card") == []
    assert soup.select("p.read-more") == []


def test_the_article_page_stays_within_its_query_budget(
    client, lead_story, django_assert_num_queries
):
    client.get(lead_story.url)  # renditions are made on the first view
    content_changed()
    with django_assert_num_queries(ARTICLE_PAGE_QUERIES_AFTER_A_CHANGE):
        first = client.get(lead_story.url).content
    with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
        again = client.get(lead_story.url).content
    assert again == first


def test_a_change_made_by_another_worker_shows_on_the_next_view(client, lead_story):
    related = lead_story.body[2].value["article"]
    assert "Pentagon rules out joint action" in client.get(lead_story.url).content.decode()
    # Another process publishes a new headline: its signals run there, not here;
    # all this process can see is the database, with a new content token.
    ArticlePage.objects.filter(pk=related.pk).update(title="Pentagon says no to a joint operation")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE news_contentversion SET token = 'from-another-worker' WHERE id = 1")
    html = client.get(lead_story.url).content.decode()
    assert "Pentagon says no to a joint operation" in html
    assert "Pentagon rules out joint action" not in html


def test_an_edited_image_credit_shows_at_once(client, lead_story):
    client.get(lead_story.url)
    photo = lead_story.lead_image
    photo.credit = "© Meridian Wire 2018 / L. Hart"
    photo.save()
    soup = BeautifulSoup(client.get(lead_story.url).content, "html.parser")
    assert soup.select_one(".lead-image .credit").get_text() == "© Meridian Wire 2018 / L. Hart"


def test_markup_in_editors_text_is_shown_not_run(client, world):
    page = make_article(
        world,
        title='<script>alert("headline")</script>',
        summary="<img src=x onerror=alert(1)>",
        dateline_place="<b>Paris</b>",
        body=[
            (
                "paragraph",
                '<p>Safe <script>alert("body")</script><a href="javascript:alert(1)">x</a></p>',
            ),
            ("quote", {"text": "<script>q()</script>", "speaker": "<i>Ann</i>", "role": ""}),
        ],
    )
    html = client.get(page.url).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find_all(onerror=True) == []
    for script in soup.find_all("script"):
        # Only our own script files, and data (structured data, the interface's
        # plural forms) whose JSON escapes "<".
        assert script.get("src") or script.get("type") in (
            "application/ld+json",
            "application/json",
        )
        assert "<" not in (script.string or "")
    assert "javascript:" not in html
    assert "&lt;script&gt;alert(&quot;headline&quot;)&lt;/script&gt;" in html


def test_the_dateline_opens_the_first_paragraph_even_after_other_blocks(client, world):
    page = make_article(
        world,
        dateline_place="Nairobi",
        body=[("subheading", "Background"), ("paragraph", "<p>Rain fell.</p>")],
    )
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    assert soup.select_one(".article__body p").get_text() == "NAIROBI - Rain fell."


def test_the_seo_title_replaces_the_headline_in_the_title_only(client, world):
    page = make_article(world, title="Long headline for readers", seo_title="Short SEO title")
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    assert soup.title.string == f"Short SEO title - {SITE_NAME}"
    assert soup.h1.get_text() == "Long headline for readers"
