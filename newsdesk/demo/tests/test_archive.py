"""The generated archive (`newsdesk build_archive`): published, served, searchable, listed."""

import io
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.models import Page

from newsdesk.demo.archive import archive_serials
from newsdesk.news.models import ArticlePage, SectionPage
from newsdesk.testing import make_article

ARTICLES = 200
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def build(*args) -> str:
    out = io.StringIO()
    call_command("build_archive", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def archive(home, world, author):
    offbeat = SectionPage(title="Off-beat", slug="off-beat", show_in_menus=True)
    home.add_child(instance=offbeat)
    offbeat.save_revision().publish()
    # One year rather than three: at this size, a few land in the last 48 hours.
    output = build("--articles", str(ARTICLES), "--batch-size", "64", "--years", "1")
    return {"output": output, "world": world, "offbeat": offbeat}


def archive_articles():
    return ArticlePage.objects.filter(slug__regex=r"-a\d{7}$")


def test_it_shows_progress_and_publishes_every_article_in_a_sound_page_tree(archive):
    lines = archive["output"].splitlines()
    assert lines[0].startswith("The archive holds 0 generated articles; adding 200")
    assert "[64/200]" in lines[1] and "articles/s" in lines[1] and "ETA" in lines[1]
    assert lines[-1].startswith("Added 200 articles in")
    assert archive_articles().live().count() == ARTICLES
    assert not archive_articles().filter(first_published_at=None).exists()
    assert archive_articles().filter(first_published_at__lt=timezone.now() - timedelta(days=300))
    assert all(not problems for problems in Page.find_problems())
    world = Page.objects.get(pk=archive["world"].pk)
    offbeat = Page.objects.get(pk=archive["offbeat"].pk)
    assert world.get_children().count() + offbeat.get_children().count() == ARTICLES
    assert world.numchild == world.get_children().count() > 0
    # Wagtail's own add_child continues the tree after them.
    later = make_article(world, title="A story written in the newsroom")
    assert later.url == "/en/world/a-story-written-in-the-newsroom/"
    assert all(not problems for problems in Page.find_problems())


def test_an_archive_article_is_served_with_its_headline_byline_and_body(archive, client):
    article = archive_articles().filter(article_authors__isnull=False).first()
    response = client.get(article.url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.h1.get_text(strip=True) == article.title
    assert article.authors[0].name in soup.get_text()
    paragraphs = [block for block in article.body if block.block_type == "paragraph"]
    assert len(paragraphs) >= 4
    assert BeautifulSoup(str(paragraphs[0].value), "html.parser").get_text() in soup.get_text()


def test_the_reader_search_finds_archive_articles_by_headline_and_author(archive, client, author):
    article = archive_articles().order_by("pk")[7]
    response = client.get("/en/search/", {"q": article.title})
    assert response.status_code == 200
    assert article.url in response.content.decode()
    # Authors' names are in no generated text, only in the credits the index holds.
    written = archive_articles().filter(article_authors__author=author).count()
    assert written
    soup = BeautifulSoup(client.get("/en/search/", {"q": author.name}).content, "html.parser")
    found = soup.select_one(".search-page__count").get_text(strip=True)
    assert found == f"{written} articles found"
    newest = BeautifulSoup(
        client.get("/en/search/", {"q": author.name, "order": "newest"}).content, "html.parser"
    )
    first = newest.select_one(".search-result__title a")["href"]
    latest = (
        archive_articles()
        .filter(article_authors__author=author)
        .order_by("-first_published_at")
        .first()
    )
    assert first == latest.url


def test_the_section_feed_and_the_news_sitemap_list_the_archive(archive, client):
    world = archive["world"]
    newest = ArticlePage.objects.live().child_of(world).order_by("-first_published_at").first()
    feed = client.get("/en/feeds/section/world.rss")
    assert feed.status_code == 200
    assert newest.title.replace("'", "&#x27;") in feed.content.decode() or (
        newest.title in feed.content.decode()
    )

    since = timezone.now() - timedelta(hours=48)
    recent = {a.url for a in archive_articles().filter(first_published_at__gte=since)}
    assert recent, "at this size and span, some articles are from the last 48 hours"
    root = ET.fromstring(client.get("/en/sitemaps/news.xml").content)
    listed = {
        url.findtext(f"{SITEMAP}loc").split("//", 1)[1].split("/", 1)[1]
        for url in root.iter(f"{SITEMAP}url")
    }
    assert {url.lstrip("/") for url in recent} <= listed
    assert len(listed) == len(recent)
    assert root.find(f".//{NEWS}title") is not None


def test_the_api_lists_archive_articles_at_version_1(archive, client):
    response = client.get("/api/v1/articles", {"limit": 5})
    assert response.status_code == 200
    items = response.json()["items"]
    assert len(items) == 5
    assert {item["version"] for item in items} == {"1"}
    assert response.json()["next"]


def test_building_again_tops_the_archive_up_and_never_duplicates(archive):
    assert "already holds 200 generated articles: nothing to add" in build("--articles", "200")
    output = build("--articles", "230")
    assert "holds 200 generated articles; adding 30" in output
    serials = archive_serials()
    assert sorted(serials) == list(range(1, 231))
    assert all(not problems for problems in Page.find_problems())


def test_it_refuses_without_a_newsroom_to_put_the_archive_in(db):
    with pytest.raises(CommandError, match="build the newsroom first"):
        build("--articles", "10")


def test_the_archive_goes_to_the_english_edition_when_a_russian_one_exists(home, world, author):
    from wagtail.models import Locale

    ru = Locale.objects.get(language_code="ru")
    home.copy_for_translation(ru).save_revision().publish()
    world_ru = world.copy_for_translation(ru)
    world_ru.save_revision().publish()
    build("--articles", "20", "--batch-size", "8", "--years", "1")
    assert archive_articles().filter(locale__language_code="en").count() == 20
    assert world_ru.get_children().count() == 0
