from django.test import RequestFactory

from newsdesk.news.views import server_error


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
    response = client.get("/world")
    assert response.status_code == 301
    assert response["Location"] == "/world/"
