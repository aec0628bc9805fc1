"""Ingesting wire sources and turning their items into draft articles."""

import hashlib
import io
import json
import logging
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.images import ImageFile
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from newsdesk.editions.staff_mail import staff_language
from newsdesk.images.models import CreditedImage
from newsdesk.news.models import ArticlePage

from .body import body_blocks
from .fetch import FetchError, fetch
from .models import WireItem, WireProblem, WireSource
from .parsers import MAX_DOCUMENT_BYTES, PARSERS, ParsedItem, ParseError

logger = logging.getLogger(__name__)

KEEP_PROBLEMS = 50
MAX_IMAGE_BYTES = 20 * 1024 * 1024
FOLDER_PATTERNS = ("*.json", "*.xml")


@dataclass
class IngestCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: int = 0

    def __str__(self):
        return (
            f"{self.new} new, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.errors} errors"
        )


class Refused(Exception):
    """An editor's action that cannot be done; the message says why."""


def problem_log(*, source: WireSource, message: str, identifier: str = "") -> None:
    """Keep a problem for the source's admin page (the newest few) and in the server log."""
    logger.warning("wire source %s: %s %s", source.name, identifier, message)
    WireProblem.objects.create(source=source, identifier=identifier[:500], message=message)
    stale = source.problems.values_list("id", flat=True)[KEEP_PROBLEMS:]
    WireProblem.objects.filter(id__in=list(stale)).delete()


def _documents(source: WireSource):
    """(name, bytes) of each document the source holds now; a folder gives one per file."""
    if source.is_url:
        yield source.location, fetch(source.location, allow_private=source.allow_private_addresses)
        return
    folder = Path(source.location)
    if not folder.is_dir():
        raise FetchError(f"folder {folder} does not exist or is not a folder")
    paths = sorted(p for pattern in FOLDER_PATTERNS for p in folder.glob(pattern))
    for path in paths:
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            yield (
                path.name,
                ParseError(
                    f"{path.stat().st_size} bytes refused: the limit is {MAX_DOCUMENT_BYTES} bytes"
                ),
            )
            continue
        yield path.name, path.read_bytes()


def _fingerprint(parsed: ParsedItem) -> str:
    return hashlib.sha256(json.dumps(asdict(parsed), default=str).encode()).hexdigest()


def _fields(parsed: ParsedItem, source: WireSource) -> dict:
    return {
        "version": parsed.version,
        "content_hash": _fingerprint(parsed),
        "headline": parsed.headline[:255],
        "summary": parsed.summary,
        "body_html": parsed.body_html,
        "dateline_place": parsed.dateline_place[:100],
        "byline": parsed.byline[:255],
        "agency": (source.default_credit or parsed.agency)[:100],
        "published_at": parsed.published_at,
        "images": parsed.images,
        "raw_size": parsed.raw_size,
    }


def _is_newer(version: int, content_hash: str, item: WireItem) -> bool:
    # A higher version replaces the queued text. Feeds that number nothing
    # (version 0) are compared by content: a changed story is a new version.
    if version or item.version:
        return version > item.version
    return content_hash != item.content_hash


def item_receive(*, source: WireSource, parsed: ParsedItem) -> str:
    """Queue an item or update it from a newer version: "new", "updated" or "unchanged".

    An item an article was made from becomes "updated after use", and the
    article's editor is told once the change is committed.
    """
    fields = _fields(parsed, source)
    with transaction.atomic():
        item = (
            WireItem.objects.select_for_update()
            .filter(source=source, identifier=parsed.identifier[:500])
            .first()
        )
        if item is None:
            WireItem.objects.create(source=source, identifier=parsed.identifier[:500], **fields)
            return "new"
        if not _is_newer(parsed.version, fields["content_hash"], item):
            return "unchanged"
        for name, value in fields.items():
            setattr(item, name, value)
        if item.status != WireItem.Status.NEW and item.article_id:
            item.status = WireItem.Status.UPDATED_AFTER_USE
            transaction.on_commit(lambda: notify_editor_of_update(item))
        item.save()
    return "updated"


def source_ingest(*, source: WireSource) -> IngestCounts:
    """Fetch and read one source once; a bad document or item is logged, the rest go on."""
    counts = IngestCounts()
    now = timezone.now()
    failure = ""
    try:
        for name, data in _documents(source):
            try:
                if isinstance(data, Exception):
                    raise data
                result = PARSERS[source.kind](data)
            except ParseError as error:
                counts.errors += 1
                failure = f"{name}: {error}"
                problem_log(source=source, message=failure)
                continue
            for problem in result.problems:
                counts.errors += 1
                problem_log(source=source, identifier=problem.identifier, message=problem.message)
            for parsed in result.items:
                try:
                    outcome = item_receive(source=source, parsed=parsed)
                except Exception as error:  # one bad item never stops the rest
                    logger.exception("wire item %s could not be saved", parsed.identifier)
                    counts.errors += 1
                    problem_log(
                        source=source, identifier=parsed.identifier, message=f"not saved: {error}"
                    )
                    continue
                setattr(counts, outcome, getattr(counts, outcome) + 1)
    except FetchError as error:
        counts.errors += 1
        failure = str(error)
        problem_log(source=source, message=failure)
    source.last_polled_at = now
    source.last_status = str(counts)[:255]
    update = ["last_polled_at", "last_status"]
    if failure:
        source.last_error, source.last_error_at = failure, now
        update += ["last_error", "last_error_at"]
    source.save(update_fields=update)
    return counts


