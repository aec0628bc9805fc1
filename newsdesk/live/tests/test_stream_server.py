"""The live stream over real HTTP, against the production ASGI server with two worker processes.

A small newsroom database is built once per session in a temporary data
directory; `newsdesk serve --workers 2` serves it, and entries are posted from
a separate desk process (newsdesk shell), so a worker hears of an entry only
through the broker. Streams are read with http.client, one thread each.
Every wait is bounded, and every process started here is stopped here.
"""

import contextlib
import http.client
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from newsdesk.live.broker import LocalBackend
from newsdesk.testing import require

pytestmark = pytest.mark.e2e

NEWSDESK = Path(sys.executable).with_name("newsdesk")
REDIS_SERVER = Path("/usr/bin/redis-server")
DESK_COMMAND = "from newsdesk.live.tests.desk_process import main; main()"
# The environment must not point the servers at the developer's database or broker.
DROPPED_VARIABLES = {
    "DATABASE_URL",
    "LIVE_BROKER_URL",
    "LIVE_DEMO_INTERVAL",
    "WEB_CONCURRENCY",
    "NEWSDESK_SERVER",
    "DEBUG",
    "PORT",
    "HOST",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}
DELIVERY_SECONDS = 2


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, timeout: float, message: str):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{message} (waited {timeout} s)", pytrace=False)
        time.sleep(0.02)


def stop_group(process: subprocess.Popen, grace: float = 5) -> None:
    """Stops a process started in its own session, and its children, by the group's id."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)


def environment(data_dir: Path, **extra: str) -> dict:
    env = {name: value for name, value in os.environ.items() if name not in DROPPED_VARIABLES}
    env.update(
        NEWSDESK_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="newsdesk.settings.base", **extra
    )
    return env


class Desk:
    """The desk process (desk_process.py): posts entries the way an editor's request would."""

    def __init__(self, env: dict, log: Path):
        self.log = log
        self.process = subprocess.Popen(
            [NEWSDESK, "shell", "--verbosity", "0", "--command", DESK_COMMAND],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log.open("ab"),
            text=True,
            env=env,
            start_new_session=True,
        )
        self.answers = queue.Queue()
        threading.Thread(target=self._read_answers, daemon=True).start()

    def _read_answers(self):
        for line in self.process.stdout:
            if line.startswith("desk: "):
                self.answers.put(json.loads(line[6:]))

    def do(self, command: str, **arguments) -> dict:
        self.process.stdin.write(json.dumps({"do": command, **arguments}) + "\n")
        self.process.stdin.flush()
        try:
            answer = self.answers.get(timeout=30)
        except queue.Empty:
            pytest.fail(f"the desk did not answer {command}: {self.log.read_text()[-2000:]}")
        assert "error" not in answer, answer["error"]
        return answer

    def post(self, blog: int, text: str) -> int:
        """Posts an entry; returns its event number once it is committed."""
        return self.do("post", blog=blog, text=text)["seq"]

    def close(self):
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            stop_group(self.process)


class Server:
    """`newsdesk serve --workers 2` on a free port of 127.0.0.1."""

    def __init__(self, data_dir: Path, env: dict):
        self.data_dir = data_dir
        self.env = env
        self.port = free_port()
        self.log = data_dir / f"server-{self.port}.log"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [NEWSDESK, "serve", "--port", str(self.port), "--workers", "2"],
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            env=self.env,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while not self._healthy():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"the server did not start:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.1)

    def _healthy(self) -> bool:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
        try:
            connection.request("GET", "/healthz")
            return connection.getresponse().status == 200
        except OSError:
            return False
        finally:
            connection.close()

    def stop(self):
        if self.process is not None:
            stop_group(self.process)

    def worker_memory(self) -> int:
        """The workers' resident memory, in bytes."""
        total = 0
        for pid in self._group():
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
        return total

    def processes_holding_connections(self) -> set[int]:
        """The server's processes that hold an established connection (our streams)."""
        inodes = set()
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            with contextlib.suppress(FileNotFoundError), open(table) as lines:
                for line in list(lines)[1:]:
                    fields = line.split()
                    port = int(fields[1].rsplit(":", 1)[1], 16)
                    if port == self.port and fields[3] == "01":
                        inodes.add(fields[9])
        holders = set()
        for pid in self._group():
            with contextlib.suppress(OSError):
                for fd in os.listdir(f"/proc/{pid}/fd"):
                    target = os.readlink(f"/proc/{pid}/fd/{fd}")
                    if target.startswith("socket:[") and target[8:-1] in inodes:
                        holders.add(pid)
        return holders

    def _group(self) -> list[int]:
        members = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                with contextlib.suppress(OSError):
                    stat = Path(f"/proc/{entry}/stat").read_text()
                    if int(stat.rsplit(")", 1)[1].split()[2]) == self.process.pid:
                        members.append(int(entry))
        return members


