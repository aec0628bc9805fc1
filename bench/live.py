"""Live coverage at breaking-news scale (`make bench-live`).

Measures, on this machine and on 127.0.0.x only, bounded in count and time:

1. concurrent subscribers held on one live blog (ramped up in steps towards
   --subscribers, 50,000 by default), and the server's memory per idle
   subscriber: the summed RSS of the server's worker processes at each step
   against a warmed-up baseline, divided by the added subscribers;
2. publish-to-delivery latency of one entry to every subscriber, p50/p99/max,
   at 1,000, 10,000 and the maximum held: a long-lived publisher process
   (bench/live_publisher.py) posts through newsdesk.live.services.entry_post and
   stamps time.time() just before the commit; each load generator stamps
   time.time() when a socket's bytes with that event id arrive. The machine
   may be shared: latency waits (bounded) for other processes to leave the
   cores alone, measures again when they did not, and the tables show how much
   of the machine they used meanwhile;
3. a reconnect storm: every subscriber drops its connection (RST) and
   reconnects at once with Last-Event-ID while entries are posted; the time
   until every subscriber streams again, and whether any missed or received
   twice one of the entries posted from just before the storm to after it;
4. the CPU time of the load generators against the server's, per phase (the
   generators compete with the server for the same 2 cores).

How: the demo newsroom is built or reused in bench/.data (bench/demo_server.py)
and its database copied to a private temporary folder, so benchmark entries
never reach the shared demo. The server runs with the production settings
(DEBUG off) and --workers processes. Subscribers are spread over several load
generator processes (bench/live_gen.py: plain non-blocking sockets on epoll, a
raw HTTP/1.1 GET /live/<id>/events, ~12,500 sockets each, well under the
20,000 open files a process may hold) and over loopback source addresses
127.0.0.2, 127.0.0.3, ... (one address reaches one port through ~28,000
ephemeral ports).

Servers (--server):
  tuned    bench/live_server.py: newsdesk.cli.run_server's Granian set-up with
           backpressure (streams per worker) and backlog raised, HTTP/1.1 only
           (--granian-http auto keeps Granian's default); the default while
           `newsdesk serve` has no such option
  serve    `newsdesk serve --workers N` exactly as production runs it (Granian's
           default backpressure, 1024 // workers streams per worker, caps it)
  uvicorn  `newsdesk serve` with NEWSDESK_SERVER=uvicorn

Usage:
    .venv/bin/python bench/live.py                       # 50,000 subscribers, 2-6 minutes
    .venv/bin/python bench/live.py --subscribers 10000   # a smaller run
    .venv/bin/python bench/live.py --server serve --subscribers 3000
"""

import argparse
import contextlib
import json
import math
import os
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import demo_server

ROOT = demo_server.ROOT
BIN = demo_server.BIN
PYTHON = BIN / "python"
BENCH = ROOT / "bench"
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
PER_GENERATOR = 12_500  # sockets per load-generator process (limit: 20,000 open files)
PER_SOURCE = 10_000  # connections per loopback source address (limit: ~28,000 ports)
STEPS = (1_000, 10_000, 20_000, 30_000, 40_000, 50_000)
LATENCY_AT = (1_000, 10_000)  # and the maximum held
WARMUP = 200
SETTLE_SECONDS = 3.0  # each ramp step is held this long before it counts as stable
HOLD_LAST_SECONDS = 16.0  # the last step spans a heartbeat round (every 15 s)
STALL_SECONDS = 15.0
DELIVERY_TIMEOUT = 15.0
STORM_TIMEOUT = 120.0


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class OutOfTime(Exception):
    pass


# ----------------------------------------------------------------------------- processes


