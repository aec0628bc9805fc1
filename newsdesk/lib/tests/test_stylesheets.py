"""The stylesheets and templates speak in logical directions, so right-to-left editions lay out.

A physical direction (margin-left, text-align: right, float: left, ...) stays on
the same side when an edition sets dir="rtl", which is what breaks a mirrored
layout. These tests scan every stylesheet under newsdesk/static, every
template's inline styles, and the scripts' inline-style writes, and name the
file and line of each physical direction, with the logical replacement.

Rules scoped to a direction ([dir=rtl] ..., :dir(ltr)) may use physical
values: that is where a deliberate per-direction override lives.
"""

import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]  # newsdesk/

PHYSICAL_PROPERTIES = {
    "margin-left": "margin-inline-start",
    "margin-right": "margin-inline-end",
    "padding-left": "padding-inline-start",
    "padding-right": "padding-inline-end",
    "scroll-margin-left": "scroll-margin-inline-start",
    "scroll-margin-right": "scroll-margin-inline-end",
    "scroll-padding-left": "scroll-padding-inline-start",
    "scroll-padding-right": "scroll-padding-inline-end",
    "border-left": "border-inline-start",
    "border-right": "border-inline-end",
    "border-left-width": "border-inline-start-width",
    "border-right-width": "border-inline-end-width",
    "border-left-style": "border-inline-start-style",
    "border-right-style": "border-inline-end-style",
    "border-left-color": "border-inline-start-color",
    "border-right-color": "border-inline-end-color",
    "border-top-left-radius": "border-start-start-radius",
    "border-top-right-radius": "border-start-end-radius",
    "border-bottom-left-radius": "border-end-start-radius",
    "border-bottom-right-radius": "border-end-end-radius",
    "left": "inset-inline-start",
    "right": "inset-inline-end",
}
# Properties whose left/right keyword values have logical ones.
KEYWORD_VALUES = {
    "text-align": {"left": "start", "right": "end"},
    "text-align-last": {"left": "start", "right": "end"},
    "float": {"left": "inline-start", "right": "inline-end"},
    "clear": {"left": "inline-start", "right": "inline-end"},
}
# Properties where a left/right keyword places something on a physical side.
POSITIONS = {
    "background",
    "background-position",
    "background-position-x",
    "mask",
    "mask-position",
    "object-position",
    "transform-origin",
    "perspective-origin",
}
# Shorthands of four sides (top right bottom left): lopsided if right != left.
FOUR_SIDES = {
    "margin",
    "padding",
    "inset",
    "border-width",
    "border-style",
    "border-color",
    "scroll-margin",
    "scroll-padding",
}
# Arrows and chevrons that point along the line: they point backwards in RTL.
ARROWS = re.compile(
    "[\u2190\u2192\u2039\u203a\u00ab\u00bb\u25b6\u25c0\u25b8\u25c2\u276f\u276e]"
    r"|\\0*(?:2190|2192|2039|203a|ab|bb|25b6|25c0|25b8|25c2|276f|276e)(?![0-9a-f])",
    re.IGNORECASE,
)
TO_A_SIDE = re.compile(r"\bto\s+(?:(?:top|bottom)\s+)?(left|right)\b")
SIDE_WORD = re.compile(r"(?<![\w-])(left|right)(?![\w-])")
TRANSLATE_X = re.compile(r"\btranslate(?:X|3d)?\(\s*([^,)\s]+)", re.IGNORECASE)
ZERO = re.compile(r"^[+-]?0*\.?0+(?:[a-z%]+)?$", re.IGNORECASE)
DIRECTION_SCOPED = re.compile(r"\[\s*dir\b|:dir\(", re.IGNORECASE)
VENDOR = re.compile(r"^-(?:webkit|moz|ms|o)-")


def split_tokens(value):
    """A value's space-separated parts, keeping calc(...) and friends whole."""
    tokens, depth, current = [], 0, ""
    for char in value:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char.isspace() and depth == 0:
            if current:
                tokens.append(current)
            current = ""
        else:
            current += char
    if current:
        tokens.append(current)
    return tokens


