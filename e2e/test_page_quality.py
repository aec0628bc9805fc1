"""What every reader page owes its readers: accessible, valid, light, steady, and it looks right."""

import json
import re
import subprocess
import urllib.request

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.e2e

PAGES = ["home", "section", "article", "author", "tag", "discussion", "login", "signup"]
MAX_ARTICLE_BYTES = 60 * 1024  # HTML + CSS + JS, uncompressed
MAX_LAYOUT_SHIFT = 0.01
BAD_VALUE = re.compile("“[^”]*”")  # the checker quotes the offending value first


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


@pytest.mark.parametrize("width", ["desktop", "phone"])
@pytest.mark.parametrize("name", ["home", "article"])
def test_screenshots_show_the_page_fitting_the_screen(
    open_tab, scroll_through, screenshots_dir, quality_pages, name, width
):
    page = open_tab(width)
    page.goto(quality_pages[name])
    scroll_through(page)
    path = screenshots_dir / f"{name}-{width}.png"
    page.screenshot(path=path, full_page=True)

    assert path.stat().st_size > 10_000
    # Nothing pushes the page sideways (a reader would have to scroll across).
    overflow = page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            return [...document.querySelectorAll("body *")]
                .filter(el => el.getBoundingClientRect().right > width + 1)
                .map(el => el.outerHTML.slice(0, 120));
        }"""
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"], (
        overflow
    )


def describe_axe_violations(violations):
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']}\n"
            f"  {violation['helpUrl']}"
        )
        for node in violation["nodes"][:5]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:160]}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
        if len(violation["nodes"]) > 5:
            lines.append(f"    ... and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_accessibility_violations(page, axe_js, quality_pages, name):
    page.goto(quality_pages[name])
    page.wait_for_load_state("networkidle")
    page.add_script_tag(path=axe_js)

    violations = page.evaluate("async () => (await axe.run(document)).violations")

    if violations:
        pytest.fail(
            f"axe-core on {quality_pages[name]}:\n{describe_axe_violations(violations)}",
            pytrace=False,
        )


def test_the_nu_html_checker_finds_no_errors(site, vnu, quality_pages, tmp_path):
    files = {}
    for name, path in quality_pages.items():
        files[name] = tmp_path / f"{name}.html"
        files[name].write_bytes(fetch(site + path))

    result = subprocess.run(
        [*vnu, "--format", "json", "--stdout", *map(str, files.values())],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    if not result.stdout.strip():
        pytest.fail(f"the Nu HTML checker gave no report:\n{result.stderr}", pytrace=False)
    report = json.loads(result.stdout)
    paths = {file.name: quality_pages[name] for name, file in files.items()}
    errors = {}  # (page, message) -> (first line, extract, count)
    for message in report["messages"]:
        if message["type"] not in ("error", "non-document-error"):
            continue
        where = paths.get(message.get("url", "").rpartition("/")[2], message.get("url", "?"))
        key = (where, BAD_VALUE.sub("“…”", message["message"], count=1))
        line, extract, count = errors.get(key, (message.get("lastLine"), message.get("extract"), 0))
        errors[key] = (line, extract, count + 1)
    if errors:
        pytest.fail(
            "The Nu HTML checker reports:\n"
            + "\n".join(
                f"{where}:{line}: {text}{f' (x{count})' if count > 1 else ''}\n"
                f"    {(extract or '').strip()}"
                for (where, text), (line, extract, count) in errors.items()
            ),
            pytrace=False,
        )


def test_the_lead_article_is_light_and_asks_for_no_web_fonts(page, scroll_through, quality_pages):
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(quality_pages["article"])
    scroll_through(page)

    counted = {}
    for response in responses:
        kind = response.request.resource_type
        if kind in ("document", "stylesheet", "script"):
            counted[response.url] = len(response.body())
    fonts = [r.url for r in responses if r.request.resource_type == "font"]
    total = sum(counted.values())
    breakdown = "\n".join(f"  {size:>7} {url}" for url, size in counted.items())

    assert total < MAX_ARTICLE_BYTES, f"{total} bytes of HTML, CSS and JS:\n{breakdown}"
    assert not fonts, f"web fonts requested: {fonts}"


@pytest.mark.parametrize("name", PAGES)
def test_every_image_says_its_size(site, quality_pages, name):
    soup = BeautifulSoup(fetch(site + quality_pages[name]), "html.parser")

    undimensioned = [
        str(img)[:160]
        for img in soup.find_all("img")
        if not (img.get("width") and img.get("height"))
    ]

    assert not undimensioned, "\n".join(undimensioned)


LAYOUT_SHIFT_OBSERVER = """
window.__layoutShifts = [];
new PerformanceObserver(list => {
    for (const entry of list.getEntries()) {
        if (entry.hadRecentInput) continue;
        window.__layoutShifts.push({
            value: entry.value,
            sources: (entry.sources || []).map(
                source => (source.node?.outerHTML || source.node?.nodeName || "?").slice(0, 120)
            ),
        });
    }
}).observe({type: "layout-shift", buffered: true});
"""


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_lead_article_does_not_shift_while_it_loads(
    open_tab, scroll_through, quality_pages, width
):
    page = open_tab(width)
    page.add_init_script(LAYOUT_SHIFT_OBSERVER)
    page.goto(quality_pages["article"])
    scroll_through(page)
    page.wait_for_timeout(300)

    shifts = page.evaluate("window.__layoutShifts")
    total = sum(shift["value"] for shift in shifts)

    assert total < MAX_LAYOUT_SHIFT, f"cumulative layout shift {total:.4f}: {shifts}"
