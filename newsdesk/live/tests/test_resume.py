"""Delivery inside one server process: the Hub's channels, and resuming a stream by its last id.

The coroutines run under async_to_sync, so the database reads they hand to a
thread run in the test's own thread, inside the test's transaction.
"""

import asyncio

import pytest
from asgiref.sync import async_to_sync
from wagtail.models import PageViewRestriction

from newsdesk.live import broker, services, stream
from newsdesk.live.broker import RESUME_LIMIT, RING_SIZE, Channel, Hub, Reader, encode
from newsdesk.live.models import LiveEvent, LiveSequence

from .factories import make_live_blog

pytestmark = pytest.mark.django_db


class QuietBackend:
    """A backend that neither polls nor subscribes: only what a test delivers arrives."""

    def __init__(self):
        self.watched = []

    def publish(self, blog_id, seq, op, data):
        pass

    async def watch(self, hub, blog_id):
        self.watched.append(blog_id)

    def unwatch(self, hub, blog_id):
        self.watched.remove(blog_id)

    async def run(self, hub):
        await asyncio.Event().wait()


@pytest.fixture
def hub(monkeypatch):
    hub = Hub(QuietBackend())
    monkeypatch.setattr(stream, "hub", hub)
    return hub


def run(coroutine_function):
    """Runs an async test body; everything it awaits is bounded."""

    async def bounded():
        return await asyncio.wait_for(coroutine_function(), 10)

    return async_to_sync(bounded)()


def event(seq, op="add"):
    return seq, encode(seq, op, {"entry": seq})


def queued(reader):
    """What waits for a reader whose stream has not started writing."""
    items, reader.items = reader.items or [], None
    return items


async def until(condition):
    while not condition():
        await asyncio.sleep(0.01)


def log_events(blog, count, *, start=1):
    """`count` add events in the blog's log, as the services would leave them."""
    LiveEvent.objects.bulk_create(
        LiveEvent(blog=blog, seq=seq, op="add", data={"entry": seq})
        for seq in range(start, start + count)
    )
    LiveSequence.objects.update_or_create(blog=blog, defaults={"last_seq": start + count - 1})


def post_entries(blog, count):
    for number in range(count):
        services.entry_post(blog=blog, author=None, text=f"Update {number + 1}.")


async def open_stream(blog_id, *, last_event_id=None, query=b"", method="GET"):
    """Opens a stream as the server would, leaves once the first part of the body arrives,
    and returns (status, headers, body)."""
    left = asyncio.Event()
    messages = []

    async def receive():
        await left.wait()
        return {"type": "http.disconnect"}

    async def send(message):
        messages.append(message)
        if message["type"] == "http.response.body":
            left.set()

    headers = [] if last_event_id is None else [(b"last-event-id", str(last_event_id).encode())]
    scope = {
        "type": "http",
        "method": method,
        "path": f"/live/{blog_id}/events",
        "headers": headers,
        "query_string": query,
    }
    await stream.live_stream(scope, receive, send, blog_id)
    start = messages[0]
    body = b"".join(message.get("body", b"") for message in messages[1:])
    return start["status"], dict(start["headers"]), body.decode()


def ids_in(body):
    return [int(line[4:]) for line in body.splitlines() if line.startswith("id: ")]


def ops_in(body):
    return [line[7:] for line in body.splitlines() if line.startswith("event: ")]


# The channel ---------------------------------------------------------------------


def test_a_channel_delivers_each_event_once_and_in_order(hub):
    async def body():
        channel = Channel(hub, 1, last_seq=3)
        reader = Reader()
        channel.readers.add(reader)
        for seq in (4, 4, 3, 5, 5):
            channel.deliver(*event(seq))
        return channel, reader

    channel, reader = run(body)

    assert [seq for seq, _payload in queued(reader)] == [4, 5]
    assert [seq for seq, _payload in channel.ring] == [4, 5]
    assert channel.last_seq == 5


def test_an_event_ahead_of_a_gap_makes_the_channel_read_the_gap_from_the_log(blog, hub):
    post_entries(blog, 5)

    async def body():
        reader = Reader()
        channel = Channel(hub, blog.pk, last_seq=2)
        hub.channels[blog.pk] = channel
        channel.readers.add(reader)
        hub.attach()
        channel.deliver(*event(5))  # 3 and 4 went missing on the way
        await until(lambda: channel.last_seq == 5)
        return reader

    reader = run(body)

    assert [seq for seq, _payload in queued(reader)] == [3, 4, 5]


