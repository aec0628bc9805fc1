"""The browser tests' world: the demo newsroom behind a real HTTP server, and Chromium.

The demo newsroom (~40 articles with photos) is built once per session and
committed to the test database, so the live server's threads see it. That is
why `_live_server_helper` is overridden below: pytest-django's version gives
every live-server test a transactional database, whose flush after each test
would wipe the newsroom. Tests here share one newsroom instead; a test that
writes (the newsroom journey) creates its own uniquely named article.
"""

import os
import shutil
import threading
import time
import uuid
from pathlib import Path

import pytest

from newsdesk.testing import require

# Playwright's sync API runs an event loop in this thread; Django's ORM would
# otherwise refuse to run beside it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def pytest_collection_modifyitems(config, items):
    # The newsroom is committed to the test database for the rest of the
    # session, so database tests that do not expect it must run first.
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)


@pytest.fixture(scope="session")
def newsroom(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo newsroom, built once; returns the logins as {username: password}."""
    from django.core.management import call_command
    from django.db import connection
    from django.test import override_settings

    from newsdesk.demo.builder import build_demo

    with django_db_blocker.unblock():
        # What the migrations left, to put back afterwards (matters with --reuse-db).
        initial = connection.creation.serialize_db_to_string()
        # The builder keeps the generated passwords in DATA_DIR: not the developer's.
        with override_settings(DATA_DIR=tmp_path_factory.mktemp("data")):
            logins = build_demo(progress=lambda line: None)
    yield {username: password for username, password, _role in logins}
    with django_db_blocker.unblock():
        call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
        connection.creation.deserialize_db_from_string(initial)


@pytest.fixture(autouse=True)
def _live_server_helper(request, django_db_blocker):
    """Replaces pytest-django's helper: no transactional_db (its flush would wipe the newsroom)."""
    if "live_server" not in request.fixturenames:
        yield
        return
    # A missing browser or checker skips before the slow newsroom build.
    for requirement in ("browser", "axe_js", "vnu"):
        if requirement in request.fixturenames:
            request.getfixturevalue(requirement)
    # The newsroom before the server: it sets up the test database the server must use.
    request.getfixturevalue("newsroom")
    live_server = request.getfixturevalue("live_server")
    live_server._live_server_modified_settings.enable()
    # The database blocker is process-wide: it would block the server's threads too.
    with django_db_blocker.unblock():
        yield
    live_server._live_server_modified_settings.disable()


@pytest.fixture(scope="session")
def site(newsroom, live_server):
    """The running site: its base URL (real HTTP, with static files and media)."""
    yield live_server.url
    # Let the server finish the requests it is still answering (a closed tab's
    # last image, say) before pytest-django stops it: a request that ends after
    # the stop fails on the test database connection the server threads share.
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(
        "process_request_thread" in thread.name for thread in threading.enumerate()
    ):
        time.sleep(0.05)


@pytest.fixture(scope="session")
def lead_story(newsroom, django_db_blocker):
    """The home page's top story, as the ORM sees it."""
    from newsdesk.news.models import HomePage

    with django_db_blocker.unblock():
        home = HomePage.objects.get(locale__language_code="en")
        story = home.top_story.specific
        story.lead_image  # noqa: B018 - loaded now, while the database is open
        return story


@pytest.fixture(scope="session")
def quality_pages(lead_story, django_db_blocker):
    """The reader pages every quality check covers: {name: path}."""
    with django_db_blocker.unblock():
        author = lead_story.authors[0]
        tag = lead_story.tags.first()
        return {
            "home": "/en/",
            "section": lead_story.section.url,
            "article": lead_story.url,
            "author": f"/en/authors/{author.slug}/",
            "tag": f"/en/tags/{tag.slug}/",
            "discussion": f"/en/discussion/{lead_story.pk}/",
            "login": "/en/accounts/login/",
            "signup": "/en/accounts/signup/",
        }


@pytest.fixture(scope="session")
def browser():
    require(CHROMIUM.exists(), "needs Debian package chromium (/usr/bin/chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def open_tab(browser, site):
    """Opens fresh tabs (own cookies) on the running site: open_tab("phone")."""
    contexts = []

    def open_tab(width="desktop"):
        context = browser.new_context(base_url=site, viewport=VIEWPORTS[width])
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_tab
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_tab):
    """A fresh tab on the running site, at desktop width."""
    return open_tab()


@pytest.fixture
def unique():
    """A short token that makes what a test writes its own."""
    return uuid.uuid4().hex[:8]


@pytest.fixture(scope="session")
def axe_js():
    require(AXE_JS.exists(), "needs npm package axe-core (run npm ci)")
    return AXE_JS


@pytest.fixture(scope="session")
def vnu():
    """The Nu HTML checker's command line."""
    java = shutil.which("java")
    require(
        java and VNU_JAR.exists(),
        "needs npm package vnu-jar (run npm ci) and Debian package default-jre-headless (java)",
    )
    return [java, "-jar", str(VNU_JAR)]


@pytest.fixture(scope="session")
def screenshots_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def scroll_through():
    """Scrolls a page to the bottom and back, as a reader would, so lazy images load."""

    def scroll_through(page):
        page.evaluate(SCROLL_TO_THE_END)
        page.wait_for_function("[...document.images].every(img => img.complete)")
        page.evaluate("window.scrollTo(0, 0)")
        page.wait_for_load_state("networkidle")

    return scroll_through


# A frame between steps: lazy images start loading when a frame is drawn.
SCROLL_TO_THE_END = """async () => {
    const frame = () => new Promise(
        done => requestAnimationFrame(() => requestAnimationFrame(done))
    );
    const step = Math.max(200, window.innerHeight / 2);
    for (let y = 0; y < document.documentElement.scrollHeight; y += step) {
        window.scrollTo(0, y);
        await frame();
    }
}"""
