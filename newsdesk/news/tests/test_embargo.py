"""An embargoed article appears nowhere public until its time, even when published."""

from datetime import timedelta

import pytest
from django.utils import timezone

from newsdesk.news.embargo import lift_due_embargoes
from newsdesk.news.freshness import content_token
from newsdesk.news.models import ArticlePage
from newsdesk.readership.models import HourlyReads
from newsdesk.testing import make_article

EMBARGOED = "Central bank raises rates by a full point"
CONTROL = "Port strike ends after talks"


@pytest.fixture
def newsroom(world, author):
    """A published article under embargo, and an ordinary one that links to it."""
    embargoed = make_article(
        world,
        title=EMBARGOED,
        summary="The zephyrine decision surprised the markets.",
        authors=[author],
        embargo_until=timezone.now() + timedelta(hours=2),
    )
    embargoed.tags.add("Economy")
    embargoed.save_revision().publish()
    control = make_article(
        world,
        title=CONTROL,
        summary="The zephyrine talks ended at dawn.",
        authors=[author],
        body=[
            ("paragraph", "<p>Dockers return on Monday.</p>"),
            ("related_story", {"article": embargoed.pk}),
            ("read_more", {"article": embargoed.pk}),
        ],
    )
    control.tags.add("Economy")
    control.save_revision().publish()
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    for page, reads in ((embargoed, 900), (control, 10)):
        HourlyReads.objects.create(page=page, hour=hour, reads=reads)
    embargoed.refresh_from_db()
    control.refresh_from_db()
    assert embargoed.live and embargoed.is_embargoed  # published, by mistake or on purpose
    return {"embargoed": embargoed, "control": control}


SURFACES = {
    "home page": "/en/",
    "section page": "/en/world/",
    "tag page": "/en/tags/economy/",
    "author page": "/en/authors/maria-kovacs/",
    "latest RSS": "/en/feeds/latest.rss",
    "section Atom": "/en/feeds/section/world.atom",
    "tag JSON Feed": "/en/feeds/tag/economy.json",
    "author RSS": "/en/feeds/author/maria-kovacs.rss",
    "section sitemap": "/en/sitemaps/section-world.xml",
    "news sitemap": "/en/sitemaps/news.xml",
    "reader search": "/en/search/?q=zephyrine",
    "API list": "/api/v1/articles",
    "most read": "/en/readership/most-read/",
    "linking article (related card, READ MORE)": "{control}",
}


def text_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response) if response.streaming else response.content


@pytest.mark.parametrize("surface", SURFACES)
def test_an_embargoed_article_is_on_no_public_surface(client, newsroom, surface):
    url = SURFACES[surface].format(control=newsroom["control"].url)
    text = text_of(client, url).decode()

    assert CONTROL in text or "port-strike-ends" in text  # the surface lists articles
    assert "Central bank raises rates" not in text
    assert newsroom["embargoed"].url not in text


@pytest.mark.parametrize(
    "url",
    [
        "{article}",
        "/api/v1/articles/{id}",
        "/api/v1/articles/by-path?path={path}",
        "/en/discussion/{id}/",
    ],
)
def test_its_own_addresses_answer_not_found(client, newsroom, url):
    article = newsroom["embargoed"]
    path = article.url.removeprefix("/")
    response = client.get(url.format(article=article.url, id=article.pk, path=path))

    assert response.status_code == 404
    assert "Central bank raises rates" not in response.content.decode()


def test_editors_still_preview_it(admin_client, newsroom):
    article = newsroom["embargoed"]
    response = admin_client.get(f"/admin/pages/{article.pk}/view_draft/")

    assert response.status_code == 200
    assert EMBARGOED in response.content.decode()


def test_when_the_embargo_passes_it_shows_everywhere_including_pages_kept_in_cache(
    client, newsroom
):
    article = newsroom["embargoed"]
    assert EMBARGOED not in text_of(client, "/en/").decode()  # the home page is now kept
    before = content_token()
    # Two hours pass.
    ArticlePage.objects.filter(pk=article.pk).update(
        embargo_until=timezone.now() - timedelta(seconds=1)
    )

    assert lift_due_embargoes() == 1
    assert lift_due_embargoes() == 0

    assert content_token() != before
    assert client.get(article.url).status_code == 200
    assert EMBARGOED in text_of(client, "/en/").decode()
    assert EMBARGOED in text_of(client, newsroom["control"].url).decode()  # its card
    assert EMBARGOED in text_of(client, "/en/feeds/latest.rss").decode()


def test_an_embargo_set_again_on_a_published_article_hides_it_again(client, newsroom):
    control = newsroom["control"]
    control.embargo_until = timezone.now() + timedelta(days=1)
    control.save_revision().publish()

    assert client.get(control.url).status_code == 404
    assert CONTROL not in text_of(client, "/en/world/").decode()