class EventStream:
    """One reader of /live/<blog>/events, read on a thread as the events arrive."""

    def __init__(self, port: int, blog: int, *, last_event_id=None, query: str = ""):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        headers = {"Accept": "text/event-stream"}
        if last_event_id is not None:
            headers["Last-Event-ID"] = str(last_event_id)
        self.connection.request("GET", f"/live/{blog}/events{query}", headers=headers)
        self.response = self.connection.getresponse()
        self.status = self.response.status
        self.headers = {name.lower(): value for name, value in self.response.getheaders()}
        self.retry = None
        self.events: list[tuple[int, str, dict]] = []
        self.unnumbered: list[str] = []  # events without an id ("gone")
        self.finished = threading.Event()
        if self.status == 200:
            threading.Thread(target=self._read, daemon=True).start()
        else:
            self.response.read()
            self.finished.set()
            self.connection.close()  # no keep-alive connection left for the server to wait on

    def _read(self):
        buffer = b""
        try:
            while chunk := self.response.read1(65536):
                buffer += chunk
                *blocks, buffer = buffer.split(b"\n\n")
                for block in blocks:
                    self._parse(block.decode())
        except (OSError, ValueError, AttributeError, http.client.HTTPException):
            pass  # closed by the test (http.client may trip over its own closed socket)
        finally:
            self.finished.set()

    def _parse(self, block: str):
        fields = {}
        for line in block.split("\n"):
            if line and not line.startswith(":"):
                name, _, value = line.partition(":")
                fields[name] = value.removeprefix(" ")
        if "retry" in fields:
            self.retry = int(fields["retry"])
        if "id" in fields:
            data = json.loads(fields.get("data") or "{}")
            self.events.append((int(fields["id"]), fields.get("event", "message"), data))
        elif "event" in fields:
            self.unnumbered.append(fields["event"])

    def ids(self) -> list[int]:
        return [seq for seq, _op, _data in list(self.events)]

    def close(self):
        with contextlib.suppress(OSError, AttributeError):
            self.connection.sock.shutdown(socket.SHUT_RDWR)
        self.connection.close()


@contextlib.contextmanager
def streams_on_both_workers(server: Server, blog: int, *, at_least: int = 8, most: int = 48):
    """Opens streams until both server workers hold some: what a crowd of readers does."""
    streams = []
    try:
        deadline = time.monotonic() + 30
        while len(streams) < at_least or len(server.processes_holding_connections()) < 2:
            if len(streams) >= most or time.monotonic() > deadline:
                pytest.fail(f"{len(streams)} streams all landed on one worker")
            streams.append(EventStream(server.port, blog))
            assert streams[-1].status == 200
            time.sleep(0.02)
        yield streams
    finally:
        for stream in streams:
            stream.close()


def assert_each_gets_exactly(streams, expected: list[int], within: float):
    for stream in streams:
        wait_until(
            lambda stream=stream: len(stream.ids()) >= len(expected),
            within,
            f"a reader got {stream.ids()}, not {expected}",
        )
    time.sleep(0.3)  # long enough for a duplicate to show up
    for stream in streams:
        assert stream.ids() == expected


# Fixtures -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def newsroom_dir(tmp_path_factory):
    """A migrated database in a data directory of its own, for the servers below."""
    data_dir = tmp_path_factory.mktemp("live-newsroom")
    subprocess.run(
        [NEWSDESK, "migrate", "--noinput", "--verbosity", "0"],
        env=environment(data_dir),
        check=True,
        timeout=180,
    )
    return data_dir


@pytest.fixture(scope="module")
def desk(newsroom_dir):
    desk = Desk(environment(newsroom_dir), newsroom_dir / "desk.log")
    yield desk
    desk.close()


@pytest.fixture(scope="module")
def server(newsroom_dir, desk):
    server = Server(newsroom_dir, environment(newsroom_dir))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def blog(desk):
    return desk.do("blog")["blog"]


class RedisServer:
    def __init__(self, data_dir: Path):
        self.port = free_port()
        self.data_dir = data_dir
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                *(REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.data_dir)),
            ],
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_until(self._listening, 10, "redis-server did not start")

    def _listening(self) -> bool:
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", self.port)) == 0

    def wait_for_subscribers(self, blog: int, count: int):
        import redis

        client = redis.Redis.from_url(self.url, socket_timeout=2)
        channel = f"newsdesk:live:{blog}"
        try:
            # Workers retry a lost Redis at most 5 s apart; on a loaded 2-core
            # machine their first try after a restart can come late.
            wait_until(
                lambda: client.pubsub_numsub(channel) == [(channel.encode(), count)],
                30,
                f"the workers did not subscribe to {channel}",
            )
        finally:
            client.close()

    def stop(self):
        if self.process is not None:
            stop_group(self.process)


