"""Highlighted snippets: where in an article the reader's words appear."""

import html
import re

from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

SNIPPET_CHARS = 220
WORD = re.compile(r"\w+", re.UNICODE)


def query_terms(query: str) -> list[str]:
    return [term for term in WORD.findall(query.lower()) if len(term) > 1][:10]


def article_text(article) -> str:
    parts = [article.summary]
    for block in article.body:
        parts.append(html.unescape(strip_tags(str(block.render()))))
    return " ".join(" ".join(parts).split())


def snippet(text: str, terms: list[str]) -> str:
    """About SNIPPET_CHARS of text around the first matched term, matches in <mark>."""
    if not terms:
        return escape(text[:SNIPPET_CHARS])
    pattern = re.compile(r"\b(" + "|".join(re.escape(term) for term in terms) + r")", re.IGNORECASE)
    match = pattern.search(text)
    start = 0 if match is None else max(0, match.start() - SNIPPET_CHARS // 3)
    if start:
        start = text.find(" ", start) + 1 or start
    excerpt = text[start : start + SNIPPET_CHARS]
    pieces, position = [], 0
    for found in pattern.finditer(excerpt):
        pieces.append(escape(excerpt[position : found.start()]))
        pieces.append(f"<mark>{escape(found.group(0))}</mark>")
        position = found.end()
    pieces.append(escape(excerpt[position:]))
    prefix = "… " if start else ""
    suffix = " …" if start + SNIPPET_CHARS < len(text) else ""
    return mark_safe(prefix + "".join(pieces) + suffix)  # noqa: S308 (every piece escaped)
