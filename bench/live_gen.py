"""One load-generator process for bench/live.py: many SSE subscribers on plain sockets.

No HTTP library and no coroutine per connection: non-blocking sockets on one
epoll, a hand-written HTTP/1.1 request, and a scan of the received bytes for
`id: N` lines. bench/live.py starts several of these (each process may hold at
most ~20,000 open files) and drives them with one JSON command per line on
stdin; each answer is one JSON line on stdout.

Commands:
  {"cmd": "open", "n": N, "rate": R}   add N subscribers, opened at R per second
  {"cmd": "stat"}                      counts (streaming, connecting, failures, ...)
  {"cmd": "times", "seq": S}           receive times (time.time()) of event S, one per socket
  {"cmd": "count", "seq": S}           how many sockets received event S
  {"cmd": "storm"}                     every subscriber drops (RST) and reconnects at once
                                       with Last-Event-ID, as EventSource does
  {"cmd": "check", "first": A, "last": B}  did every subscriber get each of A..B exactly once?
  {"cmd": "trim"}                      forget the subscribers that are not streaming
  {"cmd": "close"}                     close every socket
  {"cmd": "quit"}
"""

import argparse
import contextlib
import errno
import json
import os
import random
import select
import socket
import struct
import sys
import time
from array import array

CONNECT_TIMEOUT = 30.0  # a subscriber not streaming after this is closed and retried
RETRY_DELAY = (0.5, 1.5)  # like EventSource's `retry`: seconds before reconnecting
IP_BIND_ADDRESS_NO_PORT = getattr(socket, "IP_BIND_ADDRESS_NO_PORT", 24)
# The kernel stamps each received segment with the time it arrived. On
# loopback that is the moment the server's write put it on the wire, so this
# generator's own scheduling delay (it shares the 2 cores with the server) is
# not counted as delivery latency.
SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)
TIMESPEC = struct.Struct("qq")
ANCILLARY_SIZE = socket.CMSG_SPACE(TIMESPEC.size)
LINGER_RST = struct.pack("ii", 1, 0)

CONNECTING, HEADERS, STREAMING, WAITING = range(4)
EPOLLIN, EPOLLOUT = select.EPOLLIN, select.EPOLLOUT


class Sub:
    """One subscriber: the same reader across reconnections."""

    __slots__ = ("buf", "deadline", "dups", "gaps", "last", "seqs", "sock", "src", "state")

    def __init__(self, src: str):
        self.src = src
        self.sock = None
        self.state = WAITING
        self.buf = b""
        self.last = 0  # last event id received (0: none yet)
        self.seqs = None  # event ids received, in order (array), once the first arrives
        self.dups = 0
        self.gaps = 0
        self.deadline = 0.0


