"""RSS 2.0 and Atom feeds, read with the standard library (feedparser is a test tool here).

Feeds carry no version numbers: an item's version is its updated time (Atom
<updated>), so a republished entry replaces the queued one and an unchanged
one does not.
"""

import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime

from .base import (
    ParsedItem,
    ParseError,
    ParseResult,
    child_named,
    children_named,
    clean_body,
    item_too_big,
    local_name,
    parse_iso,
    plain,
    safe_xml,
    text_of,
    text_to_html,
    xml_to_html,
)

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
MEDIA = "{http://search.yahoo.com/mrss/}"


def parse(data: bytes) -> ParseResult:
    root = safe_xml(data)
    if local_name(root) == "rss":
        channel = child_named(root, "channel")
        if channel is None:
            raise ParseError("RSS without a channel")
        return _read(children_named(channel, "item"), _rss_item)
    if root.tag == f"{ATOM}feed":
        return _read(root.findall(f"{ATOM}entry"), _atom_entry)
    raise ParseError(f"not RSS or Atom: the document is a <{local_name(root)}>")


def _read(elements, read_one) -> ParseResult:
    result = ParseResult()
    for position, element in enumerate(elements):
        size = len(ET.tostring(element))
        identifier = _identifier(element) or f"#{position + 1}"
        if refusal := item_too_big(size):
            result.refuse(identifier, refusal)
            continue
        item = read_one(element)
        if not item.identifier:
            result.refuse(identifier, "item without guid, id or link")
        elif not item.headline:
            result.refuse(identifier, "item without a title")
        else:
            item.raw_size = size
            result.items.append(item)
    return result


def _identifier(element) -> str:
    for name in ("guid", "id", "link"):
        found = child_named(element, name)
        if found is not None and (found.text or found.get("href")):
            return (found.text or found.get("href")).strip()
    return ""


def _rss_date(value: str):
    try:
        return parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError):
        return None


def _rss_item(element) -> ParsedItem:
    published = _rss_date(text_of(child_named(element, "pubDate")))
    encoded = element.find(CONTENT_ENCODED)
    described = child_named(element, "description")
    description = described.text or "" if described is not None else ""
    body = encoded.text if encoded is not None and encoded.text else description
    creator = element.find(DC_CREATOR)
    return ParsedItem(
        identifier=_identifier(element),
        headline=plain(text_of(child_named(element, "title"))),
        summary=plain(description) if encoded is not None else "",
        body_html=clean_body(body),
        byline=text_of(creator) or text_of(child_named(element, "author")),
        published_at=published,
        images=_enclosures(element) + _media(element),
    )


def _atom_text(element) -> str:
    """An Atom text construct as HTML: text, html or xhtml."""
    if element is None:
        return ""
    kind = element.get("type", "text")
    if kind == "xhtml":
        wrapper = next(iter(element), None)
        return clean_body(xml_to_html(wrapper) if wrapper is not None else "")
    if kind == "html":
        return clean_body(element.text or "")
    return text_to_html(element.text or "")


def _atom_entry(element) -> ParsedItem:
    updated = parse_iso(text_of(element.find(f"{ATOM}updated")))
    published = parse_iso(text_of(element.find(f"{ATOM}published"))) or updated
    summary = element.find(f"{ATOM}summary")
    content = element.find(f"{ATOM}content")
    authors = [text_of(a.find(f"{ATOM}name")) for a in element.findall(f"{ATOM}author")]
    images = [
        {"url": link.get("href"), "caption": link.get("title", ""), "credit": ""}
        for link in element.findall(f"{ATOM}link")
        if link.get("rel") == "enclosure" and link.get("type", "").startswith("image/")
    ]
    return ParsedItem(
        identifier=text_of(element.find(f"{ATOM}id")),
        headline=plain(_atom_text(element.find(f"{ATOM}title"))),
        version=int(updated.timestamp()) if updated else 0,
        summary=plain(_atom_text(summary)) if content is not None else "",
        body_html=_atom_text(content if content is not None else summary),
        byline=", ".join(name for name in authors if name),
        published_at=published,
        images=images + _media(element),
    )


def _enclosures(element) -> list[dict]:
    return [
        {"url": enclosure.get("url"), "caption": "", "credit": ""}
        for enclosure in children_named(element, "enclosure")
        if enclosure.get("url") and enclosure.get("type", "").startswith("image/")
    ]


def _media(element) -> list[dict]:
    """Media RSS pictures, with their credit and description."""
    pictures = []
    for media in element.iter(f"{MEDIA}content"):
        if not media.get("url") or media.get("medium", "image") != "image":
            continue
        pictures.append(
            {
                "url": media.get("url"),
                "caption": text_of(media.find(f"{MEDIA}description")),
                "credit": text_of(media.find(f"{MEDIA}credit")),
            }
        )
    return pictures
