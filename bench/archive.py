"""The site with an archive of 100,000 articles, on SQLite and PostgreSQL (`make bench-archive`).

What it does for each engine, all on 127.0.0.1 and bounded in time:

1. the demo newsroom (`newsdesk demo --no-serve`) plus `newsdesk build_archive
   --articles N`, timed. SQLite: built once into bench/.data/archive/sqlite-N
   and reused by later runs with the figures of its build (delete the folder
   to build again). PostgreSQL: a fresh database on the server the tests use
   (newsdesk/testing_postgres.py: NEWSDESK_TEST_POSTGRES_URL, else the local
   role), dropped at the end; without a server it is skipped with the reason;
2. starts `newsdesk serve` with the production settings (DEBUG off, one
   worker per core) and the API rate limit raised out of the way (API_RATE),
   so that the server is measured, not the throttle;
3. search: every query of QUERIES through the reader search page
   (/en/search/?q=…), sequential requests on one keep-alive connection, each
   query --search-rounds times; p50/p95 over all of them and the median per
   query, plus the search backend's own time for the query (the count and the
   first page of results, in one process outside the server);
4. the Google News sitemap, a section's RSS feed and a section sitemap: the
   first request after `newsdesk content_changed` (cold: what every worker
   keeps per content token is stale) and then --warm repeats on the same
   connection (warm);
5. the content API's list (/api/v1/articles?limit=20), filtered by section,
   and a page deep in the archive (a cursor halfway down), each under
   `wrk -t2 -c16 -d10s` after a short warm-up: requests/s, p50/p95/p99,
   non-2xx;
6. for every measurement, how much CPU other work on the machine took
   meanwhile (neither the server, nor the database's backends, nor the load
   generator), as bench/pages.py does: other helpers may be running tests.

Needs wrk (Debian package: wrk). Usage:
    .venv/bin/python bench/archive.py                          # both engines, 100,000 articles
    .venv/bin/python bench/archive.py --engine sqlite --articles 20000 --markdown out.md
"""

import argparse
import base64
import http.client
import json
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import pages  # noqa: E402
from bench.discussion import DatabaseCPU  # noqa: E402
from bench.discussion_load import percentile  # noqa: E402
from newsdesk.testing_postgres import create_database, drop_database, find_server  # noqa: E402

CACHE = ROOT / "bench" / ".data" / "archive"
NEWSDESK = str(pages.BIN / "newsdesk")
NO_LIMIT = "1000000/m"
BUILD_TIMEOUT = 2400  # demo plus 100,000 articles on a busy machine
SLOW_QUERY = 20.0  # seconds: a query this slow is not asked again
# The reader pages measured are the English edition's (the archive is English);
# a bare "/search/" would only answer with a redirect there.
EDITION = "/en"

# (label, query string): words, phrases, names, a rare and a common word, a
# section filter and newest-first ordering. The words come from the archive's
# vocabulary (newsdesk/demo/archive_text.py) and the demo's authors.
QUERIES = [
    ("topic word", {"q": "floods"}),
    ("topic word", {"q": "inflation"}),
    ("topic word", {"q": "election"}),
    ("two words", {"q": "central bank"}),
    ("two words", {"q": "rail strike"}),
    ("two words", {"q": "water rationing"}),
    ("two words", {"q": "power grid"}),
    ("place", {"q": "Geneva"}),
    ("place", {"q": "Quarrowby"}),
    ("place and topic", {"q": "Tarsania coalition"}),
    ("author's name", {"q": "Maria Kovacs"}),
    ("quoted person", {"q": "Oskar Storvik"}),
    ("rare word", {"q": "astrolabe"}),
    ("rare word", {"q": "samovar"}),
    ("common word", {"q": "said"}),
    ("common word, section", {"q": "said", "section": "world"}),
    ("topic word, section", {"q": "floods", "section": "world"}),
    ("topic word, newest", {"q": "election", "order": "newest"}),
    ("author's name, newest", {"q": "Maria Kovacs", "order": "newest"}),
    ("two words, section, newest", {"q": "fishing quotas", "section": "world", "order": "newest"}),
    ("no match", {"q": "zyxwvut"}),
]

