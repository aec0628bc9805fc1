"""The site as production runs it, for the browser tests of live coverage.

Django's test live_server speaks WSGI, and the live streams (/live/<id>/events)
are served as ASGI beside Django (newsdesk/asgi.py). So these tests build the
demo newsroom with `newsdesk demo --no-serve` into a data directory of their
own, once per session, and run `newsdesk serve` (Granian, two worker
processes) on it: the same commands and the same server a newcomer uses.
"""

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NEWSDESK = ROOT / ".venv" / "bin" / "newsdesk"
BUILD_SECONDS = 300
START_SECONDS = 60
# Granian waits for open requests before a worker stops, and a live stream
# never ends by itself: after this grace the server is killed, as a service
# manager would.
STOP_GRACE_SECONDS = 1
STOP_SECONDS = 10


def server_env(data_dir: Path, extra: dict | None = None) -> dict:
    """The environment of a production-like server on data_dir, plus extra.

    Without what the test run set for itself: pytest-django's settings module,
    the async-unsafe switch, and any database or broker the developer's shell
    points at (the demo must not be built into those). A test that wants one
    passes it in extra (DATABASE_URL of a test database, say).
    """
    env = dict(os.environ)
    for name in (
        "DJANGO_SETTINGS_MODULE",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "DATABASE_URL",
        "LIVE_BROKER_URL",
        "MEDIA_ROOT",
        "WEB_CONCURRENCY",
    ):
        env.pop(name, None)
    env.update(
        NEWSDESK_DATA_DIR=str(data_dir),
        LIVE_DEMO_INTERVAL="0",  # no rolling demo entries: the tests post their own
        PYTHONUNBUFFERED="1",
    )
    env.update(extra or {})
    return env


def build_demo(data_dir: Path, *, env: dict | None = None) -> dict[str, str]:
    """Build the demo newsroom into data_dir; returns the logins as {username: password}."""
    log = data_dir / "demo.log"
    with log.open("w") as output:
        result = subprocess.run(
            [str(NEWSDESK), "demo", "--no-serve"],
            env=server_env(data_dir, env),
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            timeout=BUILD_SECONDS,
            check=False,
        )
    if result.returncode != 0:
        pytest.fail(f"newsdesk demo --no-serve failed:\n{log.read_text()[-3000:]}", pytrace=False)
    return json.loads((data_dir / "demo-logins.json").read_text())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`newsdesk serve` on data_dir; start() and stop() may be called again (a restart)."""

    def __init__(
        self, data_dir: Path, *, port: int | None = None, workers: int = 2, env: dict | None = None
    ):
        self.data_dir = data_dir
        self.env = env
        self.port = port or free_port()
        self.workers = workers
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.log = data_dir / "serve.log"

    def start(self) -> None:
        assert self.process is None, "already running"
        with self.log.open("a") as output:
            self.process = subprocess.Popen(
                [str(NEWSDESK), "serve", "--port", str(self.port), "--workers", str(self.workers)],
                env=server_env(self.data_dir, self.env),
                cwd=ROOT,
                stdout=output,
                stderr=subprocess.STDOUT,
                # Its own process group: stop() ends the server and its workers, nothing else.
                start_new_session=True,
            )
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.process = None
                pytest.fail(f"newsdesk serve exited:\n{self.log.read_text()[-3000:]}", False)
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.1)
        self.stop()
        pytest.fail(f"newsdesk serve did not answer /healthz:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        """Stop the server; its open streams are cut, as in a real restart."""
        if self.process is None:
            return
        group = self.process.pid  # the group's id: it leads its own session
        for sig, wait in ((signal.SIGTERM, STOP_GRACE_SECONDS), (signal.SIGKILL, STOP_SECONDS)):
            try:
                os.killpg(group, sig)
            except ProcessLookupError:
                break
            try:
                self.process.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
        self.process = None
        # The workers may outlive the main process by a moment; wait for the port.
        deadline = time.monotonic() + STOP_SECONDS
        while time.monotonic() < deadline and _port_in_use(self.port):
            time.sleep(0.05)

    def restart(self) -> None:
        self.stop()
        self.start()


def _port_in_use(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0
