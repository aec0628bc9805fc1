"""The same code on PostgreSQL: the demo builds, the site serves it, publishing shows at once.

Against a real PostgreSQL server and `newsdesk serve` (newsdesk/testing_postgres.py);
skipped with the Debian package's name where there is none, failed under CI=true.
"""

import html
import http.cookiejar
import re
import urllib.parse
import urllib.request
from types import SimpleNamespace

import psycopg
import pytest

from newsdesk.demo import content
from newsdesk.testing_postgres import run_newsdesk

pytestmark = pytest.mark.e2e

LEAD = next(spec for spec in content.ARTICLES if spec.get("lead"))
SECTION = content.SECTIONS[0]
# Enough views to reach both server workers, whichever answers which request.
VIEWS = 6
HOME = "/en/"  # the English edition, whose lead story the demo's LEAD is


def get(url: str, opener=None) -> tuple[int, str]:
    with (opener or urllib.request.build_opener()).open(url, timeout=30) as response:
        return response.status, response.read().decode()


def headline(page: str) -> str:
    return html.unescape(re.search(r'<h1 class="article__headline">(.*?)</h1>', page).group(1))


def lead_story_path(home_page: str) -> str:
    top = home_page[home_page.index('class="home__top"') :]
    return re.search(r'href="([^"]+)"', top).group(1)


def test_a_fresh_database_is_empty_and_on_postgres(postgres_url):
    with psycopg.connect(postgres_url) as connection:
        tables = connection.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()[0]
        encoding = connection.execute("SHOW server_encoding").fetchone()[0]
    assert (tables, encoding) == (0, "UTF8")


def test_database_env_points_newsdesk_at_each_engine(database_env, request, tmp_path):
    process = SimpleNamespace(data_dir=tmp_path, env=database_env)
    vendor = run_newsdesk(
        process, "shell", "-v0", "-c", "from django.db import connection; print(connection.vendor)"
    )
    assert vendor.strip() == request.node.callspec.params["database_env"]


def test_the_demo_on_postgres_serves_the_reader_pages(postgres_site):
    status, home_page = get(postgres_site.url + HOME)
    assert status == 200
    status, section_page = get(f"{postgres_site.url}{HOME}{SECTION['slug']}/")
    assert status == 200
    assert f"<h1>{SECTION['title']}</h1>" in section_page

    status, article = get(postgres_site.url + lead_story_path(home_page))
    assert status == 200
    assert headline(article) == LEAD["title"]  # the lead story the SQLite demo shows

    # The newsroom is in PostgreSQL, not in a SQLite file beside it.
    assert not (postgres_site.data_dir / "newsdesk.sqlite3").exists()
    with psycopg.connect(postgres_site.database_url) as connection:
        titles = connection.execute(
            "SELECT count(*) FROM wagtailcore_page WHERE title = %s AND live", [LEAD["title"]]
        ).fetchone()[0]
    assert titles == 1


def test_postgres_has_the_indexes_search_and_the_api_rely_on(postgres_site):
    """Without them search and the API's lists read every row (docs/performance.md)."""
    with psycopg.connect(postgres_site.database_url) as connection:
        indexes = dict(
            connection.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE 'newsdesk_%%'"
            ).fetchall()
        )
        # The demo is small enough to scan; what matters is that the planner can use it.
        connection.execute("SET enable_seqscan = off")
        rows = connection.execute(
            "EXPLAIN SELECT 1 FROM wagtailsearch_indexentry "
            "WHERE (title || body) @@ plainto_tsquery('english', 'syria')"
        ).fetchall()
        plan = "\n".join(row[0] for row in rows)

    assert "gin" in indexes["newsdesk_indexentry_title_body"]
    assert "last_published_at DESC" in indexes["newsdesk_page_last_published"]
    assert "newsdesk_indexentry_title_body" in plan


def test_an_administrator_logs_in_to_the_newsroom_on_postgres(postgres_site):
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    status, form = get(postgres_site.url + "/admin/login/", opener)
    assert status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    fields = {
        "csrfmiddlewaretoken": token,
        "username": "admin",
        "password": postgres_site.logins["admin"],
        "next": "/admin/",
    }
    with opener.open(
        postgres_site.url + "/admin/login/", urllib.parse.urlencode(fields).encode(), timeout=30
    ) as response:
        dashboard = response.read().decode()
    assert response.url == postgres_site.url + "/admin/"  # past the login form
    assert 'name="password"' not in dashboard


def test_a_publish_on_postgres_shows_on_the_next_view_in_every_worker(postgres_site, unique):
    _status, home_page = get(postgres_site.url + HOME)
    path = lead_story_path(home_page)
    # Every worker keeps its own copies of the page under the current content token.
    for _ in range(VIEWS):
        assert headline(get(postgres_site.url + path)[1]) == LEAD["title"]

    changed = f"{LEAD['title']} ({unique})"
    # The home page's card shows the short headline: change both, then put both back.
    publish = (
        "from newsdesk.news.models import ArticlePage\n"
        "page = ArticlePage.objects.get(\n"
        f"    locale__language_code='en', url_path__endswith={path.removeprefix('/en')!r}\n"
        ")\n"
        "page.title, page.short_title = {headlines!r}\n"
        "page.save_revision().publish()\n"
    )
    run_newsdesk(postgres_site, "shell", "-c", publish.format(headlines=(changed, changed)))
    try:
        for _ in range(VIEWS):
            assert headline(get(postgres_site.url + path)[1]) == changed
            assert html.escape(changed) in get(postgres_site.url + HOME)[1]
    finally:
        original = (LEAD["title"], LEAD["short_title"])
        run_newsdesk(postgres_site, "shell", "-c", publish.format(headlines=original))
    for _ in range(VIEWS):
        assert headline(get(postgres_site.url + path)[1]) == LEAD["title"]
        assert html.escape(LEAD["short_title"]) in get(postgres_site.url + HOME)[1]
