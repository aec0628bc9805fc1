"""Plain text from readers: what may be stored, and how it is shown."""

import re
import unicodedata

from django.utils.html import escape, urlize
from django.utils.safestring import mark_safe

# Characters a reader never means to type but an abuser uses: NUL and other
# controls (line breaks and tabs excepted), bidirectional overrides and
# isolates that make text read differently from how it is stored, and
# zero-width characters that hide words from the blocklist.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]"
)
_MANY_BLANK_LINES = re.compile(r"\n{3,}")


def clean_plain_text(text: str) -> str:
    """Text as stored: normalised, invisible characters removed, at most one blank line in a row."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _INVISIBLE.sub("", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _MANY_BLANK_LINES.sub("\n\n", text).strip()


_LINK_REL = 'rel="nofollow ugc noopener"'


def plain_text_to_html(text: str) -> str:
    """Paragraphs and line breaks, web addresses as links marked as user content; no other HTML."""
    paragraphs = []
    for block in text.split("\n\n"):
        linked = urlize(escape(block), nofollow=True, autoescape=False)
        linked = linked.replace('rel="nofollow"', _LINK_REL)
        paragraphs.append("<p>" + linked.replace("\n", "<br>") + "</p>")
    return mark_safe("\n".join(paragraphs))  # noqa: S308 (every part escaped above)