def ingest_due_sources() -> list[tuple[WireSource, IngestCounts]]:
    """Ingest each enabled source whose poll interval has passed (the worker's periodic job)."""
    now = timezone.now()
    done = []
    for source in WireSource.objects.filter(enabled=True):
        interval = timedelta(minutes=source.poll_interval)
        if source.last_polled_at is None or source.last_polled_at + interval <= now:
            done.append((source, source_ingest(source=source)))
    return done


def editor_of(article: ArticlePage):
    """Who last worked on the article: the latest revision's author, else its owner."""
    revision = article.latest_revision
    if revision is not None and revision.user_id:
        return revision.user
    return article.owner


def notify_editor_of_update(item: WireItem) -> None:
    article = item.article
    if article is None:
        return
    editor = editor_of(article)
    if editor is None or not editor.email:
        return
    edit_url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    with translation.override(staff_language(editor)):
        send_mail(
            subject=_("Wire update: %(headline)s") % {"headline": item.headline},
            message=_(
                "The agency sent a new version (version %(version)s) of the wire item that "
                'the article "%(title)s" was made from.\n\n'
                "Headline now: %(headline)s\n\n"
                "Compare the article with it: %(url)s\n"
            )
            % {
                "version": item.version,
                "title": article.title,
                "headline": item.headline,
                "url": f"{settings.WAGTAILADMIN_BASE_URL}{edit_url}",
            },
            from_email=None,
            recipient_list=[editor.email],
        )


def _image_from(*, item: WireItem, picture: dict) -> CreditedImage | None:
    url = str(picture.get("url") or "")
    try:
        data = fetch(
            url, allow_private=item.source.allow_private_addresses, max_bytes=MAX_IMAGE_BYTES
        )
        with Image.open(io.BytesIO(data)) as opened:
            opened.verify()
    except (FetchError, UnidentifiedImageError, OSError) as error:
        problem_log(source=item.source, identifier=item.identifier, message=f"image {url}: {error}")
        return None
    credit = picture.get("credit") or item.agency or item.source.default_credit or item.source.name
    image = CreditedImage(
        title=(picture.get("caption") or item.headline)[:255],
        credit=credit[:255],
        photographer=str(picture.get("photographer") or "")[:255],
        copyright_holder=str(picture.get("copyright_holder") or item.agency)[:255],
        source=url[:255],
        description=str(picture.get("caption") or "")[:255],
    )
    name = Path(url.split("?", 1)[0]).name or "wire-image.jpg"
    image.file = ImageFile(io.BytesIO(data), name=name[-80:])
    image.save()
    return image


def wireitem_draft_create(*, user, item: WireItem) -> ArticlePage:
    """A draft article in the source's default section from a wire item, credited to the agency.

    Photos are downloaded through the same guarded fetcher; one that fails is
    logged on the source and left out, and the draft is made without it.
    """
    section = item.source.default_section
    if section is None:
        raise Refused(
            _('Give the source "%(source)s" a default section first.') % {"source": item.source}
        )
    if not section.permissions_for_user(user).can_add_subpage():
        raise Refused(_('You may not add articles to "%(section)s".') % {"section": section.title})
    if item.article_id:
        raise Refused(_("An article was already made from this item."))
    pictures = [
        (image, str(picture.get("caption") or "")[:500])
        for picture in item.images
        if (image := _image_from(item=item, picture=picture)) is not None
    ]
    lead, lead_caption = pictures[0] if pictures else (None, "")
    extra = [
        {"type": "image", "value": {"image": image.pk, "caption": caption}}
        for image, caption in pictures[1:]
    ]
    with transaction.atomic():
        article = ArticlePage(
            title=item.headline[:255],
            summary=item.summary[:400],
            body=body_blocks(item.body_html) + extra,
            dateline_place=item.dateline_place[:100],
            dateline_agency=item.agency[:100] if item.dateline_place else "",
            byline_agency=item.agency[:100],
            lead_image=lead,
            lead_image_caption=lead_caption,
            live=False,
            owner=user,
        )
        section.add_child(instance=article)
        article.save_revision(user=user, log_action=True)
        item.article = article
        item.status = WireItem.Status.USED
        item.save(update_fields=["article", "status", "updated_at"])
    return article


def wireitem_update_seen(*, item: WireItem) -> None:
    """An update after use has been looked at: the item is simply "used" again."""
    if item.status == WireItem.Status.UPDATED_AFTER_USE:
        item.status = WireItem.Status.USED
        item.save(update_fields=["status", "updated_at"])
