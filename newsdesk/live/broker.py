"""Carries live events from the process that records them to every process holding readers.

Each server process has one Hub on its event loop. The Hub keeps one Channel
per live blog that has readers in this process (never one per reader): a ring
buffer of recent events, already encoded as server-sent-event bytes, and the
readers' queues. An event is encoded once and the same bytes are queued for
every reader.

How an event reaches the Hubs is the backend's job, chosen by the setting
NEWSDESK_LIVE_BROKER:

- "local" (the embedded default, no service): the recording process delivers
  to its own Hub at once; every other process polls the event log for the
  blogs it has readers of, with one small query per process and poll
  interval, whatever the number of readers.
- "redis://host:port/db": Redis pub/sub, one channel per blog, for several
  machines. After a lost connection each Hub reconnects and reads what it
  missed from the event log, so readers lose nothing.
"""

import asyncio
import contextlib
import json
import logging
import threading
from collections import deque

from asgiref.sync import sync_to_async
from django.conf import settings

logger = logging.getLogger(__name__)

RING_SIZE = 512  # recent events kept in memory per blog for fast resume
READER_QUEUE = 256  # a reader this far behind is dropped; it resumes by Last-Event-ID
POLL_INTERVAL = 0.05
RESUME_LIMIT = 1000  # a reader who missed more than this reloads a fresh snapshot


def encode(seq: int, op: str, data: dict) -> bytes:
    body = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return f"id: {seq}\nevent: {op}\ndata: {body}\n\n".encode()


class Reader:
    """One open stream: a bounded queue of (seq, bytes)."""

    __slots__ = ("dropped", "queue")

    def __init__(self):
        self.queue = asyncio.Queue(READER_QUEUE)
        self.dropped = False

    def close(self) -> None:
        """The reader went away: end its stream at the next wake-up."""
        self.dropped = True
        # When the queue is full its stream is busy writing and sees `dropped` next.
        with contextlib.suppress(asyncio.QueueFull):
            self.queue.put_nowait(None)

    def push(self, item) -> bool:
        try:
            self.queue.put_nowait(item)
        except asyncio.QueueFull:
            self.dropped = True
            return False
        return True


class Channel:
    """The readers of one blog in this process, and its recent events."""

    def __init__(self, hub: "Hub", blog_id: int, last_seq: int):
        self.hub = hub
        self.blog_id = blog_id
        self.last_seq = last_seq
        self.ring: deque[tuple[int, bytes]] = deque(maxlen=RING_SIZE)
        self.readers: set[Reader] = set()

    def deliver(self, seq: int, payload: bytes) -> None:
        if seq <= self.last_seq:
            return  # already delivered (local publish and poll both saw it)
        if seq > self.last_seq + 1:
            # An earlier event from another process is not here yet; the log
            # has both, in order.
            self.hub.catch_up_soon(self)
            return
        self.last_seq = seq
        self.ring.append((seq, payload))
        item = (seq, payload)
        for reader in list(self.readers):
            if not reader.push(item):
                # Its stream closes once its current write ends; the browser
                # reconnects and resumes from the last id it received.
                self.readers.discard(reader)

    def backlog_since(self, seq: int) -> list[tuple[int, bytes]] | None:
        """Events after seq from memory, or None when memory does not reach back that far."""
        if seq >= self.last_seq:
            return []
        if self.ring and self.ring[0][0] <= seq + 1:
            return [item for item in self.ring if item[0] > seq]
        return None


class Hub:
    def __init__(self):
        self.loop: asyncio.AbstractEventLoop | None = None
        self.channels: dict[int, Channel] = {}
        self._catch_up = set()
        self._backend_task = None
        self._lock = threading.Lock()

    # Called on the event loop -------------------------------------------------

    def attach(self) -> None:
        if self.loop is None:
            self.loop = asyncio.get_running_loop()
            self._backend_task = self.loop.create_task(backend().run(self))

    async def channel(self, blog_id: int) -> Channel:
        self.attach()
        channel = self.channels.get(blog_id)
        if channel is None:
            last_seq = await sync_to_async(_last_seq)(blog_id)
            channel = self.channels.setdefault(blog_id, Channel(self, blog_id, last_seq))
            await backend().watch(self, blog_id)
        return channel

    def forget_if_idle(self, channel: Channel) -> None:
        if not channel.readers and self.channels.get(channel.blog_id) is channel:
            del self.channels[channel.blog_id]
            backend().unwatch(self, channel.blog_id)

    def deliver(self, blog_id: int, seq: int, payload: bytes) -> None:
        channel = self.channels.get(blog_id)
        if channel is not None:
            channel.deliver(seq, payload)

    def catch_up_soon(self, channel: Channel) -> None:
        if channel.blog_id not in self._catch_up:
            self._catch_up.add(channel.blog_id)
            self.loop.create_task(self._catch_up_from_log(channel))

    async def _catch_up_from_log(self, channel: Channel) -> None:
        try:
            events = await sync_to_async(events_after)(channel.blog_id, channel.last_seq)
            for seq, payload in events:
                channel.deliver(seq, payload)
        finally:
            self._catch_up.discard(channel.blog_id)

    async def catch_up_all(self) -> None:
        """Read every watched blog's new events from the log (after a poll tick or a reconnect)."""
        if not self.channels:
            return
        watched = {blog_id: channel.last_seq for blog_id, channel in self.channels.items()}
        for blog_id, seq, payload in await sync_to_async(new_events)(watched):
            self.deliver(blog_id, seq, payload)

    # Called from any thread ---------------------------------------------------

    def deliver_threadsafe(self, blog_id: int, seq: int, payload: bytes) -> None:
        if self.loop is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self.deliver, blog_id, seq, payload)


