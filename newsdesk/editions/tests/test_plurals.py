"""Counts and dates as a reader of each edition sees them.

Russian has three plural forms for whole numbers: 1, 21, 101 (комментарий);
2-4, 22 (комментария); 5-20, 25, 111 (комментариев).
"""

import datetime
import json
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.utils import translation

from newsdesk.discussion.models import Mode
from newsdesk.editions.templatetags.script_text import plural_forms_script

ONE, FEW, MANY = "комментарий", "комментария", "комментариев"
RUSSIAN_FORMS = {
    1: ONE,
    2: FEW,
    4: FEW,
    5: MANY,
    11: MANY,
    12: MANY,
    14: MANY,
    21: ONE,
    22: FEW,
    25: MANY,
    101: ONE,
    111: MANY,
}


def comment_count_on_the_discussion(count, language):
    """The count at the top of an article's discussion (discussion/panel.html)."""
    with translation.override(language):
        html = render_to_string(
            "discussion/panel.html",
            {
                "discussion": SimpleNamespace(comment_count=count),
                "mode": Mode.OPEN,
                "modes": Mode,
                "user": AnonymousUser(),
                "come_back_to": "/ru/",
            },
        )
    start = html.index('<p class="discussion__count">') + len('<p class="discussion__count">')
    return html[start : html.index("</p>", start)]


@pytest.mark.parametrize(("count", "word"), RUSSIAN_FORMS.items())
def test_a_russian_reader_sees_the_comment_count_in_the_right_form(count, word):
    assert comment_count_on_the_discussion(count, "ru") == f"{count} {word}"


def test_an_english_reader_sees_one_comment_and_two_comments():
    assert comment_count_on_the_discussion(1, "en") == "1 comment"
    assert comment_count_on_the_discussion(2, "en") == "2 comments"


def scripts_plural_forms(language):
    with translation.override(language):
        html = str(plural_forms_script())
    return json.loads(html[html.index(">") + 1 : html.rindex("</script>")])


def test_scripts_get_a_form_for_each_russian_plural_category():
    # discussion.js and live.js pick the form whose number (1, 2 or 5) is in
    # the count's plural category: "21 комментарий", "22 комментария"...
    forms = scripts_plural_forms("ru")
    assert forms["comments"] == {
        "1": f"{{count}} {ONE}",
        "2": f"{{count}} {FEW}",
        "5": f"{{count}} {MANY}",
    }
    assert forms["new_updates"] == {
        "1": "{count} новая запись",
        "2": "{count} новые записи",
        "5": "{count} новых записей",
    }


def test_scripts_get_the_english_singular_and_plural():
    forms = scripts_plural_forms("en")
    assert forms["comments"] == {
        "1": "{count} comment",
        "2": "{count} comments",
        "5": "{count} comments",
    }


def comment_time(language):
    comment = SimpleNamespace(
        pk=1,
        status="published",
        author=None,
        body="First!",
        edited_at=None,
        created_at=datetime.datetime(2026, 11, 26, 14, 5, tzinfo=datetime.UTC),
    )
    with translation.override(language):
        html = render_to_string("discussion/comment.html", {"comment": comment})
    start = html.index(">", html.index("<time")) + 1
    return html[start : html.index("</time>")]


def test_a_date_in_russian_has_the_month_in_the_genitive():
    assert comment_time("ru") == "26 ноября 2026, 14:05"


def test_a_date_in_english_reads_as_before():
    assert comment_time("en") == "26 Nov 2026, 14:05"
