"""The content API: ninjs documents, filters, cursors, conditional requests, keys and limits."""

import base64
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from newsdesk.news.freshness import content_changed
from newsdesk.news.models import ArticlePage
from newsdesk.testing import make_article, make_image

# The top-level properties ninjs 2.1 defines (its schema allows no others), and
# the shape of the ones we send.
NINJS_PROPERTIES = {
    "standard", "uri", "type", "profile", "version", "firstcreated", "versioncreated",
    "contentcreated", "embargoed", "pubstatus", "urgency", "copyrightholder", "copyrightnotice",
    "usageterms", "ednote", "language", "descriptions", "bodies", "headlines", "keywords",
    "slugline", "located", "renditions", "associations", "altids", "trustindicators",
    "genres", "people", "organisations", "places", "subjects", "events", "objects",
    "infosources", "title", "by", "representationtype", "expires", "signals",
}  # fmt: skip
NINJS_TYPES = {"text", "audio", "video", "picture", "graphic", "composite", "component"}


def check_ninjs(item):
    """The rules of the ninjs 2.1 schema that our documents touch."""
    assert set(item) <= NINJS_PROPERTIES, set(item) - NINJS_PROPERTIES
    assert item["uri"].startswith("http")
    assert item["type"] in NINJS_TYPES
    assert item["standard"] == {
        "name": "ninjs",
        "version": "2.1",
        "schema": "https://www.iptc.org/std/ninjs/ninjs-schema_2.1.json",
    }
    for key in ("headlines", "descriptions", "bodies"):
        for entry in item.get(key, []):
            assert isinstance(entry["value"], str) and entry["role"]
    for key in ("people", "subjects", "genres", "infosources"):
        for entry in item.get(key, []):
            assert entry["name"]
    for rendition in item.get("renditions", {}).values():
        assert rendition["href"].startswith("http") and rendition["width"] > 0
    for associated in item.get("associations", {}).values():
        check_ninjs(associated)


@pytest.fixture
def articles(world, author):
    photo = make_image(title="Quay", credit="© Meridian Wire / Omar Said", photographer="Omar Said")
    pages = []
    for number in range(5):
        page = make_article(
            world,
            title=f"Dispatch {number}",
            summary=f"Summary {number}.",
            authors=[author],
            lead_image=photo if number == 0 else None,
            dateline_place="Geneva",
            body=[("paragraph", f"<p>Body of dispatch {number}.</p>")],
        )
        ArticlePage.objects.filter(pk=page.pk).update(
            last_published_at=timezone.now() - timedelta(minutes=10 - number)
        )
        pages.append(page)
    pages[0].tags.add("Diplomacy")
    pages[0].save_revision().publish()
    make_article(world, title="Unpublished draft", publish=False)
    return pages


def test_articles_are_ninjs_documents(client, articles):
    response = client.get("/api/v1/articles")
    assert response.status_code == 200
    data = response.json()
    for item in data["items"]:
        check_ninjs(item)
    first = next(item for item in data["items"] if item["headlines"][0]["value"] == "Dispatch 0")
    assert first["descriptions"] == [{"role": "summary", "value": "Summary 0."}]
    assert first["by"] == "Maria Kovacs"
    assert first["people"][0]["rel"] == "author"
    assert first["located"] == "Geneva"
    assert first["subjects"] == [
        {"name": "Diplomacy", "uri": "http://testserver/en/tags/diplomacy/"}
    ]
    picture = first["associations"]["featureimage"]
    assert picture["type"] == "picture"
    assert picture["copyrightnotice"] == "© Meridian Wire / Omar Said"
    assert picture["by"] == "Omar Said"
    assert "bodies" not in first and first["representationtype"] == "incomplete"
    assert "Unpublished draft" not in response.content.decode()


