"""Posting and reading comments under load, on SQLite and PostgreSQL (`make bench-discussion`).

What it does for each engine, all on 127.0.0.1 and bounded in time:

1. a fresh database (SQLite: a file in a temporary data folder; PostgreSQL: a
   durable database, commits wait for the disk, on the server the tests use,
   newsdesk/testing_postgres.py; without one it is skipped with the reason)
   and bench/discussion_setup.py: migrations, a minimal site, one confirmed
   reader with a logged-in session per poster, and a discussion seeded with
   10,000 comments (a fifth of them replies) for the reading part;
2. starts `newsdesk serve` with the production settings (DEBUG off, one
   worker per core) and the per-reader and per-address limits raised out of
   the way (they are still checked on every post: their queries run);
3. every poster opens the discussion page once (its CSRF cookie), then, after
   waiting for the machine to be quiet, posts for --duration seconds: 200
   threads, each one reader on its own keep-alive connection and its own
   loopback source address (127.0.0.2, .3, ...: one address per reader, as
   on the internet), posting a new comment as soon as the last one is
   answered (bench/discussion_load.py); every 20th post repeats the one
   before it, a double click that must be refused as a duplicate;
4. reads back what the database holds: rows stored must equal comments
   accepted, exactly (the same ids), and the discussion's comment count the
   published rows: PASS or FAIL, and a non-zero exit on FAIL;
5. reads discussion pages with `wrk -t2 -c64 -d10s --latency`: the first and
   the last page of the 10,000-comment discussion, a discussion of 60 (one
   page as full) and one of 10;
6. prints the figures: accepted per second, p50/p99 of the posts, refusals by
   reason, the CPU per post of the server and (PostgreSQL) of the database's
   backends, and how busy other work kept the machine.

Needs wrk (Debian package: wrk). Usage:
    .venv/bin/python bench/discussion.py                                  # both engines
    .venv/bin/python bench/discussion.py --engine sqlite --duration 10 --posters 50
"""

import argparse
import json
import os
import resource
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import discussion_setup, pages  # noqa: E402
from bench.discussion_load import DISCUSSIONS, TIMEOUT, Answer, Poster, percentile  # noqa: E402
from newsdesk.testing_postgres import create_database, drop_database, find_server  # noqa: E402

SETUP_TIMEOUT = 900  # migrations and 10,000 comments, on a busy machine
NO_LIMIT = "1000000"
DOUBLE_CLICK = 20
FILLER = (
    "The harbour plan promises ferries every ten minutes, but nobody has said who pays.",
    "I live by the old quay and the night buses stopped two years ago.",
    "Good reporting. The map of the new routes would help, as would the timetable.",
    "Last winter the crossing was cancelled for nine days; a bigger boat is overdue.",
)


def log(message: str) -> None:
    pages.log(message)


def comment_text(reader: int, number: int) -> str:
    """A comment of 100 to 350 characters, unique per reader and number."""
    parts = [FILLER[(reader + k) % len(FILLER)] for k in range(1 + (reader + number) % 4)]
    return f"Comment {number} from reader {reader}. " + " ".join(parts)


def source_address(index: int) -> str:
    """127.0.0.2 and up: one loopback address per poster (127.0.0.1 is left to wrk)."""
    number = index + 2
    return f"127.0.{number // 254}.{number % 254 + 1}" if number >= 254 else f"127.0.0.{number}"


class DatabaseCPU:
    """CPU time of the PostgreSQL backends serving one database (none for SQLite)."""

    def __init__(self, server_url: str | None, database_url: str | None):
        self.server_url, self.name = server_url, urlsplit(database_url or "").path.lstrip("/")

    def per(self, seconds: float, count: int) -> float | None:
        """Milliseconds per post or request; None where the database is SQLite."""
        return seconds * 1000 / max(count, 1) if self.server_url else None

    def sample(self) -> dict[int, float]:
        """CPU seconds so far of each backend now serving the database, by process id."""
        if not self.server_url:
            return {}
        import psycopg

        with psycopg.connect(self.server_url, autocommit=True, connect_timeout=5) as connection:
            pids = connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", [self.name]
            ).fetchall()
        cpu = {}
        for (pid,) in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # another machine's server, or the backend just ended
                continue
            cpu[pid] = (int(fields[11]) + int(fields[12])) / pages.CLK_TCK
        return cpu

    @staticmethod
    def used(before: dict[int, float], after: dict[int, float]) -> float:
        """CPU used between two samples by the backends alive at the second (a backend
        that ended meanwhile, e.g. at DATABASE_CONN_MAX_AGE, takes its share with it)."""
        return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


