"""Time (and optionally profile) page renders in-process with Django's test Client.

No server, no network: each request goes through the full middleware stack,
URL routing, the view and the templates, against the database in
NEWSDESK_DATA_DIR, under the production settings (DEBUG off, cached template
loader). This is the server time of one uncached render, without the ASGI
server and the event-loop/thread hand-offs in front of it.

    NEWSDESK_DATA_DIR=/tmp/x .venv/bin/python bench/render.py /world/some-article/ /
    ... bench/render.py --profile /tmp/article.prof --top 30 /world/some-article/

bench/pages.py runs this for you against the demo it builds. Prints one JSON
object per path on stdout (--json) or a short table.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

HOST = "127.0.0.1"


def _setup():
    if "NEWSDESK_DATA_DIR" not in os.environ:
        sys.exit("render.py: set NEWSDESK_DATA_DIR to a data folder holding the demo database")
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsdesk.settings.base"
    os.environ["DEBUG"] = "0"
    import django

    django.setup()
    from django.conf import settings

    assert not settings.DEBUG, "benchmarks run with DEBUG off"


def _percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def time_path(client, path, renders, warmup, after_change=False):
    """Time renders of a path: repeat views, or (after_change) each the first after a publish.

    Between "after a publish" renders the content token is replaced, as a
    publish anywhere would, so every one re-renders the article body or home
    listings and reloads what is kept per token (newsdesk/news/freshness.py).
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from newsdesk.news.freshness import content_changed

    def prepare():
        if after_change:
            content_changed()

    for _ in range(warmup):  # renditions, template compilation, caches
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"render.py: {path} answered {response.status_code}")
    prepare()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    # Read now: the next request's request_started signal empties the log.
    query_sql = [query["sql"] for query in queries.captured_queries]
    timings, cpu = [], []
    for _ in range(renders):
        prepare()
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return {
        "path": path,
        "after_change": after_change,
        "status": response.status_code,
        "bytes": len(response.content),
        "queries": len(query_sql),
        "query_sql": query_sql,
        "renders": renders,
        "median_ms": statistics.median(timings),
        "p95_ms": _percentile(timings, 0.95),
        "min_ms": min(timings),
        "mean_ms": statistics.fmean(timings),
        # CPU time: what the render costs, whatever else the machine is doing.
        "cpu_median_ms": statistics.median(cpu),
    }


# Where a function's own time goes, by the code it lives in. First match wins.
BUCKETS = [
    ("sqlite (C: execute/fetch)", ("sqlite3.Cursor", "sqlite3.Connection", "_sqlite3")),
    ("django.db (ORM: query building, model init)", ("django/db/",)),
    ("django.template (template rendering)", ("django/template/", "django/templatetags/")),
    ("django.utils (html escape, translation, dates)", ("django/utils/",)),
    ("django.middleware / contrib (middleware)", ("django/middleware/", "django/contrib/")),
    (
        "django.core / http / urls (handler, routing)",
        ("django/core/", "django/http/", "django/urls/"),
    ),
    ("django.test (test Client overhead)", ("django/test/",)),
    ("wagtail.images (renditions, srcset)", ("wagtail/images/",)),
    (
        "wagtail.blocks / fields (StreamField)",
        ("wagtail/blocks/", "wagtail/fields", "wagtail/rich_text"),
    ),
    ("wagtail (other: models, sites, serve)", ("wagtail/",)),
    ("modelcluster / taggit / treebeard", ("modelcluster/", "taggit/", "treebeard/")),
    ("newsdesk (project code)", ("newsdesk/",)),
    ("python stdlib", ("/lib/python3",)),
]


