"""Carries live events from the process that records them to every process holding readers.

Each server process has one Hub on its event loop. The Hub keeps one Channel
per live blog that has readers in this process (never one per reader): a ring
buffer of recent events, already encoded as server-sent-event bytes, and its
readers. An event is encoded once and the same bytes are written to every
reader's connection by the fan-out itself.

How an event reaches the Hubs is the backend's job, chosen by the setting
NEWSDESK_LIVE_BROKER:

- "local" (the embedded default, no service): the recording process delivers
  to its own Hub at once and sends the encoded event to every other server
  process on the machine (a datagram on a Unix socket): no query at all on
  the way. An event too big for a datagram goes as a wake-up instead, and the
  woken process reads the log for the blogs it has readers of (one small
  query, whatever the number of readers). A read once a second covers a lost
  datagram.
- "redis://host:port/db": Redis pub/sub, one channel per blog, for several
  machines. After a lost connection each Hub reconnects and reads what it
  missed from the event log, and a slow poll of the log catches a publish
  that never reached Redis, so readers lose nothing.

Whatever the backend, a Channel takes events strictly in sequence: one that
arrives ahead of a missing one makes it read the gap from the log.
"""

import asyncio
import contextlib
import json
import logging
import os
import socket
import struct
from collections import deque

from asgiref.sync import sync_to_async
from django.conf import settings

logger = logging.getLogger(__name__)

RING_SIZE = 512  # recent events kept in memory per blog for fast resume
# Read into memory when a channel opens, so that readers coming back together
# (after a restart, a network blip) resume from memory, not one query each.
RING_PREFILL = 128
READER_QUEUE = 256  # a reader this far behind is dropped; it resumes by Last-Event-ID
# A reader whose connection has taken no byte for this long is closed: the
# busy-write deadline ends its stream, and the kernel's TCP_USER_TIMEOUT
# (newsdesk.live.stream) closes a connection whose window stays shut.
WRITE_DEADLINE = 20
HEARTBEAT_SECONDS = 15
HEARTBEAT = b": hb\n\n"
# How servers' send() answers a write taken at once. Granian returns an empty
# awaitable; anything else (a future while the connection is busy, or a
# coroutine from other servers) is awaited on the busy path.
WRITTEN = frozenset({"PyEmptyAwaitable"})
# How soon a process notices an event whose wake-up was lost (and, with Redis,
# a publish lost on the way): it reads the log this often.
SAFETY_POLL_INTERVAL = 1.0
RESUME_LIMIT = 1000  # a reader who missed more than this reloads a fresh snapshot
CATCH_UP_ROUNDS = 10


def encode(seq: int, op: str, data: dict) -> bytes:
    body = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return f"id: {seq}\nevent: {op}\ndata: {body}\n\n".encode()


def is_end(seq: int, payload: bytes) -> bool:
    """Whether an encoded event is the blog's "end"."""
    return payload.startswith(b"id: %d\nevent: end\n" % seq)


# The last thing a reader of an unpublished or deleted blog receives. It has
# no id: there is nothing to resume, and a reconnect answers 404.
GONE = b"event: gone\ndata: {}\n\n"

_background: set[asyncio.Task] = set()


def keep(task: asyncio.Task) -> None:
    """Hold a reference to a task until it ends, so it is not collected mid-run."""
    _background.add(task)
    task.add_done_callback(_background.discard)