class Generator:
    def __init__(self, port: int, blog: int, sources: list[str], *, kernel_stamps: bool = True):
        self.kernel_stamps = kernel_stamps
        self.addr = ("127.0.0.1", port)
        self.path = b"/live/%d/events" % blog
        self.host = b"127.0.0.1:%d" % port
        self.sources = sources
        self.epoll = select.epoll()
        self.subs: list[Sub] = []
        self.by_fd: dict[int, Sub] = {}
        self.to_open = 0  # subscribers still to add
        self.open_rate = 1000.0
        self.open_started = 0.0
        self.opened_in_batch = 0
        self.retry_queue: list[tuple[float, Sub]] = []
        self.times: dict[int, array] = {}
        self.pending: set[Sub] = set()  # connecting or waiting for headers
        self.counters = dict(
            failed=0, timeouts=0, refused=0, server_closed=0, non200=0, retries=0, errors=0
        )
        self.storm_started = 0.0
        self.storm_pending = 0
        self.storm_last_resume = 0.0
        self.storm_active = False
        self.polls = 0
        self.events = 0
        self.buffer = bytearray(262144)
        self.view = memoryview(self.buffer)

    # -- connections ------------------------------------------------------------------------

    def connect(self, sub: Sub, now: float) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        sock.setsockopt(socket.IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.kernel_stamps:
            sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        try:
            sock.bind((sub.src, 0))
            code = sock.connect_ex(self.addr)
        except OSError as error:
            sock.close()
            self.counters["errors"] += 1
            self.fail(sub, now, str(error))
            return
        if code not in (0, errno.EINPROGRESS):
            sock.close()
            self.counters["refused"] += 1
            self.fail(sub, now)
            return
        sub.sock = sock
        sub.state = CONNECTING
        sub.buf = b""
        sub.deadline = now + CONNECT_TIMEOUT
        self.by_fd[sock.fileno()] = sub
        self.pending.add(sub)
        self.epoll.register(sock.fileno(), EPOLLOUT)

    def request(self, sub: Sub) -> bytes:
        lines = [b"GET " + self.path + b" HTTP/1.1", b"Host: " + self.host]
        lines.append(b"Accept: text/event-stream")
        lines.append(b"Cache-Control: no-cache")
        if sub.last:
            lines.append(b"Last-Event-ID: %d" % sub.last)
        return b"\r\n".join(lines) + b"\r\n\r\n"

    def drop(self, sub: Sub, *, rst: bool) -> None:
        sock = sub.sock
        if sock is None:
            return
        fd = sock.fileno()
        self.by_fd.pop(fd, None)
        with contextlib.suppress(OSError):
            self.epoll.unregister(fd)
        if rst:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, LINGER_RST)
        sock.close()
        sub.sock = None
        sub.state = WAITING
        self.pending.discard(sub)

    def fail(self, sub: Sub, now: float, why: str = "") -> None:
        """A connection attempt or a stream failed: reconnect later, as a browser would."""
        self.drop(sub, rst=True)
        self.counters["failed"] += 1
        self.counters["retries"] += 1
        self.retry_queue.append((now + random.uniform(*RETRY_DELAY), sub))

    # -- data -------------------------------------------------------------------------------

    def on_event(self, fd: int, mask: int, now: float) -> None:
        """Connecting and header states; a streaming socket goes to on_stream."""
        sub = self.by_fd.get(fd)
        if sub is None:
            return
        if sub.state == STREAMING:
            self.on_stream(sub)
            return
        if sub.state == CONNECTING:
            err = sub.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err:
                self.counters["refused"] += 1
                self.fail(sub, now)
                return
            try:
                sub.sock.send(self.request(sub))
            except OSError:
                self.fail(sub, now)
                return
            sub.state = HEADERS
            self.epoll.modify(fd, EPOLLIN)
            return
        try:
            size = sub.sock.recv_into(self.buffer)
        except BlockingIOError:
            return
        except OSError:
            size = 0
        data = self.view[:size].tobytes()
        now = time.time()
        if not data:
            self.counters["server_closed"] += 1
            self.fail(sub, now)
            return
        data = sub.buf + data
        end = data.find(b"\r\n\r\n")
        if end < 0:
            sub.buf = data
            return
        if not data.startswith((b"HTTP/1.1 200", b"HTTP/1.0 200")):
            self.counters["non200"] += 1
            self.fail(sub, now)
            return
        sub.buf = b""
        sub.state = STREAMING
        self.pending.discard(sub)
        if self.storm_active and sub.seqs is not None:
            self.storm_pending -= 1
            self.storm_last_resume = now
        # The body starts with a chunk-size line; "\n" + keeps every event line
        # preceded by a newline, as the scan below expects.
        self.scan(sub, b"\n" + data[end + 4 :], now)

    def on_stream(self, sub: Sub) -> None:
        # recv_into one reused buffer: recv(256 KiB) would have malloc map and
        # unmap a fresh 256 KiB block (page faults) for every read.
        try:
            size, now = self.receive(sub.sock)
        except BlockingIOError:
            return
        except OSError:
            size, now = 0, time.time()
        data = self.view[:size].tobytes()
        if not data:
            self.counters["server_closed"] += 1
            self.fail(sub, now)
            return
        if sub.buf:
            data = sub.buf + data
        self.scan(sub, data, now)

    def receive(self, sock: socket.socket) -> tuple[int, float]:
        """Read into the shared buffer: (bytes read, when they arrived)."""
        if not self.kernel_stamps:
            return sock.recv_into(self.buffer), time.time()
        size, ancillary, _flags, _address = sock.recvmsg_into([self.buffer], ANCILLARY_SIZE)
        for level, kind, value in ancillary:
            if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
                seconds, nanoseconds = TIMESPEC.unpack_from(value)
                return size, seconds + nanoseconds / 1e9
        return size, time.time()

    def scan(self, sub: Sub, data: bytes, now: float) -> None:
        """Record every complete `id: N` line; keep a possibly cut line for the next read.

        Event lines follow a newline (the chunk-size line's CRLF, or the blank
        line ending the previous event); JSON data never holds a raw newline.
        """
        at = data.find(b"\nid: ")
        keep = len(data) - 4  # a "\nid:" cut short by the transport
        while at >= 0:
            eol = data.find(b"\n", at + 5)
            if eol < 0:
                keep = at
                break
            seq = int(data[at + 5 : eol])
            at = data.find(b"\nid: ", eol)
            if sub.seqs is None:
                sub.seqs = array("i")
            elif seq <= sub.last:
                sub.dups += 1
                continue
            elif seq != sub.last + 1:
                sub.gaps += 1
            sub.last = seq
            sub.seqs.append(seq)
            stamps = self.times.get(seq)
            if stamps is None:
                stamps = self.times[seq] = array("d")
            stamps.append(now)
        sub.buf = data[keep:] if keep > 0 else data
        if data.endswith(b"\n0\r\n\r\n"):  # the last chunk: the server ended the stream
            self.counters["server_closed"] += 1
            self.fail(sub, now)

    # -- the loop ---------------------------------------------------------------------------

    def housekeeping(self, now: float) -> float:
        """Open paced new subscribers, run due retries and time-outs; returns the poll timeout."""
        timeout = 0.5
        if self.to_open:
            allowed = int((now - self.open_started) * self.open_rate) - self.opened_in_batch
            allowed = max(0, min(allowed, self.to_open, 500))
            for _ in range(allowed):
                sub = Sub(self.sources[len(self.subs) % len(self.sources)])
                self.subs.append(sub)
                self.connect(sub, now)
            self.to_open -= allowed
            self.opened_in_batch += allowed
            if self.to_open:
                timeout = 0.005
        if self.retry_queue:
            due = [item for item in self.retry_queue if item[0] <= now]
            if due:
                self.retry_queue = [item for item in self.retry_queue if item[0] > now]
                for _when, sub in due[:1000]:
                    self.connect(sub, now)
                self.retry_queue.extend(due[1000:])
            timeout = min(timeout, 0.02)
        return timeout

    def expire(self, now: float) -> None:
        for sub in [sub for sub in self.pending if sub.deadline < now]:
            self.counters["timeouts"] += 1
            self.fail(sub, now)

    def stat(self) -> dict:
        states = [0, 0, 0, 0]
        for sub in self.subs:
            states[sub.state] += 1
        usage = os.times()
        return {
            "subs": len(self.subs),
            "streaming": states[STREAMING],
            "connecting": states[CONNECTING] + states[HEADERS],
            "waiting": states[WAITING],
            "to_open": self.to_open,
            "storm_pending": self.storm_pending if self.storm_active else 0,
            "storm_last_resume": self.storm_last_resume,
            "cpu": usage.user + usage.system,
            "polls": self.polls,
            "events": self.events,
            **self.counters,
        }

    def storm(self, now: float) -> None:
        """Every subscriber drops at once and reconnects straight away with Last-Event-ID."""
        self.storm_active = True
        self.storm_started = now
        self.storm_pending = 0
        self.storm_last_resume = 0.0
        self.retry_queue = []
        for sub in self.subs:
            if sub.sock is not None:
                self.drop(sub, rst=True)
        for sub in self.subs:
            if sub.seqs is not None:
                self.storm_pending += 1
            self.connect(sub, now)

    def check(self, first: int, last: int) -> dict:
        complete = missing = dup_subs = gap_subs = 0
        expected = last - first + 1
        for sub in self.subs:
            seqs = sub.seqs
            got = [seq for seq in seqs if first <= seq <= last] if seqs is not None else []
            if len(got) == expected and len(set(got)) == expected:
                complete += 1
            else:
                missing += expected - len(set(got))
            if sub.dups:
                dup_subs += 1
            if sub.gaps:
                gap_subs += 1
        return {
            "subs": len(self.subs),
            "complete": complete,
            "missing_events": missing,
            "subs_with_dups": dup_subs,
            "dups": sum(sub.dups for sub in self.subs),
            "subs_with_gaps": gap_subs,
        }

    def command(self, line: str, now: float) -> dict | None:
        message = json.loads(line)
        cmd = message["cmd"]
        if cmd == "open":
            self.to_open += message["n"]
            self.open_rate = float(message.get("rate", 1000))
            self.open_started = now
            self.opened_in_batch = 0
            return {"ok": True}
        if cmd == "stat":
            return self.stat()
        if cmd == "times":
            stamps = self.times.get(message["seq"], array("d"))
            return {"times": stamps.tolist()}
        if cmd == "count":
            return {"count": len(self.times.get(message["seq"], ()))}
        if cmd == "storm":
            self.storm(now)
            return {"t": now, "pending": self.storm_pending}
        if cmd == "check":
            return self.check(message["first"], message["last"])
        if cmd == "trim":
            # Forget the subscribers that never got a stream (the server refused to hold them).
            kept = []
            for sub in self.subs:
                if sub.state == STREAMING:
                    kept.append(sub)
                else:
                    self.drop(sub, rst=True)
            self.retry_queue = [item for item in self.retry_queue if item[1].state == STREAMING]
            removed = len(self.subs) - len(kept)
            self.subs = kept
            self.to_open = 0
            return {"removed": removed}
        if cmd == "close":
            for sub in self.subs:
                self.drop(sub, rst=True)
            self.retry_queue.clear()
            self.to_open = 0
            return {"ok": True}
        if cmd == "quit":
            return None
        return {"error": f"unknown command {cmd}"}

    def run(self) -> None:
        stdin = sys.stdin.buffer.raw
        self.epoll.register(stdin.fileno(), EPOLLIN)
        pending_input = b""
        last_expire = time.time()
        by_fd = self.by_fd
        on_stream = self.on_stream
        while True:
            now = time.time()
            timeout = self.housekeeping(now)
            if now - last_expire > 1.0:
                self.expire(now)
                last_expire = now
            events = self.epoll.poll(timeout, 4096)
            now = time.time()
            self.polls += 1
            self.events += len(events)
            for fd, mask in events:
                sub = by_fd.get(fd)
                if sub is not None and sub.state == STREAMING:
                    on_stream(sub)
                    continue
                if fd == stdin.fileno():
                    chunk = os.read(fd, 65536)
                    if not chunk:
                        return
                    pending_input += chunk
                    while b"\n" in pending_input:
                        line, pending_input = pending_input.split(b"\n", 1)
                        answer = self.command(line.decode(), time.time())
                        if answer is None:
                            return
                        sys.stdout.write(json.dumps(answer) + "\n")
                        sys.stdout.flush()
                    continue
                self.on_event(fd, mask, now)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--blog", type=int, required=True)
    parser.add_argument("--sources", required=True, help="comma-separated loopback addresses")
    parser.add_argument(
        "--stamp",
        choices=("kernel", "user"),
        default="kernel",
        help="arrival time: the kernel's receive timestamp (default) or time.time() after recv",
    )
    parser.add_argument("--nice", type=int, default=0, help="run at this lower priority")
    options = parser.parse_args()
    if options.nice:
        os.nice(options.nice)
    Generator(
        options.port,
        options.blog,
        options.sources.split(","),
        kernel_stamps=options.stamp == "kernel",
    ).run()


if __name__ == "__main__":
    main()
