"""What every wire format parser shares: the parsed item, limits, safe XML, clean HTML."""

import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime

import nh3

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
MAX_ITEM_BYTES = 512 * 1024

# What a wire body may keep: the paragraph editor's markup plus the structure
# a draft turns into subheading and quote blocks.
BODY_TAGS = {"p", "br", "b", "strong", "i", "em", "a", "ul", "ol", "li"}
BODY_TAGS |= {"h2", "h3", "h4", "blockquote", "cite"}
BODY_ATTRIBUTES = {"a": {"href"}}


class ParseError(ValueError):
    """The whole document is unreadable (malformed, too big, not the expected format)."""


@dataclass
class ParsedItem:
    identifier: str
    headline: str
    version: int = 0
    summary: str = ""
    body_html: str = ""
    dateline_place: str = ""
    byline: str = ""
    agency: str = ""
    published_at: datetime | None = None
    images: list[dict] = field(default_factory=list)
    raw_size: int = 0


@dataclass
class ItemProblem:
    """One item that could not be read; the rest of the document still is."""

    identifier: str
    message: str


@dataclass
class ParseResult:
    items: list[ParsedItem] = field(default_factory=list)
    problems: list[ItemProblem] = field(default_factory=list)

    def refuse(self, identifier: str, message: str) -> None:
        self.problems.append(ItemProblem(identifier or "", message))


def check_document_size(data: bytes) -> None:
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ParseError(
            f"document of {len(data)} bytes refused: the limit is {MAX_DOCUMENT_BYTES} bytes"
        )


def item_too_big(size: int) -> str:
    """The refusal for an oversize item, or "" when it fits."""
    if size > MAX_ITEM_BYTES:
        return f"item of {size} bytes refused: the limit is {MAX_ITEM_BYTES} bytes"
    return ""


_FORBIDDEN_XML = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def safe_xml(data: bytes) -> ET.Element:
    """Parse untrusted XML, refusing any DTD: no entity can expand or reach a file or URL."""
    check_document_size(data)
    if _FORBIDDEN_XML.search(data):
        raise ParseError("document refused: it declares a DTD or entities")
    try:
        return ET.fromstring(data)
    except ET.ParseError as error:
        raise ParseError(f"malformed XML: {error}") from error


def clean_body(markup: str) -> str:
    return nh3.clean(
        markup or "",
        tags=BODY_TAGS,
        attributes=BODY_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    ).strip()


def text_to_html(text: str) -> str:
    """Plain text as paragraphs, one per blank-line-separated block."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text or "") if block.strip()]
    return "".join(f"<p>{html.escape(block)}</p>" for block in blocks)


def plain(markup: str) -> str:
    """Text without tags or doubled whitespace (headlines, summaries)."""
    text = nh3.clean(markup or "", tags=set())
    return " ".join(html.unescape(text).split())


def parse_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def version_number(value) -> int:
    """A version as a number: agencies send "3" or 3; anything else is 0."""
    try:
        return max(int(str(value).strip()), 0)
    except (TypeError, ValueError):
        return 0


def local_name(element: ET.Element) -> str:
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


def children_named(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if local_name(child) == name]


def child_named(element: ET.Element | None, name: str) -> ET.Element | None:
    if element is None:
        return None
    return next(iter(children_named(element, name)), None)


def text_of(element: ET.Element | None) -> str:
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def xml_to_html(element: ET.Element) -> str:
    """An XHTML element's content as HTML, namespaces dropped (sanitised afterwards)."""
    parts = [html.escape(element.text or "", quote=False)]
    for child in element:
        name = local_name(child)
        attributes = "".join(
            f' {key.rsplit("}", 1)[-1]}="{html.escape(value)}"' for key, value in child.items()
        )
        parts.append(f"<{name}{attributes}>{xml_to_html(child)}</{name}>")
        parts.append(html.escape(child.tail or "", quote=False))
    return "".join(parts)