# ----------------------------------------------------------------------- posting


def open_posters(port: int, site: dict, count: int) -> list[Poster]:
    """A poster per reader, each having opened the discussion page once (8 at a time)."""
    posters = [
        Poster(port, site["post_page"], reader, cookies=site, source=source_address(index))
        for index, reader in enumerate(site["readers"][:count])
    ]
    queue = list(posters)
    lock = threading.Lock()
    errors: list[str] = []

    def work():
        while True:
            with lock:
                if not queue:
                    return
                poster = queue.pop()
            try:
                poster.open_discussion()
                poster.close()  # the wait for a quiet machine may outlast keep-alive
            except Exception as error:  # reported below, the run stops
                errors.append(f"reader {poster.reader}: {error}")

    threads = [threading.Thread(target=work, daemon=True) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    if errors or any(not poster.csrf for poster in posters):
        raise RuntimeError("posters could not open the discussion: " + "; ".join(errors[:5]))
    return posters


def post_for(posters: list[Poster], seconds: float) -> tuple[list[Answer], float]:
    """Every poster posts, one comment after another, until `seconds` have passed."""
    answers: list[list[Answer]] = [[] for _ in posters]
    start = threading.Barrier(len(posters) + 1)
    deadline = 0.0

    def work(index: int) -> None:
        poster, mine = posters[index], answers[index]
        start.wait(timeout=60)
        number, text = 0, ""
        while time.monotonic() < deadline:
            number += 1
            # Every DOUBLE_CLICK-th post sends the last comment again: it must be refused.
            if number % DOUBLE_CLICK:
                text = comment_text(poster.reader, number)
            mine.append(poster.post(text))
        poster.close()

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(len(posters))]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    deadline = started + seconds
    start.wait(timeout=60)
    for thread in threads:  # a post sent just before the deadline may take its time-out
        thread.join(timeout=max(0.0, deadline - time.monotonic()) + TIMEOUT + 10)
    elapsed = time.monotonic() - started
    if any(thread.is_alive() for thread in threads):
        log("  some posters were still waiting for an answer: their posts count as unanswered")
    return [answer for mine in answers for answer in list(mine)], elapsed


def posting_figures(answers: list[Answer], elapsed: float) -> dict:
    accepted = [a for a in answers if a.accepted]
    refusals = Counter(f"{a.status} {a.reason}" for a in answers if 400 <= a.status < 500)
    return {
        "posts": len(answers),
        "accepted": len(accepted),
        "accepted_per_s": len(accepted) / elapsed,
        "p50_ms": _ms(percentile([a.seconds for a in answers if a.status], 0.50)),
        "p99_ms": _ms(percentile([a.seconds for a in answers if a.status], 0.99)),
        "accepted_p50_ms": _ms(percentile([a.seconds for a in accepted], 0.50)),
        "accepted_p99_ms": _ms(percentile([a.seconds for a in accepted], 0.99)),
        "refusals": dict(refusals.most_common()),
        "server_errors": Counter(a.status for a in answers if a.status >= 500),
        "unanswered": sum(1 for a in answers if a.status == 0),
        "unanswered_errors": Counter(a.error for a in answers if a.status == 0).most_common(3),
        "other_answers": Counter(
            a.status for a in answers if a.status and not (a.accepted or 400 <= a.status < 600)
        ),
    }


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else seconds * 1000


