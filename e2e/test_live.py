"""Live coverage in the browser: the desk posts, every open reader page follows, in place.

Against the production server (Granian, two workers), not Django's test
server: the live streams are served as ASGI beside Django. See live_server.py.
"""

import json
import re
import shutil
import subprocess
import urllib.request
import uuid

import pytest
from live_server import ROOT, Server, build_demo
from playwright.sync_api import expect
from test_page_quality import BAD_VALUE, describe_axe_violations

pytestmark = pytest.mark.e2e

BLOG_PATH = "/en/live/storm-orla-live/"
DELIVERY_SECONDS = 2  # the promise: an open page shows a new entry within 2 s
RESTART_SECONDS = 10
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"  # as in conftest.py
ENTRIES = ".live-feed__entries > [data-entry]"

# Lets a test see the page's streams (their state, the URL they opened with)
# without the page's script having to expose anything.
WATCH_STREAMS = """
window.__streams = [];
window.__lastEventId = null;
const NativeEventSource = window.EventSource;
window.EventSource = class extends NativeEventSource {
    constructor(...args) {
        super(...args);
        window.__streams.push(this);
        for (const op of ["add", "edit", "delete", "pin", "unpin", "end", "reset"]) {
            this.addEventListener(op, event => { window.__lastEventId = event.lastEventId; });
        }
    }
};
// When each entry first appeared on the page (ms since the epoch, as Date.now()).
window.__shownAt = {};
new MutationObserver(records => {
    for (const record of records) {
        for (const node of record.addedNodes) {
            if (node.dataset?.entry) window.__shownAt[node.dataset.entry] ??= Date.now();
        }
    }
}).observe(document, {childList: true, subtree: true});
"""
# The moment the editor sends a desk form, on the same clock.
WATCH_SUBMITS = "document.addEventListener('submit', () => { window.__sentAt = Date.now(); }, true)"
STREAM_OPEN = "window.__streams.some(s => s.readyState === EventSource.OPEN)"
# Gone if the page reloads or navigates.
MARK_DOCUMENT = "window.__sameDocument = true"
SAME_DOCUMENT = "window.__sameDocument === true"
# A tab put in the background, and brought back (as far as the page can tell).
SET_VISIBILITY = """hidden => {
    Object.defineProperty(document, "hidden", {value: hidden, configurable: true});
    Object.defineProperty(
        document, "visibilityState", {value: hidden ? "hidden" : "visible", configurable: true}
    );
    document.dispatchEvent(new Event("visibilitychange"));
}"""


@pytest.fixture(scope="module")
def live_site(browser, tmp_path_factory):
    """The demo newsroom served by `newsdesk serve`; its .logins and .blog_id are set."""
    data_dir = tmp_path_factory.mktemp("live-data")
    logins = build_demo(data_dir)
    server = Server(data_dir, workers=2)
    server.start()
    try:
        html = urllib.request.urlopen(server.url + BLOG_PATH, timeout=30).read().decode()
        server.logins = logins
        server.blog_id = int(re.search(r'data-live-blog="(\d+)"', html).group(1))
        yield server
    finally:
        server.stop()


def new_context(browser, live_site, **options):
    context = browser.new_context(
        base_url=live_site.url, viewport={"width": 1280, "height": 800}, **options
    )
    context.set_default_timeout(15_000)
    return context


