"""Start the demo newsroom under the production settings, for benchmarks and audits.

The demo is built once into bench/.data (reused by later runs; delete the
folder to rebuild) and served by `newsdesk serve` on a free loopback port.
"""

import contextlib
import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
DATA_DIR = ROOT / "bench" / ".data"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def demo_env(server: str | None = None) -> dict:
    env = {**os.environ, "NEWSDESK_DATA_DIR": str(DATA_DIR), "DEBUG": "0"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if server:
        env["NEWSDESK_SERVER"] = server
    return env


def build_demo() -> None:
    subprocess.run([BIN / "newsdesk", "demo", "--no-serve"], env=demo_env(), check=True)


@contextlib.contextmanager
def running_demo(*, workers: int, server: str | None = None, timeout: float = 60):
    """Yield the base URL of a served demo; stop the server afterwards, whatever happens."""
    build_demo()
    port = _free_port()
    process = subprocess.Popen(
        [BIN / "newsdesk", "serve", "--port", str(port), "--workers", str(workers)],
        env=demo_env(server),
        start_new_session=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(base_url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the demo server did not start; see its output above")
            time.sleep(0.2)
        yield base_url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def lead_article_path(base_url: str) -> str:
    """The URL path of the English home page's top story."""
    with urllib.request.urlopen(base_url + "/en/", timeout=10) as response:
        html = response.read().decode()
    top = html[html.index("home__top") :]
    return re.search(r'href="([^"]+)"', top).group(1)