def count_check(env: dict, page_id: int, answers: list[Answer]) -> dict:
    """Rows stored against comments accepted: the same ids, none missing, none extra."""
    stored = discussion_setup.run(env, "stored", "--page", str(page_id))
    accepted_ids = [a.body["id"] for a in answers if a.accepted]
    stored_ids = [row[0] for row in stored["rows"]]
    published = sum(1 for row in stored["rows"] if row[2] == "published")
    copies = Counter((row[1], row[3]) for row in stored["rows"])
    check = {
        "accepted": len(accepted_ids),
        "stored": len(stored_ids),
        "missing": sorted(set(accepted_ids) - set(stored_ids))[:20],
        "extra": sorted(set(stored_ids) - set(accepted_ids))[:20],
        "duplicated_bodies": sum(1 for n in copies.values() if n > 1),
        "comment_count": stored["comment_count"],
        "published_rows": published,
    }
    check["pass"] = (
        len(accepted_ids) == len(set(accepted_ids))
        and sorted(accepted_ids) == sorted(stored_ids)
        and check["duplicated_bodies"] == 0
        and stored["comment_count"] == published
    )
    return check


# ----------------------------------------------------------------------- reading


def read_pages(server, site: dict, options, database_cpu: DatabaseCPU) -> list[dict]:
    paths = [
        (f"{options.seed:,} comments, first page", f"{DISCUSSIONS}/{site['read_page']}/"),
        (
            f"{options.seed:,} comments, last page",
            f"{DISCUSSIONS}/{site['read_page']}/?sort=oldest&page={site['read_last_page']}",
        ),
        ("60 comments (one page)", f"{DISCUSSIONS}/{site['full_page']}/"),
        ("10 comments", f"{DISCUSSIONS}/{site['small_page']}/"),
    ]
    rows = []
    for label, path in paths:
        status, body = pages.get(server.port, path)
        if status != 200 or b"comment__body" not in body:
            raise RuntimeError(f"{path} answered {status} without comments")
        pages.wrk(server.port, path, threads=2, connections=options.connections, duration=2)
        busy_before = pages.wait_until_quiet(options.quiet_wait)
        log(f"  wrk {path} …")
        cpu_before = pages.group_cpu_seconds(server.pgid)
        database_before = database_cpu.sample()
        machine_before = pages.machine_busy_seconds()
        run = pages.wrk(
            server.port,
            path,
            threads=options.threads,
            connections=options.connections,
            duration=options.read_duration,
        )
        server_cpu = pages.group_cpu_seconds(server.pgid) - cpu_before
        database_seconds = database_cpu.used(database_before, database_cpu.sample())
        machine_cpu = pages.machine_busy_seconds() - machine_before
        other = max(0.0, machine_cpu - server_cpu - database_seconds - run["wrk_cpu_s"])
        rows.append(
            {
                "page": label,
                "path": path,
                "bytes": len(body),
                **{k: v for k, v in run.items() if k != "raw"},
                "server_cpu_ms_per_request": server_cpu * 1000 / max(run["requests"], 1),
                "database_cpu_ms_per_request": database_cpu.per(database_seconds, run["requests"]),
                "other_cpu_share": other / (options.read_duration * (os.cpu_count() or 1)),
                "busy_before": busy_before,
            }
        )
    return rows


# ------------------------------------------------------------------------ engines


