"""A right-to-left edition (Arabic, say) lays the pages out as a mirror, without breaking them.

The demo newsroom is English, so each page is turned right-to-left in place
(dir="rtl", lang="ar"), as an Arabic edition's base template would set it. The
same checks run on the page as served, left-to-right, first: they hold there,
mirrored, so they can tell a mirrored layout from one that stayed put.
"""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

SLACK = 2  # px: sub-pixel rounding, and a glyph's side bearing
# What each page's checks look at: the body text, the photo, and the column they sit in.
PARTS = {
    "home": {
        "paragraphs": ".home__top .card__summary",
        "column": ".home__top .card--lead",
        "figure": ".home__top .card__media",
    },
    "article": {
        "paragraphs": ".article__body > p",
        "column": ".article",
        "figure": ".lead-image",
    },
}

TURN_RIGHT_TO_LEFT = """async () => {
    document.documentElement.dir = "rtl";
    document.documentElement.lang = "ar";
    window.scrollTo(0, 0);
    await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
}"""

# Where things are, in CSS pixels of the viewport (the page is scrolled to the top).
LAYOUT = """({paragraphs, column, figure}) => {
    const box = rect => ({left: rect.left, right: rect.right, top: rect.top, bottom: rect.bottom});
    const of = selector => {
        const el = document.querySelector(selector);
        return el ? box(el.getBoundingClientRect()) : null;
    };
    // The content box: where text-align puts a line's start and end.
    const content = el => {
        const rect = el.getBoundingClientRect(), style = getComputedStyle(el);
        const px = name => parseFloat(style[name]) || 0;
        return {
            left: rect.left + px("borderLeftWidth") + px("paddingLeft"),
            right: rect.right - px("borderRightWidth") - px("paddingRight"),
            top: rect.top, bottom: rect.bottom,
        };
    };
    // The text's lines as laid out: each line's leftmost and rightmost ink.
    const lines = el => {
        const range = document.createRange();
        range.selectNodeContents(el);
        const fragments = [...range.getClientRects()]
            .filter(r => r.width > 0 && r.height > 0)
            .sort((a, b) => a.top - b.top);
        const result = [];
        for (const r of fragments) {
            const line = result[result.length - 1];
            if (line && r.top < line.bottom - 2) {
                line.left = Math.min(line.left, r.left);
                line.right = Math.max(line.right, r.right);
                line.bottom = Math.max(line.bottom, r.bottom);
            } else {
                result.push(box(r));
            }
        }
        return result;
    };
    const describe = el => el.outerHTML.slice(0, 120);
    const header = document.querySelector(".site-header");
    const headerBox = header.getBoundingClientRect();
    const width = document.documentElement.clientWidth;
    // Text a reader can see: elements with their own words, drawn, not hidden from anyone.
    const texts = [...document.body.querySelectorAll("*")].filter(el =>
        [...el.childNodes].some(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim())
        && el.checkVisibility({visibilityProperty: true, opacityProperty: true})
        && !el.closest("[aria-hidden=true], .visually-hidden, .skip-link")
        && el.getBoundingClientRect().width > 1 && el.getBoundingClientRect().height > 1
    );
    const figureEl = document.querySelector(figure);
    const caption = figureEl && figureEl.querySelector("figcaption");
    return {
        viewport: width,
        scrollWidth: document.documentElement.scrollWidth,
        header: content(document.querySelector(".site-header__inner")),
        brand: of(".site-brand"),
        nav: of(".site-nav"),
        search: of(".site-search"),
        column: of(column),
        paragraphs: [...document.querySelectorAll(paragraphs)].slice(0, 6).map(p => ({
            html: describe(p), box: content(p), lines: lines(p),
        })),
        photo: figureEl && box(figureEl.querySelector("img").getBoundingClientRect()),
        caption: caption && {
            html: describe(caption), box: content(caption), lines: lines(caption),
            credit: box(caption.querySelector(".credit, a, span")?.getBoundingClientRect()
                ?? caption.getBoundingClientRect()),
        },
        offscreen: texts.filter(el => {
            const r = el.getBoundingClientRect();
            return r.left < -1 || r.right > width + 1;
        }).map(describe),
        underHeader: texts.filter(el => {
            if (header.contains(el)) return false;
            const r = el.getBoundingClientRect();
            return r.bottom > headerBox.top + 1 && r.top < headerBox.bottom - 1
                && r.right > headerBox.left && r.left < headerBox.right;
        }).map(describe),
    };
}"""


def start(box, direction):
    """The x where a line begins: the right side in a right-to-left page."""
    return box["right"] if direction == "rtl" else box["left"]


def end(box, direction):
    return box["left"] if direction == "rtl" else box["right"]


def start_side(direction):
    return "right" if direction == "rtl" else "left"


def end_side(direction):
    return "left" if direction == "rtl" else "right"