class Reader:
    """One open stream.

    Lean on purpose, since a server holds tens of thousands: no queue object
    and no task of its own. Until its stream's opening is sent, events wait in
    `items`; from then on the fan-out writes to the connection itself through
    `send`. A server that takes the bytes at once (Granian, nearly always)
    costs nothing more; when a connection is busy, one task waits for it,
    with a deadline, and writes what queued meanwhile.
    """

    __slots__ = (
        "busy",
        "dropped",
        "ending",
        "items",
        "receive",
        "send",
        "sent",
        "stalled",
        "waiter",
    )

    def __init__(self):
        self.items: list[tuple[int, bytes]] | None = None
        self.waiter: asyncio.Future | None = None
        self.send = None
        self.receive = None
        self.sent = 0  # the last event id written
        self.busy = False  # a write is pending: new events wait in items
        self.dropped = False
        self.ending = False  # the blog's last event is written: close after it
        self.stalled = False  # dropped mid-write: the connection cannot take a final write

    def watch(self, receive) -> None:
        """Close when the client goes away.

        Granian's receive() returns a future, and a done-callback is enough (no
        task, no closure per reader); a server whose receive() is a coroutine
        gets a task that awaits it.
        """
        waiting = receive()
        if asyncio.isfuture(waiting):
            self.receive = receive
            waiting.add_done_callback(self._received)
        else:
            keep(asyncio.ensure_future(self._watch_task(waiting, receive)))

    def _received(self, future) -> None:
        if self.dropped or future.cancelled():
            return
        if future.exception() is not None or future.result()["type"] == "http.disconnect":
            self.close()
        else:
            self.watch(self.receive)

    async def _watch_task(self, first, receive) -> None:
        message = await first
        while message["type"] != "http.disconnect" and not self.dropped:
            message = await receive()
        self.close()

    def close(self) -> None:
        """End this reader's stream (it went away, fell behind, or the blog ended)."""
        self.dropped = True
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def push(self, item: tuple[int, bytes]) -> bool:
        """Take an event (seq 0: a heartbeat); False once the reader is dropped."""
        if self.dropped:
            return False
        if self.send is None:
            return self._hold(item)  # its backlog is being read: wait for start_writing
        seq, payload = item
        if seq:
            if seq <= self.sent:
                return True  # it had this one in its backlog
            self.sent = seq
            self.ending = is_end(seq, payload)
        if self.busy:
            return self._hold(item)
        try:
            pending = self.send({"type": "http.response.body", "body": payload, "more_body": True})
        except Exception:  # the connection is gone
            self.close()
            return False
        if type(pending).__name__ not in WRITTEN:
            self.busy = True
            keep(asyncio.ensure_future(self._drain(pending)))
        elif self.ending:
            self.close()
        return True

    def _hold(self, item) -> bool:
        items = self.items
        if items is None:
            self.items = [item]
        elif len(items) >= READER_QUEUE:
            # Too far behind: its stream ends and the client resumes by Last-Event-ID.
            self.stalled = self.busy
            self.close()
            return False
        else:
            items.append(item)
        return True

    async def _drain(self, pending) -> None:
        """Wait for a busy connection, then write what queued meanwhile, with a deadline."""
        try:
            async with asyncio.timeout(WRITE_DEADLINE):
                await pending
                while self.items and not self.dropped:
                    items, self.items = self.items, None
                    for _seq, payload in items:
                        await self.send(
                            {"type": "http.response.body", "body": payload, "more_body": True}
                        )
        except Exception:
            # Not a byte taken for WRITE_DEADLINE seconds, or the connection
            # failed: end the stream without a final write.
            self.stalled = True
            self.close()
        finally:
            self.busy = False
        if self.ending:
            self.close()

    def start_writing(self, send, sent: int) -> None:
        """The opening is sent: from now on the fan-out writes; write what waited."""
        waiting, self.items = self.items or [], None
        self.sent = sent
        self.send = send
        for item in waiting:
            if not self.push(item):
                return

    def closed(self) -> asyncio.Future:
        """A future done once the reader's stream is to end.

        Awaited directly by the stream, with no coroutine of its own: an idle
        reader holds one small future while it waits, for hours maybe.
        """
        if self.waiter is None:
            self.waiter = asyncio.get_running_loop().create_future()
            if self.dropped:
                self.waiter.set_result(None)
        return self.waiter


