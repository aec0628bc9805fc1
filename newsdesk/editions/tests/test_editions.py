"""Language editions as readers, search engines, feed readers and editors meet them."""

import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Locale

from newsdesk.editions.slugs import transliterate_slug
from newsdesk.live.models import LiveBlogPage
from newsdesk.news.models import ArticlePage, SectionPage
from newsdesk.news.roles import section_editors_name
from newsdesk.news.tests.test_newsroom import _add_url, _article_form
from newsdesk.testing import SITE_NAME, make_article

NEWS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def translate(page, **fields):
    """The page's Russian version, as the editor's "Translate" makes it, published."""
    copy = page.copy_for_translation(Locale.objects.get(language_code="ru"))
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save_revision().publish()
    copy.refresh_from_db()
    return copy


@pytest.fixture
def home_ru(home):
    return translate(
        home, title="Главная", edition_name="Ньюсдеск", edition_tagline="Новости со всего мира"
    )


@pytest.fixture
def world_ru(world, home_ru):
    return translate(world, title="Мир", intro="Новости со всего света")


@pytest.fixture
def story(world):
    """An English story with a Russian version."""
    return make_article(world, title="Ferry stuck in the ice", summary="Passengers wait.")


@pytest.fixture
def story_ru(story, world_ru):
    return translate(story, title="Паром застрял во льдах", summary="Пассажиры ждут помощи.")


def soup_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def alternates(soup) -> dict:
    return {
        link["hreflang"]: link["href"]
        for link in soup.select('head link[rel="alternate"][hreflang]')
    }


def switcher(soup) -> dict:
    return {a["hreflang"]: a["href"] for a in soup.select(".edition-switcher a")}


# Routing


def test_each_edition_has_its_home_name_and_sections_under_its_prefix(client, world_ru):
    english, russian = soup_of(client, "/en/"), soup_of(client, "/ru/")

    assert english.html["lang"] == "en" and russian.html["lang"] == "ru"
    assert english.select_one(".site-brand").get_text(strip=True) == SITE_NAME
    assert russian.select_one(".site-brand").get_text(strip=True) == "Ньюсдеск"
    assert russian.select_one('meta[name="description"]')["content"] == "Новости со всего мира"
    assert [a["href"] for a in english.select(".site-nav a")] == ["/en/world/"]
    assert [(a.get_text(), a["href"]) for a in russian.select(".site-nav a")] == [
        ("Мир", "/ru/world/")
    ]
    # The interface speaks the edition's language.
    assert russian.select_one(".site-search button").get_text(strip=True) == "Найти"
    assert russian.select_one(".site-search")["action"] == "/ru/search/"


def test_each_edition_lists_only_its_own_articles(client, story_ru):
    make_article(story_ru.get_parent().get_translation(Locale.objects.get(language_code="en")))
    english = soup_of(client, "/en/world/").get_text()
    russian = soup_of(client, "/ru/world/").get_text()
    assert "Ferry stuck in the ice" in english and "Паром застрял во льдах" not in english
    assert "Паром застрял во льдах" in russian and "Ferry stuck in the ice" not in russian
    assert "Ministers meet in Geneva" not in russian


def test_a_language_without_an_edition_is_not_found_rather_than_another_editions_pages(
    client, story
):
    assert client.get("/ru/").status_code == 404
    assert client.get(story.url.replace("/en/", "/ru/")).status_code == 404