def bench_engine(engine: str, options, data_dir: Path) -> dict:
    env = pages.bench_env(data_dir)
    server_url = database_url = None
    if engine == "postgresql":
        server_url, reason = find_server()
        if server_url is None:
            log(f"PostgreSQL skipped: {reason}")
            return {"engine": engine, "skipped": reason}
        database_url = create_database(server_url, prefix="newsdesk_bench", durable=True)
        env["DATABASE_URL"] = database_url
    database_cpu = DatabaseCPU(server_url, database_url)
    try:
        log(f"[{engine}] migrating, building the site, {options.posters} readers, "
            f"{options.seed:,} comments …")  # fmt: skip
        started = time.monotonic()
        site = discussion_setup.run(
            env,
            "prepare",
            "--readers",
            str(options.posters),
            "--seed",
            str(options.seed),
            timeout=SETUP_TIMEOUT,
        )
        log(f"[{engine}] ready in {time.monotonic() - started:.0f} s")
        server_env = {
            **env,
            "COMMENTS_PER_MINUTE": NO_LIMIT,
            "COMMENTS_PER_MINUTE_PER_IP": NO_LIMIT,
        }
        log_path = data_dir / f"serve-{engine}.log"
        with pages.Server("serve", server_env, options.workers, None, log_path) as server:
            posters = open_posters(server.port, site, options.posters)
            busy_before = pages.wait_until_quiet(options.quiet_wait)
            log(f"[{engine}] {len(posters)} posters for {options.duration} s …")
            cpu_before = pages.group_cpu_seconds(server.pgid)
            database_before = database_cpu.sample()
            machine_before = pages.machine_busy_seconds()
            self_before = resource.getrusage(resource.RUSAGE_SELF)
            answers, elapsed = post_for(posters, options.duration)
            self_after = resource.getrusage(resource.RUSAGE_SELF)
            server_cpu = pages.group_cpu_seconds(server.pgid) - cpu_before
            database_seconds = database_cpu.used(database_before, database_cpu.sample())
            machine_cpu = pages.machine_busy_seconds() - machine_before
            poster_cpu = (self_after.ru_utime - self_before.ru_utime) + (
                self_after.ru_stime - self_before.ru_stime
            )
            posting = posting_figures(answers, elapsed)
            posting.update(
                seconds=elapsed,
                posters=len(posters),
                busy_before=busy_before,
                server_cpu_ms_per_post=server_cpu * 1000 / max(len(answers), 1),
                database_cpu_ms_per_post=database_cpu.per(database_seconds, len(answers)),
                poster_cpu_ms_per_post=poster_cpu * 1000 / max(len(answers), 1),
                other_cpu_share=max(0.0, machine_cpu - server_cpu - database_seconds - poster_cpu)
                / (elapsed * (os.cpu_count() or 1)),
            )
            check = count_check(env, site["post_page"], answers)
            log(f"[{engine}] count check: {'PASS' if check['pass'] else 'FAIL'}")
            reading = read_pages(server, site, options, database_cpu)
    finally:
        if database_url:
            drop_database(server_url, database_url)
    return {"engine": engine, "posting": posting, "check": check, "reading": reading}


# ------------------------------------------------------------------------ report


def _fmt(value, unit=" ms", digits=0) -> str:
    return "n/a" if value is None else f"{value:,.{digits}f}{unit}"


