from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.test import Client
from wagtail.models import Page

from newsdesk.demo import content
from newsdesk.demo.builder import build_demo
from newsdesk.discussion.models import Comment, CommentReport, Discussion, Mode
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
        Comment.objects.count(),
        CommentReport.objects.count(),
    )


def test_the_demo_builds_once_with_its_discussions_and_a_rebuild_duplicates_nothing(
    db, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    lines = []
    logins = build_demo(progress=lines.append)
    assert any(line.startswith("[1/") for line in lines), "the build shows its progress"
    assert {username for username, _, _ in logins} == {
        "admin",
        "editor",
        "offbeat",
        "reporter",
        "livedesk",
        "photos",
        "moderator",
        "reader@newsdesk.invalid",
    }
    assert any(line.startswith("[1/") and "Discussing:" in line for line in lines)
    first = _counts()
    english = {"locale__language_code": "en"}  # the Russian edition: test_edition_ru.py
    assert ArticlePage.objects.live().filter(**english).count() == len(content.ARTICLES)
    assert SectionPage.objects.live().filter(**english).count() == len(content.SECTIONS) + 1

    second_logins = build_demo(progress=lines.append)
    assert _counts() == first
    assert second_logins == logins, "the printed logins stay valid"

    client = Client()
    for username, password, _ in logins:
        assert client.login(username=username, password=password)

    home = HomePage.objects.get(**english)
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

    blog = LiveBlogPage.objects.get(**english)
    entries = LiveEntry.objects.filter(blog=blog, status="published")
    assert entries.count() >= 24
    assert entries.filter(is_pinned=True).count() == 1
    assert entries.filter(is_key_event=True).count() >= 3
    kinds = {block.block_type for entry in entries for block in entry.body}
    assert kinds == {"paragraph", "quote", "image", "related_story", "read_more"}
    home_html = Client().get(home.url).content.decode()
    assert blog.title in home_html, "the live blog shows in the home page's live slot"

    _assert_readers_discussions_and_work_for_a_moderator(logins)


def _assert_readers_discussions_and_work_for_a_moderator(built_logins):
    # Part of the test above: a second demo build would add most of a minute to the suite.
    logins = {role: (login, password) for login, password, role in built_logins}

    # The printed reader logs in on the site with their email and may comment.
    email, password = logins["Reader"]
    reader = Client()
    response = reader.post("/en/accounts/login/", {"login": email, "password": password})
    assert response.status_code == 302
    lead = HomePage.objects.get(locale__language_code="en").top_story
    panel = BeautifulSoup(reader.get(f"/en/discussion/{lead.pk}/").content, "html.parser")
    assert panel.select_one("form.discussion__form textarea[name=text]") is not None
    assert "Commenting as Hanna Okonjo" in panel.get_text(" ", strip=True)

    # What readers see: their names, threads with replies, the counts that match.
    names = [name.get_text() for name in panel.select(".comment__author")]
    assert len(names) >= 6 and len(set(names)) >= 4
    assert panel.select(".comments--replies .comment")
    discussions = Discussion.objects.annotate(
        published=Count("comments", filter=Q(comments__status=Comment.Status.PUBLISHED))
    )
    assert discussions.filter(published__gt=0).count() >= 10
    for discussion in discussions:
        assert discussion.comment_count == discussion.published, discussion
    assert Comment.objects.filter(parent__isnull=False).count() >= 10
    # Written over the hours since each page was published, not all at once.
    times = [t.get("datetime") for t in panel.select(".comment time")]
    assert len(set(times)) == len(times)
    assert min(times) >= lead.first_published_at.isoformat(timespec="seconds")[:16]
    assert LiveBlogPage.objects.get(locale__language_code="en").discussion.comment_count > 0

    # Work waiting for a moderator: a pre-moderated discussion and a report.
    held = Discussion.objects.get(mode=Mode.PREMODERATED)
    assert held.comments.filter(status=Comment.Status.PENDING).count() >= 2
    report = CommentReport.objects.get()
    assert report.comment.status == Comment.Status.PUBLISHED
    assert report.reporter != report.comment.author

    moderator_login, moderator_password = logins["Moderators"]
    moderator = get_user_model().objects.get(username=moderator_login)
    assert moderator.has_perm("discussion.moderate_comment")
    assert not moderator.is_superuser
    assert not lead.permissions_for_user(moderator).can_publish()
    newsroom = Client()
    assert newsroom.login(username=moderator_login, password=moderator_password)
    assert newsroom.get("/admin/").status_code == 200