class Channel:
    """The readers of one blog in this process, and its recent events."""

    def __init__(self, hub: "Hub", blog_id: int, last_seq: int, *, ended: bool = False):
        self.hub = hub
        self.blog_id = blog_id
        self.last_seq = last_seq
        self.ended = ended
        self.ring: deque[tuple[int, bytes]] = deque(maxlen=RING_SIZE)
        self.readers: set[Reader] = set()
        self.catching_up = False
        self.catch_up_again = False
        self.heartbeat = hub.spawn(self._beat()) if hub.loop is not None else None

    async def _beat(self) -> None:
        """Heartbeats for every reader, through the same fan-out as events: one task per blog."""
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            self._fan_out((0, HEARTBEAT))

    def _fan_out(self, item: tuple[int, bytes]) -> None:
        for reader in list(self.readers):
            if not reader.push(item):
                # Its stream closes; the browser reconnects and resumes from
                # the last id it received.
                self.readers.discard(reader)

    def deliver(self, seq: int, payload: bytes) -> None:
        if seq <= self.last_seq:
            return  # already delivered (local publish and poll both saw it)
        if seq > self.last_seq + 1:
            # An earlier event is not here yet (another process's, or a
            # publish lost on the way); the log has both, in order.
            self.hub.catch_up_soon(self)
            return
        self.last_seq = seq
        if is_end(seq, payload):
            self.ended = True
        item = (seq, payload)
        self.ring.append(item)
        self._fan_out(item)

    def close(self) -> None:
        """The blog was unpublished or deleted: tell every reader, and end their streams."""
        if self.heartbeat is not None:
            self.heartbeat.cancel()
        self._fan_out((0, GONE))
        for reader in self.readers:
            reader.ending = True
            if not reader.busy:
                reader.close()
        self.readers.clear()

    def backlog_since(self, seq: int) -> list[tuple[int, bytes]] | None:
        """Events after seq from memory, or None when memory does not reach back that far."""
        if seq >= self.last_seq:
            return []
        if self.ring and self.ring[0][0] <= seq + 1:
            return [item for item in self.ring if item[0] > seq]
        return None