@pytest.fixture
def redis_server(tmp_path):
    require(REDIS_SERVER.exists(), "needs Debian package redis-server")
    redis = RedisServer(tmp_path)
    redis.start()
    yield redis
    redis.stop()


# Tests --------------------------------------------------------------------------------


def test_a_stream_is_an_unbuffered_event_stream_of_numbered_events(server, desk, blog):
    for number in range(3):
        desk.post(blog, f"Update {number + 1}.")

    stream = EventStream(server.port, blog, last_event_id=0)
    try:
        assert stream.status == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
        assert stream.headers["x-accel-buffering"] == "no"
        assert "no-cache" in stream.headers["cache-control"]
        wait_until(lambda: len(stream.events) == 3, 5, "the backlog did not arrive")
        assert 1000 <= stream.retry <= 3000
        assert stream.ids() == [1, 2, 3]
        for _seq, op, data in stream.events:
            assert op == "add"
            assert f'id="entry-{data["entry"]}"' in data["html"]
    finally:
        stream.close()


def test_a_stream_for_an_unknown_or_unpublished_blog_answers_404(server, desk):
    unpublished = desk.do("blog", publish=False)["blog"]

    for blog in (987_654, unpublished):
        assert EventStream(server.port, blog).status == 404


def test_a_reader_resumes_with_no_gap_and_no_duplicate_from_memory_and_after_a_restart(
    server, desk, blog
):
    desk.post(blog, "One.")
    desk.post(blog, "Two.")
    watcher = EventStream(server.port, blog)
    try:
        for text in ("Three.", "Four.", "Five."):
            desk.post(blog, text)
        assert_each_gets_exactly([watcher], [3, 4, 5], within=DELIVERY_SECONDS)
        resumed = EventStream(server.port, blog, last_event_id=3)
        assert_each_gets_exactly([resumed], [4, 5], within=DELIVERY_SECONDS)
        desk.post(blog, "Six.")
        assert_each_gets_exactly([resumed], [4, 5, 6], within=DELIVERY_SECONDS)
        assert_each_gets_exactly([watcher], [3, 4, 5, 6], within=DELIVERY_SECONDS)
    finally:
        watcher.close()
        resumed.close()

    server.stop()
    desk.post(blog, "Seven, while the server is down.")
    server.start()

    by_header = EventStream(server.port, blog, last_event_id=4)
    by_query = EventStream(server.port, blog, query="?last_event_id=6")
    try:
        assert_each_gets_exactly([by_header], [5, 6, 7], within=DELIVERY_SECONDS)
        assert_each_gets_exactly([by_query], [7], within=DELIVERY_SECONDS)
        desk.post(blog, "Eight.")
        assert_each_gets_exactly([by_header], [5, 6, 7, 8], within=DELIVERY_SECONDS)
        assert_each_gets_exactly([by_query], [7, 8], within=DELIVERY_SECONDS)
    finally:
        by_header.close()
        by_query.close()


def test_an_entry_posted_once_reaches_every_reader_on_every_worker_once(server, desk, blog):
    with streams_on_both_workers(server, blog) as streams:
        seq = desk.post(blog, "Posted once, for everyone.")

        assert_each_gets_exactly(streams, [seq], within=DELIVERY_SECONDS)


def test_an_event_too_big_for_a_datagram_reaches_every_worker_through_the_log(server, desk, blog):
    desk.do("event_datagram_limit", bytes=0)
    try:
        with streams_on_both_workers(server, blog) as streams:
            first = desk.post(blog, "Sent as a wake-up: the workers read it from the log.")
            second = desk.post(blog, "And the next one, in order.")

            assert_each_gets_exactly(streams, [first, second], within=DELIVERY_SECONDS)
    finally:
        desk.do("event_datagram_limit", bytes=LocalBackend.EVENT_DATAGRAM_LIMIT)


@contextlib.contextmanager
def redis_newsroom(newsroom_dir: Path, redis_server: "RedisServer", name: str):
    """A desk and a two-worker server on the Redis broker, and a new blog: (desk, server, blog)."""
    env = environment(newsroom_dir, LIVE_BROKER_URL=redis_server.url)
    desk = Desk(env, newsroom_dir / f"desk-{name}.log")
    server = Server(newsroom_dir, env)
    try:
        blog = desk.do("blog")["blog"]
        server.start()
        yield desk, server, blog
    finally:
        server.stop()
        desk.close()


