"""The reader search page, against the real search index of the database."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from newsdesk.news.models import ArticlePage, SectionPage
from newsdesk.testing import make_article


@pytest.fixture
def archive(home, world, author):
    offbeat = SectionPage(title="Off-beat", slug="off-beat", show_in_menus=True)
    home.add_child(instance=offbeat)
    offbeat.save_revision().publish()
    quoted = make_article(
        world,
        title="Ministers meet again",
        summary="Talks resume after a year.",
        authors=[author],
        body=[
            ("paragraph", "<p>The delegations arrived by train.</p>"),
            ("subheading", "Grain corridor"),
            ("quote", {"text": "The harvest cannot wait.", "speaker": "Ilse Moreau", "role": ""}),
        ],
    )
    quoted.tags.add("Diplomacy")
    quoted.save_revision().publish()
    old = make_article(world, title="Harvest festival in the valley", summary="Grain and song.")
    ArticlePage.objects.filter(pk=old.pk).update(
        first_published_at=timezone.now() - timedelta(days=30)
    )
    make_article(offbeat, title="Giant grain sculpture unveiled", summary="Made of wheat.")
    make_article(world, title="Secret grain deal", summary="Draft only.", publish=False)
    return {"quoted": quoted, "old": old}


def titles(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [a.get_text(strip=True) for a in soup.select(".search-result__title a")]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ministers", "Ministers meet again"),  # headline
        ("resume", "Ministers meet again"),  # summary
        ("corridor", "Ministers meet again"),  # subheading
        ("harvest cannot wait", "Ministers meet again"),  # quote
        ("Moreau", "Ministers meet again"),  # who was quoted
        ("diplomacy", "Ministers meet again"),  # tag
        ("Kovacs", "Ministers meet again"),  # author
    ],
)
def test_search_covers_every_part_of_an_article(client, archive, query, expected):
    assert expected in titles(client.get("/en/search/", {"q": query}))


def test_drafts_are_never_found_and_sections_and_dates_filter(client, archive):
    everything = titles(client.get("/en/search/", {"q": "grain", "order": "newest"}))
    assert everything == [
        "Giant grain sculpture unveiled",
        "Ministers meet again",
        "Harvest festival in the valley",
    ]
    in_world = titles(client.get("/en/search/", {"q": "grain", "section": "world"}))
    assert sorted(in_world) == ["Harvest festival in the valley", "Ministers meet again"]
    since = (timezone.now() - timedelta(days=7)).date().isoformat()
    recent = titles(client.get("/en/search/", {"q": "grain", "from": since}))
    assert "Harvest festival in the valley" not in recent and len(recent) == 2


def test_matches_are_highlighted_in_a_snippet(client, archive):
    soup = BeautifulSoup(client.get("/en/search/", {"q": "train"}).content, "html.parser")
    snippet = soup.select_one(".search-result__snippet")
    assert [mark.get_text() for mark in snippet.select("mark")] == ["train"]
    assert "delegations arrived by" in snippet.get_text()


def test_no_results_and_bad_queries_get_a_friendly_page(client, archive):
    nothing = client.get("/en/search/", {"q": "zeppelin"})
    assert nothing.status_code == 200
    assert "Nothing matches" in nothing.content.decode()
    for odd in ['"unbalanced', "* OR NEAR(", "<script>alert(1)</script>", "' OR 1=1 --", "\u202e"]:
        response = client.get("/en/search/", {"q": odd})
        assert response.status_code == 200, odd
        assert "<script>alert(1)</script>" not in response.content.decode()
    too_long = client.get("/en/search/", {"q": "grain " * 100})
    assert too_long.status_code == 400
    assert "limited to 200 characters" in too_long.content.decode()
    bad_date = client.get("/en/search/", {"q": "grain", "from": "yesterday"})
    assert bad_date.status_code == 400
    assert "year-month-day" in bad_date.content.decode()


def test_results_are_paginated(client, world):
    for number in range(23):
        make_article(world, title=f"Flood update {number}")
    first = client.get("/en/search/", {"q": "flood"})
    assert len(titles(first)) == 20
    second = client.get("/en/search/", {"q": "flood", "page": 2})
    assert len(titles(second)) == 3
    assert client.get("/en/search/", {"q": "flood", "page": "x"}).status_code == 200


def test_every_page_has_a_search_box_that_works_without_javascript(client, archive):
    soup = BeautifulSoup(client.get("/en/").content, "html.parser")
    form = soup.select_one("header form[role=search]")
    assert form["action"] == "/en/search/" and form["method"] == "get"
    assert form.select_one("input[name=q]")


def test_the_most_relevant_article_comes_first_and_newest_first_still_orders_by_date(client, world):
    about = make_article(
        world,
        title="Glacier retreat speeds up",
        summary="The glacier lost a record area.",
        body=[("paragraph", "<p>Glacier scientists measured the glacier twice a year.</p>")],
    )
    make_article(
        world,
        title="Mountain villages count tourists",
        body=[("paragraph", "<p>Visitors also walk to the glacier.</p>")],
    )
    ArticlePage.objects.filter(pk=about.pk).update(
        first_published_at=timezone.now() - timedelta(days=2)
    )

    assert titles(client.get("/en/search/", {"q": "glacier"})) == [
        "Glacier retreat speeds up",
        "Mountain villages count tourists",
    ]
    assert titles(client.get("/en/search/", {"q": "glacier", "order": "newest"})) == [
        "Mountain villages count tourists",
        "Glacier retreat speeds up",
    ]


def test_relevance_keeps_every_filter(client, archive):
    # "grain": one draft, one in Off-beat, one a month old, one this week.
    assert titles(client.get("/en/search/", {"q": "grain", "section": "off-beat"})) == [
        "Giant grain sculpture unveiled"
    ]
    assert "Secret grain deal" not in titles(client.get("/en/search/", {"q": "grain"}))