def comes_before(first, second, direction):
    """first is met before second in reading order: earlier on its row, or on a row above."""
    same_row = first["top"] < second["bottom"] and second["top"] < first["bottom"]
    if not same_row:
        return second["top"] >= first["bottom"] - SLACK
    if direction == "rtl":
        return first["left"] >= second["right"] - SLACK
    return first["right"] <= second["left"] + SLACK


def within(inner, outer):
    return inner["left"] >= outer["left"] - SLACK and inner["right"] <= outer["right"] + SLACK


def layout_problems(layout, direction):
    """What a reader would see wrong in the layout, for a page read in `direction`."""
    problems = []
    if layout["scrollWidth"] > layout["viewport"]:
        problems.append(
            f"the page scrolls sideways: {layout['scrollWidth']} px wide "
            f"in a {layout['viewport']} px viewport"
        )

    header = layout["header"]
    brand, nav, search = layout["brand"], layout["nav"], layout["search"]
    if abs(start(brand, direction) - start(header, direction)) > SLACK:
        problems.append(
            f"the brand is not at the header's start: it starts at x={start(brand, direction)}, "
            f"the header at x={start(header, direction)}"
        )
    for name, first, second in [
        ("the brand, then the sections", brand, nav),
        ("the sections, then the search", nav, search),
    ]:
        if not comes_before(first, second, direction):
            problems.append(f"the header is out of order ({name}): {first} / {second}")
    for name, part in [("brand", brand), ("sections", nav), ("search", search)]:
        if not within(part, header):
            problems.append(f"the header's {name} sticks out of it: {part} / {header}")

    if not layout["paragraphs"]:
        problems.append("no body paragraphs found")
    ragged = False
    for paragraph in layout["paragraphs"]:
        box = paragraph["box"]
        if not within(box, layout["column"]):
            problems.append(f"a paragraph sticks out of its column: {paragraph['html']}")
        for line in paragraph["lines"]:
            if abs(start(line, direction) - start(box, direction)) > SLACK:
                problems.append(
                    f"a line does not begin at the paragraph's {start_side(direction)} edge "
                    f"(x={start(line, direction):.0f}, edge x={start(box, direction):.0f}): "
                    f"{paragraph['html']}"
                )
                break
            ragged |= abs(end(box, direction) - end(line, direction)) > 16
    # A short line stops well before the far edge: the text is aligned, not just filling.
    if layout["paragraphs"] and not ragged:
        problems.append(f"no line of the body text ends short of its {end_side(direction)} edge")

    photo, caption = layout["photo"], layout["caption"]
    if photo is None or caption is None:
        problems.append("the lead photo or its caption is missing")
    else:
        if not within(photo, layout["column"]):
            problems.append(f"the lead photo sticks out of its column: {photo}")
        if caption["box"]["top"] < photo["bottom"] - SLACK:
            problems.append(f"the caption is not under the photo: {caption['html']}")
        if not within(caption["box"], photo) or not within(caption["credit"], photo):
            problems.append(f"the caption or credit sticks out past the photo: {caption['html']}")
        if caption["lines"] and (
            abs(start(caption["lines"][0], direction) - start(caption["box"], direction)) > SLACK
        ):
            problems.append(
                f"the caption does not begin at its {start_side(direction)} edge: {caption['html']}"
            )

    problems += [f"text runs off the screen: {html}" for html in layout["offscreen"]]
    problems += [f"text lies under the header: {html}" for html in layout["underHeader"]]
    return problems


@pytest.mark.parametrize("width", ["desktop", "phone"])
@pytest.mark.parametrize("name", ["home", "article"])
def test_a_right_to_left_page_is_the_mirror_of_the_left_to_right_one(
    open_tab, scroll_through, screenshots_dir, name, width
):
    page = open_tab(width)
    page.goto("/")  # wherever the front page lives now: redirects are followed
    if name == "article":
        page.locator(".home__top .card__title a").first.click()
        expect(page.locator("h1.article__headline")).to_be_visible()
    scroll_through(page)

    left_to_right = page.evaluate(LAYOUT, PARTS[name])
    assert page.evaluate("getComputedStyle(document.body).direction") == "ltr"
    problems = layout_problems(left_to_right, "ltr")
    assert not problems, f"{page.url} at {width} width, left to right:\n" + "\n".join(problems)

    page.evaluate(TURN_RIGHT_TO_LEFT)
    page.screenshot(path=screenshots_dir / f"rtl-{name}-{width}.png", full_page=True)
    right_to_left = page.evaluate(LAYOUT, PARTS[name])

    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    problems = layout_problems(right_to_left, "rtl")
    assert not problems, (
        f"{page.url} at {width} width, right to left "
        f"(screenshot: artifacts/screenshots/rtl-{name}-{width}.png):\n" + "\n".join(problems)
    )