def test_a_gap_seen_while_reading_the_log_is_read_again(blog, hub, monkeypatch):
    post_entries(blog, 6)
    read = broker.events_after
    reads = []

    def events_after(blog_id, seq):
        reads.append(seq)
        if len(reads) > 1:
            return read(blog_id, seq)
        # The first read started before events 5 and 6 were committed, and 6
        # arrives while it runs.
        hub.loop.call_soon_threadsafe(hub.deliver, blog_id, *event(6))
        return [item for item in read(blog_id, seq) if item[0] < 5]

    monkeypatch.setattr(broker, "events_after", events_after)

    async def body():
        reader = Reader()
        channel = Channel(hub, blog.pk, last_seq=2)
        hub.channels[blog.pk] = channel
        channel.readers.add(reader)
        hub.attach()
        channel.deliver(*event(4))
        await until(lambda: channel.last_seq == 6)
        return reader

    reader = run(body)

    assert [seq for seq, _payload in queued(reader)] == [3, 4, 5, 6]
    assert reads == [2, 4]


def test_a_slow_reader_is_dropped_without_holding_up_the_others(hub):
    async def body():
        channel = Channel(hub, 1, last_seq=0)
        slow, quick = Reader(), Reader()
        channel.readers.update((slow, quick))
        for seq in range(1, broker.READER_QUEUE + 2):
            channel.deliver(*event(seq))
            queued(quick)
        return channel, slow, quick

    channel, slow, quick = run(body)

    assert slow.dropped
    assert channel.readers == {quick}
    assert channel.last_seq == broker.READER_QUEUE + 1


def test_backlog_comes_from_memory_while_the_ring_reaches_back(hub):
    channel = Channel(hub, 1, last_seq=0)
    for seq in range(1, RING_SIZE + 101):
        channel.deliver(*event(seq))

    assert [seq for seq, _payload in channel.backlog_since(RING_SIZE + 97)] == [
        RING_SIZE + 98,
        RING_SIZE + 99,
        RING_SIZE + 100,
    ]
    assert channel.backlog_since(RING_SIZE + 100) == []
    assert channel.backlog_since(100) is not None
    assert channel.backlog_since(99) is None, "the oldest events have left memory"


# The hub ---------------------------------------------------------------------------


def test_readers_arriving_together_share_one_channel_and_one_database_read(blog, hub, monkeypatch):
    reads = []
    state = broker.blog_state
    monkeypatch.setattr(
        broker, "blog_state", lambda blog_id: reads.append(blog_id) or state(blog_id)
    )

    async def body():
        readers = [Reader() for _ in range(5)]
        channels = await asyncio.gather(*(hub.join(blog.pk, reader) for reader in readers))
        assert len({id(channel) for channel in channels}) == 1
        for reader in readers:
            hub.leave(channels[0], reader)

    run(body)

    assert reads == [blog.pk]
    assert hub.channels == {}, "the last reader to leave closes the channel"
    assert hub.backend.watched == []


# Resuming a stream -------------------------------------------------------------------


def test_a_stream_answers_with_event_stream_headers_and_a_retry_hint(blog, hub):
    post_entries(blog, 2)

    status, headers, body = run(lambda: open_stream(blog.pk, last_event_id=0))

    assert status == 200
    assert headers[b"content-type"].startswith(b"text/event-stream")
    assert headers[b"x-accel-buffering"] == b"no"
    retry = int(body.split("retry: ", 1)[1].split("\n", 1)[0])
    assert 1000 <= retry <= 3000
    assert ids_in(body) == [1, 2]


def test_a_reader_resuming_gets_exactly_the_events_after_its_last_id_from_memory(blog, hub):
    post_entries(blog, 2)

    async def body():
        # A reader already here keeps the channel open; events 3-5 reach it
        # only through the broker, so only memory can replay them.
        present = Reader()
        channel = await hub.join(blog.pk, present)
        await until(lambda: not channel.catching_up)
        for seq in (3, 4, 5):
            hub.deliver(blog.pk, *event(seq))
        return await open_stream(blog.pk, last_event_id=3)

    status, _headers, body = run(body)

    assert status == 200
    assert ids_in(body) == [4, 5]


def test_a_reader_resuming_gets_exactly_the_events_after_its_last_id_from_the_database(blog, hub):
    # Beyond what a new channel reads into memory: these come from the log.
    last = broker.RING_PREFILL + 20
    log_events(blog, last)

    async def body():
        by_header = await open_stream(blog.pk, last_event_id=2)
        by_query = await open_stream(blog.pk, query=b"last_event_id=4")
        return by_header, by_query

    by_header, by_query = run(body)

    assert ids_in(by_header[2]) == list(range(3, last + 1))
    assert ids_in(by_query[2]) == list(range(5, last + 1))


def test_entries_posted_through_the_services_replay_as_they_were_sent(blog, hub):
    post_entries(blog, 3)

    _status, _headers, body = run(lambda: open_stream(blog.pk, last_event_id=1))

    assert ids_in(body) == [2, 3]
    assert ops_in(body) == ["add", "add"]
    assert "Update 3." in body


