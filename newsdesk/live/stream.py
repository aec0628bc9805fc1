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

from .broker import RESUME_LIMIT, Channel, Reader, encode, events_after, hub, is_end, last_seq

STREAM_PATH = re.compile(r"^/live/(\d+)/events/?$")
HEARTBEAT_SECONDS = 15
HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-cache, no-store"),
    (b"x-accel-buffering", b"no"),  # nginx and most proxies: do not buffer
    (b"access-control-allow-origin", b"*"),
]


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


async def _backlog(channel: Channel, last_id: int) -> list[tuple[int, bytes]] | None:
    """The events after last_id, or None when the reader must reload instead.

    From memory when the ring reaches back that far, else from the log. An id
    ahead of this process is fine when another process has already sent it;
    ahead of the log itself, it is from before the database was rebuilt.
    """
    backlog = channel.backlog_since(last_id)
    if backlog is None:
        backlog = await sync_to_async(events_after)(channel.blog_id, last_id)
        return backlog if len(backlog) <= RESUME_LIMIT else None
    if last_id > channel.last_seq and last_id > await sync_to_async(last_seq)(channel.blog_id):
        return None
    return backlog


async def live_stream(scope, receive, send, blog_id: int) -> None:
    if scope["method"] not in ("GET", "HEAD"):
        await _respond(send, 405, b"Method not allowed")
        return
    reader = Reader()
    # Listen before reading the backlog, so nothing falls between the two.
    channel = await hub.join(blog_id, reader)
    if channel is None:
        await _respond(send, 404, b"No such live blog")
        return
    watcher = asyncio.get_running_loop().create_task(_watch_disconnect(receive, reader))
    try:
        if scope["method"] == "HEAD":
            await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
            await send({"type": "http.response.body", "body": b""})
            return
        last_id = _last_event_id(scope)
        if last_id is None:
            last_id = channel.last_seq
        backlog = await _backlog(channel, last_id)
        if channel.ended and backlog == []:
            # Nothing missed and nothing more to come: 204 tells EventSource
            # not to reconnect, so an ended blog costs nothing.
            await _respond(send, 204)
            return
        await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
        # Reconnect after 1-3 s, spread so a restart does not bring every
        # reader back in the same instant.
        opening = f"retry: {random.randint(1000, 3000)}\n\n".encode()
        sent = last_id
        if backlog is None:
            # Away too long: the page reloads its entries from a fresh snapshot.
            sent = channel.last_seq
            opening += encode(sent, "reset", {})
            backlog = []
        for seq, payload in backlog:
            opening += payload
            sent = seq
        await send({"type": "http.response.body", "body": opening, "more_body": True})
        finished = channel.ended or any(is_end(seq, payload) for seq, payload in backlog)
        while not finished:
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
            finished = is_end(seq, payload)
        await send({"type": "http.response.body", "body": b"", "more_body": False})
    except OSError:
        pass  # the reader went away mid-write
    finally:
        watcher.cancel()
        hub.leave(channel, reader)


async def _watch_disconnect(receive, reader: Reader) -> None:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            reader.close()
            return
