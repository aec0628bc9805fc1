"""Wire format parsers: pure functions from a document's bytes to items and problems."""

from . import feeds, newsml, ninjs
from .base import MAX_DOCUMENT_BYTES, MAX_ITEM_BYTES, ParsedItem, ParseError, ParseResult

PARSERS = {"ninjs": ninjs.parse, "rss-atom": feeds.parse, "newsml-g2": newsml.parse}

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "MAX_ITEM_BYTES",
    "PARSERS",
    "ParseError",
    "ParseResult",
    "ParsedItem",
]