def test_a_reader_without_an_id_gets_only_new_events(blog, hub):
    post_entries(blog, 3)

    _status, _headers, body = run(lambda: open_stream(blog.pk))

    assert ids_in(body) == []


def test_a_reader_who_missed_more_than_the_resume_limit_gets_a_reset(blog, hub):
    log_events(blog, RESUME_LIMIT + 5)

    status, _headers, body = run(lambda: open_stream(blog.pk, last_event_id=2))

    assert status == 200
    assert ops_in(body) == ["reset"]
    assert ids_in(body) == [RESUME_LIMIT + 5]


def test_a_reader_who_missed_exactly_the_resume_limit_still_resumes(blog, hub):
    log_events(blog, RESUME_LIMIT + 2)

    _status, _headers, body = run(lambda: open_stream(blog.pk, last_event_id=2))

    assert ids_in(body) == list(range(3, RESUME_LIMIT + 3))


def test_an_id_from_before_the_log_was_rebuilt_gets_a_reset(blog, hub):
    post_entries(blog, 3)

    _status, _headers, body = run(lambda: open_stream(blog.pk, last_event_id=90))

    assert ops_in(body) == ["reset"]
    assert ids_in(body) == [3]


def test_a_stream_for_an_unknown_unpublished_or_private_blog_answers_404(blog, world, hub):
    draft = make_live_blog(world, title="Live: not yet", publish=False)
    private = make_live_blog(world, title="Live: staff only")
    PageViewRestriction.objects.create(page=private, restriction_type="login")

    async def body():
        return [(await open_stream(blog_id))[0] for blog_id in (999_999, draft.pk, private.pk)]

    assert run(body) == [404, 404, 404]
    assert hub.channels == {}


def test_an_ended_blog_answers_204_to_a_reader_who_missed_nothing(blog, hub):
    post_entries(blog, 2)
    services.blog_end(blog=blog)

    async def body():
        return (
            await open_stream(blog.pk, last_event_id=3),
            await open_stream(blog.pk),
            await open_stream(blog.pk, last_event_id=1),
        )

    missed_nothing, no_id, missed_the_end = run(body)

    assert missed_nothing[0] == 204
    assert no_id[0] == 204
    assert missed_the_end[0] == 200
    assert ids_in(missed_the_end[2]) == [2, 3]
    assert ops_in(missed_the_end[2]) == ["add", "end"]


def test_a_stream_ends_after_delivering_the_end_event(blog, hub):
    post_entries(blog, 1)

    async def body():
        messages = []

        async def receive():
            await asyncio.Event().wait()  # the reader never leaves on its own

        async def send(message):
            messages.append(message)

        scope = {"type": "http", "method": "GET", "headers": [], "query_string": b""}
        streaming = asyncio.ensure_future(stream.live_stream(scope, receive, send, blog.pk))
        await until(lambda: len(messages) == 2)
        hub.deliver(blog.pk, *event(2, "end"))
        await streaming
        return messages

    messages = run(body)

    assert ops_in(b"".join(m.get("body", b"") for m in messages).decode()) == ["end"]
    assert messages[-1] == {"type": "http.response.body", "body": b"", "more_body": False}


def test_an_idle_stream_sends_heartbeats_so_proxies_keep_it_open(blog, hub, monkeypatch):
    monkeypatch.setattr(broker, "HEARTBEAT_SECONDS", 0.05)

    async def body():
        left = asyncio.Event()
        bodies = []

        async def receive():
            await left.wait()
            return {"type": "http.disconnect"}

        async def send(message):
            bodies.append(message.get("body", b""))
            if bodies.count(b": hb\n\n") == 2:
                left.set()

        scope = {"type": "http", "method": "GET", "headers": [], "query_string": b""}
        await stream.live_stream(scope, receive, send, blog.pk)
        return bodies

    bodies = run(body)

    assert bodies.count(b": hb\n\n") == 2
    assert bodies[-1] == b"", "the stream ends cleanly when the reader leaves"


def test_a_new_channel_remembers_the_latest_events_so_returning_readers_skip_the_database(
    blog, hub
):
    log_events(blog, broker.RING_PREFILL + 10)

    channel = run(lambda: hub.join(blog.pk, Reader()))

    last = broker.RING_PREFILL + 10
    assert channel.last_seq == last
    assert [seq for seq, _payload in channel.backlog_since(last - 3)] == [
        last - 2,
        last - 1,
        last,
    ]
    assert channel.backlog_since(10)[0][0] == 11
    assert channel.backlog_since(9) is None, "older ones are read from the log"