# Run in a `newsdesk shell` on the benchmark's database: what the run needs
# to know of the archive, and the search backend's own time per query.
FACTS = """
import json, time
from datetime import timedelta
from django.utils import timezone
from newsdesk.demo.archive import archive_serials
from newsdesk.news.models import ArticlePage, HomePage, SectionPage
from newsdesk.search import ranking
from newsdesk.search.snippets import query_terms
# Every edition's articles: what the content API lists.
articles = ArticlePage.objects.live()
order = articles.order_by("-last_published_at", "-id")
middle = order[articles.count() // 2]
# The English edition's: what its search page, feeds and sitemaps (/en/...) read.
home = HomePage.objects.get(locale__language_code="en")
edition_sections = SectionPage.objects.live().child_of(home)
sections = {s.slug: articles.child_of(s).count() for s in edition_sections}
facts = {
    "articles": articles.count(),
    "archive": len(archive_serials()),
    "news_window": articles.filter(
        first_published_at__gte=timezone.now() - timedelta(hours=48)).count(),
    "sections": sections,
    "deep": [middle.last_published_at.isoformat(), middle.pk],
    "backend": [],
}
# A query is stopped after CAP seconds (SQLite: a progress handler that
# interrupts it; PostgreSQL: statement_timeout), so that a pathological one
# cannot take the run's time; the search page is then not asked it either.
from django.db import DatabaseError, connection
stop_at = [float("inf")]
connection.ensure_connection()
if connection.vendor == "sqlite":
    connection.connection.set_progress_handler(
        lambda: int(time.monotonic() > stop_at[0]), 10000)
else:
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = %s", [str(int(CAP * 1000))])
deadline = time.monotonic() + BUDGET
for params in json.loads(QUERIES):
    if time.monotonic() > deadline:
        break
    found = articles.descendant_of(home)
    if params.get("section"):
        found = found.child_of(edition_sections.get(slug=params["section"]))
    newest = params.get("order") == "newest"
    if newest:
        found = found.order_by("-first_published_at", "-id")
    started = time.perf_counter()
    stop_at[0] = time.monotonic() + CAP
    try:
        # The same path as the search page (newsdesk/search/views.py).
        if not newest and ranking.ranks_itself():
            ranked = ranking.ranked_ids(found, query_terms(params["q"]))
            count = len(ranked)
            first_page = list(found.in_bulk(ranked[:20]).values())
        else:
            results = found.search(" ".join(query_terms(params["q"])), operator="and",
                                   order_by_relevance=not newest)
            count = results.count()
            first_page = list(results[:20])
    except DatabaseError:
        facts["backend"].append({"q": params, "count": None, "ms": None, "stopped": True})
        continue
    finally:
        stop_at[0] = float("inf")
    facts["backend"].append({"q": params, "count": count,
                             "ms": (time.perf_counter() - started) * 1000})
print("FACTS " + json.dumps(facts))
"""


def log(message: str) -> None:
    pages.log(message)


# ------------------------------------------------------------------------- build


def run_streaming(command: list[str], env: dict, *, timeout: float, label: str) -> list[str]:
    """Run a newsdesk command, showing its progress lines; returns its output lines."""
    started = time.monotonic()
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line.rstrip())
            if "password" not in line:  # the demo logins: not for a benchmark log
                log(f"  {label}: {line.rstrip()}")
            if time.monotonic() - started > timeout:
                raise TimeoutError(f"{' '.join(command[1:3])} took over {timeout:.0f} s")
        if process.wait(timeout=60) != 0:
            raise RuntimeError(f"`{' '.join(command)}` failed ({process.returncode})")
    finally:
        pages._stop_group(process)
    return lines