class Hub:
    def __init__(self, backend=None):
        self.loop: asyncio.AbstractEventLoop | None = None
        self.channels: dict[int, Channel] = {}
        self._backend = backend
        self._opening: dict[int, asyncio.Task] = {}
        self._tasks: set[asyncio.Task] = set()

    @property
    def backend(self):
        return self._backend if self._backend is not None else backend()

    # Called on the event loop -------------------------------------------------

    def attach(self) -> None:
        if self.loop is None:
            self.loop = asyncio.get_running_loop()
            self.spawn(self.backend.run(self))

    def spawn(self, coroutine) -> asyncio.Task:
        """A task the Hub keeps a reference to, so it is not collected mid-run."""
        task = self.loop.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def join(self, blog_id: int, reader: Reader) -> Channel | None:
        """Add a reader to the blog's channel, opening the channel first if needed.

        None when readers may not follow the blog (unknown, unpublished, private).
        The reader is added with no pause after the channel is looked up, so it
        never joins a channel the Hub has just let go.
        """
        self.attach()
        while True:
            channel = self.channels.get(blog_id)
            if channel is not None:
                channel.readers.add(reader)
                return channel
            # Readers arriving together share one database read.
            opening = self._opening.get(blog_id)
            if opening is None:
                opening = self._opening[blog_id] = self.spawn(self._open(blog_id))
            if await asyncio.shield(opening) is None:
                return None

    async def _open(self, blog_id: int) -> Channel | None:
        try:
            opening = await sync_to_async(_opening_state)(blog_id)
            if opening is None:
                return None
            last_seq, ended, recent = opening
            channel = self.channels[blog_id] = Channel(self, blog_id, last_seq, ended=ended)
            channel.ring.extend(recent)
            await self.backend.watch(self, blog_id)
            # Whatever was recorded between reading last_seq and watching is in the log.
            self.catch_up_soon(channel)
            return channel
        finally:
            self._opening.pop(blog_id, None)

    def leave(self, channel: Channel, reader: Reader) -> None:
        channel.readers.discard(reader)
        if not channel.readers and self.channels.get(channel.blog_id) is channel:
            self._let_go(channel)

    def _let_go(self, channel: Channel) -> None:
        del self.channels[channel.blog_id]
        if channel.heartbeat is not None:
            channel.heartbeat.cancel()
        self.backend.unwatch(self, channel.blog_id)

    def close_blog(self, blog_id: int) -> None:
        """The blog may no longer be followed: close its readers' streams.

        The next reader opens a new channel, which reads the blog's state and
        answers 404.
        """
        channel = self.channels.get(blog_id)
        if channel is not None:
            self._let_go(channel)
            channel.close()

    def deliver(self, blog_id: int, seq: int, payload: bytes) -> None:
        channel = self.channels.get(blog_id)
        if channel is not None:
            channel.deliver(seq, payload)

    def catch_up_soon(self, channel: Channel) -> None:
        if channel.catching_up:
            # The read under way may have started before this event's
            # predecessors were committed: read again when it ends.
            channel.catch_up_again = True
            return
        channel.catching_up = True
        self.spawn(self._catch_up_from_log(channel))

    async def _catch_up_from_log(self, channel: Channel) -> None:
        try:
            for _round in range(CATCH_UP_ROUNDS):
                channel.catch_up_again = False
                events = await sync_to_async(events_after)(channel.blog_id, channel.last_seq)
                for seq, payload in events:
                    channel.deliver(seq, payload)
                if not (channel.catch_up_again or len(events) > RESUME_LIMIT):
                    break
        except Exception:
            # The next event, the next poll or the next reconnect tries again.
            logger.exception("live: reading the event log for blog %s failed", channel.blog_id)
        finally:
            channel.catching_up = False

    async def catch_up_all(self) -> None:
        """Read every watched blog's new events from the log (after a wake-up, a poll
        tick or a reconnect), and close the streams of blogs no longer published."""
        if not self.channels:
            return
        watched = {blog_id: channel.last_seq for blog_id, channel in self.channels.items()}
        events, gone = await sync_to_async(new_events)(watched)
        for blog_id in gone:
            self.close_blog(blog_id)
        for blog_id, seq, payload in events:
            self.deliver(blog_id, seq, payload)

    # Called from any thread ---------------------------------------------------

    def deliver_threadsafe(self, blog_id: int, seq: int, payload: bytes) -> None:
        if self.loop is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self.deliver, blog_id, seq, payload)


def blog_state(blog_id: int) -> tuple[int, bool] | None:
    """(last event number, has ended) of a blog readers may follow, or None.

    Readers may follow a published blog that no view restriction covers: the
    stream has no session, so a private blog's stream would leak it.
    """
    from wagtail.models import PageViewRestriction

    from .models import LiveBlogPage, LiveBlogStatus

    row = (
        LiveBlogPage.objects.filter(pk=blog_id, live=True)
        .values_list("status", "path", "sequence__last_seq")
        .first()
    )
    if row is None:
        return None
    status, path, last_seq = row
    steplen = LiveBlogPage.steplen
    ancestors = [path[:end] for end in range(steplen, len(path) + 1, steplen)]
    if PageViewRestriction.objects.filter(page__path__in=ancestors).exists():
        return None
    return last_seq or 0, status == LiveBlogStatus.ENDED


def _opening_state(blog_id: int):
    """blog_state, and the blog's most recent events for the new channel's memory."""
    state = blog_state(blog_id)
    if state is None:
        return None
    last_seq, ended = state
    recent = events_after(blog_id, max(0, last_seq - RING_PREFILL), limit=RING_PREFILL)
    return last_seq, ended, [item for item in recent if item[0] <= last_seq]


def last_seq(blog_id: int) -> int:
    from .models import LiveSequence

    return (
        LiveSequence.objects.filter(blog_id=blog_id).values_list("last_seq", flat=True).first() or 0
    )


