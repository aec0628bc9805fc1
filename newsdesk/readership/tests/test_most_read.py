"""Reads counted by beacon in batches, and the most-read lists built from them."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsdesk.news.models import SectionPage
from newsdesk.readership import counter
from newsdesk.readership.models import HourlyReads
from newsdesk.testing import make_article


@pytest.fixture(autouse=True)
def _empty_tally():
    counter.flush()
    counter._seen.clear()
    yield
    counter._tally.clear()
    counter._seen.clear()


def read(page, address):
    client = Client(REMOTE_ADDR=address)
    response = client.post("/readership/read", str(page.pk), content_type="text/plain")
    assert response.status_code == 204
    return response


def most_read(client, query=""):
    soup = BeautifulSoup(client.get("/en/readership/most-read/" + query).content, "html.parser")
    return [a.get_text() for a in soup.select(".most-read__list a")]


@pytest.fixture
def stories(home, world):
    offbeat = SectionPage(title="Off-beat", slug="off-beat", show_in_menus=True)
    home.add_child(instance=offbeat)
    offbeat.save_revision().publish()
    return {
        "quake": make_article(world, title="Quake shakes the capital"),
        "vote": make_article(world, title="Parliament votes tonight"),
        "goat": make_article(offbeat, title="Goat elected honorary mayor"),
    }


def test_reads_are_written_in_batches_not_per_view(stories):
    with CaptureQueriesContext(connection) as queries:
        read(stories["quake"], "10.0.0.1")
        read(stories["quake"], "10.0.0.2")
    assert not [q for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert not HourlyReads.objects.exists()
    counter.flush()
    assert HourlyReads.objects.get().reads == 2


def test_a_reader_counts_once_per_page_for_a_while(stories):
    for _ in range(5):
        read(stories["quake"], "10.0.0.1")
    read(stories["vote"], "10.0.0.1")
    counter.flush()
    assert dict(HourlyReads.objects.values_list("page_id", "reads")) == {
        stories["quake"].pk: 1,
        stories["vote"].pk: 1,
    }


def test_batches_from_several_workers_add_up(stories):
    read(stories["quake"], "10.0.0.1")
    counter.flush()
    read(stories["quake"], "10.0.0.2")  # another worker's batch for the same hour
    counter.flush()
    assert HourlyReads.objects.get().reads == 2


def test_most_read_ranks_the_last_24_hours_site_wide_and_per_section(client, stories):
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    HourlyReads.objects.create(page=stories["goat"], hour=now, reads=50)
    HourlyReads.objects.create(page=stories["quake"], hour=now, reads=30)
    HourlyReads.objects.create(page=stories["quake"], hour=now - timedelta(hours=1), reads=30)
    HourlyReads.objects.create(page=stories["vote"], hour=now, reads=10)
    HourlyReads.objects.create(page=stories["vote"], hour=now - timedelta(hours=30), reads=999)
    assert most_read(client) == [
        "Quake shakes the capital",
        "Goat elected honorary mayor",
        "Parliament votes tonight",
    ]
    assert most_read(client, "?section=world") == [
        "Quake shakes the capital",
        "Parliament votes tonight",
    ]
    stories["goat"].unpublish()
    assert "Goat elected honorary mayor" not in most_read(client)


def test_the_pages_stay_shared_and_carry_the_beacon_and_the_slot(client, stories):
    soup = BeautifulSoup(client.get(stories["quake"].url).content, "html.parser")
    assert soup.select_one("[data-read-beacon]")["data-read-beacon"] == str(stories["quake"].pk)
    slot = soup.select_one("[data-most-read-url]")
    assert slot["data-most-read-url"] == "/en/readership/most-read/?fragment&section=world"
    assert client.get(slot["data-most-read-url"]).status_code == 200
    home = BeautifulSoup(client.get("/en/").content, "html.parser")
    assert home.select_one("[data-most-read-url]")["data-most-read-url"].endswith("?fragment")


def test_bad_beacons_are_refused_without_harm(client, stories):
    assert client.get("/readership/read").status_code == 405
    bad = client.post("/readership/read", "not a number", content_type="text/plain")
    assert bad.status_code == 400 and bad.json()["error"]
    assert client.post("/readership/read", "999999", content_type="text/plain").status_code == 204
    counter.flush()  # an unknown page is dropped, not a crash
    assert not HourlyReads.objects.filter(page_id=999999).exists()