def print_report(results: list[dict], options) -> None:
    print()
    print(
        f"Posting: {options.posters} posters for {options.duration} s, each a logged-in reader "
        f"on its own connection; `newsdesk serve`, {options.workers} workers, DEBUG off; "
        f"{os.cpu_count()} CPUs shared by server and posters"
    )
    print(
        "| engine | posts | accepted | accepted/s | p50 | p99 | refused | 5xx | no answer "
        "| server CPU/post | database CPU/post | poster CPU/post | other load | count check |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for result in results:
        if "skipped" in result:
            print(f"| {result['engine']} | skipped: {result['skipped']} |")
            continue
        p, c = result["posting"], result["check"]
        print(
            f"| {result['engine']} | {p['posts']:,} | {p['accepted']:,} "
            f"| {p['accepted_per_s']:.1f} | {_fmt(p['p50_ms'])} | {_fmt(p['p99_ms'])} "
            f"| {sum(p['refusals'].values())} | {sum(p['server_errors'].values())} "
            f"| {p['unanswered']} | {_fmt(p['server_cpu_ms_per_post'], digits=1)} "
            f"| {_fmt(p['database_cpu_ms_per_post'], digits=1)} "
            f"| {_fmt(p['poster_cpu_ms_per_post'], digits=2)} | {p['other_cpu_share']:.0%} "
            f"| {'PASS' if c['pass'] else 'FAIL'}: {c['stored']:,} stored = "
            f"{c['accepted']:,} accepted, comment_count {c['comment_count']:,} |"
        )
    for result in results:
        if "skipped" in result:
            continue
        p, c = result["posting"], result["check"]
        reasons = "; ".join(f"{n} x {r}" for r, n in p["refusals"].items()) or "none"
        print(f"{result['engine']}: refusals by reason: {reasons}")
        if p["server_errors"] or p["unanswered"] or p["other_answers"]:
            print(
                f"{result['engine']}: server errors {dict(p['server_errors'])}, unanswered "
                f"{p['unanswered']} {p['unanswered_errors']}, other {dict(p['other_answers'])}"
            )
        if not c["pass"]:
            print(
                f"{result['engine']}: COUNT CHECK FAILED: missing ids {c['missing']}, "
                f"extra ids {c['extra']}, duplicated bodies {c['duplicated_bodies']}, "
                f"published rows {c['published_rows']}"
            )
    print()
    print(
        f"Reading: wrk -t{options.threads} -c{options.connections} -d{options.read_duration}s "
        "--latency, anonymous readers"
    )
    print("| engine | page | requests/s | p50 | p99 | non-2xx | socket errors | server CPU/req "
          "| database CPU/req | other load |")  # fmt: skip
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for result in results:
        for row in result.get("reading", []):
            print(
                f"| {result['engine']} | {row['page']} | {row['rps']:.0f} "
                f"| {_fmt(row['p50_ms'], digits=1)} | {_fmt(row['p99_ms'], digits=1)} "
                f"| {row['non_2xx']} | {row['socket_errors']} "
                f"| {_fmt(row['server_cpu_ms_per_request'], digits=1)} "
                f"| {_fmt(row['database_cpu_ms_per_request'], digits=1)} "
                f"| {row['other_cpu_share']:.0%} |"
            )
    print(
        "server CPU: CPU time of all server processes per post or request; database CPU: of "
        "the PostgreSQL backends serving the benchmark's database (SQLite runs inside the "
        "server); other load: the machine's CPU used meanwhile by none of these nor the "
        "load generator."
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description="Benchmark posting and reading comments.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("Needs wrk", 1)[1],
    )
    parser.add_argument(
        "--engine", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"]
    )
    parser.add_argument("--posters", type=int, default=200, help="concurrent posting readers")
    parser.add_argument("--duration", type=int, default=60, help="seconds of posting per engine")
    parser.add_argument("--seed", type=int, default=10_000, help="comments on the read page")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections")
    parser.add_argument("--read-duration", type=int, default=10, help="seconds of wrk per page")
    parser.add_argument(
        "--quiet-wait",
        type=int,
        default=120,
        help="before each run, wait up to this many seconds for other work to leave the CPUs",
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--keep", action="store_true", help="keep the data folders (server logs, SQLite file)"
    )
    parser.add_argument(
        "--deadline", type=int, help="give up after this many seconds (default: from the plan)"
    )
    options = parser.parse_args(argv)
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (Debian package: wrk)")
    if options.posters > 250 * 254:
        sys.exit("at most 63,500 posters (one loopback address each)")

    def give_up(signum, _frame):
        raise SystemExit(f"stopped by {signal.Signals(signum).name}")

    signal.signal(signal.SIGTERM, give_up)
    signal.signal(signal.SIGALRM, give_up)
    per_engine = (
        SETUP_TIMEOUT // 3
        + options.duration
        + 4 * options.quiet_wait
        + 3 * (options.read_duration + 5)
        + 180
    )
    signal.alarm(options.deadline or len(options.engine) * per_engine)

    results: list[dict] = []
    try:
        for engine in options.engine:
            data_dir = Path(tempfile.mkdtemp(prefix=f"newsdesk-bench-discussion-{engine}-"))
            try:
                results.append(bench_engine(engine, options, data_dir))
            finally:
                if options.keep:
                    log(f"Kept {data_dir}")
                else:
                    shutil.rmtree(data_dir, ignore_errors=True)
    finally:
        signal.alarm(0)
        if results:
            print_report(results, options)
        if options.json:
            options.json.write_text(json.dumps(results, indent=2, default=str))
    failed = [r["engine"] for r in results if "check" in r and not r["check"]["pass"]]
    if failed:
        print(f"FAIL: rows stored differ from comments accepted on {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
