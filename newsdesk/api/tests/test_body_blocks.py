"""The article body as typed blocks, for partners with a key."""

import json

import pytest
from pydantic import TypeAdapter

from newsdesk.api.ninjs import BLOCKS_CONTENTTYPE
from newsdesk.api.schemas import Block
from newsdesk.testing import make_article

from .newsroom import build
from .test_content_api import check_ninjs

KEY = {"X-Api-Key": "partner-key"}


@pytest.fixture
def newsroom(world, author, settings):
    settings.NEWSDESK_API_KEYS = {"partner-key"}
    return build(world, author=author)


def blocks_of(document):
    [html, blocks] = document["bodies"]
    assert html["contenttype"] == "text/html"
    assert blocks["contenttype"] == BLOCKS_CONTENTTYPE and blocks["role"] == "main"
    return json.loads(blocks["value"])


def test_the_body_comes_as_blocks_of_every_kind(client, newsroom):
    document = client.get(f"/api/v1/articles/{newsroom['story']}", headers=KEY).json()
    check_ninjs(document)
    blocks = blocks_of(document)
    TypeAdapter(list[Block]).validate_python(blocks)  # the shape the OpenAPI document gives
    assert [block["type"] for block in blocks] == [
        "paragraph", "subheading", "quote", "quote", "image", "image", "related_story", "read_more",
    ]  # fmt: skip
    paragraph, subheading, quote, bare_quote, image, lead_again, related, read_more = blocks
    assert paragraph["html"] == (
        '<p>Ferries <b>stayed</b> in port on <a href="https://example.org/">Tuesday</a>.</p>'
    )
    assert subheading == {
        "type": "subheading",
        "text": "What the crews want",
        "anchor": "what-the-crews-want",
    }
    assert quote == {
        "type": "quote",
        "text": "We sail when it is safe.",
        "attribution": "Ida Brenner",
        "role": "Captain",
    }
    assert bare_quote == {"type": "quote", "text": "No comment.", "attribution": "A spokesman"}
    assert image["credit"] == "© Test Agency / Ann Lens" and image["caption"] == "The pier at noon."
    assert image["picture"]["uri"] == f"http://testserver/api/v1/images/{newsroom['pier']}"
    assert image["picture"]["renditions"]["baseImage"]["href"].startswith("http://testserver/")
    assert lead_again["credit"] == "© Meridian Wire / Omar Said" and "caption" not in lead_again
    assert related["headline"] == "The ferry strike, explained"
    assert related["api_url"] == f"http://testserver/api/v1/articles/{newsroom['background']}"
    assert related["url"] == "http://testserver/en/world/the-ferry-strike-explained/"
    assert related["picture"]["copyrightnotice"] == "© Meridian Wire / Omar Said"
    assert read_more == {
        "type": "read_more",
        "headline": "Ferries halted for a second day",
        "url": "http://testserver/en/world/ferries-halted-for-a-second-day/",
        "api_url": f"http://testserver/api/v1/articles/{newsroom['earlier']}",
    }
    # What the blocks point at answers in the API and on the site.
    assert client.get(related["api_url"]).status_code == 200
    assert client.get(related["url"]).status_code == 200


def test_unpublished_and_private_stories_do_not_leak_through_the_body(client, newsroom):
    response = client.get(f"/api/v1/articles/{newsroom['story']}", headers=KEY)
    text = response.content.decode()
    assert "Strike ends" not in text and "Union memo" not in text
    links = [block for block in blocks_of(response.json()) if "api_url" in block]
    assert [block["headline"] for block in links] == [
        "The ferry strike, explained",
        "Ferries halted for a second day",
    ]


def test_the_blocks_are_for_key_holders_and_in_every_list_item(client, newsroom):
    anonymous = client.get(f"/api/v1/articles/{newsroom['story']}").json()
    assert "bodies" not in anonymous
    listed = client.get("/api/v1/articles", headers=KEY).json()["items"]
    story = next(item for item in listed if item["altids"][0]["value"] == str(newsroom["story"]))
    assert blocks_of(story)[1]["text"] == "What the crews want"


def test_a_quote_imported_without_its_speaker_still_comes_through(client, world, settings):
    settings.NEWSDESK_API_KEYS = {"partner-key"}
    page = make_article(world, body=[("quote", {"text": "Unattributed words."})])
    document = client.get(f"/api/v1/articles/{page.pk}", headers=KEY).json()
    assert blocks_of(document) == [
        {"type": "quote", "text": "Unattributed words.", "attribution": ""}
    ]
