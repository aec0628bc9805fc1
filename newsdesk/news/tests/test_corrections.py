"""Corrections and updates told to readers, and what changed between published versions."""

import json
import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from newsdesk.news.models import ArticleNote, ArticlePage
from newsdesk.testing import make_article, raw_body


def publish_again(article, **changes):
    article = ArticlePage.objects.get(pk=article.pk)
    for name, value in changes.items():
        setattr(article, name, value)
    article.save_revision().publish()
    # Readers see "Updated" (and the changes link) once the article is some time old.
    ArticlePage.objects.filter(pk=article.pk).update(
        first_published_at=timezone.now() - timedelta(hours=3)
    )
    return ArticlePage.objects.get(pk=article.pk)


@pytest.fixture
def corrected(world):
    article = make_article(
        world,
        title="Parliament votes on Tuesday",
        summary="The vote follows a week of debate.",
        body=[
            ("paragraph", "<p>Deputies will vote on the budget on Tuesday.</p>"),
            ("paragraph", "<p>The opposition has promised amendments.</p>"),
        ],
    )
    return publish_again(
        article,
        notes=[
            ArticleNote(
                kind="correction",
                text="An earlier version of this article misstated the day of the vote.",
                noted_at=timezone.now() - timedelta(minutes=5),
            ),
            ArticleNote(kind="update", text="The vote has been moved to Wednesday."),
        ],
        title="Parliament votes on Wednesday",
        body=raw_body(
            [
                ("paragraph", "<p>Deputies will vote on the budget on Wednesday.</p>"),
                ("paragraph", "<p>The opposition has promised amendments.</p>"),
                ("paragraph", "<p>The speaker confirmed the change on Monday.</p>"),
            ]
        ),
    )


def test_notes_show_on_the_article_updates_on_top_corrections_at_the_end(client, corrected):
    soup = BeautifulSoup(client.get(corrected.url).content, "html.parser")
    article = soup.select_one("article.article")

    update = article.select_one("header .article-note--update")
    assert "The vote has been moved to Wednesday." in update.get_text()
    notes = article.select(".article-note")
    assert notes[-1] is article.select_one(".article-note--correction")
    assert "misstated the day of the vote" in notes[-1].get_text()
    assert notes[-1].find("time")["datetime"]


def test_corrections_are_in_the_news_article_data(client, corrected):
    soup = BeautifulSoup(client.get(corrected.url).content, "html.parser")
    data = [json.loads(tag.string) for tag in soup.select('script[type="application/ld+json"]')]
    article = next(item for item in data if item.get("@type") == "NewsArticle")

    assert article["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "An earlier version of this article misstated the day of the vote.",
            "datePublished": article["correction"][0]["datePublished"],
        }
    ]


def test_the_corrections_page_lists_every_correction_newest_first(client, world, corrected):
    later = make_article(world, title="Ferry fares rise")
    later.notes = [ArticleNote(kind="correction", text="The fare rise is 4%, not 40%.")]
    later.save_revision().publish()
    make_article(world, title="A draft with a correction", publish=False)

    soup = BeautifulSoup(client.get("/en/corrections/").content, "html.parser")
    items = [item.get_text(" ", strip=True) for item in soup.select(".corrections__item")]

    assert len(items) == 2
    assert items[0].startswith("Ferry fares rise") and "4%, not 40%" in items[0]
    assert items[1].startswith("Parliament votes on Wednesday")
    assert soup.select_one(".corrections__item a")["href"] == later.url
    assert "The vote has been moved" not in soup.get_text()  # updates are not corrections


def test_readers_see_what_changed_between_published_versions(client, corrected):
    page = BeautifulSoup(client.get(corrected.url).content, "html.parser")
    link = page.find("a", string="What changed")
    assert link["href"] == f"/en/changes/{corrected.pk}/"

    soup = BeautifulSoup(client.get(link["href"]).content, "html.parser")
    changes = soup.select_one(".changes")

    assert [tag.get_text() for tag in changes.select(".changes__headline del")] == ["Tuesday"]
    assert [tag.get_text() for tag in changes.select(".changes__headline ins")] == ["Wednesday"]
    changed = changes.select_one(".changes__passage--changed")
    assert changed.find("del").get_text() == "Tuesday." and changed.find("ins").get_text() == (
        "Wednesday."
    )
    added = changes.select_one(".changes__passage--added")
    assert added.get_text(strip=True) == "The speaker confirmed the change on Monday."
    assert len(soup.select(".versions li")) == 2


def test_drafts_never_show_in_what_changed(client, corrected):
    draft = ArticlePage.objects.get(pk=corrected.pk)
    draft.title = "Secret draft headline"
    draft.save_revision()  # saved, not published

    text = client.get(f"/en/changes/{corrected.pk}/").content.decode()

    assert "Secret draft headline" not in text
    assert len(re.findall(r"Version \d", text)) >= 2


def test_what_changed_of_an_unpublished_or_unknown_article_is_not_found(client, world):
    draft = make_article(world, title="Never published", publish=False)

    assert client.get(f"/en/changes/{draft.pk}/").status_code == 404
    assert client.get("/en/changes/999999/").status_code == 404


def test_odd_version_numbers_fall_back_to_a_choice(client, corrected):
    response = client.get(f"/en/changes/{corrected.pk}/?from=abc&to=99")

    assert response.status_code == 200
    assert "Choose a version above" in response.content.decode()