def test_partners_with_a_key_get_the_full_text(client, articles, settings):
    settings.NEWSDESK_API_KEYS = {"partner-key"}
    keyed = client.get(f"/api/v1/articles/{articles[1].pk}", headers={"X-Api-Key": "partner-key"})
    body, _blocks = keyed.json()["bodies"]
    assert "Body of dispatch 1." in body["value"] and body["contenttype"] == "text/html"
    assert keyed.json()["representationtype"] == "complete"
    assert "private" in keyed["Cache-Control"]
    wrong = client.get(f"/api/v1/articles/{articles[1].pk}", headers={"X-Api-Key": "guess"})
    assert "bodies" not in wrong.json()


def test_cursors_walk_every_article_once_even_as_new_ones_arrive(client, articles, world):
    seen, url = [], "/api/v1/articles?limit=2"
    while url:
        data = client.get(url.removeprefix("http://testserver")).json()
        seen += [item["headlines"][0]["value"] for item in data["items"]]
        if len(seen) == 2:
            make_article(world, title="Breaking meanwhile")
        url = data["next"]
    assert seen == ["Dispatch 0", "Dispatch 4", "Dispatch 3", "Dispatch 2", "Dispatch 1"]


def test_filters_and_lookups(client, articles, world):
    def titles(query):
        return [
            i["headlines"][0]["value"]
            for i in client.get("/api/v1/articles" + query).json()["items"]
        ]

    assert titles("?tag=diplomacy") == ["Dispatch 0"]
    assert len(titles("?author=maria-kovacs&section=world")) == 5
    since = (timezone.now() - timedelta(minutes=7, seconds=30)).isoformat()
    assert titles("?updated_since=" + since.replace("+", "%2B")) == [
        "Dispatch 0", "Dispatch 4", "Dispatch 3",
    ]  # fmt: skip
    assert titles("?updated_since=" + since.replace("+00:00", "Z")) == titles(
        "?updated_since=" + since.replace("+", "%2B")
    )
    by_path = client.get("/api/v1/articles/by-path", {"path": articles[2].url})
    assert by_path.json()["headlines"][0]["value"] == "Dispatch 2"
    image_id = articles[0].lead_image_id
    check_ninjs(client.get(f"/api/v1/images/{image_id}").json())


def cursor(raw):
    return base64.urlsafe_b64encode(raw.encode()).decode()


def test_bad_requests_get_a_json_reason(client, articles):
    for path, status in [
        ("/api/v1/articles?limit=1000", 422),
        ("/api/v1/articles?limit=0", 422),
        ("/api/v1/articles?cursor=not-a-cursor", 400),
        ("/api/v1/articles?section=nowhere", 404),
        ("/api/v1/articles?updated_since=yesterday", 422),
        ("/api/v1/articles/999999", 404),
        ("/api/v1/articles/abc", 422),
        ("/api/v1/images/999999", 404),
        # What the schemathesis run (e2e/test_api_conformance.py) and its review
        # turned up: each of these was a server error or quietly accepted.
        ("/api/v1/articles/9223372036854775808", 422),
        ("/api/v1/images/99999999999999999999", 422),
        ("/api/v1/live-blogs/0", 422),
        ("/api/v1/articles?updated_since=0.5", 422),
        ("/api/v1/articles?updated_since=2026-03-01T12:00:00", 422),
        ("/api/v1/articles?updated_since=0001-01-01T00:00:00%2B01:00", 422),
        ("/api/v1/articles?cursor=" + cursor("0001-01-01T00:00:00+01:00|1"), 400),
        ("/api/v1/articles?cursor=" + cursor("2026-03-01T12:00:00+00:00|9223372036854775808"), 400),
        ("/api/v1/articles?cursor=" + cursor("2026-03-01T12:00:00|1"), 400),
    ]:
        response = client.get(path)
        assert response.status_code == status, path
        assert response.json()["detail"], path


