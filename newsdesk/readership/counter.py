"""Reads counted in memory and written in batches: a page view costs no database write.

Every public page may come from a cache, so a view is counted by a beacon
the article page sends (readership.js). Each worker adds beacons to an
in-memory tally and writes it every FLUSH_SECONDS (or FLUSH_READS reads) as
one increment per page and hour; several workers add to the same rows, so
nothing is lost or counted twice between them. The same reader's repeated
beacons for a page within a window count once.
"""

import atexit
import contextlib
import threading
import time
from collections import Counter

from django.db import transaction
from django.db.models import F
from django.utils import timezone

FLUSH_SECONDS = 10
FLUSH_READS = 1000
_REPEAT_WINDOW = 30 * 60

_lock = threading.Lock()
_tally: Counter = Counter()
_seen: dict = {}
_last_flush = time.monotonic()


def count_read(page_id: int, reader_key: str) -> bool:
    """Add one read unless this reader was just counted for this page; flush when due."""
    now = time.monotonic()
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    with _lock:
        seen_at = _seen.get((reader_key, page_id))
        if seen_at is not None and now - seen_at < _REPEAT_WINDOW:
            return False
        if len(_seen) > 100_000:
            _seen.clear()
        _seen[(reader_key, page_id)] = now
        _tally[(page_id, hour)] += 1
        due = now - _last_flush >= FLUSH_SECONDS or sum(_tally.values()) >= FLUSH_READS
    if due:
        flush()
    return True


def flush() -> None:
    """Write the tally: one upsert per page and hour."""
    global _last_flush
    from wagtail.models import Page

    from .models import HourlyReads

    with _lock:
        batch = dict(_tally)
        _tally.clear()
        _last_flush = time.monotonic()
    if not batch:
        return
    # Beacons name pages by number; numbers of no page are dropped here.
    known = set(
        Page.objects.filter(pk__in={page_id for page_id, _ in batch}).values_list("pk", flat=True)
    )
    with transaction.atomic():
        for (page_id, hour), reads in batch.items():
            if page_id not in known:
                continue
            updated = HourlyReads.objects.filter(page_id=page_id, hour=hour).update(
                reads=F("reads") + reads
            )
            if not updated:
                row, created = HourlyReads.objects.get_or_create(
                    page_id=page_id, hour=hour, defaults={"reads": reads}
                )
                if not created:
                    HourlyReads.objects.filter(pk=row.pk).update(reads=F("reads") + reads)


def _flush_at_exit():
    with contextlib.suppress(Exception):  # the database may already be gone at exit
        flush()


atexit.register(_flush_at_exit)
