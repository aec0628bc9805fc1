"""One token that changes whenever anything a reader can see is published.

Every page shows things that change rarely but from anywhere: the site for a
host name, the section navigation, whether any page is private, the rendered
body of an article (whose related-story cards show *other* articles' current
headlines). Each worker process keeps those in memory or in the cache, keyed
on this token, so that one publish anywhere (another worker, another machine,
the task worker) makes every copy stale at once, with no TTL and no shared
cache required.

The token lives in one database row, written in the same transaction as the
change that caused it (so no process can see the new token before the new
content), and read once per request with a single-column primary-key lookup.
It is random rather than a counter: a token written in a transaction that
rolls back is never reused for different content.

What counts as a change is wired in `signal_handlers.connect_freshness`.
Anything that edits published content behind Django's back (raw SQL, a
`QuerySet.update()`) must call `content_changed()` itself (`newsdesk content_changed` from a
shell).
"""

import secrets
from contextvars import ContextVar

from django.core.cache import caches
from django.db import connections, router
from django.utils import timezone
from django.utils.translation import get_language

# None: outside a request (management commands, background threads), read on
# every call. _UNREAD: a request started and has not read it yet.
_UNREAD = object()
_request_state: ContextVar[object] = ContextVar("newsdesk_content_state", default=None)


def _read() -> tuple[str, bool]:
    from wagtail.models import PageViewRestriction

    from .models import ContentVersion

    table = ContentVersion._meta.db_table
    restrictions = PageViewRestriction._meta.db_table
    database = router.db_for_read(ContentVersion)
    # A raw cursor: building this one-row lookup through the ORM costs more
    # than running it. Whether any page is private rides along (an indexed
    # probe), sparing Wagtail's two privacy queries on sites with none.
    with connections[database].cursor() as cursor:
        cursor.execute(
            f"SELECT token, EXISTS (SELECT 1 FROM {restrictions}) FROM {table} WHERE id = 1"
        )
        row = cursor.fetchone()
    if row is None:
        # No row (a database flushed by a test run or by hand): nothing may be kept.
        return secrets.token_hex(8), True
    return row[0], bool(row[1])


def _state() -> tuple[str, bool]:
    state = _request_state.get()
    if state is None:
        return _read()
    if state is _UNREAD:
        state = _read()
        _request_state.set(state)
    return state


def content_token() -> str:
    """The current token; one read per request, however often it is asked for."""
    return _state()[0]


def any_private_pages() -> bool:
    """Whether any page has a view restriction (read with the token)."""
    return _state()[1]


def readable(pages):
    """Live pages anyone may read now: not private, not under embargo.

    Wagtail's privacy filter joins in only when some page is private.
    """
    pages = pages.live()
    if any_private_pages():
        pages = pages.public()
    return _without_embargoed(pages)


def _without_embargoed(pages):
    from wagtail.models import Page

    from .models import ArticlePage

    if issubclass(pages.model, ArticlePage):
        return pages.not_embargoed()
    if pages.model is Page:
        return pages.exclude(articlepage__embargo_until__gt=timezone.now())
    return pages  # other page types carry no embargo


# Kept fragments stay valid until the content token changes; this only bounds
# how long an unread one occupies the cache.
FRAGMENT_SECONDS = 24 * 60 * 60


def kept_per_token(key: str, request, render):
    """render(), kept in the fragments cache until the content token changes.

    Previews always render afresh: they show unpublished content.
    """
    if getattr(request, "is_preview", False):
        return render()
    full_key = f"newsdesk:{key}:{content_token()}:{get_language()}"
    fragment = caches["fragments"].get(full_key)
    if fragment is None:
        fragment = render()
        caches["fragments"].set(full_key, fragment, FRAGMENT_SECONDS)
    return fragment


def content_changed() -> None:
    """Record that published content changed; call it inside the writing transaction."""
    from .models import ContentVersion

    ContentVersion.objects.update_or_create(id=1, defaults={"token": secrets.token_hex(8)})
    if _request_state.get() is not None:
        _request_state.set(_UNREAD)  # this request reads its own change


def request_started(**kwargs) -> None:
    _request_state.set(_UNREAD)


def request_finished(**kwargs) -> None:
    _request_state.set(None)


class TokenMemo:
    """A process-local dict whose entries are valid for one content token.

    Entries carry the token they were computed under, so a request still
    holding an older token can neither read nor overwrite a newer entry's
    meaning. Bounded: past `max_entries` it starts over.
    """

    def __init__(self, max_entries: int = 10_000):
        self.max_entries = max_entries
        self._entries: dict = {}

    def get(self, key, compute):
        token = content_token()
        entry = self._entries.get(key)
        if entry is not None and entry[0] == token:
            return entry[1]
        value = compute()
        if len(self._entries) >= self.max_entries:
            self._entries = {}
        self._entries[key] = (token, value)
        return value
