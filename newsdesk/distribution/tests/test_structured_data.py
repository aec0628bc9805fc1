"""Structured data and sharing tags, extracted as crawlers extract them (extruct)."""

import extruct
import pytest
from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders

from newsdesk.testing import make_article, make_image


def extract(client, path):
    html = client.get(path).content.decode()
    data = extruct.extract(html, base_url="http://testserver" + path, syntaxes=["json-ld"])
    return {item["@type"]: item for item in data["json-ld"]}, BeautifulSoup(html, "html.parser")


@pytest.fixture
def article(world, author):
    photo = make_image(
        title="Harbour",
        credit="© Meridian Wire 2018 / Omar Said",
        photographer="Omar Said",
        copyright_holder="Meridian Wire",
    )
    page = make_article(
        world,
        title="Ceasefire holds along the coast",
        summary="Both sides report a quiet night.",
        lead_image=photo,
        lead_image_caption="The harbour at dawn",
        dateline_place="Latakia",
        dateline_agency="Meridian Wire",
        authors=[author],
        byline_agency="Meridian Wire",
    )
    page.tags.add("Syria", "Ceasefire")
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def test_articles_carry_news_article_data_google_accepts(client, article):
    items, _soup = extract(client, article.url)
    news = items["NewsArticle"]
    # Google's required and recommended NewsArticle properties.
    assert news["headline"] == "Ceasefire holds along the coast"
    assert len(news["headline"]) <= 110
    assert news["description"] == "Both sides report a quiet night."
    assert news["datePublished"].startswith(str(article.first_published_at.date()))
    assert news["dateModified"] >= news["datePublished"]
    assert (
        news["mainEntityOfPage"]["@id"]
        == "http://testserver/en/world/ceasefire-holds-along-the-coast/"
    )
    [image] = news["image"]
    assert image["url"].startswith("http://testserver/media/") and image["width"] >= 1200
    assert image["creditText"] == "© Meridian Wire 2018 / Omar Said"
    assert image["copyrightHolder"] == {"@type": "Organization", "name": "Meridian Wire"}
    assert image["creator"] == {"@type": "Person", "name": "Omar Said"}
    assert news["author"] == [
        {
            "@type": "Person",
            "name": "Maria Kovacs",
            "url": "http://testserver/en/authors/maria-kovacs/",
        },
        {"@type": "Organization", "name": "Meridian Wire"},
    ]
    assert news["publisher"]["@type"] == "NewsMediaOrganization"
    assert news["publisher"]["logo"]["url"].startswith("http://testserver/")
    assert finders.find(news["publisher"]["logo"]["url"].removeprefix("http://testserver/static/"))
    assert news["articleSection"] == "World"
    assert sorted(news["keywords"]) == ["Ceasefire", "Syria"]
    assert news["dateline"] == "LATAKIA (Meridian Wire)"
    assert news["isAccessibleForFree"] is True


def test_articles_carry_breadcrumbs(client, article):
    items, _soup = extract(client, article.url)
    trail = items["BreadcrumbList"]["itemListElement"]
    assert [(crumb["position"], crumb["name"]) for crumb in trail] == [
        (1, "The Test Herald"),
        (2, "World"),
        (3, "Ceasefire holds along the coast"),
    ]
    assert trail[1]["item"] == "http://testserver/en/world/"


def test_sharing_tags_canonical_and_description(client, article):
    _items, soup = extract(client, article.url)

    def meta(attribute, name):
        return [tag["content"] for tag in soup.find_all("meta", {attribute: name})]

    assert meta("property", "og:type") == ["article"]
    assert meta("property", "og:title") == ["Ceasefire holds along the coast"]
    assert meta("property", "og:url") == [
        "http://testserver/en/world/ceasefire-holds-along-the-coast/"
    ]
    assert meta("property", "og:image")[0].startswith("http://testserver/media/")
    assert meta("property", "og:image:width") == ["1200"]
    assert sorted(meta("property", "article:tag")) == ["Ceasefire", "Syria"]
    assert meta("name", "twitter:card") == ["summary_large_image"]
    assert meta("name", "description") == ["Both sides report a quiet night."]
    assert soup.find("link", rel="canonical")["href"] == meta("property", "og:url")[0]


def test_the_home_page_says_how_to_search_the_site(client, article):
    items, soup = extract(client, "/en/")
    site = items["WebSite"]
    assert site["url"] == "http://testserver/en/"
    assert site["inLanguage"] == "en"
    action = site["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == "http://testserver/en/search/?q={search_term_string}"
    assert action["query-input"] == "required name=search_term_string"
    assert soup.find("meta", property="og:type")["content"] == "website"


def test_author_pages_are_profile_pages(client, article):
    items, _soup = extract(client, "/en/authors/maria-kovacs/")
    person = items["ProfilePage"]["mainEntity"]
    assert person["@type"] == "Person"
    assert person["name"] == "Maria Kovacs"
    assert person["jobTitle"] == "Diplomatic correspondent"


def test_structured_data_follows_a_republished_headline(client, article):
    client.get(article.url)
    article.title = "Ceasefire frays along the coast"
    article.save_revision().publish()
    items, _soup = extract(client, article.url)
    assert items["NewsArticle"]["headline"] == "Ceasefire frays along the coast"
