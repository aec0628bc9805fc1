"""PostgreSQL for tests: fresh databases on a real server, and the site served on one.

The server is found through NEWSDESK_TEST_POSTGRES_URL (a URL of a role that
may create databases, e.g. postgres://newsdesk:...@127.0.0.1:5432/postgres),
else at LOCAL_URL, the loopback role that `bash .ci/run postgres` sets up.
Without one the tests that need it skip with a reason naming the Debian
package; under CI=true they fail instead (newsdesk.testing.require).

Fixtures (registered in the root conftest.py):
  postgres_databases  a function making fresh empty databases, each dropped at the end
  postgres_url        the URL of one fresh empty database for the session
  database_env        parametrizes a test over SQLite and PostgreSQL: the environment
                      (DATABASE_URL) for a `newsdesk` process on a fresh database
  postgres_site       the demo newsroom built on its own database and served by
                      `newsdesk serve`: .url, .logins, .env, .database_url
"""

import os
import secrets
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

URL_VARIABLE = "NEWSDESK_TEST_POSTGRES_URL"
LOCAL_URL = "postgres://newsdesk:newsdesk-tests@127.0.0.1:5432/postgres"
MISSING = (
    "needs a PostgreSQL server: Debian package postgresql (`bash .ci/run postgres` "
    f"installs and starts it) or {URL_VARIABLE}"
)
ROOT = Path(__file__).resolve().parent.parent


def _connect(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True, connect_timeout=3)


def find_server() -> tuple[str | None, str]:
    """The URL of a reachable server for tests, or None with the reason why not."""
    url = os.environ.get(URL_VARIABLE) or LOCAL_URL
    try:
        with _connect(url):
            return url, ""
    except Exception as error:  # psycopg's errors, or a malformed URL
        lines = str(error).strip().splitlines() or [type(error).__name__]
        parts = urlsplit(url)
        cause = lines[0].rsplit(": ", 1)[-1].strip()
        return None, f"{MISSING}; {parts.hostname}:{parts.port or 5432}: {cause}"


def with_database(url: str, name: str) -> str:
    """url, pointing at database name."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def create_database(server_url: str, *, prefix: str = "newsdesk_test", durable=False) -> str:
    """Create an empty UTF-8 database with a unique name; returns its URL.

    Unless durable, its commits do not wait for the disk (synchronous_commit
    off, for this database alone): a crash may lose the last moments of a
    throwaway database, and migrating one takes a third of the time. A
    benchmark that reports commit rates asks for durable=True.
    """
    from psycopg import sql

    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"
    with _connect(server_url) as connection:
        connection.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(
                sql.Identifier(name)
            )
        )
        if not durable:
            connection.execute(
                sql.SQL("ALTER DATABASE {} SET synchronous_commit = off").format(
                    sql.Identifier(name)
                )
            )
    return with_database(server_url, name)


def drop_database(server_url: str, database_url: str) -> None:
    """Drop the database, ending any connection a server process left open."""
    from psycopg import sql

    name = urlsplit(database_url).path.lstrip("/")
    with _connect(server_url) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@pytest.fixture(scope="session")
def postgres_server():
    """The URL of the test server's maintenance database (skips or fails without one)."""
    # Imported here: the helpers above also serve scripts that run without Django.
    from newsdesk.testing import require

    url, reason = find_server()
    require(url is not None, reason)
    return url


@pytest.fixture(scope="session")
def postgres_databases(postgres_server):
    """Makes fresh empty databases: postgres_databases() -> URL (durable=True for one
    whose commits wait for the disk, as in production); all dropped at the end."""
    made = []

    def make(*, durable=False) -> str:
        made.append(create_database(postgres_server, durable=durable))
        return made[-1]

    yield make
    for url in made:
        drop_database(postgres_server, url)


@pytest.fixture(scope="session")
def postgres_url(postgres_databases):
    """The URL of a fresh, empty PostgreSQL database of this session."""
    return postgres_databases()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_env(request):
    """Runs a test once per engine (ids as Django's connection.vendor): the environment
    that points a `newsdesk` process at a fresh database of it ({} for SQLite: a file
    in the process's data folder)."""
    if request.param == "sqlite":
        return {}
    return {"DATABASE_URL": request.getfixturevalue("postgres_databases")()}


def _server_helpers():
    # The running-server helpers of the browser tests (e2e/live_server.py),
    # imported under the name those tests use, so there is one copy of them.
    e2e = str(ROOT / "e2e")
    if e2e not in sys.path:
        sys.path.insert(0, e2e)
    import live_server

    return live_server


@pytest.fixture(scope="session")
def postgres_site(postgres_databases, tmp_path_factory):
    """The demo newsroom migrated into its own PostgreSQL database and served by
    `newsdesk serve` (two workers): .url is the base URL, .logins {username: password},
    .env the environment to run more `newsdesk` commands against the same database."""
    live_server = _server_helpers()
    database_url = postgres_databases()
    data_dir = tmp_path_factory.mktemp("postgres-site")
    env = {"DATABASE_URL": database_url}
    logins = live_server.build_demo(data_dir, env=env)
    server = live_server.Server(data_dir, workers=2, env=env)
    server.logins = logins
    server.database_url = database_url
    server.start()
    try:
        yield server
    finally:
        server.stop()


def run_newsdesk(site, *args: str, timeout: float = 120) -> str:
    """Run `newsdesk <args>` on a served site's database and data folder; returns stdout.

    For example run_newsdesk(postgres_site, "shell", "-c", code) to change content
    through the ORM as another process would.
    """
    import subprocess

    live_server = _server_helpers()
    result = subprocess.run(
        [str(live_server.NEWSDESK), *args],
        env=live_server.server_env(site.data_dir, site.env),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"newsdesk {' '.join(args)} failed:\n{result.stderr[-3000:]}", pytrace=False)
    return result.stdout