def test_with_redis_readers_on_every_worker_get_every_entry_once_across_a_redis_restart(
    newsroom_dir, redis_server
):
    with (
        redis_newsroom(newsroom_dir, redis_server, "redis") as (desk, server, blog),
        streams_on_both_workers(server, blog) as streams,
    ):
        # One subscription per worker, whatever the number of readers.
        redis_server.wait_for_subscribers(blog, 2)
        first = desk.post(blog, "Through Redis.")
        assert_each_gets_exactly(streams, [first], within=DELIVERY_SECONDS)

        redis_server.stop()
        during = desk.post(blog, "While Redis is down.")
        # Nothing comes through Redis now: the workers read it from the log.
        assert_each_gets_exactly(streams, [first, during], within=5)
        redis_server.start()
        redis_server.wait_for_subscribers(blog, 2)
        after = desk.post(blog, "After Redis came back.")

        assert_each_gets_exactly(streams, [first, during, after], within=5)


def test_an_ended_blog_answers_204_unless_the_reader_missed_something(server, desk, blog):
    desk.post(blog, "One.")
    desk.post(blog, "Two.")
    end = desk.do("end", blog=blog)["seq"]

    assert EventStream(server.port, blog, last_event_id=end).status == 204
    assert EventStream(server.port, blog).status == 204
    missed = EventStream(server.port, blog, last_event_id=1)
    try:
        assert missed.status == 200
        assert missed.finished.wait(5), "the stream closes after the end event"
        assert [(seq, op) for seq, op, _data in missed.events] == [(2, "add"), (3, "end")]
    finally:
        missed.close()


def never_reading_reader(port: int, blog: int) -> socket.socket:
    """A client that asks for the stream and then reads nothing, with a tiny receive window."""
    client = socket.socket()
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    client.connect(("127.0.0.1", port))
    client.sendall(f"GET /live/{blog}/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    return client


def read_to_the_end(client: socket.socket, within: float) -> bytes:
    """What the server still sends until it closes the connection (b"" if it reset it)."""
    client.settimeout(within)
    received = b""
    deadline = time.monotonic() + within
    try:
        while chunk := client.recv(1 << 20):
            received += chunk
            assert time.monotonic() < deadline, "the server never closed a stalled reader"
    except ConnectionResetError:
        return b""
    return received


def test_a_reader_that_never_reads_is_dropped_and_holds_up_nobody(server, desk, blog):
    from newsdesk.live.broker import WRITE_DEADLINE

    stalled = [never_reading_reader(server.port, blog) for _ in range(4)]
    try:
        with streams_on_both_workers(server, blog) as readers:
            memory_before = server.worker_memory()
            # About 6 MB of entries: more than a stalled connection's buffers
            # (the kernel's, the server's) hold.
            last = desk.do("post_many", blog=blog, count=650, text="Word " * 1800)["seq"]
            # The readers who read got every entry while the stalled ones were stuck.
            assert_each_gets_exactly(readers, list(range(1, last + 1)), within=15)
            grown = server.worker_memory() - memory_before
            time.sleep(WRITE_DEADLINE + 1)

            for client in stalled:
                # When it reads at last, it finds its connection closed, short
                # of the last entry: it was dropped, and would resume by its last id.
                received = read_to_the_end(client, within=30)
                assert f"id: {last}\n".encode() not in received
    finally:
        for client in stalled:
            client.close()
    # What waits for a stalled reader is bounded (256 events, then its
    # stream ends), not everything posted meanwhile.
    assert grown < 32 * 2**20, f"the workers grew by {grown / 2**20:.0f} MiB"


def test_unpublishing_a_blog_closes_its_streams_on_every_worker_and_it_answers_404(
    server, desk, blog
):
    desk.post(blog, "Before it was taken down.")
    with streams_on_both_workers(server, blog) as streams:
        desk.do("unpublish", blog=blog)

        for stream in streams:
            assert stream.finished.wait(5), "an unpublished blog's stream stays open"
            assert stream.unnumbered == ["gone"]
    assert EventStream(server.port, blog, last_event_id=1).status == 404


def test_deleting_a_blog_closes_its_streams_on_every_worker(server, desk, blog):
    with streams_on_both_workers(server, blog) as streams:
        desk.do("delete", blog=blog)

        for stream in streams:
            assert stream.finished.wait(5), "a deleted blog's stream stays open"
            assert stream.unnumbered == ["gone"]
    assert EventStream(server.port, blog).status == 404


def test_with_redis_unpublishing_closes_the_streams_on_every_worker(newsroom_dir, redis_server):
    with redis_newsroom(newsroom_dir, redis_server, "redis-unpublish") as (desk, server, blog):
        with streams_on_both_workers(server, blog) as streams:
            redis_server.wait_for_subscribers(blog, 2)
            desk.do("unpublish", blog=blog)

            for stream in streams:
                assert stream.finished.wait(5), "an unpublished blog's stream stays open"
                assert stream.unnumbered == ["gone"]
        assert EventStream(server.port, blog).status == 404
