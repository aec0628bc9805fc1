"""IPTC ninjs 2.x (and the 1.x names agencies still send): JSON news items.

A document is one item, a list of items, or an object with an "items" list
(what most HTTP endpoints answer). Pictures come from "associations".
"""

import json

from .base import (
    ParsedItem,
    ParseError,
    ParseResult,
    check_document_size,
    clean_body,
    item_too_big,
    parse_iso,
    plain,
    text_to_html,
    version_number,
)


def parse(data: bytes) -> ParseResult:
    check_document_size(data)
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ParseError(f"malformed JSON: {error}") from error
    if isinstance(document, dict) and isinstance(document.get("items"), list):
        document = document["items"]
    if isinstance(document, dict):
        document = [document]
    if not isinstance(document, list):
        raise ParseError("not ninjs: expected an object or a list of objects")
    result = ParseResult()
    for position, raw in enumerate(document):
        if not isinstance(raw, dict):
            result.refuse(f"#{position + 1}", "not a ninjs object")
            continue
        identifier = str(raw.get("uri") or raw.get("guid") or "").strip()
        size = len(json.dumps(raw).encode())
        if refusal := item_too_big(size):
            result.refuse(identifier, refusal)
        elif not identifier:
            result.refuse(f"#{position + 1}", "item without uri or guid")
        elif not (headline := _headline(raw)):
            result.refuse(identifier, "item without a headline")
        else:
            result.items.append(_item(raw, identifier, headline, size))
    return result


def _item(raw: dict, identifier: str, headline: str, size: int) -> ParsedItem:
    return ParsedItem(
        identifier=identifier,
        headline=headline,
        version=version_number(raw.get("version")),
        summary=_described(raw),
        body_html=_body(raw),
        dateline_place=_text(raw.get("located")),
        byline=_by(raw.get("by")),
        agency=_text(raw.get("copyrightholder")) or _provider(raw),
        published_at=parse_iso(_text(raw.get("versioncreated") or raw.get("firstcreated"))),
        images=_pictures(raw.get("associations")),
        raw_size=size,
    )


def _text(value) -> str:
    return plain(value) if isinstance(value, str) else ""


def _by(value) -> str:
    if isinstance(value, list):  # some agencies send a list of names
        return ", ".join(_text(name) for name in value if _text(name))
    return _text(value)


def _by_role(entries, preferred: str) -> list[dict]:
    """ninjs 2 lists of {role, value, contenttype}: the preferred role first."""
    entries = [entry for entry in entries or [] if isinstance(entry, dict) and entry.get("value")]
    return sorted(entries, key=lambda entry: entry.get("role") != preferred)


def _headline(raw: dict) -> str:
    for entry in _by_role(raw.get("headlines"), "main"):
        return _text(entry["value"])
    return _text(raw.get("headline"))


def _described(raw: dict) -> str:
    for entry in _by_role(raw.get("descriptions"), "summary"):
        return _text(entry["value"])
    return _text(raw.get("description_text") or raw.get("description_html"))


def _body(raw: dict) -> str:
    bodies = _by_role(raw.get("bodies"), "main")
    for body in bodies:
        if "html" in str(body.get("contenttype", "")):
            return clean_body(str(body["value"]))
    if bodies:
        return text_to_html(str(bodies[0]["value"]))
    if isinstance(raw.get("body_html"), str):
        return clean_body(raw["body_html"])
    body_text = raw.get("body_text")
    return text_to_html(body_text if isinstance(body_text, str) else "")


def _provider(raw: dict) -> str:
    for source in raw.get("infosources") or []:
        if isinstance(source, dict) and source.get("name"):
            return _text(source["name"])
    provider = raw.get("provider")
    if isinstance(provider, dict):
        return _text(provider.get("name"))
    return _text(provider)


def _associations(value) -> list[dict]:
    # ninjs 2 has a list of associations with "name"; ninjs 1 a dict by name.
    if isinstance(value, dict):
        return [entry for entry in value.values() if isinstance(entry, dict)]
    if isinstance(value, list):
        return [entry for entry in value if isinstance(entry, dict)]
    return []


def _renditions(picture: dict) -> list[dict]:
    renditions = picture.get("renditions")
    if isinstance(renditions, dict):
        renditions = list(renditions.values())
    return [r for r in renditions or [] if isinstance(r, dict) and r.get("href")]


def _picture_url(picture: dict) -> str:
    renditions = _renditions(picture)
    if not renditions:
        return ""
    biggest = max(renditions, key=lambda r: version_number(r.get("width")))
    return str(biggest["href"])


def _credit(picture: dict) -> str:
    notice = _text(picture.get("copyrightnotice"))
    holder = _text(picture.get("copyrightholder"))
    by = _by(picture.get("by"))
    if notice:
        return notice
    return " / ".join(part for part in (holder, by) if part)


def _pictures(associations) -> list[dict]:
    pictures = []
    for picture in _associations(associations):
        if picture.get("type") not in ("picture", "image", None):
            continue
        url = _picture_url(picture)
        if not url:
            continue
        pictures.append(
            {
                "url": url,
                "caption": _described(picture) or _text(picture.get("body_text")),
                "credit": _credit(picture),
                "photographer": _by(picture.get("by")),
                "copyright_holder": _text(picture.get("copyrightholder")),
            }
        )
    return pictures