def events_after(blog_id: int, seq: int, limit: int = RESUME_LIMIT + 1):
    from .models import LiveEvent

    rows = LiveEvent.objects.filter(blog_id=blog_id, seq__gt=seq).order_by("seq")[:limit]
    return [(row.seq, encode(row.seq, row.op, row.data)) for row in rows]


def new_events(watched: dict[int, int]) -> tuple[list[tuple[int, int, bytes]], set[int]]:
    """Events newer than each watched blog's last seq, and the watched blogs that are
    no longer published (or gone): one small query, two when any moved."""
    from django.db.models import Q

    from .models import LiveBlogPage, LiveEvent

    current = dict(
        LiveBlogPage.objects.filter(pk__in=watched, live=True).values_list(
            "pk", "sequence__last_seq"
        )
    )
    gone = set(watched) - set(current)
    moved = [blog_id for blog_id, last in current.items() if (last or 0) > watched[blog_id]]
    if not moved:
        return [], gone
    condition = Q()
    for blog_id in moved:
        condition |= Q(blog_id=blog_id, seq__gt=watched[blog_id])
    rows = LiveEvent.objects.filter(condition).order_by("blog_id", "seq")[:RESUME_LIMIT]
    return [(row.blog_id, row.seq, encode(row.seq, row.op, row.data)) for row in rows], gone


async def poll_log(hub: Hub, interval: float) -> None:
    while True:
        await asyncio.sleep(interval)
        try:
            await hub.catch_up_all()
        except Exception:  # a database hiccup must not end live delivery
            logger.exception("live: polling the event log failed")
            await asyncio.sleep(1)


# Backends ---------------------------------------------------------------------


class LocalBackend:
    """No service: the recording process delivers to its own readers at once, and
    sends each event to the other server processes on the machine.

    Each server process binds a Unix datagram socket in DATA_DIR/live-wake/.
    After a commit, `publish` sends each socket there the event itself, already
    encoded, so a process writes it to its readers without touching the
    database: from commit to the first reader's bytes is about a third of a
    millisecond plus the fan-out (docs/performance.md). An event larger than
    EVENT_DATAGRAM_LIMIT, and an unpublished blog, go as a one-byte wake-up,
    and the process reads the log for its blogs. Datagrams are hints on top
    of the log: one dropped on a full socket buffer is read from the log when
    the next event shows the gap, by the process that finds its buffer was
    full, or by the read once a second that every process makes as a safety
    net. A socket whose process has gone is removed by the next publish.
    """

    WAKE_UP = b"w"
    EVENT = b"e"
    EVENT_HEADER = struct.Struct("!QQ")  # blog id, event number
    EVENT_DATAGRAM_LIMIT = 60_000  # well under the kernel's default socket buffer

    def __init__(self):
        self.folder = settings.DATA_DIR / "live-wake"
        self._sender: socket.socket | None = None

    def publish(self, blog_id: int, seq: int, op: str, data: dict) -> None:
        payload = encode(seq, op, data)
        if len(payload) > self.EVENT_DATAGRAM_LIMIT:
            self.nudge(blog_id)
        else:
            # This process's own readers have it already (publish() below).
            self._send_to_all(self.EVENT + self.EVENT_HEADER.pack(blog_id, seq) + payload)

    def nudge(self, blog_id: int) -> None:
        """Make every server process read the log now."""
        self._send_to_all(self.WAKE_UP, including_this_process=True)

    def _send_to_all(self, datagram: bytes, *, including_this_process: bool = False) -> None:
        if self._sender is None:
            self._sender = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            self._sender.setblocking(False)
        try:
            names = os.listdir(self.folder)
        except OSError:
            return  # no server process is running
        # publish() has already handed the event to a Hub running here.
        own = f"{os.getpid()}.sock" if hub.loop is not None and not including_this_process else None
        for name in names:
            if name == own:
                continue
            path = os.path.join(self.folder, name)
            try:
                self._sender.sendto(datagram, path)
            except (ConnectionRefusedError, FileNotFoundError):
                with contextlib.suppress(OSError):
                    os.unlink(path)  # its process has gone
            except OSError:
                pass  # its buffer is full: that process reads the log when it drains it

    async def watch(self, hub: Hub, blog_id: int) -> None:
        pass

    def unwatch(self, hub: Hub, blog_id: int) -> None:
        pass

    async def run(self, hub: Hub) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{os.getpid()}.sock"
        with contextlib.suppress(FileNotFoundError):
            path.unlink()  # left by an earlier process with the same id
        receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        receiver.setblocking(False)
        receiver.bind(str(path))
        queue_limit = _datagram_queue_limit()
        header = 1 + self.EVENT_HEADER.size
        woken = asyncio.Event()

        def on_datagrams() -> None:
            received = 0
            with contextlib.suppress(OSError):  # BlockingIOError: all read
                while datagram := receiver.recv(header + self.EVENT_DATAGRAM_LIMIT):
                    received += 1
                    if datagram[:1] == self.EVENT and len(datagram) > header:
                        blog_id, seq = self.EVENT_HEADER.unpack_from(datagram, 1)
                        hub.deliver(blog_id, seq, datagram[header:])
                    else:
                        woken.set()
            if received >= queue_limit:
                woken.set()  # the queue was full: a sender may have dropped one

        hub.loop.add_reader(receiver.fileno(), on_datagrams)
        hub.spawn(poll_log(hub, SAFETY_POLL_INTERVAL))
        try:
            while True:
                await woken.wait()
                woken.clear()
                try:
                    await hub.catch_up_all()
                except Exception:  # a database hiccup must not end live delivery
                    logger.exception("live: reading the event log failed")
                    await asyncio.sleep(1)
        finally:
            hub.loop.remove_reader(receiver.fileno())
            receiver.close()
            with contextlib.suppress(OSError):
                path.unlink()


