"""Throughput and latency of the reader pages under a real ASGI server (`make bench`).

What it does, all on 127.0.0.1 and bounded in time:

1. builds the demo newsroom in a temporary data folder
   (NEWSDESK_DATA_DIR=<tmp> newsdesk demo --no-serve), showing its progress;
2. for each server asked for, starts the site with the production settings
   (DEBUG off) on a free port and one worker per core, waits for /healthz,
   finds the lead article (the first link inside `.home__top` on the English
   home page, /en/), warms up, then runs `wrk -t2 -c64 -d10s --latency` on
   that home page and the lead article, and 200 sequential requests on one
   keep-alive connection; stops the server (also on error or Ctrl+C);
3. times single renders in-process with Django's test Client (bench/render.py:
   median and p95 of 200 renders and the query count, for repeat views and for
   first views after a publish, which re-render everything kept per content
   token);
4. prints a table: page, requests/s, p50, p99, non-2xx, single-request times,
   and the server's CPU time per request (the figure least disturbed by other
   work on the machine).

Servers (--server, several allowed):
  serve         `newsdesk serve --port P --workers N`: what production runs
  granian       Granian, ASGI interface, uvloop
  uvicorn       Uvicorn, uvloop + httptools, no access log
  granian-wsgi  Granian, WSGI interface (bench/wsgi_app.py)
BENCH_ASGI_APP / BENCH_WSGI_APP=module:app (found on PYTHONPATH) try an experimental
application instead, with the directly started servers.
`granian` and `uvicorn` go through `newsdesk serve` when it can choose the
server (a --server option, or NEWSDESK_SERVER=NAME), else (or with --direct)
they are started directly with the same settings.

Needs wrk (Debian package: wrk). Usage:
    .venv/bin/python bench/pages.py                      # granian + uvicorn
    .venv/bin/python bench/pages.py --server granian uvicorn granian-wsgi --json out.json
"""

import argparse
import contextlib
import http.client
import json
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PYTHON = BIN / "python"
HOST = "127.0.0.1"
CLK_TCK = os.sysconf("SC_CLK_TCK")

DEMO_TIMEOUT = 900  # building the demo from scratch (photos, renditions later)
START_TIMEOUT = 90  # collectstatic + worker start-up until /healthz answers
REQUEST_TIMEOUT = 15
# The English edition's home page: "/" only redirects a reader to their edition.
HOME = "/en/"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- env

# Anything that would point the site at another database, mode or worker count.
OVERRIDDEN = {"DEBUG", "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "MEDIA_ROOT", "WEB_CONCURRENCY"}


def bench_env(data_dir: Path) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in OVERRIDDEN}
    env.update(
        NEWSDESK_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="newsdesk.settings.base",
        DEBUG="0",
        PYTHONUNBUFFERED="1",
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
    )
    return env


