import pytest
from django.test import RequestFactory
from wagtail.models import Page, PageViewRestriction, Site

from newsdesk.news.models import HomePage
from newsdesk.news.views import server_error
from newsdesk.testing import make_article


def test_the_health_check_answers_when_the_database_does(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_robots_txt_keeps_crawlers_out_of_the_newsroom(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert "Disallow: /admin/" in response.content.decode()


def test_the_error_page_renders_without_the_database(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_a_path_without_its_trailing_slash_redirects(client, world):
    response = client.get("/en/world")
    assert response.status_code == 301
    assert response["Location"] == "/en/world/"


@pytest.fixture
def second_site(home, settings):
    """A second edition on its own host name, with its own home page."""
    settings.ALLOWED_HOSTS = ["testserver", "other.example", "unknown.example"]
    other_home = HomePage(title="Other home", slug="other-home")
    Page.get_first_root_node().add_child(instance=other_home)
    other_home.save_revision().publish()
    Site.objects.create(hostname="other.example", port=80, root_page=other_home)
    return other_home


def test_each_host_name_gets_its_own_site_and_others_the_default(client, world, second_site):
    assert client.get("/en/world/", HTTP_HOST="other.example").status_code == 404
    assert client.get("/en/world/", HTTP_HOST="testserver").status_code == 200
    assert client.get("/en/world/", HTTP_HOST="unknown.example").status_code == 200


def test_a_page_made_private_is_refused_at_once(client, world):
    article = make_article(world, title="Board minutes")
    assert client.get(article.url).status_code == 200
    PageViewRestriction.objects.create(page=world, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(article.url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]
