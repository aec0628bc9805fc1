"""Every feed, read by a real feed reader's parser (feedparser)."""

import json
from datetime import datetime

import feedparser
import pytest
from bs4 import BeautifulSoup

from newsdesk.news.models import SiteSettings
from newsdesk.testing import make_article, make_image

FEEDS = [
    "/en/feeds/latest",
    "/en/feeds/section/world",
    "/en/feeds/tag/geneva",
    "/en/feeds/author/maria-kovacs",
]


@pytest.fixture
def articles(world, author):
    photo = make_image(title="Delegates", credit="© Meridian Wire / Lena Hart")
    older = make_article(
        world,
        title="Talks open in Geneva",
        summary="Delegations arrive for the first round.",
        lead_image=photo,
        lead_image_caption="Delegates arrive at the palace",
        authors=[author],
        byline_agency="Meridian Wire",
    )
    older.tags.add("Geneva")
    older.save_revision().publish()
    newer = make_article(
        world,
        title="Talks resume in Geneva <after> a pause & more",
        summary="A second round begins.",
        body=[("paragraph", "<p>The second round began on Monday.</p>")],
        authors=[author],
    )
    newer.tags.add("Geneva")
    newer.save_revision().publish()
    make_article(world, title="A draft nobody may see", publish=False, authors=[author])
    return older, newer


