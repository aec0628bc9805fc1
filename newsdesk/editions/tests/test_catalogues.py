"""The shipped translation catalogues: complete, compiled, and up to date with the source.

Update them after changing interface text (from the project package, so that
only our code is scanned), translate the new entries, then compile:

    cd newsdesk
    DJANGO_SETTINGS_MODULE=newsdesk.settings.test ../.venv/bin/django-admin \
        makemessages -l en -l ru --no-obsolete \
        --ignore '*/tests/*' --ignore 'demo/*' --ignore '*/migrations/*'
    DJANGO_SETTINGS_MODULE=newsdesk.settings.test ../.venv/bin/django-admin compilemessages
"""

import gettext
import re
import shutil
from pathlib import Path

import django
import pytest
from django.core.management import call_command
from django.test import override_settings

from newsdesk.testing import require

from .pofile import read_po

PROJECT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted((PROJECT / "locale").glob("*/LC_MESSAGES/*.po"))
# What makemessages leaves out: not interface text (test code, demo content)
# or a copy of it (migrations repeat the models' verbose names).
IGNORE = ["*/tests/*", "demo/*", "*/migrations/*"]

# %(name)s, %(count)d, %s, {name}: what is filled in when the text is shown.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


def header(entries):
    fields = (line.partition(":") for line in entries[0].msgstr.splitlines())
    return {name.strip(): value.strip() for name, _, value in fields}


def test_english_and_russian_are_shipped():
    assert {path.parts[-3] for path in CATALOGUES} >= {"en", "ru"}


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda path: path.parts[-3])
def test_every_entry_is_translated_with_its_placeholders(po):
    entries = read_po(po)
    nplurals = int(re.search(r"nplurals=(\d+)", header(entries)["Plural-Forms"]).group(1))
    problems = []
    for entry in entries:
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid!r}")
    for entry in entries[1:]:
        translations = entry.translations
        if entry.msgid_plural is not None and len(translations) != nplurals:
            problems.append(f"{len(translations)} of {nplurals} plural forms: {entry.msgid!r}")
        if not all(translations):
            problems.append(f"untranslated: {entry.msgid!r}")
            continue
        wanted = sorted(set(placeholders(entry.msgid) + placeholders(entry.msgid_plural or "")))
        for text in translations:
            if sorted(set(placeholders(text))) != wanted:
                problems.append(f"placeholders {placeholders(text)} for {wanted}: {entry.msgid!r}")
    assert not problems, "\n".join(problems)


def test_russian_plural_rule_is_djangos():
    # Django's own catalogues and ours merge into one per language: the
    # plural rule must be the same, or one of them picks the wrong form.
    ours = header(read_po(PROJECT / "locale/ru/LC_MESSAGES/django.po"))["Plural-Forms"]
    djangos = Path(django.__file__).parent / "conf/locale/ru/LC_MESSAGES/django.mo"
    with djangos.open("rb") as compiled:
        assert ours == gettext.GNUTranslations(compiled).info()["plural-forms"]


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda path: path.parts[-3])
def test_the_compiled_catalogue_matches_its_source(po):
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run compilemessages"
    with mo.open("rb") as compiled:
        catalogue = dict(gettext.GNUTranslations(compiled)._catalog)
    expected = {}
    for entry in read_po(po)[1:]:
        if entry.msgid_plural is None:
            expected[entry.key] = entry.msgstr
        else:
            expected.update({(entry.key, n): text for n, text in entry.msgstr_plural.items()})
    catalogue.pop("", None)  # the header
    assert catalogue == expected, f"{mo.name} is older than {po.name}: run compilemessages"


@pytest.fixture
def source_copy(tmp_path, monkeypatch):
    """The project's code and templates where makemessages can write its catalogue."""
    copy = tmp_path / "newsdesk"
    shutil.copytree(
        PROJECT,
        copy,
        ignore=shutil.ignore_patterns("locale", "static", "__pycache__", "*.pyc", "*.mo"),
    )
    (copy / "locale").mkdir()
    monkeypatch.chdir(copy)
    return copy


def test_the_catalogues_hold_every_interface_string_of_the_source(source_copy):
    require(shutil.which("xgettext"), "gettext (Debian package gettext) is not installed")
    with override_settings(LOCALE_PATHS=[source_copy / "locale"]):
        call_command(
            "makemessages",
            locale=["en"],
            ignore_patterns=IGNORE,
            no_obsolete=True,
            keep_pot=True,
            verbosity=0,
        )
    in_source = {(e.key, e.msgid_plural) for e in read_po(source_copy / "locale/django.pot")[1:]}
    assert len(in_source) > 100  # the scan found our code
    for po in CATALOGUES:
        shipped = {(e.key, e.msgid_plural) for e in read_po(po)[1:]}
        missing = sorted(key for key, _ in in_source - shipped)
        assert not missing, f"{po.parts[-3]} lacks (run makemessages, translate): {missing}"
