import pytest
from bs4 import BeautifulSoup

from newsdesk.news.freshness import content_changed
from newsdesk.news.models import SectionPage
from newsdesk.testing import SITE_NAME, TAGLINE, make_article, make_image

# A repeat view: the content token, the page, and the live blogs now live (1,
# and 1 more for their latest entries when any is). The listings, the site,
# the route and the chrome are kept per content token (news/freshness.py).
HOME_PAGE_QUERIES = 3
# The first view after anything was published anywhere: also every site (with
# its root page and settings), the route, the navigation sections, the latest
# articles and the section rails with their renditions, the site's editions
# (its home pages) and the home page's translations (hreflang, the switcher).
HOME_PAGE_QUERIES_AFTER_A_CHANGE = 11


@pytest.fixture
def newsroom(home, world, author):
    offbeat = SectionPage(title="Off-beat", slug="off-beat", show_in_menus=True)
    home.add_child(instance=offbeat)
    offbeat.save_revision().publish()
    photo = make_image()
    world_articles = [
        make_article(world, title=f"World story {n}", lead_image=photo, authors=[author])
        for n in range(5)
    ]
    odd = make_article(offbeat, title="Giant pumpkin wins the fair", lead_image=photo)
    odd.tags.add("Pumpkins")
    odd.save_revision().publish()
    return {"home": home, "world": world, "offbeat": offbeat, "world_articles": world_articles}


def test_the_home_page_leads_with_the_newest_story_and_describes_the_site(client, newsroom):
    soup = BeautifulSoup(client.get("/en/").content, "html.parser")
    assert soup.title.string.strip() == SITE_NAME
    assert soup.find("meta", attrs={"name": "description"})["content"] == TAGLINE
    top = soup.select_one(".home__top .card__title").get_text(strip=True)
    assert top == "Giant pumpkin wins the fair"
    latest = [a.get_text(strip=True) for a in soup.select(".home__latest .latest-list a")]
    assert latest[0] == "World story 4"
    rails = [h.get_text(strip=True) for h in soup.select(".home__rail .rail-heading")]
    assert rails == []  # every article already shows in the top story or the latest list


def test_the_editors_top_story_leads_the_home_page(client, newsroom):
    home = newsroom["home"]
    home.top_story = newsroom["world_articles"][0]
    home.save_revision().publish()
    soup = BeautifulSoup(client.get("/en/").content, "html.parser")
    assert soup.select_one(".home__top .card__title").get_text(strip=True) == "World story 0"


def test_section_rails_show_each_sections_newest(client, newsroom):
    for n in range(14):
        make_article(newsroom["world"], title=f"Later world story {n}")
    soup = BeautifulSoup(client.get("/en/").content, "html.parser")
    world_rail = soup.select_one("#rail-world").find_parent("section")
    titles = [a.get_text(strip=True) for a in world_rail.select(".card__title")]
    assert len(titles) == 4


def test_the_home_page_stays_within_its_query_budget(client, newsroom, django_assert_num_queries):
    client.get("/en/")  # renditions are made on the first view
    content_changed()
    with django_assert_num_queries(HOME_PAGE_QUERIES_AFTER_A_CHANGE):
        first = client.get("/en/").content
    with django_assert_num_queries(HOME_PAGE_QUERIES):
        again = client.get("/en/").content
    assert again == first


def test_a_new_article_leads_the_home_page_at_once(client, newsroom):
    client.get("/en/")
    make_article(newsroom["offbeat"], title="Parrot elected mayor")
    soup = BeautifulSoup(client.get("/en/").content, "html.parser")
    assert soup.select_one(".home__top h3").get_text(strip=True) == "Parrot elected mayor"


def test_a_section_lists_its_articles_newest_first_and_paginates(client, newsroom):
    for n in range(20):
        make_article(newsroom["world"], title=f"Bulk story {n}")
    soup = BeautifulSoup(client.get("/en/world/").content, "html.parser")
    assert soup.h1.get_text() == "World"
    assert soup.title.string == f"World - {SITE_NAME}"
    titles = [a.get_text(strip=True) for a in soup.select(".article-list .card__title")]
    assert titles[0] == "Bulk story 19"
    assert len(titles) == 20
    assert soup.select_one('a[rel="next"]')["href"] == "?page=2"
    second = BeautifulSoup(client.get("/en/world/?page=2").content, "html.parser")
    assert len(second.select(".article-list .card__title")) == 5
    assert client.get("/en/world/?page=9").status_code == 404
    assert client.get("/en/world/?page=abc").status_code == 200


def test_the_navigation_marks_the_current_section(client, newsroom):
    article = newsroom["world_articles"][0]
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    current = soup.select('.site-nav a[aria-current="page"]')
    assert [a.get_text() for a in current] == ["World"]


def test_the_author_page_lists_their_articles(client, newsroom, author):
    response = client.get(f"/en/authors/{author.slug}/")
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.h1.get_text() == "Maria Kovacs"
    assert "Diplomatic correspondent" in soup.get_text()
    assert len(soup.select(".article-list .card__title")) == 5
    assert client.get("/en/authors/nobody/").status_code == 404


def test_the_byline_links_to_the_author_page(client, newsroom, author):
    article = newsroom["world_articles"][0]
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    link = soup.select_one(".byline a[rel=author]")
    assert link["href"] == f"/en/authors/{author.slug}/"


def test_the_tag_page_lists_tagged_articles(client, newsroom):
    soup = BeautifulSoup(client.get("/en/tags/pumpkins/").content, "html.parser")
    assert soup.h1.get_text() == "Pumpkins"
    assert [a.get_text(strip=True) for a in soup.select(".card__title")] == [
        "Giant pumpkin wins the fair"
    ]


def test_drafts_are_not_listed_or_served(client, newsroom):
    draft = make_article(newsroom["world"], title="Secret draft", publish=False)
    assert "Secret draft" not in client.get("/en/").content.decode()
    assert "Secret draft" not in client.get("/en/world/").content.decode()
    assert client.get(f"/en/world/{draft.slug}/").status_code == 404


def test_unknown_urls_answer_404_with_the_sites_page(client, newsroom):
    response = client.get("/en/no/such/page/")
    assert response.status_code == 404
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.h1.get_text() == "Page not found"
    assert [a.get_text() for a in soup.select(".site-nav a")] == ["World", "Off-beat"]


def test_public_pages_do_not_vary_on_the_session(client, newsroom, editor):
    client.force_login(editor)
    article = newsroom["world_articles"][0]
    for url in ("/en/", "/en/world/", article.url):
        response = client.get(url)
        assert "Cookie" not in response.get("Vary", ""), url
        assert "csrftoken" not in response.cookies, url
