"""The live stream: server-sent events for one live blog, served as plain ASGI.

It runs outside Django's request handling on purpose: a reader's open stream
then costs a waiting coroutine and a small Reader, not a request object and a
thread, which is what lets one small machine hold tens of thousands of them. URL:
/live/<blog id>/events (docs/live-stream.md describes the protocol).
"""

import contextlib
import os
import random
import re
import socket
from urllib.parse import parse_qs

from asgiref.sync import sync_to_async

from .broker import (
    RESUME_LIMIT,
    WRITE_DEADLINE,
    Channel,
    Reader,
    encode,
    events_after,
    hub,
    is_end,
    last_seq,
)

STREAM_PATH = re.compile(r"^/live/(\d+)/events/?$")
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
    method = scope["method"]
    last_id = _last_event_id(scope)
    # An open stream lasts for hours: keep nothing of the request it does not need.
    del scope
    if method not in ("GET", "HEAD"):
        await _respond(send, 405, b"Method not allowed")
        return
    reader = Reader()
    # Listen before reading the backlog, so nothing falls between the two.
    channel = await hub.join(blog_id, reader)
    if channel is None:
        await _respond(send, 404, b"No such live blog")
        return
    reader.watch(receive)
    del receive
    try:
        if method == "HEAD":
            await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
            await send({"type": "http.response.body", "body": b""})
            return
        if not await _open_stream(channel, reader, send, last_id):
            return
        await reader.closed()
        if reader.stalled:
            return  # no final write: the connection cannot take one
        await send({"type": "http.response.body", "body": b"", "more_body": False})
    except OSError:
        pass  # the reader went away mid-write
    finally:
        reader.close()
        hub.leave(channel, reader)


async def _open_stream(channel: Channel, reader: Reader, send, last_id: int | None) -> bool:
    """Send the stream's opening and what the reader missed, then hand the reader
    to the fan-out. False when the stream ends with the opening."""
    if last_id is None:
        last_id = channel.last_seq
    backlog = await _backlog(channel, last_id)
    if channel.ended and backlog == []:
        # Nothing missed and nothing more to come: 204 tells EventSource
        # not to reconnect, so an ended blog costs nothing.
        await _respond(send, 204)
        return False
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
    finished = channel.ended or any(is_end(seq, payload) for seq, payload in backlog)
    await send({"type": "http.response.body", "body": opening, "more_body": not finished})
    if finished:
        return False
    reader.start_writing(send, sent)
    return True


def close_stalled_connections(seconds: float = WRITE_DEADLINE) -> None:
    """Have the kernel close a connection that takes no byte for `seconds`.

    A reader whose TCP window stays shut would otherwise hold its connection
    and its buffered events until it goes away, which may be never. Sets
    TCP_USER_TIMEOUT on this process's listening sockets (the server's);
    connections accepted from then on inherit it. It only counts time while
    data waits unacknowledged, so an idle stream is never cut by it, but a
    reader that vanished without closing is found at its next heartbeat.
    """
    if not hasattr(socket, "TCP_USER_TIMEOUT"):
        return
    with contextlib.suppress(OSError):
        for name in os.listdir("/proc/self/fd"):
            with contextlib.suppress(OSError, ValueError):
                if not os.readlink(f"/proc/self/fd/{name}").startswith("socket:"):
                    continue
                probe = socket.socket(fileno=os.dup(int(name)))
                with probe:
                    if probe.type != socket.SOCK_STREAM or probe.family not in (
                        socket.AF_INET,
                        socket.AF_INET6,
                    ):
                        continue
                    if probe.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN):
                        probe.setsockopt(
                            socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, int(seconds * 1000)
                        )