def radius_is_lopsided(value):
    # top-left top-right bottom-right bottom-left, after CSS's filling-in.
    for part in value.split("/"):
        radii = split_tokens(part)
        if not radii:
            continue
        while len(radii) < 4:
            radii.append(radii[len(radii) - 2] if len(radii) > 1 else radii[0])
        top_left, top_right, bottom_right, bottom_left = radii[:4]
        if top_left != top_right or bottom_right != bottom_left:
            return True
    return False


def without_functions(value):
    """The value without url(...), var(...) and strings: words in those are not sides."""
    value = re.sub(r"(['\"]).*?\1", "", value)
    return re.sub(r"\b(?:url|var|env|attr)\([^)]*\)", "", value, flags=re.IGNORECASE)


def physical_directions(prop, value):
    """What a declaration ties to a physical side, each with its logical replacement."""
    prop = VENDOR.sub("", prop.strip().lower())
    value = re.sub(r"!\s*important\s*$", "", value.strip(), flags=re.IGNORECASE).strip()
    if prop.startswith("--"):
        return []  # a custom property's name is not a direction; where it is used, is
    lowered = without_functions(value).lower()
    problems = []
    if prop in PHYSICAL_PROPERTIES:
        problems.append(f"{prop}: use {PHYSICAL_PROPERTIES[prop]}")
    if prop in KEYWORD_VALUES and lowered in KEYWORD_VALUES[prop]:
        problems.append(f"{prop}: {lowered}: use {prop}: {KEYWORD_VALUES[prop][lowered]}")
    if prop in FOUR_SIDES:
        sides = split_tokens(value.lower())
        if len(sides) == 4 and sides[1] != sides[3]:
            problems.append(
                f"{prop}: {value}: right and left differ; "
                f"use {prop}-block and {prop}-inline-start/-end"
            )
    if prop == "border-radius" and radius_is_lopsided(value.lower()):
        problems.append(
            f"border-radius: {value}: corners differ by side; "
            "use border-start-start-radius and the other logical corners"
        )
    if prop in POSITIONS and SIDE_WORD.search(lowered):
        problems.append(f"{prop}: {value}: a left/right position stays put in RTL")
    if TO_A_SIDE.search(lowered):
        problems.append(f"{prop}: {value}: a gradient 'to left/right' stays put in RTL")
    if prop in ("transform", "translate"):
        first = (
            TRANSLATE_X.findall(value) if prop == "transform" else split_tokens(value.lower())[:1]
        )
        if any(not ZERO.match(offset) for offset in first):
            problems.append(f"{prop}: {value}: a sideways move; mirror it under [dir=rtl]")
    return problems


COMMENT_OR_STRING = re.compile(r"""/\*.*?(?:\*/|$)|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'""", re.S)


def blank(text):
    """The text as spaces, newlines kept, so line numbers still count."""
    return re.sub(r"[^\n]", " ", text)


def css_declarations(css):
    """(line, selector, property, value) for each declaration in a stylesheet, nested or not.

    The selector is every enclosing rule's and at-rule's prelude, joined, so a
    direction scope anywhere above a declaration is seen.
    """
    # Values are read from `source` (comments blanked); the structure from `plain`
    # (strings hidden too, so a brace or semicolon in a string is not one).
    source = COMMENT_OR_STRING.sub(
        lambda m: blank(m.group()) if m.group().startswith("/*") else m.group(), css
    )
    plain = COMMENT_OR_STRING.sub(lambda m: blank(m.group()), css)
    preludes, start = [], 0
    for i, char in enumerate(plain):
        if char not in "{};":
            continue
        chunk = source[start:i]
        if char == "{":
            preludes.append(" ".join(chunk.split()))
        elif ":" in chunk and preludes and not preludes[-1].startswith("@"):
            offset = start + len(chunk) - len(chunk.lstrip())
            prop, _, value = chunk.strip().partition(":")
            yield css.count("\n", 0, offset) + 1, " ".join(preludes), prop, value
        if char == "}" and preludes:
            preludes.pop()
        start = i + 1


RTL_SCOPE = re.compile(r"""\[\s*dir\s*=\s*["']?rtl["']?\s*\]\s*|:dir\(\s*rtl\s*\)""", re.I)