def test_conditional_requests_answer_304(client, articles):
    first = client.get(f"/api/v1/articles/{articles[0].pk}")
    again = client.get(f"/api/v1/articles/{articles[0].pk}", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert "public" in first["Cache-Control"]
    for held in (f'"older", {first["ETag"]}', f"W/{first['ETag']}", "*"):
        url = f"/api/v1/articles/{articles[0].pk}"
        assert client.get(url, HTTP_IF_NONE_MATCH=held).status_code == 304, held
    assert client.get(f"/api/v1/articles/{articles[0].pk}", HTTP_IF_NONE_MATCH='"older"').content


def test_clients_are_rate_limited(client, articles, monkeypatch):
    from newsdesk.api.api import api

    cache.clear()
    [per_address] = api.throttle
    monkeypatch.setattr(per_address, "num_requests", 3)  # API_RATE=3/m, for the test
    responses = [client.get("/api/v1/articles?limit=1") for _ in range(4)]
    assert [response.status_code for response in responses] == [200, 200, 200, 429]
    assert responses[-1].json()["detail"]


def test_the_openapi_document_and_its_browsable_page(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "newsdesk content API"
    assert {
        "/api/v1/articles",
        "/api/v1/articles/{article_id}",
        "/api/v1/images/{image_id}",
    } <= set(schema["paths"])
    # Every answer is declared with its schema (checked against a running server in e2e/).
    answers = {path: operation["get"]["responses"] for path, operation in schema["paths"].items()}
    assert set(answers["/api/v1/articles"]) == {"200", "304", "400", "404", "422", "429"}
    assert set(answers["/api/v1/live-blogs/{blog_id}"]) == {"200", "304", "404", "422", "429"}
    ok = answers["/api/v1/articles/{article_id}"]["200"]
    assert ok["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Article"}
    assert ok["headers"]["ETag"]["required"]
    components = schema["components"]["schemas"]
    assert components["Article"]["additionalProperties"] is False
    assert {"Blocks", "Paragraph", "Quote", "Image", "RelatedStory", "ReadMore"} <= set(components)
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()


def test_live_blogs_with_their_entries(client, world, editor, settings):
    from newsdesk.live import services
    from newsdesk.live.tests.factories import make_live_blog

    settings.NEWSDESK_API_KEYS = {"partner-key"}
    blog = make_live_blog(world, title="Live: Storm Orla", dateline_place="Halder")
    services.entry_post(blog=blog, author=editor, headline="Winds rise", text="Gusts of 90 km/h.")
    services.entry_post(blog=blog, author=editor, text="Ferries stay in port.")
    data = client.get(f"/api/v1/live-blogs/{blog.pk}", headers={"X-Api-Key": "partner-key"}).json()
    check_ninjs(data)
    assert data["type"] == "composite" and data["located"] == "Halder"
    entries = list(data["associations"].values())
    assert [entry["descriptions"][0]["value"] for entry in entries] == [
        "Ferries stay in port.",
        "Gusts of 90 km/h.",
    ]
    assert entries[1]["headlines"] == [{"role": "main", "value": "Winds rise"}]
    assert "Gusts of 90 km/h." in entries[1]["bodies"][0]["value"]
    assert entries[0]["uri"].startswith(f"http://testserver{blog.url}#entry-")
    assert client.get(f"/api/v1/live-blogs/{blog.pk}?entries=1").json()["associations"]
    assert client.get(f"/api/v1/live-blogs/{blog.pk}?entries=0").status_code == 422
    assert client.get("/api/v1/live-blogs/999999").status_code == 404


def test_a_list_costs_the_same_queries_however_many_articles_it_holds(
    client, world, author, django_assert_num_queries
):
    """Lead images, renditions, tags, authors and sections come in one query each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add_articles(count, start):
        for number in range(start, start + count):
            photo = make_image(title=f"Photo {number}", credit="© Meridian Wire")
            page = make_article(world, title=f"Item {number}", authors=[author], lead_image=photo)
            page.tags.add(f"Topic {number}")
            page.save_revision().publish()

    def prepare():
        client.get("/api/v1/articles")  # renditions made once, as on a running site
        content_changed()  # measure the first view after a publish, not a kept answer

    add_articles(2, 0)
    prepare()
    with CaptureQueriesContext(connection) as few:
        response = client.get("/api/v1/articles")
    queries_for_two = len(few.captured_queries)  # Django empties the log at each request
    assert len(response.json()["items"]) == 2
    add_articles(6, 2)
    prepare()
    with django_assert_num_queries(queries_for_two):
        assert len(client.get("/api/v1/articles").json()["items"]) == 8
