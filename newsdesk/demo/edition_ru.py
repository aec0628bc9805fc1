"""Builds the demo's Russian edition from content_ru.py, on top of the English one.

The home page, the sections, the lead story and some other articles are
Wagtail translations of their English pages (same translation key, so a
reader can switch edition on them); the Russian-only articles live under the
Russian sections alone. Like the English build, running it again reuses
what exists and only adds what is missing.
"""

from django.db import transaction
from wagtail.models import Locale

from newsdesk.editions.slugs import transliterate_slug
from newsdesk.live.models import LiveBlogPage
from newsdesk.news.models import ArticlePage, Author, HomePage, SectionPage

from . import content_ru, discussion
from .live import build_live_blog

# As long as the English build's slugs (slugify(title)[:80]).
SLUG_LENGTH = 80


def build_russian_edition(
    *,
    home: HomePage,
    sections: dict[str, SectionPage],
    articles: dict[str, ArticlePage],
    blog: LiveBlogPage,
    reader_password: str,
    progress,
) -> dict[str, ArticlePage]:
    """Build (or top up) the Russian edition of the demo; returns its articles by key.

    `sections`, `articles` and `blog` are the English edition's, by slug and key.
    """
    ru = Locale.objects.get(language_code=content_ru.LANGUAGE_CODE)
    home_ru = _ensure_home(home, ru, progress)
    sections_ru = _ensure_sections(sections, ru, progress)
    authors = _ensure_authors(progress)
    pages = _ensure_articles(articles, sections_ru, authors, ru, progress)
    if home_ru.top_story_id is None:
        home_ru.top_story = pages[next(s["key"] for s in content_ru.ARTICLES if s.get("lead"))]
        home_ru.save_revision().publish()
    blog_ru = build_live_blog(
        section=sections_ru["live"],
        articles_by_key={**articles, **pages},
        progress=progress,
        spec=content_ru.LIVE_BLOG,
        translation_of=blog,
    )
    readers = discussion.ensure_readers(
        password=reader_password, progress=progress, people=content_ru.READERS
    )
    discussion.build_discussions(
        pages={**pages, discussion.LIVE_BLOG_KEY: blog_ru},
        readers=readers,
        progress=progress,
        discussions=content_ru.DISCUSSIONS,
    )
    return pages


def _ensure_home(home: HomePage, ru: Locale, progress) -> HomePage:
    home_ru = home.get_translation_or_none(ru)
    if home_ru is None:
        progress("Creating the Russian edition's home page")
        home_ru = home.copy_for_translation(ru)
        home_ru.title = content_ru.HOME["title"]
        home_ru.edition_name = content_ru.HOME["edition_name"]
        home_ru.edition_tagline = content_ru.HOME["edition_tagline"]
        home_ru.top_story = None  # the copy leads with the English story; set once translated
        home_ru.save_revision().publish()
    return home_ru


def _ensure_sections(sections: dict[str, SectionPage], ru: Locale, progress) -> dict:
    sections_ru = {}
    for slug, section in sections.items():
        section_ru = section.get_translation_or_none(ru)
        if section_ru is None:
            spec = content_ru.SECTIONS[slug]
            progress(f"Creating section {spec['title']}")
            section_ru = _translate_section(section, ru, spec)
            section_ru.save_revision().publish()
        sections_ru[slug] = section_ru
    return sections_ru


def _translate_section(section: SectionPage, ru: Locale, spec: dict) -> SectionPage:
    """The section's Russian version, as the newsroom's "Translate" makes it."""
    section_ru = section.copy_for_translation(ru)
    section_ru.title = section_ru.draft_title = spec["title"]
    section_ru.intro = spec["intro"]
    return section_ru


def _ensure_authors(progress) -> dict[str, Author]:
    for spec in content_ru.AUTHORS:
        author, created = Author.objects.get_or_create(
            slug=spec["key"],
            defaults={"name": spec["name"], "role": spec["role"], "bio": spec["bio"]},
        )
        if created:
            progress(f"Adding author {author.name}")
    # The Russian desk's and the shared English ones, by key.
    keys = {key for spec in content_ru.ARTICLES for key in spec["authors"]}
    return {author.slug: author for author in Author.objects.filter(slug__in=keys)}


def _ensure_articles(articles, sections_ru, authors, ru: Locale, progress) -> dict:
    from .builder import _create_article, publish_articles

    specs = content_ru.ARTICLES
    total = len(specs)
    pages: dict[str, ArticlePage] = {}

    # First pass: every article exists (as a draft), so that links by key
    # resolve to the Russian pages in the second.
    for number, spec in enumerate(specs, start=1):
        english = articles.get(spec.get("translation_of"))
        if english is not None:
            page = english.get_translation_or_none(ru)
            if page is None:
                progress(f"[{number}/{total}] Translating: {spec['title']}")
                with transaction.atomic():
                    page = _translate_article(english, spec, authors, ru)
        else:
            slug = transliterate_slug(spec["title"], max_length=SLUG_LENGTH)
            section = sections_ru[spec["section"]]
            page = ArticlePage.objects.child_of(section).filter(slug=slug).first()
            if page is None:
                progress(f"[{number}/{total}] Writing: {spec['title']}")
                with transaction.atomic():
                    page = _create_article(spec, slug, sections_ru, authors)
        pages[spec["key"]] = page

    # English articles stand in for untranslated ones.
    publish_articles(specs, pages, links={**articles, **pages}, progress=progress)
    return pages


def _translate_article(english: ArticlePage, spec: dict, authors, ru: Locale) -> ArticlePage:
    """A draft of `english` in Russian: its own words, photo caption, byline and tags."""
    from .builder import fill_article

    # Its byline and notes are the Russian desk's own: not copied only to be
    # replaced (rows written and deleted in one transaction leave Wagtail's
    # reference-index tasks nothing to find).
    page = english.copy_for_translation(ru, exclude_fields=["article_authors", "notes"])
    fill_article(page, spec, authors).save()
    return page