# Inclusive ("cumulative") time of the steps of a page request, found by the
# file and function that implement them. They nest, so they do not add up.
PHASES = [
    ("whole request, middleware included", "django/core/handlers/base.py", ("get_response",)),
    ("view + template (inside the middleware)", "django/core/handlers/base.py", ("_get_response",)),
    ("page lookup: newsdesk routing.find_route", "newsdesk/news/routing.py", ("find_route",)),
    ("page lookup: Wagtail tree walk (Page.route)", "wagtail/models/pages.py", ("route",)),
    (
        "  Site.find_for_request (site by hostname)",
        "wagtail/models/sites.py",
        ("_find_for_request",),
    ),
    (
        "privacy check: Page.get_view_restrictions",
        "wagtail/models/pages.py",
        ("get_view_restrictions",),
    ),
    ("page.get_context (view data)", "newsdesk/news/models.py", ("get_context",)),
    ("template rendering (TemplateResponse)", "django/template/response.py", ("rendered_content",)),
    (
        "  StreamField blocks ({% include_block %})",
        "wagtail/templatetags/wagtailcore_tags.py",
        ("render",),
    ),
    (
        "  images ({% image %}/{% srcset_image %})",
        "wagtail/images/templatetags/wagtailimages_tags.py",
        ("render",),
    ),
    (
        "    rendition lookup (Image.get_renditions)",
        "wagtail/images/models.py",
        ("get_renditions",),
    ),
    ("    image filter parsing (Filter.operations)", "wagtail/images/models.py", ("operations",)),
    (
        "  rich text (|richtext, expand_db_html)",
        "wagtail/rich_text/__init__.py",
        ("expand_db_html",),
    ),
    ("  rich text sanitising (nh3, at render)", "newsdesk/lib/html.py", ("clean_rich_text",)),
    ("  page URLs ({% pageurl %}, Page.get_url)", "wagtail/models/pages.py", ("get_url_parts",)),
    ("  context processors", "django/template/context.py", ("bind_template",)),
    (
        "SQL: all queries (build + run + fetch)",
        "django/db/models/sql/compiler.py",
        ("execute_sql",),
    ),
    ("  SQL compilation (ORM -> SQL text)", "django/db/models/sql/compiler.py", ("as_sql",)),
    ("  SQLite itself (C execute)", "~", ("SQLiteCursorWrapper.execute", "'execute' of 'sqlite3")),
    ("model instances from rows (Model.from_db)", "django/db/models/base.py", ("from_db",)),
]


def phase_times(stats):
    """Inclusive seconds per PHASES entry (outermost matching function)."""
    found = {}
    for label, file_part, names in PHASES:
        best = 0.0
        for (filename, _line, funcname), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():
            where = filename if file_part != "~" else funcname
            if (file_part in where or file_part == "~") and any(
                (funcname == name) if file_part != "~" else (name in funcname) for name in names
            ):
                best = max(best, ct)  # same-named methods nest (e.g. as_sql): outermost
        found[label] = best
    return found


def _bucket(filename):
    for name, needles in BUCKETS:
        if any(needle in filename for needle in needles):
            return name
    return "other / builtins"


def pyinstrument_path(client, path, renders, out):
    """A sampling profile (low overhead): the call tree with time shares."""
    from pyinstrument import Profiler

    for _ in range(5):
        client.get(path)
    profiler = Profiler(interval=0.0002)
    started = time.perf_counter()
    profiler.start()
    for _ in range(renders):
        client.get(path)
    profiler.stop()
    wall = time.perf_counter() - started
    if out:
        Path(out).write_text(profiler.output_html())
    header = f"\nSampled {renders} renders of {path}: {wall * 1000 / renders:.2f} ms per render\n"
    root = profiler.last_session.root_frame()
    totals = dict.fromkeys((label for label, _f, _n in PHASES), 0.0)

    def matches(frame, file_part, names):
        if file_part == "~":
            return any(name in (frame.function or "") for name in names)
        return file_part in (frame.file_path or "") and frame.function in names

    def walk(frame, open_phases):
        inside = set(open_phases)
        for label, file_part, names in PHASES:
            if label not in inside and matches(frame, file_part, names):
                totals[label] += frame.time  # outermost match only
                inside.add(label)
        for child in frame.children:
            walk(child, inside)

    walk(root, set())
    request = totals[PHASES[0][0]] or root.time
    lines = ["Where a request's time goes (inclusive; nested, so it does not add up):"]
    lines += [
        f"  {seconds / request * 100:5.1f}%  {seconds * 1000 / renders:7.3f} ms  {label}"
        for label, seconds in totals.items()
        if seconds
    ]
    tree = profiler.output_text(unicode=False, color=False, show_all=False)
    return header + "\n".join(lines) + "\n" + tree


