"""Sitemaps and robots.txt, read as a crawler reads them (XML, namespaces)."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from newsdesk.distribution import sitemaps
from newsdesk.news.models import ArticlePage, SectionPage
from newsdesk.testing import make_article, make_image

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "image": "http://www.google.com/schemas/sitemap-image/1.1",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def xml(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


@pytest.fixture
def newsroom(home, world):
    offbeat = SectionPage(title="Off-beat", slug="off-beat", show_in_menus=True)
    home.add_child(instance=offbeat)
    offbeat.save_revision().publish()
    photo = make_image(title="Harbour", credit="© Meridian Wire / Omar Said")
    fresh = make_article(
        world, title="Ceasefire holds", lead_image=photo, lead_image_caption="The harbour at dawn"
    )
    old = make_article(offbeat, title="Parrot learns to whistle the anthem")
    ArticlePage.objects.filter(pk=old.pk).update(
        first_published_at=timezone.now() - timedelta(days=3)
    )
    make_article(world, title="Embargoed draft", publish=False)
    return {"fresh": fresh, "old": old}


def test_the_index_lists_a_sitemap_per_section(client, newsroom):
    index = xml(client, "/sitemap.xml")
    locations = [loc.text for loc in index.findall("sm:sitemap/sm:loc", NS)]
    assert locations == [
        "http://testserver/en/sitemaps/news.xml",
        "http://testserver/en/sitemaps/pages.xml",
        "http://testserver/en/sitemaps/section-world.xml",
        "http://testserver/en/sitemaps/section-off-beat.xml",
    ]
    for location in locations:
        xml(client, location.removeprefix("http://testserver"))


def test_section_sitemaps_list_published_articles_with_lastmod_and_credited_images(
    client, newsroom
):
    urlset = xml(client, "/en/sitemaps/section-world.xml")
    [url] = urlset.findall("sm:url", NS)
    assert url.find("sm:loc", NS).text == "http://testserver/en/world/ceasefire-holds/"
    assert url.find("sm:lastmod", NS).text.startswith(str(timezone.now().year))
    image = url.find("image:image", NS)
    assert image.find("image:loc", NS).text.startswith("http://testserver/media/")
    assert image.find("image:caption", NS).text == (
        "The harbour at dawn (© Meridian Wire / Omar Said)"
    )
    assert "Embargoed draft" not in client.get("/en/sitemaps/section-world.xml").content.decode()
    assert client.get("/en/sitemaps/section-nowhere.xml").status_code == 404


def test_sitemaps_split_at_the_limit(client, newsroom, world, monkeypatch):
    make_article(world, title="Second world story")
    monkeypatch.setattr(sitemaps.SectionArticlesSitemap, "limit", 1)
    index = xml(client, "/sitemap.xml")
    locations = [loc.text for loc in index.findall("sm:sitemap/sm:loc", NS)]
    assert "http://testserver/en/sitemaps/section-world.xml?p=2" in locations
    page_two = xml(client, "/en/sitemaps/section-world.xml?p=2")
    assert len(page_two.findall("sm:url", NS)) == 1


def test_the_news_sitemap_lists_the_last_48_hours(client, newsroom, home):
    urlset = xml(client, "/en/sitemaps/news.xml")
    [url] = urlset.findall("sm:url", NS)
    assert url.find("sm:loc", NS).text == "http://testserver/en/world/ceasefire-holds/"
    news = url.find("news:news", NS)
    assert news.find("news:publication/news:name", NS).text
    assert news.find("news:publication/news:language", NS).text == "en"
    assert news.find("news:title", NS).text == "Ceasefire holds"
    published = news.find("news:publication_date", NS).text
    assert published.startswith(str(newsroom["fresh"].first_published_at.date()))


def test_the_news_sitemap_stops_at_1000(client, newsroom, monkeypatch):
    monkeypatch.setattr(sitemaps, "NEWS_LIMIT", 0)
    assert xml(client, "/en/sitemaps/news.xml").findall("sm:url", NS) == []


def test_robots_txt_names_the_sitemaps_and_keeps_crawlers_out_of_private_parts(client, db):
    text = client.get("/robots.txt").content.decode()
    for line in [
        "Disallow: /admin/",
        "Disallow: /en/accounts/",
        "Disallow: /ru/search/",
        "Sitemap: http://testserver/sitemap.xml",
        "Sitemap: http://testserver/en/sitemaps/news.xml",
    ]:
        assert line in text.splitlines()