def test_a_bare_address_goes_to_the_readers_language(client, world_ru):
    russian = client.get("/", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"})
    english = client.get("/world/", headers={"Accept-Language": "en-GB"})
    assert (russian.status_code, russian["Location"]) == (302, "/ru/")
    assert (english.status_code, english["Location"]) == (302, "/en/world/")
    # A shared cache must not hand one reader's redirect to another.
    assert "Accept-Language" in russian["Vary"]


def test_machine_addresses_keep_their_own_not_found(client, home):
    response = client.get("/api/v1/articles/999999")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


# Translations: hreflang and the switcher


def test_hreflang_pairs_are_symmetric_and_absolute(client, story, story_ru):
    english = alternates(soup_of(client, story.url))
    russian = alternates(soup_of(client, story_ru.url))
    assert (
        english
        == russian
        == {
            "en": f"http://testserver{story.url}",
            "ru": f"http://testserver{story_ru.url}",
        }
    )
    assert story_ru.url.startswith("/ru/world/")


def test_home_pages_are_each_others_alternates(client, world_ru):
    assert (
        alternates(soup_of(client, "/en/"))
        == alternates(soup_of(client, "/ru/"))
        == {
            "en": "http://testserver/en/",
            "ru": "http://testserver/ru/",
            # The address that sends each reader to their language's edition.
            "x-default": "http://testserver/",
        }
    )


def test_the_switcher_leads_to_the_same_story_in_the_other_edition(client, story, story_ru):
    english = soup_of(client, story.url)
    assert switcher(english) == {"ru": story_ru.url}
    link = english.select_one('.edition-switcher a[hreflang="ru"]')
    assert link.get_text() == "Русский" and link["lang"] == "ru"
    assert english.select_one('.edition-switcher [aria-current="true"]').get_text() == "English"
    assert switcher(soup_of(client, story_ru.url)) == {"en": story.url}


def test_a_story_only_one_edition_has_leads_to_the_other_editions_home(client, story, world_ru):
    soup = soup_of(client, story.url)
    assert switcher(soup) == {"ru": "/ru/"}
    assert alternates(soup) == {}  # no pair to announce


def test_a_draft_translation_is_neither_linked_nor_announced(client, story, world_ru):
    draft = story.copy_for_translation(Locale.objects.get(language_code="ru"))
    draft.title = "Черновик"
    draft.save_revision()
    soup = soup_of(client, story.url)
    assert switcher(soup) == {"ru": "/ru/"}
    assert alternates(soup) == {}


def test_a_translation_published_later_shows_in_the_original_at_once(client, story, world_ru):
    assert switcher(soup_of(client, story.url)) == {"ru": "/ru/"}  # now kept per token
    story_ru = translate(story, title="Паром застрял во льдах")
    assert switcher(soup_of(client, story.url)) == {"ru": story_ru.url}


def test_other_views_switch_to_the_same_view_in_the_other_edition(client, world_ru):
    soup = soup_of(client, "/en/search/?q=ferry")
    assert switcher(soup) == {"ru": "/ru/search/?q=ferry"}


# Links inside articles follow the reader's edition


def test_related_cards_and_read_more_follow_the_readers_edition(client, story, world_ru):
    story_ru = translate(story, title="Паром застрял во льдах")
    only_english = make_article(story.get_parent(), title="Harbour master retires")
    article_ru = make_article(
        world_ru,
        title="Лёд сковал залив",
        body=[
            ("paragraph", "<p>Залив замёрз за одну ночь.</p>"),
            ("related_story", {"article": story.pk}),
            ("read_more", {"article": only_english.pk}),
        ],
    )
    soup = soup_of(client, article_ru.url)
    card = soup.select_one(".related-card__link")
    assert card["href"] == story_ru.url
    assert card.get_text(strip=True) == "Паром застрял во льдах"
    read_more = soup.select_one(".read-more a")
    # No Russian version: the English original, marked as such, not a broken link.
    assert read_more["href"] == only_english.url
    assert read_more["hreflang"] == "en" and read_more["lang"] == "en"
    assert soup.select_one(".read-more__language").get_text() == "(English)"


# Slugs


def test_cyrillic_headlines_get_readable_latin_slugs(world_ru):
    article = make_article(world_ru, title="Паром «Щедрый» застрял во льдах у Ёлкино", slug="")
    assert article.slug == "parom-shchedryy-zastryal-vo-ldakh-u-yolkino"
    assert article.url == "/ru/world/parom-shchedryy-zastryal-vo-ldakh-u-yolkino/"
    assert transliterate_slug("Объявлен сбор: Жители Юрьевца") == "obyavlen-sbor-zhiteli-yurevtsa"


def test_an_address_typed_in_cyrillic_still_finds_the_story(client, world_ru):
    article = make_article(world_ru, title="Паром застрял во льдах", slug="")
    for typed in (
        "/ru/world/паром-застрял-во-льдах/",
        "/ru/world/%D0%BF%D0%B0%D1%80%D0%BE%D0%BC-%D0%B7%D0%B0%D1%81%D1%82%D1%80%D1%8F%D0%BB-%D0%B2%D0%BE-%D0%BB%D1%8C%D0%B4%D0%B0%D1%85/",
    ):
        response = client.get(typed)
        assert (response.status_code, response["Location"]) == (301, article.url)
    assert client.get("/ru/world/такой-статьи-нет/").status_code == 404


def test_the_editor_saves_a_cyrillic_slug_in_latin_letters(client, world_ru, editor):
    editor.groups.add(Group.objects.get(name=section_editors_name(world_ru)))
    client.force_login(editor)
    form = _article_form(world_ru, title="Паром застрял во льдах", slug="паром-застрял-во-льдах")
    response = client.post(_add_url(world_ru), {**form, "action-publish": "1"})
    assert response.status_code == 302
    page = ArticlePage.objects.get(title="Паром застрял во льдах")
    assert page.slug == "parom-zastryal-vo-ldakh" and page.live


# Feeds, sitemaps, search, the API


def test_each_edition_has_its_own_feed_in_its_language(client, story, story_ru):
    russian = ET.fromstring(client.get("/ru/feeds/latest.rss").content)
    english = ET.fromstring(client.get("/en/feeds/latest.rss").content)
    assert russian.findtext("channel/language") == "ru"
    assert russian.findtext("channel/title") == "Ньюсдеск"
    assert [item.findtext("title") for item in russian.iter("item")] == ["Паром застрял во льдах"]
    assert russian.findtext("channel/item/link") == f"http://testserver{story_ru.url}"
    assert english.findtext("channel/language") == "en"
    assert [item.findtext("title") for item in english.iter("item")] == ["Ferry stuck in the ice"]
    soup = soup_of(client, story_ru.url)
    assert soup.select_one('link[type="application/rss+xml"]')["href"] == "/ru/feeds/latest.rss"


def test_each_edition_has_its_own_news_sitemap_and_the_index_lists_both(client, story, story_ru):
    urlset = ET.fromstring(client.get("/ru/sitemaps/news.xml").content)
    (url,) = urlset.findall("sm:url", NEWS)
    assert url.findtext("sm:loc", namespaces=NEWS) == f"http://testserver{story_ru.url}"
    publication = url.find(f"{NEWS_NS}news/{NEWS_NS}publication")
    assert publication.findtext(f"{NEWS_NS}language") == "ru"
    assert publication.findtext(f"{NEWS_NS}name") == "Ньюсдеск"
    section = ET.fromstring(client.get("/ru/sitemaps/section-world.xml").content)
    assert [loc.text for loc in section.iter(f"{{{NEWS['sm']}}}loc")] == [
        f"http://testserver{story_ru.url}"
    ]
    index = ET.fromstring(client.get("/sitemap.xml").content)
    listed = {loc.text for loc in index.iter(f"{{{NEWS['sm']}}}loc")}
    assert {
        "http://testserver/en/sitemaps/news.xml",
        "http://testserver/ru/sitemaps/news.xml",
        "http://testserver/en/sitemaps/section-world.xml",
        "http://testserver/ru/sitemaps/section-world.xml",
    } <= listed


def test_search_stays_within_the_edition(client, story, story_ru):
    russian = soup_of(client, "/ru/search/?q=паром").get_text()
    assert "Паром застрял во льдах" in russian
    assert "Ferry stuck in the ice" not in soup_of(client, "/ru/search/?q=ferry").get_text()
    english = soup_of(client, "/en/search/?q=ferry").get_text()
    assert "Ferry stuck in the ice" in english and "Паром" not in english
    assert "Паром" not in soup_of(client, "/en/search/?q=паром").get_text()


def test_the_api_lists_every_edition_or_one(client, story, story_ru):
    every = client.get("/api/v1/articles").json()["items"]
    assert {(item["language"], item["headlines"][0]["value"]) for item in every} == {
        ("en", "Ferry stuck in the ice"),
        ("ru", "Паром застрял во льдах"),
    }
    russian = client.get("/api/v1/articles?language=ru").json()["items"]
    assert [item["headlines"][0]["value"] for item in russian] == ["Паром застрял во льдах"]
    missing = client.get("/api/v1/articles?language=fr")
    assert missing.status_code == 404 and "fr" in missing.json()["detail"]
    found = client.get("/api/v1/articles/by-path", {"path": story_ru.url})
    assert found.json()["headlines"][0]["value"] == "Паром застрял во льдах"


# Live coverage and discussion


def test_the_live_slot_and_discussion_belong_to_the_edition(client, story_ru):
    world_ru = story_ru.get_parent()
    blog = LiveBlogPage(title="Онлайн: ледостав", slug="ledostav", status="live")
    world_ru.add_child(instance=blog)
    blog.save_revision().publish()
    assert "Онлайн: ледостав" in soup_of(client, "/ru/").get_text()
    assert "Онлайн: ледостав" not in soup_of(client, "/en/").get_text()
    # A link from the English edition leads to the discussion in its page's language.
    english_link = client.get(f"/en/discussion/{story_ru.pk}/?sort=newest")
    assert english_link["Location"] == f"/ru/discussion/{story_ru.pk}/?sort=newest"
    panel = soup_of(client, english_link["Location"])
    assert panel.html["lang"] == "ru"
    assert "Комментариев пока нет." in panel.get_text()


# The newsroom


def test_translating_a_section_gives_it_its_own_desk(world, world_ru):
    english = Group.objects.get(name="Editors: World")
    russian = Group.objects.get(name="Editors: Мир (ru)")
    assert set(english.page_permissions.values_list("page", flat=True)) == {world.pk}
    assert set(russian.page_permissions.values_list("page", flat=True)) == {world_ru.pk}
    assert SectionPage.objects.get(pk=world_ru.pk).locale.language_code == "ru"


def test_an_editor_translates_a_story_into_a_linked_russian_draft(client, story, world_ru, editor):
    client.force_login(editor)
    ru = Locale.objects.get(language_code="ru")
    url = reverse("simple_translation:submit_page_translation", args=[story.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"locales": [ru.pk]})
    assert response.status_code == 302
    draft = story.get_translation(ru)
    # A draft in the Russian section, linked to the original, for the Russian desk to rewrite.
    assert draft.get_parent().pk == world_ru.pk
    assert not draft.live and draft.slug == story.slug
    assert switcher(soup_of(client, story.url)) == {"ru": "/ru/"}  # nothing published yet


def test_a_reporter_cannot_translate(client, story, world_ru, reporter):
    client.force_login(reporter)
    url = reverse("simple_translation:submit_page_translation", args=[story.pk])
    response = client.post(url, {"locales": [Locale.objects.get(language_code="ru").pk]})
    assert response.status_code in (302, 403)
    assert story.get_translation_or_none(Locale.objects.get(language_code="ru")) is None


def test_search_counts_in_the_editions_plural_forms(client, story_ru):
    make_article(story_ru.get_parent(), title="Паром снова в пути", slug="")
    soup = soup_of(client, "/ru/search/?q=паром")
    assert soup.select_one(".search-page__count").get_text() == "Найдено 2 статьи"


def test_a_missing_page_offers_the_other_editions_home(client, world_ru):
    response = client.get("/en/no/such/story/")
    assert response.status_code == 404
    assert switcher(BeautifulSoup(response.content, "html.parser")) == {"ru": "/ru/"}


def test_authors_with_cyrillic_names_get_latin_slugs(client, story_ru):
    from newsdesk.news.models import Author

    author = Author.objects.create(name="Илья Соколов")
    assert author.slug == "ilya-sokolov"
    assert Author.objects.create(name="Вера Лебедева").slug == "vera-lebedeva"


def test_edition_pages_stay_one_response_for_every_reader(client, story, story_ru):
    for url in ("/en/", "/ru/", story.url, story_ru.url):
        response = client.get(url, headers={"Accept-Language": "de"})
        # The prefix alone picks the language: no Vary on the reader's browser.
        assert "Accept-Language" not in response.get("Vary", ""), url
        assert not response.cookies, url
