"""The live stream: server-sent events for one live blog, served as plain ASGI.

It runs outside Django's request handling on purpose: a reader's open stream
then costs a coroutine and a queue, not a request object and a thread, which
is what lets one small machine hold tens of thousands of them. URL:
/live/<blog id>/events (docs/live-stream.md describes the protocol).
"""

import asyncio
import random
import re
from urllib.parse import parse_qs

from asgiref.sync import sync_to_async

from .broker import RESUME_LIMIT, Reader, encode, events_after, hub

STREAM_PATH = re.compile(r"^/live/(\d+)/events/?$")
HEARTBEAT_SECONDS = 15
HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-cache, no-store"),
    (b"x-accel-buffering", b"no"),  # nginx and most proxies: do not buffer
    (b"access-control-allow-origin", b"*"),
]


def _blog_state(blog_id: int):
    """(is_public, is_ended) for a live blog, or None when readers may not see it."""
    from .models import LiveBlogPage

    row = (
        LiveBlogPage.objects.filter(pk=blog_id, live=True).values_list("status", flat=True).first()
    )
    if row is None:
        return None
    return row == "ended"


async def _respond(send, status: int, body: bytes = b"", content_type=b"text/plain") -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", content_type), (b"cache-control", b"no-store")],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _last_event_id(scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"last-event-id":
            return int(value) if value.strip().isdigit() else None
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    value = query.get("last_event_id", [""])[0]
    return int(value) if value.isdigit() else None


async def live_stream(scope, receive, send, blog_id: int) -> None:
    if scope["method"] not in ("GET", "HEAD"):
        await _respond(send, 405, b"Method not allowed")
        return
    ended = await sync_to_async(_blog_state)(blog_id)
    if ended is None:
        await _respond(send, 404, b"No such live blog")
        return
    channel = await hub.channel(blog_id)
    reader = Reader()
    # Listen before reading the backlog, so nothing falls between the two.
    channel.readers.add(reader)
    watcher = asyncio.get_running_loop().create_task(_watch_disconnect(receive, reader))
    try:
        last_id = _last_event_id(scope)
        if last_id is None:
            last_id = channel.last_seq
        backlog = channel.backlog_since(last_id)
        if backlog is None:
            backlog = await sync_to_async(events_after)(blog_id, last_id)
            if len(backlog) > RESUME_LIMIT:
                backlog = None
        if ended and not backlog and backlog is not None:
            # Nothing missed and nothing more to come: 204 tells EventSource
            # not to reconnect, so an ended blog costs nothing.
            await _respond(send, 204)
            return
        await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
        # Reconnect after 1-3 s, spread so a restart does not bring every
        # reader back in the same instant.
        opening = f"retry: {random.randint(1000, 3000)}\n\n".encode()
        if backlog is None:
            # Away too long: the page reloads its entries from a fresh snapshot.
            opening += encode(channel.last_seq, "reset", {})
            backlog = []
        sent = last_id
        for seq, payload in backlog:
            opening += payload
            sent = seq
        await send({"type": "http.response.body", "body": opening, "more_body": True})
        if ended:
            await send({"type": "http.response.body", "body": b"", "more_body": False})
            return
        while True:
            try:
                item = await asyncio.wait_for(reader.queue.get(), HEARTBEAT_SECONDS)
            except TimeoutError:
                if reader.dropped:
                    break
                await send({"type": "http.response.body", "body": b": hb\n\n", "more_body": True})
                continue
            if item is None or reader.dropped:
                break
            seq, payload = item
            if seq <= sent:
                continue
            sent = seq
            await send({"type": "http.response.body", "body": payload, "more_body": True})
            if reader.dropped or payload.startswith(b"id: %d\nevent: end" % seq):
                break
        await send({"type": "http.response.body", "body": b"", "more_body": False})
    except OSError:
        pass  # the reader went away mid-write
    finally:
        watcher.cancel()
        channel.readers.discard(reader)
        hub.forget_if_idle(channel)


async def _watch_disconnect(receive, reader: Reader) -> None:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            reader.close()
            return
