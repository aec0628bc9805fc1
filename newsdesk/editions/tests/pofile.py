"""A small reader for gettext .po catalogues, enough for the catalogue checks.

Reads what GNU gettext and Django's makemessages write: comments, flags,
msgctxt, msgid, msgid_plural, msgstr and msgstr[n], with C escapes and
strings continued over several lines. Obsolete entries (#~) are skipped.
"""

import ast
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        """The id the compiled catalogue knows the entry by (context EOT msgid)."""
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid

    @property
    def translations(self) -> list[str]:
        if self.msgid_plural is None:
            return [self.msgstr]
        return [self.msgstr_plural[n] for n in sorted(self.msgstr_plural)]


def _unquote(text: str) -> str:
    text = text.strip()
    if not (text.startswith('"') and text.endswith('"')):
        raise ValueError(f"not a quoted string: {text!r}")
    # A .po string is a C string: the escapes Python reads the same way.
    return ast.literal_eval(text)


def read_po(path: Path) -> list[Entry]:
    """The catalogue's entries, the header (msgid "") first."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int | None] | None = None
    started = False

    def finish():
        nonlocal entry, started, target
        if started:
            entries.append(entry)
        entry, started, target = Entry(), False, None

    for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#"):
            if target and target[0] in ("msgstr", "msgstr_plural"):
                finish()
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            elif line.startswith("#:"):
                entry.references.extend(line[2:].split())
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            if target is None:
                raise ValueError(f"{path}:{number}: a string continues nothing")
            name, index = target
            if index is None:
                setattr(entry, name, getattr(entry, name) + _unquote(line))
            else:
                entry.msgstr_plural[index] += _unquote(line)
            continue
        # A msgctxt or msgid after a msgstr starts the next entry.
        if keyword in ("msgctxt", "msgid") and target and target[0] in ("msgstr", "msgstr_plural"):
            finish()
        started = True
        if keyword.startswith("msgstr["):
            index = int(keyword[7:-1])
            entry.msgstr_plural[index] = _unquote(rest)
            target = ("msgstr_plural", index)
        elif keyword in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
            setattr(entry, keyword, _unquote(rest))
            target = (keyword, None)
        else:
            raise ValueError(f"{path}:{number}: unknown line {raw!r}")
    finish()
    return entries