def parse(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    parsed = feedparser.parse(
        response.content, response_headers={"content-type": response["Content-Type"]}
    )
    assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
    return response, parsed


@pytest.mark.parametrize("feed", FEEDS)
@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_every_feed_parses_and_lists_only_published_articles_newest_first(
    client, articles, feed, fmt
):
    response, parsed = parse(client, f"{feed}.{fmt}")
    titles = [entry.title for entry in parsed.entries]
    assert titles == ["Talks resume in Geneva <after> a pause & more", "Talks open in Geneva"]
    first = parsed.entries[1]
    assert first.link == "http://testserver/en/world/talks-open-in-geneva/"
    assert first.summary == "Delegations arrive for the first round."
    assert "Maria Kovacs" in first.author
    assert "Meridian Wire" in first.author
    assert [tag.term for tag in first.tags] == ["Geneva"]
    assert first.published_parsed
    if fmt == "atom":  # RSS 2.0 has no element for it
        assert first.updated_parsed
    assert "A draft nobody may see" not in response.content.decode()


def check_json_feed(data):
    """The rules of JSON Feed 1.1 a reader relies on (feedparser does not read JSON Feed)."""
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(data["title"], str) and data["title"]
    assert data["feed_url"].startswith("http") and data["home_page_url"].startswith("http")
    ids = [item["id"] for item in data["items"]]
    assert len(ids) == len(set(ids))
    for item in data["items"]:
        assert "content_html" in item or "content_text" in item
        for key in ("date_published", "date_modified"):
            datetime.fromisoformat(item[key])  # RFC 3339
        for author in item["authors"]:
            assert author["name"]


@pytest.mark.parametrize("feed", FEEDS)
def test_every_json_feed_follows_the_format_and_lists_only_published_articles(
    client, articles, feed
):
    response = client.get(f"{feed}.json")
    assert response["Content-Type"].startswith("application/feed+json")
    data = json.loads(response.content)
    check_json_feed(data)
    titles = [item["title"] for item in data["items"]]
    assert titles == ["Talks resume in Geneva <after> a pause & more", "Talks open in Geneva"]
    assert data["items"][1]["tags"] == ["Geneva"]
    assert "A draft nobody may see" not in response.content.decode()


def test_rss_carries_the_lead_image_with_its_credit(client, articles):
    _response, parsed = parse(client, "/en/feeds/latest.rss")
    entry = parsed.entries[1]
    [enclosure] = entry.enclosures
    assert enclosure.type == "image/jpeg" and int(enclosure.length) > 0
    [media] = entry.media_content
    assert media["url"] == enclosure.href and media["medium"] == "image"
    assert entry.media_credit[0]["content"] == "© Meridian Wire / Lena Hart"
    assert "media_content" not in parsed.entries[0]  # no photo, no image element


def test_atom_and_json_carry_the_image_too(client, articles):
    _response, atom = parse(client, "/en/feeds/latest.atom")
    assert [link.rel for link in atom.entries[1].links] == ["alternate", "enclosure"]
    data = json.loads(client.get("/en/feeds/latest.json").content)
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    item = data["items"][1]
    assert item["image"].endswith(".jpg")
    assert item["attachments"][0]["title"].endswith("(© Meridian Wire / Lena Hart)")
    assert [author["name"] for author in item["authors"]] == ["Maria Kovacs", "Meridian Wire"]


def test_full_text_is_a_site_setting(client, articles, home):
    _response, parsed = parse(client, "/en/feeds/latest.rss")
    assert "content" not in parsed.entries[0]
    settings = SiteSettings.for_site(home.get_site())
    settings.feeds_full_text = True
    settings.save()
    _response, parsed = parse(client, "/en/feeds/latest.rss")
    assert "The second round began on Monday." in parsed.entries[0].content[0].value
    _response, atom = parse(client, "/en/feeds/latest.atom")
    assert "The second round began on Monday." in atom.entries[0].content[0].value
    data = json.loads(client.get("/en/feeds/latest.json").content)
    assert "The second round began on Monday." in data["items"][0]["content_html"]


def test_conditional_get_answers_304_until_something_is_published(client, articles, world):
    first = client.get("/en/feeds/latest.rss")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get("/en/feeds/latest.rss", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/en/feeds/latest.rss", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    make_article(world, title="Breaking: talks end")
    fresh = client.get("/en/feeds/latest.rss", HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200
    assert "Breaking: talks end" in fresh.content.decode()


def test_unknown_feeds_and_formats_answer_404(client, articles):
    for path in [
        "/en/feeds/section/nowhere.rss",
        "/en/feeds/tag/none.atom",
        "/en/feeds/latest.xml",
    ]:
        assert client.get(path).status_code == 404, path


def test_every_page_names_its_feeds(client, articles):
    older, _newer = articles
    pages = {
        "/en/": ["/en/feeds/latest.rss"],
        "/en/world/": ["/en/feeds/latest.rss", "/en/feeds/section/world.rss"],
        "/en/tags/geneva/": ["/en/feeds/tag/geneva.rss"],
        "/en/authors/maria-kovacs/": ["/en/feeds/author/maria-kovacs.rss"],
        older.url: ["/en/feeds/latest.atom", "/en/feeds/latest.json"],
    }
    for path, expected in pages.items():
        soup = BeautifulSoup(client.get(path).content, "html.parser")
        alternates = [link["href"] for link in soup.select('link[rel="alternate"]')]
        for href in expected:
            assert href in alternates, (path, href)
            assert client.get(href).status_code == 200


def test_a_live_blog_has_a_feed_of_its_entries(client, world, editor):
    from newsdesk.live import services
    from newsdesk.live.tests.factories import make_live_blog

    blog = make_live_blog(world, title="Live: Storm Orla")
    services.entry_post(
        blog=blog, author=editor, headline="Winds reach 120 km/h", text="Gusts on the coast."
    )
    services.entry_post(
        blog=blog, author=editor, headline="", text="Ferries cancelled until morning."
    )
    soup = BeautifulSoup(client.get(blog.url).content, "html.parser")
    assert f"/en/feeds/live/{blog.pk}.rss" in [
        link["href"] for link in soup.select('link[rel="alternate"]')
    ]
    response, parsed = parse(client, f"/en/feeds/live/{blog.pk}.rss")
    assert [entry.title for entry in parsed.entries] == [
        "Ferries cancelled until morning.",
        "Winds reach 120 km/h",
    ]
    assert parsed.entries[1].link.endswith(
        f"{blog.url}#entry-{blog.entries.order_by('id').first().pk}"
    )
    assert "Gusts on the coast." in parsed.entries[1].summary
    etag = response["ETag"]
    assert client.get(f"/en/feeds/live/{blog.pk}.rss", HTTP_IF_NONE_MATCH=etag).status_code == 304
    services.entry_post(blog=blog, author=editor, headline="Power restored", text="Most homes.")
    fresh = client.get(f"/en/feeds/live/{blog.pk}.rss", HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200 and "Power restored" in fresh.content.decode()
    _response, atom = parse(client, f"/en/feeds/live/{blog.pk}.atom")
    assert len(atom.entries) == 3
    data = json.loads(client.get(f"/en/feeds/live/{blog.pk}.json").content)
    check_json_feed(data)
    assert client.get("/en/feeds/live/999999.rss").status_code == 404