@pytest.fixture(scope="module", autouse=True)
def html_check(live_site, tmp_path_factory):
    """The Nu HTML checker, started on the live page as soon as the server is up.

    Java takes seconds to start: running beside the browser tests, it costs
    them nothing. The demo blog's entries use every entry block, so its first
    page shows each kind of markup an entry can have.
    """
    java = shutil.which("java")
    if not (java and VNU_JAR.exists()):
        yield None  # the test that reads the report skips (or fails on CI)
        return
    page = tmp_path_factory.mktemp("vnu") / "live.html"
    page.write_bytes(urllib.request.urlopen(live_site.url + BLOG_PATH, timeout=30).read())
    checker = subprocess.Popen(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--stdout", str(page)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    yield checker
    if checker.poll() is None:
        checker.kill()
        checker.wait()


@pytest.fixture
def contexts(browser, live_site):
    """Opens browser contexts (own cookies) on the live site, closed after the test."""
    opened = []

    def open_context(**options):
        opened.append(new_context(browser, live_site, **options))
        return opened[-1]

    yield open_context
    for context in opened:
        context.close()


@pytest.fixture(scope="module")
def desk(browser, live_site):
    """The live desk of the demo blog, with the editor logged in; shared by the module's tests."""
    context = new_context(browser, live_site)
    yield open_desk(context, live_site, "editor")
    context.close()


def open_desk(context, live_site, username, *, through_the_menu=True):
    """Log in to the admin and go to the blog's live desk (through the admin menu)."""
    desk_path = f"/admin/live/{live_site.blog_id}/"
    page = context.new_page()
    page.goto("/admin/login/" + ("" if through_the_menu else f"?next={desk_path}"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(live_site.logins[username])
    page.get_by_role("button", name="Sign in").click()
    if through_the_menu:
        expect(page).to_have_url(re.compile(r"/admin/$"))
        page.get_by_role("link", name="Live desk").first.click()
        page.get_by_role("link", name=re.compile("Storm Orla")).click()
    expect(page).to_have_url(re.compile(re.escape(desk_path) + "$"))
    # A deletion asks "Delete this entry for every reader?": the editor says yes.
    page.on("dialog", lambda dialog: dialog.accept())
    page.evaluate(WATCH_SUBMITS)
    return page


@pytest.fixture
def reader(contexts):
    """Opens the live blog in a fresh reader's browser and waits for its stream."""

    def open_reader(path=BLOG_PATH):
        page = contexts().new_page()
        page.add_init_script(WATCH_STREAMS)
        page.goto(path)
        page.wait_for_function(STREAM_OPEN)
        page.evaluate(MARK_DOCUMENT)
        return page

    return open_reader


def words():
    """Text no other entry has, to find this test's entry by."""
    return f"Update {uuid.uuid4().hex[:10]} from the harbour wall."


def post(desk, text, headline=""):
    """Post an entry from the desk's compose box; returns when it was sent (Date.now())."""
    desk.get_by_label("Headline (optional)").fill(headline)
    desk.get_by_label("Text", exact=True).fill(text)
    desk.get_by_role("button", name="Post entry").click()
    # Emptied once the server said yes (the message may still be the last post's).
    expect(desk.get_by_label("Text", exact=True)).to_have_value("")
    expect(desk.locator(".live-desk__status")).to_have_text("Entry posted.")
    return desk.evaluate("window.__sentAt")


def desk_entry(desk, text):
    return desk.locator(".live-desk__entry").filter(has_text=text)


def feed_ids(page):
    return page.locator(ENTRIES).evaluate_all("nodes => nodes.map(n => n.dataset.entry)")


def test_an_entry_posted_in_the_desk_reaches_an_open_reader_page_within_two_seconds(desk, reader):
    page = reader()
    navigations = []
    desk.on("framenavigated", lambda frame: navigations.append(frame.url))
    desk.evaluate(MARK_DOCUMENT)
    text = words()

    sent = post(desk, text, headline="Harbour wall holds")

    entry = page.locator(ENTRIES).first
    expect(entry).to_contain_text(text)
    # Measured in the browsers, from the editor's click to the entry on the
    # reader's page: what people would notice, not the test's own overhead.
    shown = page.evaluate("id => window.__shownAt[id]", entry.get_attribute("data-entry"))
    assert shown - sent < DELIVERY_SECONDS * 1000, f"{shown - sent} ms"
    expect(entry.locator(".live-entry__headline")).to_have_text("Harbour wall holds")
    # Arrived without a reload, and the desk posted without one either.
    assert page.evaluate(SAME_DOCUMENT)
    assert desk.evaluate(SAME_DOCUMENT)
    assert navigations == []
    expect(desk_entry(desk, text)).to_be_visible()


def test_times_read_as_relative_and_the_exact_time_stays_at_hand(desk, reader):
    page = reader()
    text = words()
    post(desk, text)

    fresh = page.locator(ENTRIES).filter(has_text=text).locator("time")
    expect(fresh).to_have_text(re.compile(r"^now$|just now|sec", re.I))
    times = page.locator(".live-feed time[data-relative]")
    labels = times.all_inner_texts()
    assert labels and all(re.search(r"now|ago", label) for label in labels), labels
    assert any(re.search(r"\d+ (min|hr)\.? ago", label) for label in labels), labels
    assert re.search(r"\d{1,2} \w{3}, \d\d:\d\d", times.first.get_attribute("title"))


def test_an_edit_and_a_delete_apply_in_place_on_the_reader_page(desk, reader):
    first, second = words(), words()
    post(desk, first)
    post(desk, second)
    page = reader()
    edited = page.locator(ENTRIES).filter(has_text=first)
    edited.evaluate("node => { node.__seen = true; }")  # marks this very element
    before = feed_ids(page)
    entry_id = edited.get_attribute("data-entry")

    row = desk_entry(desk, first)
    row.locator("summary", has_text="Edit").click()
    row.locator("textarea[name=text]").fill(first + " Now with the tide times.")
    row.get_by_role("button", name="Save changes").click()

    node = page.locator(f'{ENTRIES}[data-entry="{entry_id}"]')
    expect(node).to_contain_text("Now with the tide times.", timeout=DELIVERY_SECONDS * 1000)
    assert node.evaluate("node => node.__seen") is True, "the edit replaced the element"
    assert feed_ids(page) == before, "the edit moved entries"
    expect(page.locator(ENTRIES).filter(has_text=first)).to_have_count(1)

    gone = page.locator(ENTRIES).filter(has_text=second).get_attribute("data-entry")
    desk_entry(desk, second).get_by_role("button", name="Delete").click()

    expect(page.locator(f'[data-entry="{gone}"]')).to_have_count(0, timeout=DELIVERY_SECONDS * 1000)
    assert feed_ids(page) == [id_ for id_ in before if id_ != gone]
    assert page.evaluate(SAME_DOCUMENT)


def test_an_edit_on_a_stale_copy_is_refused_and_the_editors_text_kept(
    desk, reader, contexts, live_site
):
    text = words()
    post(desk, text)
    row = desk_entry(desk, text)
    row.locator("summary", has_text="Edit").click()
    row.locator("textarea[name=text]").fill(text + " Mine, typed slowly.")
    colleague = open_desk(contexts(), live_site, "livedesk", through_the_menu=False)
    theirs = desk_entry(colleague, text)
    theirs.locator("summary", has_text="Edit").click()
    theirs.locator("textarea[name=text]").fill(text + " Theirs, saved first.")
    theirs.get_by_role("button", name="Save changes").click()
    expect(colleague.locator(".live-desk__status")).to_have_text("Entry updated.")
    page = reader()
    expect(page.locator(ENTRIES).filter(has_text=text)).to_contain_text("Theirs, saved first.")

    row.get_by_role("button", name="Save changes").click()

    expect(row.locator(".live-desk__form-status")).to_contain_text(
        "Someone else changed this entry"
    )
    expect(row.locator("textarea[name=text]")).to_have_value(text + " Mine, typed slowly.")
    expect(page.locator(ENTRIES).filter(has_text=text)).to_contain_text("Theirs, saved first.")


def test_an_entry_with_a_quote_is_edited_with_all_its_blocks_and_changes_in_place(
    desk, reader, live_site
):
    page = reader(BLOG_PATH + "?order=oldest")
    intro = "Our correspondent on the harbour wall"
    on_page = page.locator(ENTRIES).filter(has_text=intro)
    expect(on_page).to_contain_text("never tied the boats down twice")
    on_page.evaluate("node => { node.__seen = true; }")
    before = feed_ids(page)

    desk_entry(desk, intro).get_by_role("link", name="Edit").click()
    quote = desk.locator('textarea[name="body-1-value-text"]')
    expect(quote).to_have_value(re.compile("never tied the boats down twice"))
    quote.fill("Thirty years on this harbour, and never a night like this one.")
    desk.get_by_role("button", name="Save changes").click()

    expect(desk).to_have_url(re.compile(rf"/admin/live/{live_site.blog_id}/$"))
    expect(desk.get_by_text("Entry updated.")).to_be_visible()
    desk.evaluate(WATCH_SUBMITS)
    edited = page.locator(ENTRIES).filter(has_text=intro)
    expect(edited).to_contain_text("never a night like this one", timeout=DELIVERY_SECONDS * 1000)
    expect(edited).to_contain_text("Piet Anker")
    assert edited.evaluate("node => node.__seen") is True, "the edit replaced the element"
    assert feed_ids(page) == before


def test_a_reader_scrolled_down_is_not_jumped_but_offered_the_new_update(desk, reader):
    page = reader()
    page.locator(ENTRIES).nth(12).scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, 200)")
    scrolled_to = page.evaluate("window.scrollY")
    assert page.locator(".live-feed__entries").evaluate("n => n.getBoundingClientRect().top") < -400
    text = words()

    post(desk, text)

    button = page.get_by_role("button", name="1 new update")
    expect(button).to_be_visible(timeout=DELIVERY_SECONDS * 1000)
    expect(button).to_be_in_viewport()
    expect(page.locator(ENTRIES).filter(has_text=text)).to_have_count(0)
    assert page.evaluate("window.scrollY") == scrolled_to

    button.click()

    entry = page.locator(ENTRIES).first
    expect(entry).to_contain_text(text)
    expect(entry).to_be_in_viewport()
    expect(button).to_be_hidden()


def resumed_from(request):
    """The event id a stream request resumed from: its Last-Event-ID header, else its query."""
    header = request.all_headers().get("last-event-id")
    query = re.search(r"last_event_id=(\d+)", request.url)
    return int(header or (query and query.group(1)) or 0)


def test_an_open_reader_page_keeps_up_after_the_server_restarts(desk, reader, live_site):
    page = reader()
    before, after = words(), words()
    post(desk, before)
    expect(page.locator(ENTRIES).first).to_contain_text(before, timeout=DELIVERY_SECONDS * 1000)
    seen = int(page.evaluate("window.__lastEventId"))
    answered = []  # the stream requests the restarted server answered
    page.on("response", lambda response: "/events" in response.url and answered.append(response))

    live_site.restart()
    post(desk, after)

    expect(page.locator(ENTRIES).filter(has_text=after)).to_have_count(
        1, timeout=RESTART_SECONDS * 1000
    )
    expect(page.locator(ENTRIES).first).to_contain_text(after)
    expect(page.locator(ENTRIES).filter(has_text=before)).to_have_count(1)  # no replay twice
    # It came back saying where it had got to (Last-Event-ID), so it was sent what it missed.
    assert answered and {resumed_from(response.request) for response in answered} == {seen}


def test_a_hidden_tab_lets_go_of_its_stream_and_catches_up_when_shown_again(desk, reader):
    page = reader()
    page.evaluate(SET_VISIBILITY, True)
    assert page.evaluate("window.__streams.every(s => s.readyState === EventSource.CLOSED)")
    seen = page.evaluate("window.__lastEventId") or page.locator("[data-live-blog]").get_attribute(
        "data-last-seq"
    )
    text = words()
    post(desk, text)
    page.wait_for_timeout(300)
    expect(page.locator(ENTRIES).filter(has_text=text)).to_have_count(0)

    page.evaluate(SET_VISIBILITY, False)

    expect(page.locator(ENTRIES).first).to_contain_text(text, timeout=DELIVERY_SECONDS * 1000)
    expect(page.locator(ENTRIES).filter(has_text=text)).to_have_count(1)
    assert page.evaluate("window.__streams.length") == 2
    assert page.evaluate(SAME_DOCUMENT)
    assert page.evaluate("window.__streams[1].url").endswith(f"?last_event_id={seen}")


def test_pinning_and_key_events_follow_the_desk_on_the_reader_page(desk, reader):
    text = words()
    post(desk, text, headline="Bridge closed to traffic")
    page = reader()
    pinned = page.locator(".live-pinned")
    key_events = page.get_by_role("navigation", name="Key events")
    order = feed_ids(page)
    row = desk_entry(desk, text)

    row.get_by_role("button", name="Pin", exact=True).click()

    expect(pinned).to_contain_text(text, timeout=DELIVERY_SECONDS * 1000)
    expect(pinned.locator(".live-entry")).to_have_count(1)  # the safety notice made way
    expect(pinned.locator("[id]")).to_have_count(0)  # the feed's entry keeps the id
    desk_entry(desk, text).get_by_role("button", name="Key event", exact=True).click()
    expect(key_events.get_by_role("link").first).to_have_text(
        re.compile(r"\d\d:\d\d Bridge closed to traffic"), timeout=DELIVERY_SECONDS * 1000
    )
    expect(page.locator(ENTRIES).filter(has_text=text)).to_have_class(re.compile("live-entry--key"))

    desk_entry(desk, text).get_by_role("button", name="Not a key event").click()
    desk_entry(desk, text).get_by_role("button", name="Unpin").click()

    expect(key_events.get_by_role("link", name="Bridge closed to traffic")).to_have_count(0)
    expect(pinned).to_be_hidden()
    assert feed_ids(page) == order
    # The demo's safety notice goes back on top, for the tests that look for it.
    desk_entry(desk, "Stay safe").get_by_role("button", name="Pin", exact=True).click()
    expect(pinned).to_contain_text("What to do tonight", timeout=DELIVERY_SECONDS * 1000)


def test_without_javascript_the_page_shows_the_coverage_and_a_way_to_newer_updates(
    contexts, live_site
):
    page = contexts(java_script_enabled=False).new_page()
    page.goto(BLOG_PATH)

    expect(page.locator("h1")).to_contain_text("Storm Orla")
    expect(page.locator(".live-status")).to_have_text("Live")
    pinned = page.locator(".live-pinned .live-entry")
    expect(pinned).to_have_count(1)
    expect(pinned.locator(".live-entry__headline")).to_have_text("What to do tonight")
    key_events = page.get_by_role("navigation", name="Key events").get_by_role("link")
    assert key_events.count() >= 3
    expect(key_events.filter(has_text="Warnings raised to red")).to_be_visible()
    assert page.locator(ENTRIES).count() == 20  # the first page of many
    expect(page.get_by_role("link", name="Older")).to_be_visible()
    refresh = page.get_by_role("link", name="Check for newer updates")
    expect(refresh).to_have_attribute("href", BLOG_PATH)
    # Absolute times: nothing turns them relative.
    expect(page.locator(".live-feed time[data-relative]").first).to_have_text(
        re.compile(r"\d{1,2} \w{3}, \d\d:\d\d")
    )


def test_the_home_page_lists_the_blog_in_its_live_slot(contexts):
    page = contexts().new_page()
    page.goto("/en/")

    slot = page.locator(".home__live")
    link = slot.get_by_role("link", name=re.compile("Storm Orla"))
    expect(link).to_have_attribute("href", BLOG_PATH)
    expect(slot.locator(".live-now__latest")).to_have_count(1)

    link.click()

    expect(page).to_have_url(re.compile(re.escape(BLOG_PATH) + "$"))


def test_the_page_describes_itself_as_a_live_blog_posting(live_site):
    html = urllib.request.urlopen(live_site.url + BLOG_PATH, timeout=30).read().decode()

    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1, "one JSON-LD block, as markup (not escaped text)"
    data = json.loads(blocks[0])
    assert data["@type"] == "LiveBlogPosting"
    assert data["coverageStartTime"]
    updates = data["liveBlogUpdate"]
    assert len(updates) == 20
    for update in updates:
        assert update["@type"] == "BlogPosting"
        assert update["headline"] and update["articleBody"] and update["datePublished"]
        assert re.search(r"/live/storm-orla-live/#entry-\d+$", update["url"]), update["url"]


def test_axe_finds_no_accessibility_violations_on_the_live_page(reader, axe_js):
    page = reader()
    page.add_script_tag(path=axe_js)

    violations = page.evaluate("async () => (await axe.run(document)).violations")

    if violations:
        pytest.fail(f"axe-core on {BLOG_PATH}:\n{describe_axe_violations(violations)}", False)


def test_the_nu_html_checker_finds_no_errors_on_the_live_page(html_check, vnu):
    output, complaints = html_check.communicate(timeout=120)

    report = json.loads(output or '{"messages": [{"type": "error", "message": "no report"}]}')
    errors = [
        f"{message.get('lastLine')}: {BAD_VALUE.sub('“…”', message['message'], count=1)}\n"
        f"    {(message.get('extract') or '').strip()}"
        for message in report["messages"]
        if message["type"] in ("error", "non-document-error")
    ]
    assert not errors, "\n".join(errors) + complaints


# Last in the module: the blog stays ended for the rest of the session.
def test_ending_the_blog_closes_the_stream_and_leaves_an_archive(desk, reader, contexts):
    page = reader()

    desk.get_by_role("button", name="End this live blog").click()

    expect(page.locator(".live-status")).to_have_text("Ended", timeout=DELIVERY_SECONDS * 1000)
    expect(page.get_by_role("link", name="Check for newer updates")).to_have_count(0)
    assert page.evaluate("window.__streams.every(s => s.readyState === EventSource.CLOSED)")
    expect(desk.get_by_role("button", name="Post entry")).to_have_count(0)  # the desk reloaded
    archive = contexts().new_page()
    archive.add_init_script(WATCH_STREAMS)
    archive.goto(BLOG_PATH)
    expect(archive.locator(".live-status")).to_have_text("Ended")
    expect(archive.locator(ENTRIES).first).to_be_visible()
    archive.wait_for_timeout(300)
    assert archive.evaluate("window.__streams.length") == 0  # an archive costs the server nothing