def build(env: dict, articles: int, batch_size: int) -> dict:
    """The demo and the archive; returns how long each took."""
    started = time.monotonic()
    machine_before, own_before = pages.machine_busy_seconds(), _own_cpu()
    run_streaming([NEWSDESK, "demo", "--no-serve"], env, timeout=900, label="demo")
    demo_seconds = time.monotonic() - started
    started = time.monotonic()
    command = [NEWSDESK, "build_archive", "--articles", str(articles)]
    command += ["--batch-size", str(batch_size)]
    lines = run_streaming(command, env, timeout=BUILD_TIMEOUT, label="archive")
    archive_seconds = time.monotonic() - started
    # Everything busy meanwhile but this process and the commands it ran (on
    # PostgreSQL this includes the database's own work for the build).
    other = pages.machine_busy_seconds() - machine_before - (_own_cpu() - own_before)
    build_seconds = demo_seconds + archive_seconds
    summary = next((line for line in reversed(lines) if line.startswith("Added ")), "")
    match = re.search(r"in ([\d,.]+) s \(([\d,]+) articles/s\)", summary)
    subprocess.run(
        [NEWSDESK, "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    return {
        "articles": articles,
        "batch_size": batch_size,
        "demo_s": demo_seconds,
        # The command's own timing (the writes), and the whole process (start-up included).
        "archive_s": float(match.group(1).replace(",", "")) if match else archive_seconds,
        "archive_process_s": archive_seconds,
        "rate": float(match.group(2).replace(",", "")) if match else None,
        "command": " ".join(["newsdesk", *command[1:]]),
        "other_share": max(0.0, other) / (build_seconds * (os.cpu_count() or 1)),
        "built_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "commit": git_commit(),
    }


def git_commit() -> str:
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return result.stdout.strip()


def sqlite_site(options) -> tuple[Path, dict, dict]:
    """The cached SQLite demo plus archive: (data folder, environment, build figures)."""
    data_dir = CACHE / f"sqlite-{options.articles}"
    env = pages.bench_env(data_dir)
    record = data_dir / "build.json"
    if record.exists() and (data_dir / "newsdesk.sqlite3").exists():
        figures = json.loads(record.read_text())
        log(f"[sqlite] reusing {data_dir} (built {figures['built_at']}; delete it to rebuild)")
        # The code may have moved on since: its new migrations (indexes) apply to the copy.
        subprocess.run(
            [NEWSDESK, "migrate", "--noinput", "--verbosity", "0"], env=env, check=True, timeout=600
        )
        return data_dir, env, {**figures, "cached": True}
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    log(f"[sqlite] building the demo and {options.articles:,} articles in {data_dir} …")
    figures = build(env, options.articles, options.batch_size)
    record.write_text(json.dumps(figures, indent=2))
    return data_dir, env, {**figures, "cached": False}


# ----------------------------------------------------------------------- measure


class Meter:
    """CPU used during a measurement by the server, the database, the client and everyone else."""

    def __init__(self, server, database_cpu: DatabaseCPU):
        self.server, self.database_cpu = server, database_cpu

    def __enter__(self):
        self.started = time.monotonic()
        self.server_before = pages.group_cpu_seconds(self.server.pgid)
        self.database_before = self.database_cpu.sample()
        self.machine_before = pages.machine_busy_seconds()
        self.self_before = _own_cpu()
        return self

    def __exit__(self, *exc_info):
        self.seconds = time.monotonic() - self.started
        self.server_cpu = pages.group_cpu_seconds(self.server.pgid) - self.server_before
        self.database_seconds = self.database_cpu.used(
            self.database_before, self.database_cpu.sample()
        )
        machine = pages.machine_busy_seconds() - self.machine_before
        client = _own_cpu() - self.self_before
        other = max(0.0, machine - self.server_cpu - self.database_seconds - client)
        self.other_share = other / (max(self.seconds, 0.001) * (os.cpu_count() or 1))


def _own_cpu() -> float:
    """CPU of this process and of the children it waited for (wrk, the shell helpers)."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


class Connection:
    """One keep-alive connection: the same server worker answers every request."""

    def __init__(self, port: int, timeout: float):
        self.port, self.timeout = port, timeout
        self.connection = http.client.HTTPConnection(pages.HOST, port, timeout=timeout)

    def get(self, path: str) -> tuple[int, bytes, float]:
        started = time.perf_counter()
        try:
            self.connection.request("GET", path)
            response = self.connection.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException):
            # A time-out or a dropped connection: start afresh for the next request.
            self.close()
            self.connection = http.client.HTTPConnection(
                pages.HOST, self.port, timeout=self.timeout
            )
            return 0, b"", time.perf_counter() - started
        return response.status, body, time.perf_counter() - started

    def close(self):
        self.connection.close()


def found_count(body: bytes) -> int:
    match = re.search(rb"([\d,]+) articles? found", body)
    return int(match.group(1).replace(b",", b"")) if match else 0


def measure_search(server, options, database_cpu, backend: dict) -> dict:
    connection = Connection(server.port, options.request_timeout)
    rows, timings = [], []
    deadline = time.monotonic() + options.search_budget
    busy_before = pages.wait_until_quiet(options.quiet_wait)
    with Meter(server, database_cpu) as meter:
        for label, params in QUERIES:
            path = f"{EDITION}/search/?" + urlencode(params)
            seconds, status, count = [], None, 0
            timed = next((b for b in backend if b["q"] == params), {})
            # Not asked when the backend alone took over SLOW_QUERY: the server would
            # go on with it long after the client gave up, and slow everything after.
            stopped = timed.get("stopped", False)
            for _ in range(0 if stopped else options.search_rounds):
                if time.monotonic() > deadline:
                    break
                status, body, elapsed = connection.get(path)
                seconds.append(elapsed)
                count = found_count(body)
                if status != 200 or elapsed > SLOW_QUERY:
                    break
            timings += seconds
            rows.append(
                {
                    "label": label,
                    "params": params,
                    "path": path,
                    "status": status,
                    "results": count,
                    "requests": len(seconds),
                    "median_ms": statistics.median(seconds) * 1000 if seconds else None,
                    "max_ms": max(seconds) * 1000 if seconds else None,
                    "backend_ms": timed.get("ms"),
                    "backend_count": timed.get("count"),
                    "stopped": stopped,
                }
            )
            log(
                f"  search {path}: {count:,} found, "
                + ", ".join(f"{s * 1000:,.0f}" for s in seconds)
                + " ms"
            )
    connection.close()
    return {
        "queries": rows,
        "requests": len(timings),
        "p50_ms": _ms(percentile(timings, 0.50)),
        "p95_ms": _ms(percentile(timings, 0.95)),
        "max_ms": _ms(max(timings, default=None)),
        "non_200": sum(1 for row in rows if row["requests"] and row["status"] != 200),
        "not_asked": sum(1 for row in rows if row["stopped"]),
        "other_share": meter.other_share,
        "busy_before": busy_before,
        "server_cpu_ms_per_request": meter.server_cpu * 1000 / max(len(timings), 1),
        "database_cpu_ms_per_request": database_cpu.per(meter.database_seconds, len(timings)),
        "out_of_time": time.monotonic() > deadline,
    }


def _ms(seconds):
    return None if seconds is None else seconds * 1000


def measure_listings(server, env, options, database_cpu, section: str) -> list[dict]:
    surfaces = [
        ("Google News sitemap", f"{EDITION}/sitemaps/news.xml"),
        (f"section feed ({section}, RSS)", f"{EDITION}/feeds/section/{section}.rss"),
        (f"section sitemap ({section})", f"{EDITION}/sitemaps/section-{section}.xml"),
    ]
    rows = []
    for label, path in surfaces:
        subprocess.run(
            [NEWSDESK, "content_changed"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )
        busy_before = pages.wait_until_quiet(options.quiet_wait)
        connection = Connection(server.port, options.request_timeout)
        with Meter(server, database_cpu) as meter:
            status, body, cold = connection.get(path)
            warm = [connection.get(path)[2] for _ in range(options.warm)]
        connection.close()
        items = body.count(b"<item>") or body.count(b"<url>")
        log(f"  {path}: {status}, {items:,} entries, cold {cold * 1000:,.0f} ms")
        rows.append(
            {
                "label": label,
                "path": path,
                "status": status,
                "bytes": len(body),
                "entries": items,
                "cold_ms": cold * 1000,
                "warm_median_ms": statistics.median(warm) * 1000,
                "warm_p95_ms": percentile(warm, 0.95) * 1000,
                "other_share": meter.other_share,
                "busy_before": busy_before,
            }
        )
    return rows


WRK_SCRIPT = """
done = function(summary, latency, requests)
  for _, p in ipairs({50, 95, 99}) do
    io.write(string.format("PERCENTILE %d %d\\n", p, latency:percentile(p)))
  end
end
"""


def wrk(port: int, path: str, options, script: Path, duration: int) -> dict:
    # A long time-out: a slow answer is a latency to report, not a socket error.
    command = ["wrk", f"-t{options.threads}", f"-c{options.connections}", f"-d{duration}s"]
    command += ["--timeout", "30s"]
    command += ["-s", str(script), f"http://{pages.HOST}:{port}{path}"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
    out = result.stdout
    if result.returncode != 0 or "Requests/sec" not in out:
        raise RuntimeError(f"wrk failed: {result.stderr or out}")
    percentiles = {
        f"p{p}_ms": int(us) / 1000 for p, us in re.findall(r"PERCENTILE (\d+) (\d+)", out)
    }
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "command": " ".join(command).replace(str(script), "percentiles.lua"),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": sum(map(int, errors.groups())) if errors else 0,
        **percentiles,
    }


def measure_api(server, options, database_cpu, facts: dict, section: str) -> list[dict]:
    moment, pk = facts["deep"]
    cursor = base64.urlsafe_b64encode(f"{moment}|{pk}".encode()).decode().rstrip("=")
    paths = [
        ("newest 20", "/api/v1/articles?limit=20"),
        (f"section {section}", f"/api/v1/articles?limit=20&section={section}"),
        (
            f"deep cursor ({facts['articles'] // 2:,} down)",
            f"/api/v1/articles?limit=20&cursor={cursor}",
        ),
    ]
    rows = []
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script_file:
        script_file.write(WRK_SCRIPT)
    script = Path(script_file.name)
    try:
        for label, path in paths:
            status, body = pages.get(server.port, path)
            if status != 200 or not json.loads(body).get("items"):
                raise RuntimeError(f"{path} answered {status} without items")
            wrk(server.port, path, options, script, duration=options.warmup)
            busy_before = pages.wait_until_quiet(options.quiet_wait)
            log(f"  wrk {path} …")
            with Meter(server, database_cpu) as meter:
                run = wrk(server.port, path, options, script, duration=options.duration)
            rows.append(
                {
                    "label": label,
                    "path": path,
                    **run,
                    "server_cpu_ms_per_request": meter.server_cpu * 1000 / max(run["requests"], 1),
                    "database_cpu_ms_per_request": database_cpu.per(
                        meter.database_seconds, run["requests"]
                    ),
                    "other_share": meter.other_share,
                    "busy_before": busy_before,
                }
            )
    finally:
        script.unlink(missing_ok=True)
    return rows


def archive_facts(env: dict, budget: float) -> dict:
    queries = [params for _label, params in QUERIES]
    settings = f"QUERIES = {json.dumps(json.dumps(queries))}\nBUDGET = {budget}\nCAP = {SLOW_QUERY}"
    code = f"{settings}\n{FACTS}"
    result = subprocess.run(
        [NEWSDESK, "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    line = next((x for x in result.stdout.splitlines() if x.startswith("FACTS ")), None)
    if result.returncode != 0 or line is None:
        raise RuntimeError(f"reading the archive failed:\n{result.stderr[-3000:]}")
    return json.loads(line.removeprefix("FACTS "))


# ------------------------------------------------------------------------ engines


def bench_engine(engine: str, options) -> dict:
    server_url = database_url = None
    temporary = None
    if engine == "sqlite":
        data_dir, env, build_figures = sqlite_site(options)
    else:
        server_url, reason = find_server()
        if server_url is None:
            log(f"PostgreSQL skipped: {reason}")
            return {"engine": engine, "skipped": reason}
        temporary = Path(tempfile.mkdtemp(prefix="newsdesk-bench-archive-"))
        data_dir = temporary
        env = pages.bench_env(data_dir)
        database_url = create_database(server_url, prefix="newsdesk_bench_archive")
        env["DATABASE_URL"] = database_url
    database_cpu = DatabaseCPU(server_url, database_url)
    try:
        if engine == "postgresql":
            log(f"[postgresql] building the demo and {options.articles:,} articles …")
            build_figures = {**build(env, options.articles, options.batch_size), "cached": False}
        log(f"[{engine}] reading the archive and timing the search backend in-process …")
        facts = archive_facts(env, options.search_budget / 2)
        section = max(
            (slug for slug in facts["sections"] if slug != "live"),
            key=lambda slug: facts["sections"][slug],
        )
        server_env = {**env, "API_RATE": NO_LIMIT}
        log_path = data_dir / f"serve-{engine}.log"
        with pages.Server("serve", server_env, options.workers, None, log_path) as server:
            for path in ("/", "/search/?q=warm", f"/feeds/section/{section}.rss"):
                pages.get(server.port, EDITION + path)
            log(f"[{engine}] search: {len(QUERIES)} queries x {options.search_rounds} …")
            search = measure_search(server, options, database_cpu, facts["backend"])
            log(f"[{engine}] sitemaps and feeds, cold and warm …")
            listings = measure_listings(server, env, options, database_cpu, section)
            log(f"[{engine}] the content API under wrk …")
            api = measure_api(server, options, database_cpu, facts, section)
    finally:
        if database_url:
            drop_database(server_url, database_url)
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)
    return {
        "engine": engine,
        "build": build_figures,
        "facts": {k: v for k, v in facts.items() if k != "backend"},
        "search": search,
        "listings": listings,
        "api": api,
    }


# ------------------------------------------------------------------------ report


def _fmt(value, unit=" ms", digits=0) -> str:
    return "n/a" if value is None else f"{value:,.{digits}f}{unit}"


def report(results: list[dict], options) -> str:
    ran = [r for r in results if "skipped" not in r]
    lines = [
        f"Archive benchmark: {options.articles:,} generated articles on the demo newsroom; "
        f"`newsdesk serve`, {options.workers} workers, DEBUG off, API_RATE={NO_LIMIT}; "
        f"{os.cpu_count()} CPUs shared by server, database and client",
        "",
    ]
    for result in results:
        if "skipped" in result:
            lines.append(f"{result['engine']}: skipped: {result['skipped']}")
    lines += [
        "| engine | demo build | archive build | rate | other load | articles live "
        "| in the 48 h news window |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in ran:
        b, f = r["build"], r["facts"]
        cached = f" (cached, built {b['built_at']} at {b['commit']})" if b.get("cached") else ""
        lines.append(
            f"| {r['engine']} | {b['demo_s']:.0f} s | {b['archive_s']:,.0f} s{cached} "
            f"| {_fmt(b['rate'], ' articles/s')} | {b.get('other_share', 0):.0%} "
            f"| {f['articles']:,} | {f['news_window']:,} |"
        )
    lines += ["", f"Reader search, {EDITION}/search/?q=…, sequential on one connection, "
              f"{options.search_rounds} rounds per query:", ""]  # fmt: skip
    lines += [
        "| engine | requests | p50 | p95 | max | queries not asked | non-200 | server CPU/req "
        "| database CPU/req | other load |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in ran:
        s = r["search"]
        lines.append(
            f"| {r['engine']} | {s['requests']} | {_fmt(s['p50_ms'])} | {_fmt(s['p95_ms'])} "
            f"| {_fmt(s['max_ms'])} | {s['not_asked']} | {s['non_200']} "
            f"| {_fmt(s['server_cpu_ms_per_request'])} "
            f"| {_fmt(s['database_cpu_ms_per_request'])} | {s['other_share']:.0%} |"
            + (" out of time: later queries not asked" if s["out_of_time"] else "")
        )
    lines.append(
        f"Queries not asked: the search backend alone took over {SLOW_QUERY:.0f} s for them "
        "(stopped; see the table below), so the page's p50/p95 leave them out."
    )
    header = "| query | kind |" + "".join(
        f" {r['engine']} found | {r['engine']} page median | {r['engine']} backend |" for r in ran
    )
    lines += ["", header, "|---|---|" + "---:|---:|---:|" * len(ran)]
    for index, (label, params) in enumerate(QUERIES):
        cells = ""
        for r in ran:
            row = r["search"]["queries"][index]
            if row["stopped"]:
                cells += f" ? | not asked | stopped at {SLOW_QUERY:.0f} s |"
            else:
                cells += (
                    f" {row['results']:,} | {_fmt(row['median_ms'])} | {_fmt(row['backend_ms'])} |"
                )
        shown = ", ".join(f"{k}={v}" for k, v in params.items())
        lines.append(f"| {shown} | {label} |{cells}")
    lines += [
        "",
        f"Sitemaps and feeds: the first request after `newsdesk content_changed` (cold), "
        f"then {options.warm} more on the same connection (warm):",
        "",
        "| engine | surface | entries | bytes | cold | warm median | warm p95 | other load |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in ran:
        for row in r["listings"]:
            lines.append(
                f"| {r['engine']} | {row['label']} `{row['path']}` | {row['entries']:,} "
                f"| {row['bytes']:,} | {_fmt(row['cold_ms'])} | {_fmt(row['warm_median_ms'])} "
                f"| {_fmt(row['warm_p95_ms'])} | {row['other_share']:.0%} |"
            )
    lines += [
        "",
        f"Content API: wrk -t{options.threads} -c{options.connections} -d{options.duration}s "
        "(percentiles from wrk's own histogram):",
        "",
        "| engine | list | requests/s | p50 | p95 | p99 | non-2xx | socket errors "
        "| server CPU/req | database CPU/req | other load |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in ran:
        for row in r["api"]:
            lines.append(
                f"| {r['engine']} | {row['label']} | {row['rps']:,.0f} "
                f"| {_fmt(row.get('p50_ms'), digits=1)} | {_fmt(row.get('p95_ms'), digits=1)} "
                f"| {_fmt(row.get('p99_ms'), digits=1)} | {row['non_2xx']} "
                f"| {row['socket_errors']} | {_fmt(row['server_cpu_ms_per_request'], digits=1)} "
                f"| {_fmt(row['database_cpu_ms_per_request'], digits=1)} "
                f"| {row['other_share']:.0%} |"
            )
    lines += [
        "",
        "server CPU: all server processes; database CPU: the PostgreSQL backends serving the "
        "benchmark's database (SQLite runs inside the server); other load: the machine's CPU "
        "used meanwhile by none of these nor the client.",
    ]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description="Benchmark the site with a large archive.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("Needs wrk", 1)[1],
    )
    parser.add_argument(
        "--engine", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"]
    )
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=1000, help="build_archive batches")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--search-rounds", type=int, default=3, help="requests per query")
    parser.add_argument(
        "--search-budget", type=int, default=600, help="seconds of search requests per engine"
    )
    parser.add_argument("--request-timeout", type=float, default=120)
    parser.add_argument("--warm", type=int, default=10, help="warm requests per sitemap or feed")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per API list")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of wrk warm-up per list")
    parser.add_argument(
        "--quiet-wait",
        type=int,
        default=60,
        help="before each measurement, wait up to this many seconds for other work to settle",
    )
    parser.add_argument(
        "--build-only", action="store_true", help="build (or find) the cached SQLite site, no more"
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--markdown", type=Path, help="also write the tables here")
    parser.add_argument(
        "--deadline", type=int, help="give up after this many seconds (default: from the plan)"
    )
    options = parser.parse_args(argv)
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (Debian package: wrk)")

    def give_up(signum, _frame):
        raise SystemExit(f"stopped by {signal.Signals(signum).name}")

    signal.signal(signal.SIGTERM, give_up)
    signal.signal(signal.SIGALRM, give_up)
    per_engine = (
        BUILD_TIMEOUT
        + options.search_budget
        + 7 * options.quiet_wait
        + 3 * (options.warmup + options.duration + 60)
        + 3 * (options.warm + 1) * 30
        + 300
    )
    signal.alarm(options.deadline or len(options.engine) * per_engine)

    if options.build_only:
        print(json.dumps(sqlite_site(options)[2], indent=2))
        return 0
    results: list[dict] = []
    try:
        for engine in options.engine:
            results.append(bench_engine(engine, options))
    finally:
        signal.alarm(0)
        if results:
            table = report(results, options)
            print(table, flush=True)
            if options.markdown:
                options.markdown.write_text(table + "\n")
        if options.json:
            options.json.write_text(json.dumps(results, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