def cpu_seconds(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as file:
            fields = file.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as file:
            return int(file.read().split()[1]) * PAGE
    except OSError:
        return 0


def open_files(pid: int) -> int:
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return 0


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as file:
                ppid = int(file.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


class Server:
    """The server under test: the main process and its workers."""

    def __init__(self, process: subprocess.Popen):
        self.process = process
        self.workers: list[int] = []

    def find_workers(self, expected: int) -> None:
        # Granian's workers are the main process's children that hold the
        # application; a small helper process (if any) weighs nothing here.
        found = descendants(self.process.pid)
        self.workers = sorted(found, key=rss_bytes, reverse=True)[:expected]

    def rss(self) -> int:
        return sum(rss_bytes(pid) for pid in self.workers)

    def cpu(self) -> float:
        return sum(cpu_seconds(pid) for pid in [self.process.pid, *self.workers])

    def files(self) -> list[int]:
        return [open_files(pid) for pid in self.workers]


class Generator:
    """A load-generator process, driven by JSON lines."""

    def __init__(self, index: int, port: int, blog: int, sources: list[str], options):
        self.index = index
        self.sources = sources
        self.process = subprocess.Popen(
            [
                str(PYTHON),
                str(BENCH / "live_gen.py"),
                "--port",
                str(port),
                "--blog",
                str(blog),
                "--sources",
                ",".join(sources),
                "--stamp",
                options.stamp,
                "--nice",
                str(options.generator_nice),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        self.target = 0

    def send(self, **command) -> None:
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()

    def receive(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"load generator {self.index} exited")
        return json.loads(line)

    def ask(self, **command) -> dict:
        self.send(**command)
        return self.receive()

    def cpu(self) -> float:
        return cpu_seconds(self.process.pid)

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.send(cmd="quit")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def ask_all(generators: list[Generator], **command) -> list[dict]:
    for generator in generators:
        generator.send(**command)
    return [generator.receive() for generator in generators]


def total(answers: list[dict], key: str) -> int:
    return sum(answer[key] for answer in answers)


class Publisher:
    def __init__(self, env: dict, blog: int):
        self.blog = blog
        self.count = 0
        self.process = subprocess.Popen(
            [str(PYTHON), str(BENCH / "live_publisher.py")],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        ready = self.process.stdout.readline()
        if not ready:
            raise RuntimeError("the publisher did not start")

    def post_async(self) -> None:
        self.count += 1
        self.process.stdin.write(json.dumps({"blog": self.blog, "tag": self.count}) + "\n")
        self.process.stdin.flush()

    def result(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the publisher exited")
        return json.loads(line)

    def post(self) -> dict:
        self.post_async()
        return self.result()

    def cpu(self) -> float:
        return cpu_seconds(self.process.pid)

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.process.stdin.write('{"cmd": "quit"}\n')
            self.process.stdin.flush()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


# ----------------------------------------------------------------------------- set-up


def private_data_dir() -> Path:
    """A copy of the demo database (and its static files) that the benchmark may post into."""
    source = demo_server.DATA_DIR
    folder = Path(tempfile.mkdtemp(prefix="newsdesk-live-bench-"))
    with (
        sqlite3.connect(source / "newsdesk.sqlite3") as src,
        sqlite3.connect(folder / "newsdesk.sqlite3") as dst,
    ):
        src.backup(dst)
    for name in ("secret_key",):
        if (source / name).exists():
            shutil.copy2(source / name, folder / name)
    if (source / "static").exists():
        shutil.copytree(source / "static", folder / "static", symlinks=True)
    if (source / "media").exists():
        (folder / "media").symlink_to(source / "media")
    return folder


def build_demo_quietly() -> None:
    """demo_server.build_demo, with its progress and logins kept off the report."""
    command = [str(BIN / "newsdesk"), "demo", "--no-serve"]
    done = subprocess.run(command, env=demo_server.demo_env(), capture_output=True, text=True)
    if done.returncode:
        log(done.stdout + done.stderr)
        raise RuntimeError("building the demo failed")


def machine_busy() -> float:
    """CPU seconds the whole machine has spent busy (all cores), from /proc/stat."""
    with open("/proc/stat") as file:
        fields = [int(value) for value in file.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / CLK_TCK


def others_busy(sample: float, own_cpu) -> float:
    """Share of the machine (0-1) used by processes other than the benchmark's over `sample` s."""
    busy, own, began = machine_busy(), own_cpu(), time.monotonic()
    time.sleep(sample)
    wall = time.monotonic() - began
    return max(0.0, (machine_busy() - busy) - (own_cpu() - own)) / (wall * os.cpu_count())


def kernel_tcp_mib() -> float:
    """Memory the kernel holds for TCP buffers, all sockets (both ends here), in MiB."""
    with open("/proc/net/sockstat") as file:
        for line in file:
            if line.startswith("TCP:"):
                fields = line.split()
                return int(fields[fields.index("mem") + 1]) * PAGE / 2**20
    return 0.0


def live_blog_id(data_dir: Path) -> int:
    with contextlib.closing(sqlite3.connect(data_dir / "newsdesk.sqlite3")) as db:
        row = db.execute(
            "SELECT l.page_ptr_id FROM live_liveblogpage l "
            "JOIN wagtailcore_page p ON p.id = l.page_ptr_id "
            "WHERE p.live = 1 AND l.status = 'live' ORDER BY l.page_ptr_id LIMIT 1"
        ).fetchone()
    if row is None:
        raise RuntimeError("the demo has no live blog that is live")
    return row[0]


def server_env(data_dir: Path) -> dict:
    env = demo_server.demo_env()
    for key in ("DATABASE_URL", "WEB_CONCURRENCY", "LIVE_DEMO_INTERVAL", "LIVE_BROKER_URL"):
        env.pop(key, None)
    env.update(NEWSDESK_DATA_DIR=str(data_dir), DEBUG="0", PYTHONUNBUFFERED="1")
    return env


def serve_has_backpressure() -> bool:
    """Whether `newsdesk serve` sets Granian's backpressure itself (the change asked for)."""
    return "backpressure" in (ROOT / "newsdesk" / "cli.py").read_text()


def start_server(options, env: dict, port: int) -> Server:
    if options.server in ("serve", "uvicorn"):
        command = [str(BIN / "newsdesk"), "serve", "--port", str(port)]
        command += ["--workers", str(options.workers)]
        if options.server == "uvicorn":
            env = {**env, "NEWSDESK_SERVER": "uvicorn"}
    else:
        command = [str(PYTHON), str(BENCH / "live_server.py"), "--port", str(port)]
        command += ["--workers", str(options.workers), "--http", options.granian_http]
        if options.backpressure:
            command += ["--backpressure", str(options.backpressure)]
        for option in options.granian_option:
            command += ["--granian-option", option]
    shown = " ".join(command[1:] if options.server == "tuned" else command)
    log(f"starting the server: {shown}" + (" (uvicorn)" if options.server == "uvicorn" else ""))
    process = subprocess.Popen(
        command,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL if not options.verbose else None,
        stderr=None,
    )
    server = Server(process)
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as reply:
                if reply.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.2)
    server.find_workers(options.workers)
    return server


def stop_server(server: Server | None) -> None:
    if server is None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.process.pid, signal.SIGTERM)
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait()


# ----------------------------------------------------------------------------- measurement


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))
    return ordered[index]


class Run:
    def __init__(self, options):
        self.options = options
        self.deadline = time.monotonic() + options.time_limit
        self.server: Server | None = None
        self.generators: list[Generator] = []
        self.publisher: Publisher | None = None
        self.results: dict = {
            "steps": [],
            "latency": [],
            "storm": None,
            "cpu": [],
            "notes": [],
        }
        self.baseline_rss = 0
        self.baseline_subs = 0
        self.idle_rate = {"server": 0.0, "gens": 0.0}

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def check_time(self, needed: float = 0) -> None:
        if self.left() < needed:
            raise OutOfTime

    # -- CPU accounting -----------------------------------------------------------------

    def cpu_snapshot(self) -> dict:
        return {
            "t": time.monotonic(),
            "server": self.server.cpu(),
            "gens": sum(generator.cpu() for generator in self.generators),
            "publisher": self.publisher.cpu() if self.publisher else 0.0,
            "machine": machine_busy(),
        }

    def cpu_phase(self, name: str, start: dict) -> None:
        end = self.cpu_snapshot()
        wall = end["t"] - start["t"]
        server = end["server"] - start["server"]
        gens = end["gens"] - start["gens"]
        publisher = end["publisher"] - start["publisher"]
        busy = server + gens + publisher
        others = max(0.0, end["machine"] - start["machine"] - busy)
        self.results["cpu"].append(
            {
                "phase": name,
                "wall": wall,
                "server": server,
                "gens": gens,
                "publisher": publisher,
                "gen_share": gens / busy if busy else 0.0,
                "gens_of_machine": gens / (wall * os.cpu_count()) if wall else 0.0,
                "server_of_machine": server / (wall * os.cpu_count()) if wall else 0.0,
                "others_of_machine": others / (wall * os.cpu_count()) if wall else 0.0,
            }
        )

    # -- subscribers --------------------------------------------------------------------

    def stats(self) -> dict:
        answers = ask_all(self.generators, cmd="stat")
        summary = {
            key: total(answers, key)
            for key in ("subs", "streaming", "connecting", "waiting", "storm_pending")
        }
        for key in ("failed", "timeouts", "refused", "server_closed", "non200", "errors"):
            summary[key] = total(answers, key)
        summary["storm_last_resume"] = max(answer["storm_last_resume"] for answer in answers)
        return summary

    def open_to(self, target: int) -> dict:
        """Add subscribers up to `target`, spread evenly; wait until they stream or stall."""
        share, extra = divmod(target, len(self.generators))
        rate = self.options.rate / len(self.generators)
        for index, generator in enumerate(self.generators):
            want = share + (1 if index < extra else 0)
            if want > generator.target:
                generator.send(cmd="open", n=want - generator.target, rate=rate)
                generator.receive()
                generator.target = want
        best, best_at = -1, time.monotonic()
        while True:
            time.sleep(0.5)
            stats = self.stats()
            if stats["streaming"] >= target:
                return stats
            if stats["streaming"] > best:
                best, best_at = stats["streaming"], time.monotonic()
            if time.monotonic() - best_at > STALL_SECONDS:
                log(f"  stalled at {stats['streaming']} streaming of {target}")
                return stats
            if self.left() < 30:
                log("  out of time while opening subscribers")
                return stats

    def hold(self, seconds: float) -> dict:
        """Subscribers still streaming after `seconds`, and what failed meanwhile."""
        before = self.stats()
        cpu = self.cpu_snapshot()
        time.sleep(seconds)
        after = self.stats()
        end = self.cpu_snapshot()
        wall = end["t"] - cpu["t"]
        # CPU seconds per second while nothing is posted (polling, heartbeats).
        self.idle_rate = {key: (end[key] - cpu[key]) / wall for key in ("server", "gens")}
        after["idle_server_cpu"] = self.idle_rate["server"]
        after["dropped_while_held"] = (after["server_closed"] - before["server_closed"]) + (
            after["failed"] - before["failed"]
        )
        return after

    # -- latency ------------------------------------------------------------------------

    def post_and_wait(self, expected: int) -> dict:
        """Post one entry; wait until `expected` sockets have it (or time out)."""
        posted = self.publisher.post()
        seq = posted["seq"]
        deadline = time.monotonic() + DELIVERY_TIMEOUT
        while time.monotonic() < deadline:
            time.sleep(0.05)
            if total(ask_all(self.generators, cmd="count", seq=seq), "count") >= expected:
                break
        times = []
        for answer in ask_all(self.generators, cmd="times", seq=seq):
            times.extend(answer["times"])
        latencies = [(t - posted["t0"]) * 1000 for t in times]
        return {
            "seq": seq,
            "delivered": len(latencies),
            "expected": expected,
            "latencies": latencies,
            "commit_ms": (posted["t1"] - posted["t0"]) * 1000,
        }

    def own_cpu(self) -> float:
        snapshot = self.cpu_snapshot()
        return snapshot["server"] + snapshot["gens"] + snapshot["publisher"]

    def wait_quiet(self) -> float:
        """Wait (bounded) until other processes leave the cores alone; returns their last share."""
        limit = time.monotonic() + min(self.options.quiet_wait, max(0, self.left() - 120))
        while True:
            share = others_busy(1.0, self.own_cpu)
            if share <= self.options.quiet or time.monotonic() > limit:
                return share
            log(f"    other processes use {share:.0%} of the machine; waiting for quiet")

    def latency(self, subscribers: int) -> None:
        """Measure, and measure again (bounded) when other processes disturbed the run."""
        tries = []
        for attempt in range(1 + self.options.retries):
            if attempt and self.left() < DELIVERY_TIMEOUT * self.options.posts + 120:
                break
            self.wait_quiet()
            row = self.latency_once(subscribers)
            tries.append(row)
            if row["others_of_machine"] <= self.options.quiet * 1.5:
                break
            log(f"    disturbed: other processes used {row['others_of_machine']:.0%}; again")
        best = min(tries, key=lambda row: row["others_of_machine"])
        best["tries"] = len(tries)
        self.results["latency"].append(best)

    def latency_once(self, subscribers: int) -> dict:
        self.check_time(DELIVERY_TIMEOUT * self.options.posts + 10)
        log(f"  latency: {self.options.posts} entries to {subscribers:,} subscribers")
        start = self.cpu_snapshot()
        gen_before = ask_all(self.generators, cmd="stat")
        pooled, delivered, expected, commits = [], 0, 0, []
        per_post = []
        for _ in range(self.options.posts):
            time.sleep(1.0)
            result = self.post_and_wait(subscribers)
            pooled.extend(result["latencies"])
            delivered += result["delivered"]
            expected += result["expected"]
            commits.append(result["commit_ms"])
            per_post.append(
                (percentile(result["latencies"], 0.5), percentile(result["latencies"], 0.99))
            )
            self.last_seq = result["seq"]
        self.cpu_phase(f"latency at {subscribers:,}", start)
        gen_after = ask_all(self.generators, cmd="stat")
        polls = total(gen_after, "polls") - total(gen_before, "polls")
        events = total(gen_after, "events") - total(gen_before, "events")
        phase = self.results["cpu"][-1]
        # CPU per delivered event and subscriber, less what the idle server spends anyway.
        per_delivery = {
            key: max(0.0, phase[key] - self.idle_rate[key] * phase["wall"]) / delivered * 1e6
            if delivered
            else float("nan")
            for key in ("server", "gens")
        }
        row = {
            "server_us_per_delivery": per_delivery["server"],
            "gens_us_per_delivery": per_delivery["gens"],
            "others_of_machine": phase["others_of_machine"],
            "gen_events_per_poll": events / polls if polls else 0.0,
            "subscribers": subscribers,
            "posts": self.options.posts,
            "delivered": delivered,
            "expected": expected,
            "p50": percentile(pooled, 0.5),
            "p90": percentile(pooled, 0.9),
            "p99": percentile(pooled, 0.99),
            "max": max(pooled) if pooled else float("nan"),
            "per_post": per_post,
            "commit_ms": statistics.median(commits),
        }
        log(
            f"    p50 {row['p50']:.0f} ms, p99 {row['p99']:.0f} ms, max {row['max']:.0f} ms, "
            f"delivered {delivered:,}/{expected:,}; CPU per delivery: server "
            f"{row['server_us_per_delivery']:.0f} µs, generators "
            f"{row['gens_us_per_delivery']:.0f} µs; other processes "
            f"{row['others_of_machine']:.0%} of the machine; generators "
            f"{row['gen_events_per_poll']:.1f} sockets per wake-up"
        )
        return row

    # -- phases -------------------------------------------------------------------------

    def ramp(self) -> int:
        target = self.options.subscribers
        steps = sorted({step for step in STEPS if step < target} | {target})
        latency_at = {step for step in LATENCY_AT if step <= target}
        held = 0
        for step in steps:
            self.check_time(60)
            log(f"ramp: {step:,} subscribers")
            start = self.cpu_snapshot()
            began = time.monotonic()
            opened = self.open_to(step)
            took = time.monotonic() - began
            stats = self.hold(HOLD_LAST_SECONDS if step == steps[-1] else SETTLE_SECONDS)
            self.cpu_phase(f"open to {step:,}", start)
            rss = self.server.rss()
            streaming = stats["streaming"]
            per_sub = (
                (rss - self.baseline_rss) / (streaming - self.baseline_subs)
                if streaming > self.baseline_subs
                else float("nan")
            )
            stable = streaming >= step and stats["dropped_while_held"] == 0
            row = {
                "target": step,
                "streaming": streaming,
                "open_seconds": took,
                "open_rate": max(0, opened["streaming"] - held) / took if took else 0.0,
                "stable": stable,
                "dropped": stats["dropped_while_held"],
                "failures": {
                    key: stats[key]
                    for key in ("timeouts", "refused", "server_closed", "non200", "errors")
                },
                "rss_mib": rss / 2**20,
                "per_sub_kib": per_sub / 1024,
                "worker_files": self.server.files(),
                "idle_server_cpu": stats["idle_server_cpu"],
                "kernel_tcp_mib": kernel_tcp_mib(),
            }
            self.results["steps"].append(row)
            log(
                f"  {streaming:,} streaming ({'stable' if stable else 'NOT all held'}), "
                f"opened at {row['open_rate']:.0f}/s, server RSS {row['rss_mib']:.0f} MiB, "
                f"{row['per_sub_kib']:.1f} KiB per subscriber, files per worker "
                f"{row['worker_files']}"
            )
            if streaming > held:
                held = streaming
            if not stable:
                self.results["notes"].append(
                    f"ramp stopped at the {step:,} step: {streaming:,} streaming, "
                    f"failures {row['failures']}"
                )
                break
            if step in latency_at:
                self.latency(streaming)
        self.max_held = held
        if held and not any(row["subscribers"] == held for row in self.results["latency"]):
            self.latency(held)
        return held

    def storm(self) -> None:
        self.check_time(40)
        removed = total(ask_all(self.generators, cmd="trim"), "removed")
        if removed:
            log(f"  {removed:,} subscribers the server never held are left out of the storm")
        subscribers = self.stats()["streaming"]
        log(f"reconnect storm: {subscribers:,} subscribers drop and reconnect at once")
        first = self.publisher.post()  # the entry every subscriber has before the storm
        deadline = time.monotonic() + DELIVERY_TIMEOUT
        while time.monotonic() < deadline:
            time.sleep(0.1)
            counts = ask_all(self.generators, cmd="count", seq=first["seq"])
            if total(counts, "count") >= subscribers:
                break
        start = self.cpu_snapshot()
        began = time.time()
        answers = ask_all(self.generators, cmd="storm")
        pending = total(answers, "pending")
        storm_start = min(answer["t"] for answer in answers)
        posted = []
        post_times = [0.2 + 0.4 * index for index in range(self.options.storm_posts)]
        resumed_at = None
        limit = time.monotonic() + min(STORM_TIMEOUT, max(10, self.left() - 40))
        progress = []
        while time.monotonic() < limit:
            while post_times and time.time() - began >= post_times[0]:
                post_times.pop(0)
                posted.append(self.publisher.post())
            time.sleep(0.1)
            stats = self.stats()
            progress.append((time.time() - storm_start, stats["storm_pending"]))
            if stats["storm_pending"] == 0 and not post_times:
                resumed_at = stats["storm_last_resume"]
                break
        stats = self.stats()
        self.cpu_phase("reconnect storm", start)
        files_before = self.results["steps"][-1]["worker_files"] if self.results["steps"] else []
        # One more entry after everyone is back, then check every subscriber's sequence.
        time.sleep(0.5)
        final = self.post_and_wait(stats["streaming"])
        check = {"subs": 0, "complete": 0, "missing_events": 0, "dups": 0, "subs_with_dups": 0}
        for answer in ask_all(self.generators, cmd="check", first=first["seq"], last=final["seq"]):
            for key in check:
                check[key] += answer[key]
        self.results["storm"] = {
            "subscribers": subscribers,
            "pending_at_start": pending,
            "resumed": pending - stats["storm_pending"],
            "seconds_to_all_resumed": (resumed_at - storm_start) if resumed_at else None,
            "half_resumed_seconds": next((t for t, left in progress if left <= pending / 2), None),
            "entries_during_storm": len(posted),
            "worker_files_before": files_before,
            "worker_files_after": [],
            "checked_events": final["seq"] - first["seq"] + 1,
            "check": check,
            "failures": {
                key: stats[key]
                for key in ("timeouts", "refused", "server_closed", "non200", "errors")
            },
        }
        storm = self.results["storm"]
        # Connections the server still holds for readers that are gone would show here.
        time.sleep(2.0)
        storm["worker_files_after"] = self.server.files()
        log(
            f"  all resumed in {storm['seconds_to_all_resumed']} s; "
            f"{check['complete']:,}/{check['subs']:,} got every entry exactly once "
            f"(missing {check['missing_events']}, duplicates {check['dups']})"
        )

    # -- the whole run ------------------------------------------------------------------

    def run(self) -> dict:
        options = self.options
        log("building or reusing the demo in bench/.data …")
        build_demo_quietly()
        data_dir = private_data_dir()
        try:
            return self._run(data_dir)
        finally:
            if self.publisher:
                self.publisher.stop()
            for generator in self.generators:
                generator.stop()
            stop_server(self.server)
            if not options.keep_data:
                shutil.rmtree(data_dir, ignore_errors=True)

    def _run(self, data_dir: Path) -> dict:
        options = self.options
        blog = live_blog_id(data_dir)
        env = server_env(data_dir)
        port = demo_server._free_port()
        self.server = start_server(options, env, port)
        self.results["server"] = {
            "kind": options.server,
            "workers": options.workers,
            "pids": self.server.workers,
        }
        self.publisher = Publisher(env, blog)
        self.publisher.post()  # warm the publisher (templates, queries)
        count = options.generators or max(2, math.ceil(options.subscribers / PER_GENERATOR))
        per_generator = math.ceil(options.subscribers / count)
        sources_each = max(1, math.ceil(per_generator / PER_SOURCE)) + 1  # one spare for retries
        address = 2
        for index in range(count):
            sources = [f"127.0.0.{address + offset}" for offset in range(sources_each)]
            address += sources_each
            self.generators.append(Generator(index, port, blog, sources, options))
        self.results["generators"] = {"processes": count, "sources_each": sources_each}
        log(
            f"blog {blog}; {count} load generators, {sources_each} source addresses each; "
            f"server workers {self.server.workers}"
        )
        # Warm-up: a few subscribers in every worker and one entry through them, then
        # the memory baseline.
        self.open_to(WARMUP)
        self.post_and_wait(WARMUP)
        time.sleep(1.0)
        stats = self.stats()
        self.baseline_subs = stats["streaming"]
        self.baseline_rss = self.server.rss()
        self.results["baseline"] = {
            "subscribers": self.baseline_subs,
            "rss_mib": self.baseline_rss / 2**20,
        }
        log(
            f"baseline: {self.baseline_subs} subscribers, "
            f"server RSS {self.baseline_rss / 2**20:.0f} MiB"
        )
        try:
            self.ramp()
            if not options.no_storm:
                self.storm()
        except OutOfTime:
            self.results["notes"].append("time limit reached: later phases skipped")
            log("time limit reached; skipping the remaining phases")
        self.results["wall_seconds"] = options.time_limit - self.left()
        return self.results


# ----------------------------------------------------------------------------- report


def fmt_ms(value: float) -> str:
    return "—" if value != value else f"{value:.0f} ms"


def report(results: dict, options) -> str:
    lines = []
    server = results.get("server", {})
    lines.append(
        f"Live stream benchmark — {os.cpu_count()} cores, server `{server.get('kind')}` with "
        f"{server.get('workers')} workers, {results.get('generators', {}).get('processes')} "
        f"load-generator processes, all on 127.0.0.x"
    )
    lines.append("")
    steps = results["steps"]
    held = max((row["streaming"] for row in steps if row["stable"]), default=0)
    reached = max((row["streaming"] for row in steps), default=0)
    best_mem = next((row for row in reversed(steps) if row["streaming"] == reached), None)
    lines.append("| Measure | Result | Target |")
    lines.append("|---|---|---|")
    lines.append(
        f"| Subscribers held stably on one live blog | {held:,}"
        + (f" (reached {reached:,})" if reached > held else "")
        + f" | {options.subscribers:,} |"
    )
    if best_mem:
        lines.append(
            f"| Server memory per idle subscriber | {best_mem['per_sub_kib']:.1f} KiB "
            f"({results['baseline']['rss_mib']:.0f} → {best_mem['rss_mib']:.0f} MiB RSS, "
            f"{server.get('workers')} workers; kernel TCP buffers, both ends: "
            f"{best_mem['kernel_tcp_mib']:.0f} MiB) | ≤ 16 KiB |"
        )
    for row in results["latency"]:
        target = " p50 < 50 ms, p99 < 250 ms" if 9_500 <= row["subscribers"] <= 10_500 else ""
        lines.append(
            f"| Publish → delivery, {row['subscribers']:,} subscribers "
            f"({row['posts']} entries) | p50 {fmt_ms(row['p50'])}, p99 {fmt_ms(row['p99'])}, "
            f"max {fmt_ms(row['max'])}; delivered {row['delivered']:,}/{row['expected']:,} "
            f"|{target or ' (curve)'} |"
        )
    storm = results.get("storm")
    if storm:
        seconds = storm["seconds_to_all_resumed"]
        check = storm["check"]
        lines.append(
            f"| Reconnect storm, {storm['subscribers']:,} at once: time until all resumed | "
            + (f"{seconds:.1f} s" if seconds is not None else f"not all ({storm['resumed']:,})")
            + (
                f" (half in {storm['half_resumed_seconds']:.1f} s)"
                if storm["half_resumed_seconds"]
                else ""
            )
            + " | — |"
        )
        lines.append(
            f"| Storm: entries missed / duplicated ({storm['checked_events']} events checked, "
            f"{storm['entries_during_storm']} posted during the storm) | "
            f"{check['missing_events']} missed, {check['dups']} duplicated; "
            f"{check['complete']:,}/{check['subs']:,} subscribers complete | none |"
        )
    gen_cpu = sum(row["gens"] for row in results["cpu"])
    all_cpu = sum(row["gens"] + row["server"] + row["publisher"] for row in results["cpu"])
    if all_cpu:
        lines.append(
            f"| Load generators' share of the CPU used (whole run) | {gen_cpu / all_cpu:.0%} "
            f"({gen_cpu:.1f} of {all_cpu:.1f} CPU s) | light |"
        )
    lines.append("")
    lines.append("Ramp:")
    lines.append("")
    lines.append(
        "| Step | Streaming | Stable | Opened at | Server RSS | Per subscriber | "
        "Idle server CPU | Open files per worker |"
    )
    lines.append("|---|---|---|---|---|---|---|---|")
    for row in steps:
        lines.append(
            f"| {row['target']:,} | {row['streaming']:,} | {'yes' if row['stable'] else 'no'} | "
            f"{row['open_rate']:,.0f}/s | {row['rss_mib']:.0f} MiB | "
            f"{row['per_sub_kib']:.1f} KiB | {row['idle_server_cpu']:.0%} of a core | "
            f"{', '.join(map(str, row['worker_files']))} |"
        )
    lines.append("")
    lines.append(
        "Latency, publish (just before the commit) → bytes received, every subscriber; CPU per "
        "delivery is the phase's CPU time less the idle rate, per event per subscriber:"
    )
    lines.append("")
    lines.append(
        "| Subscribers | Entries | p50 | p90 | p99 | max | Delivered | Server CPU / delivery "
        "| Generators CPU / delivery | Other processes |"
    )
    lines.append("|---|---|---|---|---|---|---|---|---|---|")
    for row in results["latency"]:
        lines.append(
            f"| {row['subscribers']:,} | {row['posts']} | {fmt_ms(row['p50'])} | "
            f"{fmt_ms(row['p90'])} | {fmt_ms(row['p99'])} | {fmt_ms(row['max'])} | "
            f"{row['delivered']:,}/{row['expected']:,} | "
            f"{row['server_us_per_delivery']:.0f} µs | {row['gens_us_per_delivery']:.0f} µs | "
            f"{row['others_of_machine']:.0%} of the machine |"
        )
    lines.append("")
    lines.append("CPU by phase (CPU seconds; share of the 2 cores over the phase's wall time):")
    lines.append("")
    lines.append(
        "| Phase | Wall | Server | Load generators | Generators' share | Publisher "
        "| Other processes |"
    )
    lines.append("|---|---|---|---|---|---|---|")
    for row in results["cpu"]:
        lines.append(
            f"| {row['phase']} | {row['wall']:.1f} s | {row['server']:.1f} s "
            f"({row['server_of_machine']:.0%}) | {row['gens']:.1f} s "
            f"({row['gens_of_machine']:.0%}) | {row['gen_share']:.0%} | "
            f"{row['publisher']:.2f} s | {row['others_of_machine']:.0%} of the machine |"
        )
    if storm:
        lines.append("")
        lines.append(f"Storm failures (retried as EventSource would): {storm['failures']}")
        lines.append(
            f"Open files per server worker before the storm {storm['worker_files_before']}, "
            f"after it {storm['worker_files_after']}"
        )
    for note in results["notes"]:
        lines.append(f"Note: {note}")
    lines.append(f"Run time: {results.get('wall_seconds', 0):.0f} s")
    lines.append(f"Command: {results.get('command', '')}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=50_000, help="the most to open")
    parser.add_argument("--workers", type=int, default=4, help="server worker processes")
    parser.add_argument(
        "--server",
        choices=("tuned", "serve", "uvicorn"),
        default="serve" if serve_has_backpressure() else "tuned",
    )
    parser.add_argument(
        "--granian-http", choices=("1", "auto"), default="1", help="tuned: Granian's HTTP mode"
    )
    parser.add_argument("--backpressure", type=int, default=0, help="tuned: streams per worker")
    parser.add_argument(
        "--granian-option",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="tuned: another Granian Server argument, for experiments (repeatable)",
    )
    parser.add_argument("--rate", type=float, default=3000, help="new connections per second")
    parser.add_argument("--generators", type=int, default=0, help="load-generator processes")
    parser.add_argument("--posts", type=int, default=3, help="entries per latency measurement")
    parser.add_argument("--storm-posts", type=int, default=3, help="entries during the storm")
    parser.add_argument("--no-storm", action="store_true")
    parser.add_argument(
        "--stamp",
        choices=("kernel", "user"),
        default="kernel",
        help="arrival time of an event: the kernel's receive timestamp of its bytes (default; "
        "on loopback, when the server wrote them) or time.time() once the generator read them "
        "(adds the generators' own scheduling delay)",
    )
    parser.add_argument(
        "--generator-nice",
        type=int,
        default=19,
        help="the load generators' niceness: the server is scheduled first, as it would be "
        "with readers on other machines (0: equal priority)",
    )
    parser.add_argument(
        "--quiet",
        type=float,
        default=0.2,
        help="latency is measured when other processes use at most this share of the machine",
    )
    parser.add_argument(
        "--quiet-wait", type=float, default=20, help="seconds to wait for that before measuring"
    )
    parser.add_argument(
        "--retries", type=int, default=2, help="measure latency again when disturbed (at most)"
    )
    parser.add_argument("--time-limit", type=float, default=540, help="seconds for the run")
    parser.add_argument("--json", type=Path, help="write the raw results here")
    parser.add_argument("--markdown", type=Path, help="write the table here")
    parser.add_argument("--keep-data", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="show the server's output")
    options = parser.parse_args()
    if options.subscribers > options.workers * 19_000:
        parser.error("more subscribers than the workers can hold open files for")
    if options.server == "serve" and not serve_has_backpressure():
        log(
            "note: `newsdesk serve` leaves Granian's backpressure at 1024 // workers open "
            "streams per worker; the ramp will stop there"
        )
    runner = Run(options)
    runner.results["command"] = " ".join([".venv/bin/python", "bench/live.py", *sys.argv[1:]])
    results = runner.run()
    table = report(results, options)
    print(table, flush=True)
    if options.markdown:
        options.markdown.write_text(table + "\n")
    if options.json:
        for row in results["latency"]:
            row.pop("latencies", None)
        options.json.write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