def stylesheet_problems(css, first_line=1):
    declarations = list(css_declarations(css))
    # Selectors given their own right-to-left rule: an arrow there is flipped.
    flipped = {
        " ".join(RTL_SCOPE.sub(" ", selector).split())
        for _line, selector, _prop, _value in declarations
        if RTL_SCOPE.search(selector)
    }
    for line, selector, prop, value in declarations:
        where = first_line + line - 1
        if DIRECTION_SCOPED.search(selector):
            continue
        for problem in physical_directions(prop, value):
            yield where, problem
        if (
            prop.strip().lower() == "content"
            and ARROWS.search(value)
            and " ".join(selector.split()) not in flipped
        ):
            yield (
                where,
                f"content: {value.strip()}: an arrow points backwards in RTL; "
                "flip it under [dir=rtl]",
            )


STYLE_ATTRIBUTE = re.compile(r"""\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b[^>]*>(.*?)</style>", re.IGNORECASE | re.DOTALL)
ALIGN_ATTRIBUTE = re.compile(r"""\salign\s*=\s*["']?(left|right)\b""", re.IGNORECASE)
TEMPLATE_COMMENT = re.compile(r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.DOTALL)


def template_problems(html):
    # Blank out template comments, keeping their newlines: words in them are not styles.
    html = TEMPLATE_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), html)
    html = re.sub(r"<!--.*?-->", lambda m: re.sub(r"[^\n]", " ", m.group()), html, flags=re.S)
    for match in STYLE_ATTRIBUTE.finditer(html):
        line = html.count("\n", 0, match.start()) + 1
        for declaration in (match.group(1) or match.group(2) or "").split(";"):
            prop, colon, value = declaration.partition(":")
            if colon:
                for problem in physical_directions(prop, value):
                    yield line, f'style="...": {problem}'
    for match in STYLE_ELEMENT.finditer(html):
        yield from stylesheet_problems(match.group(1), html.count("\n", 0, match.start(1)) + 1)
    for match in ALIGN_ATTRIBUTE.finditer(html):
        yield (
            html.count("\n", 0, match.start()) + 1,
            (f'align="{match.group(1)}": use CSS text-align: start/end'),
        )


SCRIPT_STYLE = re.compile(
    r"\.style\.(?:(?:margin|padding|border|scrollMargin|scrollPadding)(?:Left|Right)\w*"
    r"|left|right)\b"
    r"|\.style\.(?:textAlign|cssFloat|float)\s*=\s*[\"'](?:left|right)[\"']"
    r"|setProperty\(\s*[\"'](?:margin|padding|border)-(?:left|right)"
)


def script_problems(js):
    for number, line in enumerate(js.splitlines(), start=1):
        if line.lstrip().startswith("//"):
            continue
        for match in SCRIPT_STYLE.finditer(line):
            yield number, f"{match.group()}: a physical direction; use the logical property"


def files(pattern):
    return sorted(path for path in PACKAGE.glob(pattern) if "node_modules" not in path.parts)


def report(found):
    return "physical directions (break right-to-left editions):\n" + "\n".join(
        f"  {path.relative_to(PACKAGE.parent)}:{line}: {problem}" for path, line, problem in found
    )


# The scanner itself: what it must catch, and what it must leave alone.


@pytest.mark.parametrize(
    "css",
    [
        ".a { margin-left: 1rem; }",
        ".a { padding-right: 1rem !important; }",
        ".a { border-left: 4px solid red; }",
        ".a { border-right-color: red; }",
        ".a { border-top-left-radius: 3px; }",
        ".a { position: absolute; left: 0; }",
        ".a { right: -100vw; }",
        ".a { text-align: left; }",
        ".a { text-align: RIGHT; }",
        ".a { float: right; }",
        ".a { clear: left; }",
        ".a { margin: 0 1rem 0 2rem; }",
        ".a { inset: 0 auto auto 0; }",
        ".a { border-radius: 4px 0 0 4px; }",
        ".a { border-radius: 4px 0; }",
        ".a { background: url(x.svg) no-repeat right center; }",
        ".a { background-image: linear-gradient(to right, red, blue); }",
        ".a { transform: translateX(-50%); }",
        ".a { transform: translate(1rem, 0); }",
        ".a { -webkit-margin-start: 0; -webkit-padding-end: 0; margin-right: 0; }",
        ".a::after { content: '\u2192'; }",
        ".a::before { content: '\\203A'; }",
        ".a::after { content: '\u2192'; } [dir=rtl] .b::after { content: '\u2190'; }",
        "@media (min-width: 60rem) { .a { margin-left: auto; } }",
        ".a { &:hover { padding-left: 1rem; } }",
    ],
)
def test_it_flags_physical_directions(css):
    assert list(stylesheet_problems(css))


