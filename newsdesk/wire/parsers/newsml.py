"""NewsML-G2 text items: a <newsItem>, or a <newsMessage> carrying several.

Read: guid and version attributes; itemMeta's versionCreated; contentMeta's
headline, description, located, creditline and by; the XHTML body of the
inlineXML content. Pictures travel in separate items and are not read here.
"""

import xml.etree.ElementTree as ET

from .base import (
    ParsedItem,
    ParseError,
    ParseResult,
    child_named,
    clean_body,
    item_too_big,
    local_name,
    parse_iso,
    plain,
    safe_xml,
    text_of,
    text_to_html,
    version_number,
    xml_to_html,
)

G2 = "{http://iptc.org/std/nar/2006-10-01/}"


def parse(data: bytes) -> ParseResult:
    root = safe_xml(data)
    if root.tag == f"{G2}newsItem":
        news_items = [root]
    elif root.tag == f"{G2}newsMessage":
        news_items = list(root.iter(f"{G2}newsItem"))
    else:
        raise ParseError(f"not NewsML-G2: the document is a <{local_name(root)}>")
    result = ParseResult()
    for position, element in enumerate(news_items):
        identifier = (element.get("guid") or "").strip()
        size = len(ET.tostring(element))
        if refusal := item_too_big(size):
            result.refuse(identifier, refusal)
        elif not identifier:
            result.refuse(f"#{position + 1}", "newsItem without a guid")
        elif not (item := _item(element, identifier)).headline:
            result.refuse(identifier, "newsItem without a headline")
        else:
            item.raw_size = size
            result.items.append(item)
    return result


def _item(element, identifier: str) -> ParsedItem:
    item_meta = element.find(f"{G2}itemMeta")
    content_meta = element.find(f"{G2}contentMeta")
    located = content_meta.find(f"{G2}located") if content_meta is not None else None
    place = text_of(child_named(located, "name")) if located is not None else ""
    return ParsedItem(
        identifier=identifier,
        headline=plain(_meta(content_meta, "headline")),
        version=version_number(element.get("version")),
        summary=plain(_meta(content_meta, "description")),
        body_html=_body(element),
        dateline_place=place or text_of(located),
        byline=_meta(content_meta, "by"),
        agency=_meta(content_meta, "creditline"),
        published_at=parse_iso(
            _meta(item_meta, "versionCreated") or _meta(item_meta, "firstCreated")
        ),
    )


def _meta(parent, name: str) -> str:
    return text_of(parent.find(f"{G2}{name}")) if parent is not None else ""


def _body(element) -> str:
    for inline in element.iter(f"{G2}inlineXML"):
        body = next((e for e in inline.iter() if local_name(e) == "body"), None)
        return clean_body(xml_to_html(body if body is not None else inline))
    for inline in element.iter(f"{G2}inlineData"):
        return text_to_html(inline.text or "")
    return ""
