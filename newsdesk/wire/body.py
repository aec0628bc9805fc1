"""A wire body (sanitised HTML) as article body blocks: paragraphs, subheadings, quotes."""

import html
from html.parser import HTMLParser

from newsdesk.lib.html import clean_rich_text

from .parsers.base import plain

BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol"}
VOID_TAGS = {"br"}
LOOSE = ""


class _TopLevel(HTMLParser):
    """Splits markup into its top-level elements: [tag, inner markup parts, cite text parts].

    Text and inline markup between blocks become a "loose" paragraph.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks: list[list] = []
        self.depth = 0
        self.in_cite = 0

    def _chunk(self) -> list:
        if self.depth == 0 and (not self.chunks or self.chunks[-1][0] != LOOSE):
            self.chunks.append([LOOSE, [], []])
        return self.chunks[-1]

    def handle_starttag(self, tag, attrs):
        if self.depth == 0 and tag in BLOCK_TAGS:
            self.chunks.append([tag, [], []])
        elif tag == "cite":
            self._chunk()
            self.in_cite += 1
        else:
            attributes = "".join(f' {k}="{html.escape(v or "")}"' for k, v in attrs)
            self._chunk()[1].append(f"<{tag}{attributes}>")
        if tag not in VOID_TAGS:
            self.depth += 1

    def handle_endtag(self, tag):
        if self.depth == 0 or tag in VOID_TAGS:
            return
        self.depth -= 1
        if self.depth == 0 and self.chunks[-1][0] != LOOSE:
            return  # the end of a top-level block
        if tag == "cite":
            self.in_cite = max(self.in_cite - 1, 0)
        else:
            self.chunks[-1][1].append(f"</{tag}>")

    def handle_data(self, data):
        chunk = self._chunk()
        (chunk[2] if self.in_cite else chunk[1]).append(html.escape(data, quote=False))


def _text(markup: str) -> str:
    return plain(markup.replace("<", " <"))


def _paragraph(markup: str) -> list[dict]:
    cleaned = clean_rich_text(markup).strip()
    if not _text(cleaned):
        return []
    return [{"type": "paragraph", "value": cleaned}]


def body_blocks(body_html: str) -> list[dict]:
    """Raw StreamField data for an article body made from wire markup."""
    parser = _TopLevel()
    parser.feed(body_html or "")
    parser.close()
    blocks: list[dict] = []
    for tag, parts, cite in parser.chunks:
        inner = "".join(parts)
        if tag.startswith("h"):
            if text := _text(inner):
                blocks.append({"type": "subheading", "value": text[:160]})
        elif tag == "blockquote":
            # Agencies often write the speaker after a dash.
            speaker = " ".join(html.unescape("".join(cite)).split()).strip(" -\u2013\u2014")
            text = _text(inner.replace("</p>", "</p>\n"))
            if speaker and text:
                blocks.append(
                    {"type": "quote", "value": {"text": text, "speaker": speaker[:160], "role": ""}}
                )
            else:
                blocks += _paragraph(f"<p>{inner}</p>" if "<p>" not in inner else inner)
        elif tag in ("ul", "ol"):
            blocks += _paragraph(f"<{tag}>{inner}</{tag}>")
        else:
            blocks += _paragraph(f"<p>{inner}</p>")
    return blocks
