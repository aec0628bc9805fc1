from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.models import Page

from newsdesk.demo import content
from newsdesk.demo.builder import build_demo
from newsdesk.images.models import CreditedImage
from newsdesk.live.models import LiveBlogPage, LiveEntry
from newsdesk.news.models import ArticlePage, Author, HomePage, SectionPage


def _counts():
    return (
        Page.objects.count(),
        ArticlePage.objects.live().count(),
        CreditedImage.objects.count(),
        Author.objects.count(),
        get_user_model().objects.count(),
    )


def test_the_demo_builds_once_and_a_rebuild_duplicates_nothing(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    lines = []
    logins = build_demo(progress=lines.append)
    assert any(line.startswith("[1/") for line in lines), "the build shows its progress"
    assert {username for username, _, _ in logins} == {"admin", "editor", "reporter", "livedesk"}
    first = _counts()
    assert first[1] == len(content.ARTICLES)
    assert SectionPage.objects.live().count() == len(content.SECTIONS) + 1  # and Live

    second_logins = build_demo(progress=lines.append)
    assert _counts() == first
    assert second_logins == logins, "the printed logins stay valid"

    client = Client()
    for username, password, _ in logins:
        assert client.login(username=username, password=password)

    home = HomePage.objects.get()
    lead = home.top_story
    lead_spec = next(spec for spec in content.ARTICLES if spec.get("lead"))
    assert lead.title == lead_spec["title"]
    used = {block.block_type for block in lead.body}
    assert used == {"paragraph", "quote", "subheading", "image", "related_story", "read_more"}
    assert sum(block.block_type == "related_story" for block in lead.body) == 2
    assert sum(block.block_type == "read_more" for block in lead.body) == 2
    assert lead.dateline and lead.lead_image.credit and lead.lead_image_caption
    response = Client().get(lead.url)
    assert response.status_code == 200

    blog = LiveBlogPage.objects.get()
    entries = LiveEntry.objects.filter(blog=blog, status="published")
    assert entries.count() >= 24
    assert entries.filter(is_pinned=True).count() == 1
    assert entries.filter(is_key_event=True).count() >= 3
    kinds = {block.block_type for entry in entries for block in entry.body}
    assert kinds == {"paragraph", "quote", "image", "related_story", "read_more"}
    home_html = Client().get("/").content.decode()
    assert blog.title in home_html, "the live blog shows in the home page's live slot"