def build_demo(env: dict) -> None:
    log(f"Building the demo in {env['NEWSDESK_DATA_DIR']} …")
    started = time.monotonic()
    process = subprocess.Popen(
        [str(BIN / "newsdesk"), "demo", "--no-serve"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if "password" in line:  # the demo logins: not for a benchmark log
                continue
            log(f"  demo: {line.rstrip()}")
            if time.monotonic() - started > DEMO_TIMEOUT:
                raise TimeoutError(f"the demo build took over {DEMO_TIMEOUT} s")
        if process.wait(timeout=60) != 0:
            raise RuntimeError(f"`newsdesk demo --no-serve` failed ({process.returncode})")
    finally:
        _stop_group(process)
    log(f"Demo built in {time.monotonic() - started:.0f} s")
    # Direct server runs need the static manifest that `newsdesk serve` makes.
    subprocess.run(
        [str(BIN / "newsdesk"), "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )


# ----------------------------------------------------------------------- servers


def cli_server_selection(env: dict) -> str | None:
    """How `newsdesk serve` is told which server to run: "option" (--server NAME),
    "env" (NEWSDESK_SERVER=NAME), or None when it cannot be."""
    result = subprocess.run(
        [str(BIN / "newsdesk"), "serve", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    if "--server" in result.stdout:
        return "option"
    if "NEWSDESK_SERVER" in (ROOT / "newsdesk" / "cli.py").read_text():
        return "env"
    return None


def server_command(
    name: str, port: int, workers: int, selection: str | None, wsgi_threads: int | None = None
) -> tuple[list[str], dict]:
    """The command line and the extra environment that start server `name`."""
    serve = [str(BIN / "newsdesk"), "serve", "--host", HOST, "--port", str(port)]
    serve += ["--workers", str(workers)]
    asgi_app = os.environ.get("BENCH_ASGI_APP", "newsdesk.asgi:application")
    if name == "serve":
        return serve, {}
    if name in ("granian", "uvicorn") and selection == "option":
        return [*serve, "--server", name], {}
    if name in ("granian", "uvicorn") and selection == "env":
        return serve, {"NEWSDESK_SERVER": name}
    if name == "granian":
        # ASGI without lifespan ("asginl"), as `newsdesk serve` runs it: Django has none.
        command = [str(BIN / "granian"), "--interface", "asginl", "--loop", "uvloop"]
    elif name == "uvicorn":
        command = [str(BIN / "uvicorn"), "--loop", "uvloop", "--http", "httptools"]
        command += ["--lifespan", "off", "--no-access-log"]
    elif name == "granian-wsgi":
        command = [str(BIN / "granian"), "--interface", "wsgi", "--working-dir", str(ROOT)]
        command += ["--blocking-threads", str(wsgi_threads)] if wsgi_threads else []
        asgi_app = os.environ.get("BENCH_WSGI_APP", "bench.wsgi_app:application")
    else:
        raise ValueError(name)
    command += ["--host", HOST, "--port", str(port), "--workers", str(workers)]
    return [*command, "--log-level", "warning", asgi_app], {}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _stop_group(process: subprocess.Popen, grace: float = 15) -> None:
    """Stop a process we started in its own session, and everything it forked."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace)
    # Workers may outlive their parent for a moment: the group goes too.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


def group_cpu_seconds(pgid: int) -> float:
    """User + system CPU of every live process in the server's process group."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            total += int(fields[11]) + int(fields[12])
    return total / CLK_TCK


def machine_busy_seconds() -> float:
    """CPU seconds spent busy (not idle, not waiting on I/O) by the whole machine."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / CLK_TCK


def wait_until_quiet(max_wait: float, threshold: float = 0.15) -> float:
    """Wait (at most max_wait s) until others leave the CPUs mostly idle; return the busy share."""
    deadline = time.monotonic() + max_wait
    while True:
        before = machine_busy_seconds()
        time.sleep(2)
        busy = (machine_busy_seconds() - before) / (2 * (os.cpu_count() or 1))
        if busy < threshold or time.monotonic() >= deadline:
            return busy
        log(f"  the machine is {busy:.0%} busy with other work: waiting for it to settle …")


def group_db_handles(pgid: int, db_name: str = "newsdesk.sqlite3") -> int:
    """Open file handles on the SQLite database across the server's processes."""
    handles = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[2]) != pgid:
                continue
            for fd in (entry / "fd").iterdir():
                with contextlib.suppress(OSError):
                    if os.readlink(fd).endswith(db_name):
                        handles += 1
        except OSError:
            continue
    return handles


class Server:
    def __init__(self, name, env, workers, selection, log_path, wsgi_threads=None):
        self.name = name
        self.port = free_port()
        self.command, extra_env = server_command(name, self.port, workers, selection, wsgi_threads)
        self.env = {**env, **extra_env}
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def __enter__(self):
        extra = {k: v for k, v in self.env.items() if k == "NEWSDESK_SERVER"}
        prefix = "".join(f"{k}={v} " for k, v in extra.items())
        log(f"Starting {self.name}: {prefix}{' '.join(self.command)}")
        self._log = open(self.log_path, "w")  # closed in __exit__
        self.process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited ({self.process.returncode}); see {self.log_path}"
                )
            with contextlib.suppress(OSError, http.client.HTTPException):
                status, _body = get(self.port, "/healthz", timeout=2)
                if status == 200:
                    return self
            time.sleep(0.25)
        raise TimeoutError(
            f"{self.name} did not answer /healthz in {START_TIMEOUT} s; see {self.log_path}"
        )

    def __exit__(self, exc_type, exc, traceback):
        if self.process is not None:
            _stop_group(self.process)
        self._log.close()
        if exc_type is not None and exc_type is not KeyboardInterrupt:
            tail = self.log_path.read_text(errors="replace").splitlines()[-30:]
            log(f"--- last lines of {self.log_path}:\n" + "\n".join(tail))

    @property
    def pgid(self) -> int:
        assert self.process is not None
        return self.process.pid


# ---------------------------------------------------------------------- requests


def get(port: int, path: str, timeout: float = REQUEST_TIMEOUT) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


class _FirstLinkIn(HTMLParser):
    """The href of the first <a> inside the first element with a given class."""

    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }

    def __init__(self, css_class: str):
        super().__init__()
        self.css_class = css_class
        self.depth = 0
        self.inside_at: int | None = None
        self.href: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.href is None:
            if self.inside_at is None and self.css_class in (attrs.get("class") or "").split():
                self.inside_at = self.depth
            elif self.inside_at is not None and tag == "a" and attrs.get("href"):
                self.href = attrs["href"]
        if tag not in self.VOID:
            self.depth += 1

    def handle_startendtag(self, tag, attrs):
        attrs = dict(attrs)
        if self.inside_at is not None and self.href is None and tag == "a" and attrs.get("href"):
            self.href = attrs["href"]

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        self.depth -= 1
        if self.inside_at is not None and self.depth <= self.inside_at and self.href is None:
            self.inside_at = None


def lead_article_path(port: int) -> str:
    status, body = get(port, HOME)
    if status != 200:
        raise RuntimeError(f"the home page answered {status}")
    parser = _FirstLinkIn("home__top")
    parser.feed(body.decode("utf-8", "replace"))
    if not parser.href:
        raise RuntimeError("no link inside .home__top on the home page: is there a top story?")
    return urlsplit(parser.href).path


def sequential(port: int, path: str, count: int) -> dict:
    """`count` requests one after another on one keep-alive connection."""
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    timings, bad = [], 0
    try:
        for _ in range(count):
            started = time.perf_counter()
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            timings.append((time.perf_counter() - started) * 1000)
            bad += not 200 <= response.status < 300
    finally:
        connection.close()
    ordered = sorted(timings)
    return {
        "median_ms": statistics.median(timings),
        "p95_ms": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
        "non_2xx": bad,
    }


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(port: int, path: str, *, threads: int, connections: int, duration: int) -> dict:
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--latency",
        f"http://{HOST}:{port}{path}",
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = result.stdout
    if result.returncode != 0 or "Requests/sec" not in out:
        raise RuntimeError(f"wrk failed: {result.stderr or out}")

    def find(pattern, default=None):
        match = re.search(pattern, out)
        return match.group(1) if match else default

    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    percentiles = {
        f"p{n}_ms": _ms(find(rf"\s{n}%\s+(\S+)", "0us")) or None for n in (50, 75, 90, 99)
    }  # None: no request finished within wrk's 2 s timeout
    return {
        "command": " ".join(command),
        **percentiles,
        "rps": float(find(r"Requests/sec:\s+([\d.]+)")),
        "requests": int(find(r"(\d+) requests in")),
        # wrk counts responses that are neither 2xx nor 3xx; the pages are
        # checked to answer 200 (not a redirect) before the run.
        "non_2xx": int(find(r"Non-2xx or 3xx responses: (\d+)", "0")),
        "socket_errors": sum(map(int, socket_errors.groups())) if socket_errors else 0,
        "wrk_cpu_s": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "raw": out,
    }


# ------------------------------------------------------------------------- runs


def in_process(env: dict, paths: list[str], renders: int) -> list[dict]:
    log(f"Timing {renders} in-process renders of {', '.join(paths)} (Django test Client) …")
    result = subprocess.run(
        [
            str(PYTHON),
            str(ROOT / "bench" / "render.py"),
            "--json",
            "--renders",
            str(renders),
            *paths,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        raise RuntimeError(f"bench/render.py failed:\n{result.stderr}")
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def bench_server(name, env, options, selection, log_dir) -> list[dict]:
    rows = []
    log_path = log_dir / f"{name}.log"
    with Server(name, env, options.workers, selection, log_path, options.wsgi_threads) as server:
        article = lead_article_path(server.port)
        pages = [("home", HOME), ("article", article), *((path, path) for path in options.extra)]
        for _label, path in pages:
            status, _ = get(server.port, path)
            if status != 200:
                raise RuntimeError(f"{path} answered {status} under {name}")
            for _ in range(20):  # renditions, template caches, every worker
                get(server.port, path)
        log(f"  warming up {name} for {options.warmup} s per page …")
        for _label, path in pages:
            wrk(
                server.port,
                path,
                threads=options.threads,
                connections=options.connections,
                duration=options.warmup,
            )
        for label, path in pages:
            busy_before = wait_until_quiet(options.quiet_wait)
            log(f"  wrk {name} {path} …")
            cpu_before = group_cpu_seconds(server.pgid)
            machine_before = machine_busy_seconds()
            run = wrk(
                server.port,
                path,
                threads=options.threads,
                connections=options.connections,
                duration=options.duration,
            )
            server_cpu = group_cpu_seconds(server.pgid) - cpu_before
            machine_cpu = machine_busy_seconds() - machine_before
            # CPU used during the run by neither the server nor wrk (other work).
            other_cpu = max(0.0, machine_cpu - server_cpu - run["wrk_cpu_s"])
            single = sequential(server.port, path, options.sequential)
            rows.append(
                {
                    "server": name,
                    "page": label,
                    "path": path,
                    **{k: v for k, v in run.items() if k != "raw"},
                    "server_cpu_ms_per_request": server_cpu * 1000 / max(run["requests"], 1),
                    "wrk_cpu_ms_per_request": run["wrk_cpu_s"] * 1000 / max(run["requests"], 1),
                    "other_cpu_share": other_cpu / (options.duration * (os.cpu_count() or 1)),
                    "busy_before": busy_before,
                    "single_median_ms": single["median_ms"],
                    "single_p95_ms": single["p95_ms"],
                    "single_non_2xx": single["non_2xx"],
                    "db_handles_after": group_db_handles(server.pgid),
                }
            )
            if options.verbose:
                log(run["raw"])
    return rows


def summarise(rows: list[dict]) -> list[dict]:
    """One row per server and page: medians over the rounds, error counts summed."""
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault((row["server"], row["page"]), []).append(row)
    summary = []
    for (server, page), runs in groups.items():
        merged = {"server": server, "page": page, "path": runs[0]["path"], "rounds": len(runs)}
        for key in (
            "rps", "p50_ms", "p99_ms", "single_median_ms", "single_p95_ms",
            "server_cpu_ms_per_request", "wrk_cpu_ms_per_request", "other_cpu_share",
        ):  # fmt: skip
            values = [run[key] for run in runs if run[key] is not None]
            merged[key] = statistics.median(values) if values else None
        for key in ("non_2xx", "single_non_2xx", "socket_errors"):
            merged[key] = sum(run[key] for run in runs)
        merged["rps_all_rounds"] = [round(run["rps"]) for run in runs]
        summary.append(merged)
    return summary


def _fmt_ms(value) -> str:
    return "n/a" if value is None else f"{value:.1f} ms"


def print_table(rows: list[dict], renders: list[dict], options) -> None:
    print()
    print(
        f"wrk -t{options.threads} -c{options.connections} -d{options.duration}s --latency; "
        f"{options.workers} workers; {os.cpu_count()} CPUs shared by server and wrk"
        + (f"; median of {options.repeat} interleaved rounds" if options.repeat > 1 else "")
    )
    print(
        "| server | page | requests/s | p50 | p99 | non-2xx | socket errors "
        "| 1 conn median | 1 conn p95 | server CPU/req | wrk CPU/req | other load |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(
            f"| {row['server']} | {row['page']} | {row['rps']:.0f} | {_fmt_ms(row['p50_ms'])} "
            f"| {_fmt_ms(row['p99_ms'])} | {row['non_2xx'] + row['single_non_2xx']} "
            f"| {row['socket_errors']} "
            f"| {row['single_median_ms']:.2f} ms | {row['single_p95_ms']:.2f} ms "
            f"| {row['server_cpu_ms_per_request']:.2f} ms "
            f"| {row['wrk_cpu_ms_per_request']:.2f} ms | {row['other_cpu_share']:.0%} |"
            + (f" rounds: {row['rps_all_rounds']}" if row["rounds"] > 1 else "")
        )
    print(
        "server CPU/req: CPU time of all server processes per request served under wrk;"
        " other load: CPU share used meanwhile by neither the server nor wrk (noise)."
    )
    if renders:
        print()
        print(
            "In-process render (Django test Client, no server), "
            f"{renders[0]['renders']} renders each:"
        )
        print("| page | view | median | p95 | CPU median | queries | bytes |")
        print("|---|---|---:|---:|---:|---:|---:|")
        for result in renders:
            view = "first after a publish" if result.get("after_change") else "repeat"
            print(
                f"| {result['path']} | {view} | {result['median_ms']:.2f} ms "
                f"| {result['p95_ms']:.2f} ms "
                f"| {result['cpu_median_ms']:.2f} ms | {result['queries']} | {result['bytes']} |"
            )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description="Benchmark the reader pages.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("Servers", 1)[1].split("Needs wrk", 1)[0].join(["Servers", ""]),
    )
    parser.add_argument(
        "--server",
        nargs="+",
        default=["granian", "uvicorn"],
        choices=["serve", "granian", "uvicorn", "granian-wsgi"],
    )
    parser.add_argument(
        "--extra",
        action="append",
        default=[],
        metavar="PATH",
        help="also load this path (e.g. /healthz for the server's floor); repeatable",
    )
    parser.add_argument("--wsgi-threads", type=int, help="granian-wsgi: Python threads per worker")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run every server this many times, interleaved; the table shows medians",
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per page")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of wrk warm-up per page")
    parser.add_argument(
        "--sequential", type=int, default=200, help="sequential requests on one connection per page"
    )
    parser.add_argument("--renders", type=int, default=200, help="in-process renders per page")
    parser.add_argument(
        "--data-dir", type=Path, help="use (and keep) this data folder instead of a temporary one"
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--deadline", type=int, help="give up after this many seconds (default: from the plan)"
    )
    parser.add_argument(
        "--quiet-wait",
        type=int,
        default=120,
        help="before each run, wait up to this many seconds for other work to leave the CPUs",
    )
    parser.add_argument(
        "--direct",
        action="store_true",
        help="start granian/uvicorn directly even when `newsdesk serve` can choose them"
        " (needed for BENCH_ASGI_APP)",
    )
    parser.add_argument("--verbose", action="store_true", help="show wrk's own output")
    options = parser.parse_args(argv)

    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (Debian package: wrk)")

    def give_up(signum, _frame):
        raise SystemExit(f"stopped by {signal.Signals(signum).name}")

    signal.signal(signal.SIGTERM, give_up)
    signal.signal(signal.SIGALRM, give_up)
    pages = 2 + len(options.extra)
    per_server = 90 + pages * (options.warmup + options.duration + options.quiet_wait + 60)
    signal.alarm(
        options.deadline or DEMO_TIMEOUT + options.repeat * len(options.server) * per_server
    )

    data_dir = options.data_dir or Path(tempfile.mkdtemp(prefix="newsdesk-bench-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    data_dir = data_dir.resolve()
    log_dir = data_dir / "bench-logs"
    log_dir.mkdir(exist_ok=True)
    env = bench_env(data_dir)
    rows: list[dict] = []
    renders: list[dict] = []
    try:
        build_demo(env)
        selection = None if options.direct else cli_server_selection(env)
        if selection is None and {"granian", "uvicorn"} & set(options.server):
            log("Starting granian/uvicorn directly, not through `newsdesk serve`")
        for round_number in range(1, options.repeat + 1):
            for name in options.server:  # interleaved, so that noise hits every server alike
                if options.repeat > 1:
                    log(f"Round {round_number}/{options.repeat}: {name}")
                for row in bench_server(name, env, options, selection, log_dir):
                    rows.append({**row, "round": round_number})
        article = next((row["path"] for row in rows if row["page"] == "article"), None)
        if article:
            renders = in_process(env, [HOME, article], options.renders)
    finally:
        signal.alarm(0)
        if rows:
            print_table(summarise(rows), renders, options)
        if options.json:
            options.json.write_text(
                json.dumps(
                    {
                        "nproc": os.cpu_count(),
                        "summary": summarise(rows),
                        "workers": options.workers,
                        "rows": rows,
                        "in_process": [
                            {k: v for k, v in r.items() if k != "query_sql"} for r in renders
                        ],
                    },
                    indent=2,
                )
            )
        if options.data_dir is None:
            shutil.rmtree(data_dir, ignore_errors=True)
        else:
            log(f"Kept the data folder {data_dir} (server logs in {log_dir})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
