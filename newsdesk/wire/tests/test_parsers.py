import json
from datetime import UTC, datetime

import pytest

from newsdesk.wire.parsers import MAX_DOCUMENT_BYTES, MAX_ITEM_BYTES, ParseError, feeds, newsml
from newsdesk.wire.parsers import ninjs as ninjs_parser

from .documents import ATOM, NEWSML, RSS, ninjs, ninjs_item


def test_ninjs_item_gives_headline_body_dateline_byline_and_picture_credit():
    (item,) = ninjs_parser.parse(ninjs(ninjs_item())).items
    assert item.identifier == "urn:test:wire:harbour-1"
    assert item.version == 1
    assert item.headline == "Harbour strike ends"  # the main headline, not the short one
    assert item.summary == "Dockers return after nine days."
    assert "<script>" not in item.body_html
    assert "<h2>What was agreed</h2>" in item.body_html
    assert item.dateline_place == "Rotterdam"
    assert item.byline == "Tom Ferris"
    assert item.agency == "Northwind Press"
    assert item.published_at == datetime(2026, 3, 2, 8, 15, tzinfo=UTC)
    assert item.images == [
        {
            "url": "http://example.invalid/quay.jpg",  # the largest rendition
            "caption": "Cranes idle at the quay",
            "credit": "© Northwind Press 2026 / Ines Vaal",
            "photographer": "Ines Vaal",
            "copyright_holder": "Northwind Press",
        }
    ]


def test_ninjs_reads_version_1_names_and_item_lists():
    old = {"guid": "old-1", "headline": "Old style", "body_text": "One.\n\nTwo.", "version": 2}
    result = ninjs_parser.parse(json.dumps({"items": [old, ninjs_item()]}).encode())
    assert [i.identifier for i in result.items] == ["old-1", "urn:test:wire:harbour-1"]
    assert result.items[0].body_html == "<p>One.</p><p>Two.</p>"


def test_ninjs_bad_items_are_refused_one_by_one():
    result = ninjs_parser.parse(
        ninjs({"headlines": [{"value": "No uri"}]}, "not an object", {"uri": "u-2"}, ninjs_item())
    )
    assert [i.identifier for i in result.items] == ["urn:test:wire:harbour-1"]
    assert [p.message for p in result.problems] == [
        "item without uri or guid",
        "not a ninjs object",
        "item without a headline",
    ]


@pytest.mark.parametrize("document", [b"{not json", b'"a string"', b"\xff\xfe"])
def test_ninjs_malformed_document_is_refused(document):
    with pytest.raises(ParseError):
        ninjs_parser.parse(document)


def test_oversize_document_and_item_are_refused():
    with pytest.raises(ParseError, match="limit"):
        ninjs_parser.parse(b" " * (MAX_DOCUMENT_BYTES + 1))
    huge = ninjs_item(uri="big", bodies=[{"role": "main", "value": "x" * (MAX_ITEM_BYTES + 1)}])
    result = ninjs_parser.parse(ninjs(huge, ninjs_item()))
    assert [i.identifier for i in result.items] == ["urn:test:wire:harbour-1"]
    assert result.problems[0].identifier == "big"
    assert "refused" in result.problems[0].message


def test_rss_items_with_content_creator_and_media_credit():
    result = feeds.parse(RSS)
    first, second = result.items
    assert first.identifier == "rss-1"
    assert first.headline == "Bridge reopens & traffic returns"
    assert first.body_html == "<p>The old bridge reopened at dawn.</p>\n<p>Cars crossed.</p>"
    assert first.summary == "The bridge is open again."
    assert first.byline == "Sam Hale"
    assert first.published_at == datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
    assert first.images == [
        {
            "url": "http://example.invalid/bridge.jpg",
            "caption": "The bridge at dawn",
            "credit": "Photo: Northwind Press",
        }
    ]
    assert second.identifier == "http://example.invalid/stories/2"
    assert second.body_html == "<p>Escaped <em>markup</em>.</p>"
    assert [p.message for p in result.problems] == ["item without guid, id or link"]


def test_atom_entry_with_xhtml_content_and_enclosure():
    (entry,) = feeds.parse(ATOM).items
    assert entry.identifier == "urn:test:atom:1"
    assert entry.headline == "Council approves budget"
    assert entry.body_html == "<p>The council voted <strong>31 to 12</strong>.</p>"
    assert entry.summary == "A short summary."
    assert entry.byline == "Ria Moss"
    assert entry.version == int(datetime(2026, 3, 2, 9, tzinfo=UTC).timestamp())
    assert entry.images[0]["url"] == "http://example.invalid/council.jpg"


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (b"<rss><channel><item>", "malformed"),
        (b"<html><body>hello</body></html>", "not RSS or Atom"),
        (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rss><channel/></rss>',
            "DTD",
        ),
        (b"<rss/>", "without a channel"),
    ],
)
def test_feeds_refuse_malformed_and_dtd_documents(document, message):
    with pytest.raises(ParseError, match=message):
        feeds.parse(document)


def test_newsml_text_item():
    (item,) = newsml.parse(NEWSML).items
    assert item.identifier == "urn:test:g2:flood"
    assert item.version == 3
    assert item.headline == "River bursts its banks after storm"
    assert item.summary == "Hundreds leave their homes."
    assert item.dateline_place == "Valencia"
    assert item.byline == "Pau Serra"
    assert item.agency == "Northwind Press"
    assert item.published_at == datetime(2026, 3, 2, 10, 30, tzinfo=UTC)
    assert item.body_html == (
        "<p>Water rose a metre overnight.</p><h3>Roads shut</h3><p>Two roads are closed.</p>"
    )


def test_newsml_message_with_several_items_refuses_only_the_bad_one():
    g2 = b'xmlns="http://iptc.org/std/nar/2006-10-01/"'
    inner = NEWSML.split(b"?>", 1)[1]
    document = (
        b"<newsMessage " + g2 + b"><itemSet>" + inner + b'<newsItem guid="urn:test:g2:empty">'
        b"<contentMeta/></newsItem></itemSet></newsMessage>"
    )
    result = newsml.parse(document)
    assert [i.identifier for i in result.items] == ["urn:test:g2:flood"]
    assert [(p.identifier, p.message) for p in result.problems] == [
        ("urn:test:g2:empty", "newsItem without a headline")
    ]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="x">', "malformed"),
        (b"<rss/>", "not NewsML-G2"),
        (b'<!DOCTYPE newsItem SYSTEM "file:///etc/passwd"><newsItem/>', "DTD"),
    ],
)
def test_newsml_refuses_malformed_documents(document, message):
    with pytest.raises(ParseError, match=message):
        newsml.parse(document)
