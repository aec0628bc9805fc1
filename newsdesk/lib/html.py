"""Sanitising HTML that reaches readers' pages."""

import nh3

# What the paragraph editor can produce; anything else (scripts, event
# handlers, javascript: links, styles) cannot have come from it.
RICH_TEXT_TAGS = {"p", "br", "b", "strong", "i", "em", "a", "ul", "ol", "li"}
RICH_TEXT_ATTRIBUTES = {"a": {"href"}}


def clean_rich_text(html: str) -> str:
    """Rich text as it may be shown: allowed tags only, safe link schemes only.

    The admin's editor already writes clean HTML, but body text also arrives
    from imports, wire copy and the API, so the page never trusts it.
    """
    return nh3.clean(
        html,
        tags=RICH_TEXT_TAGS,
        attributes=RICH_TEXT_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel=None,
    )