def _datagram_queue_limit() -> int:
    """How many datagrams a Unix socket queues before senders' datagrams are dropped."""
    try:
        with open("/proc/sys/net/unix/max_dgram_qlen") as file:
            return max(1, int(file.read()))
    except (OSError, ValueError):
        return 10  # Linux's default


class RedisBackend:
    """Redis pub/sub: one channel per live blog; the log fills anything missed."""

    HELLO = "newsdesk:live:hello"  # subscribed first, so the connection is up before any blog's

    def __init__(self, url: str):
        self.url = url
        self._sync_client = None
        self._pubsub = None
        # Subscribing goes one at a time: redis-py's PubSub opens its connection
        # on its first command, and a blog's subscribe racing the connection's
        # first one could open a second connection nobody listens to.
        self._subscribing: asyncio.Lock | None = None

    @staticmethod
    def channel_name(blog_id: int) -> str:
        return f"newsdesk:live:{blog_id}"

    def publish(self, blog_id: int, seq: int, op: str, data: dict) -> None:
        self._send(blog_id, {"seq": seq, "op": op, "data": data})

    def nudge(self, blog_id: int) -> None:
        """Make every server process read the blog's state (it was unpublished or deleted)."""
        self._send(blog_id, {"check": True})

    def _send(self, blog_id: int, event: dict) -> None:
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        if self._sync_client is None:
            # No retries: the editor is waiting, and the log covers a lost publish.
            self._sync_client = redis.Redis.from_url(
                self.url, socket_timeout=2, socket_connect_timeout=2, retry=Retry(NoBackoff(), 0)
            )
        message = json.dumps(event)
        try:
            self._sync_client.publish(self.channel_name(blog_id), message)
        except redis.RedisError:
            logger.warning("live: Redis publish failed; readers catch up from the log")

    async def watch(self, hub: Hub, blog_id: int) -> None:
        if self._pubsub is None or self._subscribing is None:
            return  # not connected: run() subscribes every open channel when it connects
        async with self._subscribing:
            pubsub = self._pubsub
            if pubsub is None:
                return
            try:
                await pubsub.subscribe(self.channel_name(blog_id))
            except Exception:
                # Start the connection afresh: run() then subscribes every open channel.
                logger.warning("live: Redis subscribe failed; reconnecting")
                with contextlib.suppress(Exception):
                    await pubsub.aclose()

    def unwatch(self, hub: Hub, blog_id: int) -> None:
        if self._pubsub is not None:
            hub.spawn(self._unsubscribe_if_idle(hub, blog_id))

    async def _unsubscribe_if_idle(self, hub: Hub, blog_id: int) -> None:
        if blog_id in hub.channels or self._pubsub is None:
            return  # a new reader came back meanwhile
        with contextlib.suppress(Exception):
            await self._pubsub.unsubscribe(self.channel_name(blog_id))

    async def run(self, hub: Hub) -> None:
        import redis.asyncio as aioredis
        from redis.asyncio.retry import Retry
        from redis.backoff import NoBackoff

        hub.spawn(poll_log(hub, SAFETY_POLL_INTERVAL))
        self._subscribing = asyncio.Lock()
        delay = 0.2
        connected = None  # unknown until the first attempt
        while True:
            # No silent reconnects inside redis-py: a lost connection must come
            # back through here, where the log is read for what was missed.
            client = aioredis.Redis.from_url(
                self.url,
                retry=Retry(NoBackoff(), 0),
                socket_connect_timeout=2,
                health_check_interval=10,
            )
            try:
                # Set before subscribing: a channel opened meanwhile subscribes
                # itself, once these (under the same lock) are done.
                self._pubsub = client.pubsub(ignore_subscribe_messages=True)
                async with self._subscribing:
                    await self._pubsub.subscribe(self.HELLO)
                    for blog_id in list(hub.channels):
                        await self._pubsub.subscribe(self.channel_name(blog_id))
                # Whatever was published while we were away is in the log.
                await hub.catch_up_all()
                if connected is False:
                    logger.warning("live: Redis connection back")
                connected, delay = True, 0.2
                async for message in self._pubsub.listen():
                    self._deliver(hub, message)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                # Once per outage; readers go on meanwhile through the log.
                if connected is not False:
                    logger.warning("live: Redis connection lost (%s); reconnecting", error)
                connected = False
            finally:
                self._pubsub = None
                with contextlib.suppress(Exception):
                    await client.aclose()
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5)

    @staticmethod
    def _deliver(hub: Hub, message: dict) -> None:
        if message.get("type") != "message":
            return
        suffix = message["channel"].rsplit(b":", 1)[-1]
        try:
            event = json.loads(message["data"])
            if event.get("check"):
                hub.spawn(hub.catch_up_all())
                return
            blog_id, seq, op, data = int(suffix), event["seq"], event["op"], event["data"]
        except (ValueError, KeyError, TypeError):
            logger.warning("live: ignoring a malformed message on %r", message["channel"])
            return
        hub.deliver(blog_id, seq, encode(seq, op, data))


_backend = None
hub = Hub()


def backend():
    global _backend
    if _backend is None:
        url = getattr(settings, "NEWSDESK_LIVE_BROKER", "local")
        _backend = RedisBackend(url) if url.startswith("redis") else LocalBackend()
    return _backend


def publish(blog_id: int, seq: int, op: str, data: dict) -> None:
    """Hand a committed event to this process's readers and to the backend."""
    hub.deliver_threadsafe(blog_id, seq, encode(seq, op, data))
    backend().publish(blog_id, seq, op, data)


def close_blog(blog_id: int) -> None:
    """After a blog is unpublished or deleted (committed): end its readers' streams in
    every process. Each process checks the blog's state itself before closing."""
    if hub.loop is not None and not hub.loop.is_closed():
        hub.loop.call_soon_threadsafe(hub.close_blog, blog_id)
    backend().nudge(blog_id)