def _last_seq(blog_id: int) -> int:
    from .models import LiveSequence

    return (
        LiveSequence.objects.filter(blog_id=blog_id).values_list("last_seq", flat=True).first() or 0
    )


def events_after(blog_id: int, seq: int, limit: int = RESUME_LIMIT + 1):
    from .models import LiveEvent

    rows = LiveEvent.objects.filter(blog_id=blog_id, seq__gt=seq).order_by("seq")[:limit]
    return [(row.seq, encode(row.seq, row.op, row.data)) for row in rows]


def new_events(watched: dict[int, int]):
    """Events newer than each watched blog's last seq: one small query, two when any moved."""
    from django.db.models import Q

    from .models import LiveEvent, LiveSequence

    moved = [
        (blog_id, last)
        for blog_id, last in LiveSequence.objects.filter(blog_id__in=watched).values_list(
            "blog_id", "last_seq"
        )
        if last > watched[blog_id]
    ]
    if not moved:
        return []
    condition = Q()
    for blog_id, _last in moved:
        condition |= Q(blog_id=blog_id, seq__gt=watched[blog_id])
    rows = LiveEvent.objects.filter(condition).order_by("blog_id", "seq")[:RESUME_LIMIT]
    return [(row.blog_id, row.seq, encode(row.seq, row.op, row.data)) for row in rows]


# Backends ---------------------------------------------------------------------


class LocalBackend:
    """No service: same-process delivery is immediate, other processes poll the log."""

    def publish(self, blog_id: int, seq: int, op: str, data: dict) -> None:
        pass  # the recording process already delivered; the others poll

    async def watch(self, hub: Hub, blog_id: int) -> None:
        pass

    def unwatch(self, hub: Hub, blog_id: int) -> None:
        pass

    async def run(self, hub: Hub) -> None:
        while True:
            await asyncio.sleep(POLL_INTERVAL)
            try:
                await hub.catch_up_all()
            except Exception:  # a database hiccup must not end live delivery
                logger.exception("live: polling the event log failed")
                await asyncio.sleep(1)


class RedisBackend:
    """Redis pub/sub: one channel per live blog; the log fills anything missed."""

    def __init__(self, url: str):
        self.url = url
        self._sync_client = None
        self._pubsub = None
        self._connected = asyncio.Event()

    @staticmethod
    def channel_name(blog_id: int) -> str:
        return f"newsdesk:live:{blog_id}"

    def publish(self, blog_id: int, seq: int, op: str, data: dict) -> None:
        import redis

        if self._sync_client is None:
            self._sync_client = redis.Redis.from_url(self.url, socket_timeout=2)
        message = json.dumps({"seq": seq, "op": op, "data": data})
        try:
            self._sync_client.publish(self.channel_name(blog_id), message)
        except redis.RedisError:
            # Readers are not lost: every Hub catches up from the log when
            # Redis comes back.
            logger.warning("live: Redis publish failed; readers catch up from the log")

    async def watch(self, hub: Hub, blog_id: int) -> None:
        if self._pubsub is not None:
            try:
                await self._pubsub.subscribe(self.channel_name(blog_id))
            except Exception:
                logger.warning("live: Redis subscribe failed; will resubscribe on reconnect")

    def unwatch(self, hub: Hub, blog_id: int) -> None:
        if self._pubsub is not None:
            hub.loop.create_task(self._safe_unsubscribe(blog_id))

    async def _safe_unsubscribe(self, blog_id: int) -> None:
        with contextlib.suppress(Exception):
            await self._pubsub.unsubscribe(self.channel_name(blog_id))

    async def run(self, hub: Hub) -> None:
        import redis.asyncio as aioredis

        delay = 0.2
        while True:
            client = aioredis.Redis.from_url(self.url, health_check_interval=10)
            try:
                self._pubsub = client.pubsub(ignore_subscribe_messages=True)
                await self._pubsub.subscribe("newsdesk:live:hello")
                for blog_id in list(hub.channels):
                    await self._pubsub.subscribe(self.channel_name(blog_id))
                # Whatever was published while we were away is in the log.
                await hub.catch_up_all()
                delay = 0.2
                async for message in self._pubsub.listen():
                    if message.get("type") != "message":
                        continue
                    event = json.loads(message["data"])
                    blog_id = int(message["channel"].rsplit(b":", 1)[-1])
                    hub.deliver(
                        blog_id, event["seq"], encode(event["seq"], event["op"], event["data"])
                    )
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("live: Redis connection lost; reconnecting", exc_info=True)
            finally:
                self._pubsub = None
                with contextlib.suppress(Exception):
                    await client.aclose()
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5)


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
