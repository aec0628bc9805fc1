import re

from django.test import Client
from wagtail.models import Locale, Page

from newsdesk.demo import content, content_ru
from newsdesk.demo.builder import build_demo
from newsdesk.demo.live import post_demo_entry
from newsdesk.discussion.models import Comment
from newsdesk.editions.slugs import transliterate_slug
from newsdesk.live.models import LiveBlogPage, LiveEntry
from newsdesk.news.models import ArticlePage, Author, HomePage, SectionPage

CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


def _counts():
    return (
        Page.objects.count(),
        ArticlePage.objects.live().count(),
        LiveEntry.objects.count(),
        Author.objects.count(),
        Comment.objects.count(),
    )


def test_the_demo_has_a_russian_edition_and_a_rebuild_duplicates_nothing(db, settings, tmp_path):
    # One test, as test_builder's: each demo build takes a while.
    settings.DATA_DIR = tmp_path
    lines = []
    build_demo(progress=lines.append)
    assert "Building the Russian edition" in lines
    first = _counts()

    ru = Locale.objects.get(language_code="ru")
    english_home = HomePage.objects.get(locale__language_code="en")
    home = english_home.get_translation(ru)
    assert home.live
    assert home.edition_name == content_ru.HOME["edition_name"] == "Ньюсдеск"
    assert home.edition_tagline

    _assert_sections_speak_russian(ru)
    _assert_the_lead_story_is_a_translation(english_home, home, ru)
    _assert_russian_only_articles(ru)
    _assert_the_russian_live_blog(ru)
    _assert_russian_readers_discuss_the_lead(home)

    build_demo(progress=lines.append)
    assert _counts() == first

    _assert_both_live_blogs_roll_on_in_their_language(ru)


def _assert_sections_speak_russian(ru):
    for english in SectionPage.objects.filter(locale__language_code="en"):
        section = english.get_translation(ru)
        assert section.live and section.slug == english.slug
        assert section.title == content_ru.SECTIONS[english.slug]["title"]
    assert SectionPage.objects.filter(locale=ru).count() == len(content.SECTIONS) + 1


def _assert_the_lead_story_is_a_translation(english_home, home, ru):
    english_lead = english_home.top_story
    lead = home.top_story
    assert lead.locale == ru and lead.live
    assert lead.translation_key == english_lead.translation_key
    assert english_lead.get_translation(ru) == lead
    assert CYRILLIC.search(lead.title) and lead.title != english_lead.title
    assert lead.slug == english_lead.slug, "the translated page keeps its slug"
    assert lead.get_parent().specific.title == "Мир"
    assert lead.dateline == "МОСКВА (Meridian Wire)"
    assert CYRILLIC.search(lead.lead_image_caption)
    assert CYRILLIC.search(lead.lead_image.credit)
    assert not lead.notes.exists()
    used = {block.block_type for block in lead.body}
    assert used == {"paragraph", "quote", "subheading", "image", "related_story", "read_more"}
    # Its related stories and read-more links are the Russian edition's own.
    linked = [
        block.value["article"]
        for block in lead.body
        if block.block_type in ("related_story", "read_more")
    ]
    assert linked and all(article.locale == ru for article in linked)
    assert {link.author.name for link in lead.article_authors.all()} >= {"Анна Воронцова"}

    english_titles = {spec["key"]: spec["title"] for spec in content.ARTICLES}
    translations = [spec for spec in content_ru.ARTICLES if spec.get("translation_of")]
    assert len(translations) >= 3
    for spec in translations:
        english = ArticlePage.objects.get(title=english_titles[spec["translation_of"]])
        page = english.get_translation(ru)
        assert page.live and page.title == spec["title"]

    response = Client().get(lead.url)
    assert response.status_code == 200
    assert lead.title in response.content.decode()


def _assert_russian_only_articles(ru):
    specs = [spec for spec in content_ru.ARTICLES if not spec.get("translation_of")]
    assert len(specs) >= 2
    for spec in specs:
        page = ArticlePage.objects.get(locale=ru, title=spec["title"])
        assert page.live
        assert page.get_translations().count() == 0, "no English version"
        assert page.slug.isascii() and re.fullmatch("[a-z0-9-]+", page.slug)
        assert page.slug == transliterate_slug(page.title, max_length=80)
    assert ArticlePage.objects.live().filter(locale=ru).count() == len(content_ru.ARTICLES)


def _assert_the_russian_live_blog(ru):
    english = LiveBlogPage.objects.get(locale__language_code="en")
    blog = english.get_translation(ru)
    assert blog.live and blog.title == content_ru.LIVE_BLOG["title"]
    entries = LiveEntry.objects.filter(blog=blog, status="published")
    assert entries.count() >= 10
    assert entries.filter(is_pinned=True).count() == 1
    assert entries.filter(is_key_event=True).count() >= 3
    assert all(CYRILLIC.search(entry.headline or str(entry.body)) for entry in entries)
    html = Client().get(blog.url).content.decode()
    assert "Что делать этой ночью" in html


def _assert_russian_readers_discuss_the_lead(home):
    comments = Comment.objects.filter(discussion__page=home.top_story)
    names = {comment.author.reader_profile.display_name for comment in comments}
    assert len(names) >= 4 and "Ольга Смирнова" in names
    assert comments.filter(parent__isnull=False).exists()


def _assert_both_live_blogs_roll_on_in_their_language(ru):
    english = LiveBlogPage.objects.get(locale__language_code="en")
    russian = english.get_translation(ru)
    posted = {entry.blog_id: entry for entry in post_demo_entry(min_interval=1)}
    assert set(posted) == {english.pk, russian.pk}
    assert CYRILLIC.search(str(posted[russian.pk].body))
    assert not CYRILLIC.search(str(posted[english.pk].body))