def profile_path(client, path, renders, out, top):
    for _ in range(5):
        client.get(path)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(renders):
        client.get(path)
    profiler.disable()
    wall = time.perf_counter() - started
    if out:
        profiler.dump_stats(out)
    stats = pstats.Stats(profiler)
    total = stats.total_tt
    own = defaultdict(float)
    for (filename, _line, funcname), (_cc, _nc, tt, _ct, _callers) in stats.stats.items():
        key = filename if filename != "~" else funcname
        own[_bucket(key)] += tt
    report = io.StringIO()
    print(
        f"\nProfile of {renders} renders of {path}: {wall * 1000 / renders:.2f} ms per render "
        f"under cProfile (profiling overhead inflates this ~2x)",
        file=report,
    )
    whole = phase_times(stats)
    request = whole[PHASES[0][0]] or total
    print("\nWhere a request's time goes (inclusive; nested, so it does not add up):", file=report)
    for label, seconds in whole.items():
        if seconds:
            print(
                f"  {seconds / request * 100:5.1f}%  {seconds * 1000 / renders:7.3f} ms  {label}",
                file=report,
            )
    print("\nOwn time by code area:", file=report)
    for name, seconds in sorted(own.items(), key=lambda item: -item[1]):
        print(
            f"  {seconds / total * 100:5.1f}%  {seconds * 1000 / renders:7.3f} ms  {name}",
            file=report,
        )
    for sort in ("cumulative", "tottime"):
        print(f"\nTop {top} by {sort}:", file=report)
        pstats.Stats(profiler, stream=report).strip_dirs().sort_stats(sort).print_stats(top)
    return report.getvalue()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--renders", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--json", action="store_true", help="one JSON object per path")
    parser.add_argument("--show-queries", action="store_true")
    parser.add_argument(
        "--profile",
        metavar="FILE.prof",
        nargs="?",
        const="",
        default=None,
        help="profile the renders (optionally save: .prof, or .html for pyinstrument)",
    )
    parser.add_argument(
        "--profiler",
        choices=["cprofile", "pyinstrument"],
        default="cprofile",
        help="pyinstrument must be importable (e.g. PYTHONPATH=<pip --target dir>)",
    )
    parser.add_argument("--top", type=int, default=25)
    options = parser.parse_args(argv)
    _setup()
    from django.test import Client

    client = Client(HTTP_HOST=HOST)
    for path in options.paths:
        if options.profile is not None and options.profiler == "pyinstrument":
            print(pyinstrument_path(client, path, options.renders, options.profile or None))
            continue
        if options.profile is not None:
            print(profile_path(client, path, options.renders, options.profile or None, options.top))
            continue
        for after_change in (False, True):
            result = time_path(client, path, options.renders, options.warmup, after_change)
            if options.json:
                print(json.dumps(result), flush=True)
                continue
            print(
                f"{path}{' (first view after a publish)' if after_change else ''}: "
                f"median {result['median_ms']:.2f} ms, p95 {result['p95_ms']:.2f} ms, "
                f"CPU median {result['cpu_median_ms']:.2f} ms, "
                f"{result['queries']} queries, {result['bytes']} bytes"
            )
            if options.show_queries:
                for number, sql in enumerate(result["query_sql"], start=1):
                    print(f"  {number:2}. {sql[:300]}")


if __name__ == "__main__":
    main()