@pytest.mark.parametrize(
    "css",
    [
        ".a { margin-inline-start: 1rem; padding-inline: 1rem; border-inline-end: 1px solid; }",
        ".a { inset: 0; inset-inline-start: 0; inset-block: 0 auto; }",
        ".a { margin: 0 auto; padding: 1rem 2rem 3rem; margin: 1px 2px 3px 2px; }",
        ".a { text-align: start; text-align: center; float: inline-end; clear: both; }",
        ".a { transform: translateX(0); transform: translate(0, -50%); translate: 0 1rem; }",
        ".a { transform: translateY(2px) rotate(45deg); }",
        ".a { border-radius: 50%; border-radius: 4px 4px 0 0; border-radius: 1rem / 2rem; }",
        ".a { border-start-start-radius: 3px; }",
        "/* margin-left: 1rem; text-align: left */ .a { color: red; }",
        ".align-left, .float-right { display: block; }",
        ".a { content: 'left: 0; right'; }",
        ".a { background: url(arrow-left.svg); grid-area: left; --left: 1rem; }",
        ".a { background-image: linear-gradient(to bottom, red, blue); }",
        "[dir=rtl] .a { margin-left: 1rem; }",
        ".a:dir(rtl)::after { content: '\u2190'; }",
        ".a::after { content: '\u2192'; } [dir=rtl] .a::after { content: '\u2190'; }",
        '.a { overflow-wrap: anywhere; white-space: nowrap; font: 1rem "Right Sans"; }',
        "@font-face { font-family: x; src: url(x.woff2); }",
        ".a { box-shadow: inset 0 -2px 0 red; clip: rect(0 0 0 0); }",
    ],
)
def test_it_leaves_logical_and_unrelated_styles_alone(css):
    assert list(stylesheet_problems(css)) == []


def test_it_names_the_line_of_a_physical_direction():
    css = "/* header\n   margin-left: 0 */\n.a {\n  color: red;\n  text-align: right;\n}\n"

    assert list(stylesheet_problems(css)) == [(5, "text-align: right: use text-align: end")]


def test_it_flags_inline_styles_in_templates_but_not_their_comments():
    html = (
        '{# style="margin-left: 1rem" #}\n'
        '<div class="text-left" style="color: red">\n'
        '<p style="padding-right: {{ gap }}px; color: red">x</p>\n'
        "<td align=right>1</td>\n"
        "<style>\n.a { color: red }\n.b { float: left }\n</style>\n"
    )

    assert [line for line, _problem in template_problems(html)] == [3, 7, 4]


def test_it_flags_scripts_that_write_physical_inline_styles():
    js = 'el.style.marginLeft = "1rem";\n// el.style.left = 0\nel.style.insetInlineStart = 0;\n'

    assert [line for line, _problem in script_problems(js)] == [1]


# The rule itself.


def test_the_stylesheets_use_logical_directions():
    found = [
        (path, line, problem)
        for path in files("static/**/*.css")
        for line, problem in stylesheet_problems(path.read_text(encoding="utf-8"))
    ]

    assert files("static/**/*.css"), "no stylesheets found: has newsdesk/static moved?"
    assert not found, report(found)


def test_the_templates_use_logical_directions():
    templates = files("templates/**/*.html") + files("*/templates/**/*.html")
    found = [
        (path, line, problem)
        for path in templates
        for line, problem in template_problems(path.read_text(encoding="utf-8"))
    ]

    assert templates, "no templates found: have they moved?"
    assert not found, report(found)


def test_the_scripts_write_logical_inline_styles():
    found = [
        (path, line, problem)
        for path in files("static/**/*.js")
        for line, problem in script_problems(path.read_text(encoding="utf-8"))
    ]

    assert not found, report(found)
