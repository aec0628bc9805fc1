"""Latin slugs for headlines in Cyrillic.

A Russian headline makes a readable Latin slug ("Паром застрял во льдах" →
"parom-zastryal-vo-ldakh"): URLs stay legible when shared, typed or quoted in
other alphabets. The table follows the BGN/PCGN romanization of Russian (the
spelling English-language newsrooms use for Russian names), with ё as "yo",
plus the Ukrainian and Belarusian letters it lacks. Other scripts go through
Django's slugify, which keeps the ASCII part.
"""

from django.utils.text import slugify

CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo",
    "ж": "zh", "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "w",
}  # fmt: skip


def transliterate(text: str) -> str:
    return "".join(CYRILLIC_TO_LATIN.get(char, char) for char in text.lower())


def transliterate_slug(text: str, max_length: int = 255) -> str:
    """A lowercase ASCII slug for `text`, Cyrillic transliterated."""
    return slugify(transliterate(text))[:max_length].strip("-")


def latin_slug(slug: str) -> str:
    """`slug` itself when already ASCII, else its transliteration."""
    return slug if slug.isascii() else transliterate_slug(slug)
