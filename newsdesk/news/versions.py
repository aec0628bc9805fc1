"""What changed between two published versions of an article, shown to readers.

Only versions that were published count (Wagtail's publish log names their
revisions); drafts in between never show. The text compared is what a reader
reads: headline, standfirst, paragraphs, subheadings, quotes with their
speakers and photo captions, compared paragraph by paragraph and, inside a
changed paragraph, word by word.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher
from html import unescape

from django.utils.html import strip_tags

PUBLISH_ACTIONS = ("wagtail.publish", "wagtail.publish.scheduled")


@dataclass
class Version:
    number: int
    published_at: object
    revision: object


@dataclass
class Passage:
    """One paragraph of the comparison: kind is same, changed, removed or added."""

    kind: str
    words: list[tuple[str, str]]  # (same | removed | added, text)


def publish_log(article):
    """The log entries of the article's publishes that name their revision."""
    from wagtail.models import PageLogEntry

    return PageLogEntry.objects.filter(
        page=article, action__in=PUBLISH_ACTIONS, revision__isnull=False
    )


def published_versions(article) -> list[Version]:
    """Every published version of the article, oldest first."""
    entries = publish_log(article).select_related("revision").order_by("timestamp", "id")
    versions, seen = [], set()
    for entry in entries:
        if entry.revision_id not in seen:
            seen.add(entry.revision_id)
            versions.append(Version(len(versions) + 1, entry.timestamp, entry.revision))
    return versions


def reader_text(article) -> list[str]:
    """The article's text as a reader reads it, one item per paragraph (headline apart)."""
    parts = [article.summary] if article.summary else []
    for item in article.body.raw_data:
        kind, value = item["type"], item["value"]
        if kind == "paragraph":
            parts.append(unescape(strip_tags(value)).strip())
        elif kind == "subheading":
            parts.append(value)
        elif kind == "quote":
            speaker = ", ".join(part for part in (value.get("speaker"), value.get("role")) if part)
            parts.append(f"“{value.get('text', '')}” — {speaker}")
        elif kind == "image" and value.get("caption"):
            parts.append(value["caption"])
    return [part for part in parts if part]


def compare_words(old: str, new: str) -> list[tuple[str, str]]:
    old_words, new_words = old.split(), new.split()
    words = []
    matcher = SequenceMatcher(None, old_words, new_words, autojunk=False)
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal":
            words.append(("same", " ".join(old_words[i1:i2])))
            continue
        if i2 > i1:
            words.append(("removed", " ".join(old_words[i1:i2])))
        if j2 > j1:
            words.append(("added", " ".join(new_words[j1:j2])))
    return words


def compare_text(old: list[str], new: list[str]) -> list[Passage]:
    passages = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal":
            passages += [Passage("same", [("same", text)]) for text in old[i1:i2]]
            continue
        removed, added = old[i1:i2], new[j1:j2]
        # A paragraph edited in place is shown word by word; the rest whole.
        for before, after in zip(removed, added, strict=False):
            passages.append(Passage("changed", compare_words(before, after)))
        passages += [Passage("removed", [("removed", text)]) for text in removed[len(added) :]]
        passages += [Passage("added", [("added", text)]) for text in added[len(removed) :]]
    return passages


def compare_versions(older: Version, newer: Version) -> dict:
    before, after = older.revision.as_object(), newer.revision.as_object()
    return {
        "headline": compare_words(before.title, after.title),
        "headline_changed": before.title != after.title,
        "passages": compare_text(reader_text(before), reader_text(after)),
    }
