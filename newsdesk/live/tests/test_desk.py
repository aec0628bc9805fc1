"""The live desk in the admin: who may do what, refusals that keep the editor's text, and
entry text that cannot run in readers' browsers."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from newsdesk.live import services
from newsdesk.live.models import EntryStatus, LiveEntry, LiveEvent
from newsdesk.live.views import entry_plain_text

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}
HOSTILE = (
    "<script>alert('entry')</script> Look: <img src=x onerror=alert(1)> "
    '<a href="javascript:alert(2)" onclick="alert(3)">here</a> '
    'and http://example.com/"onmouseover="alert(4)'
)


class Markup(HTMLParser):
    """Every tag and attribute in a piece of HTML."""

    def __init__(self, html):
        super().__init__()
        self.tags = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def assert_harmless(html):
    for tag, attrs in Markup(html).tags:
        assert tag not in ("script", "img", "iframe"), html
        for name, value in attrs.items():
            assert not name.startswith("on"), html
            assert not (value or "").strip().lower().startswith("javascript:"), html


def logged_in(user, **options):
    client = Client(**options)
    client.force_login(user)
    return client


def create_url(blog):
    return reverse("live_entry_create", args=[blog.pk])


def entry_url(name, entry):
    return reverse(name, args=[entry.pk])


def test_anonymous_visitors_are_sent_to_the_login_page(blog, client):
    response = client.get(reverse("live_desk", args=[blog.pk]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("wagtailadmin_login"))


def test_a_reader_without_admin_access_cannot_open_the_desk_or_post(blog, reader):
    client = logged_in(reader)

    assert client.get(reverse("live_desk", args=[blog.pk])).status_code == 302
    assert client.post(create_url(blog), {"text": "Hello"}).status_code == 302
    assert not LiveEntry.objects.exists()


def test_staff_without_a_live_role_are_refused_with_403(blog, django_user_model):
    from django.contrib.auth.models import Permission

    clerk = django_user_model.objects.create_user(username="clerk", password="pass-clerk")
    clerk.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = logged_in(clerk)

    assert client.get(reverse("live_desk", args=[blog.pk])).status_code == 403
    response = client.post(create_url(blog), {"text": "Hello"}, **JSON)
    assert response.status_code == 403
    assert response.json()["error"]
    assert not LiveEntry.objects.exists()


@pytest.mark.parametrize("persona", ["editor", "live_desk_editor"])
def test_editors_and_live_desk_editors_post_for_readers(blog, persona, request):
    client = logged_in(request.getfixturevalue(persona))

    response = client.post(create_url(blog), {"text": "Ferries cancelled."}, **JSON)

    assert response.status_code == 200
    assert response.json()["status"] == EntryStatus.PUBLISHED
    assert LiveEvent.objects.filter(blog=blog, op="add").count() == 1


def test_a_plain_form_post_returns_to_the_desk(blog, editor):
    response = logged_in(editor).post(create_url(blog), {"text": "Ferries cancelled."})

    assert response.status_code == 302
    assert response.url == reverse("live_desk", args=[blog.pk])


def test_a_reporter_can_only_save_drafts(blog, reporter, editor):
    client = logged_in(reporter)

    response = client.post(
        create_url(blog), {"text": "Power cut in the north.", "pinned": "1"}, **JSON
    )

    assert response.status_code == 200
    assert response.json()["status"] == EntryStatus.DRAFT
    draft = LiveEntry.objects.get()
    assert draft.status == EntryStatus.DRAFT
    assert not draft.is_pinned
    assert not LiveEvent.objects.exists(), "readers see nothing until an editor posts it"
    published = services.entry_post(blog=blog, author=editor, text="Roads closed.")
    for name, entry in [
        ("live_entry_publish", draft),
        ("live_entry_pin", draft),
        ("live_entry_pin", published),
        ("live_entry_key", published),
        ("live_entry_delete", published),
    ]:
        response = client.post(entry_url(name, entry), {"key_event": "1"}, **JSON)
        assert response.status_code == 403, name
        assert response.json()["error"]
    assert client.post(reverse("live_blog_end", args=[blog.pk]), **JSON).status_code == 403
    assert LiveEntry.objects.get(pk=draft.pk).status == EntryStatus.DRAFT
    assert list(LiveEvent.objects.values_list("op", flat=True)) == ["add"]


def test_an_editor_posts_a_reporters_draft(blog, reporter, editor):
    draft = services.entry_post(blog=blog, author=reporter, text="Power cut.", draft=True)

    response = logged_in(editor).post(entry_url("live_entry_publish", draft), **JSON)

    assert response.status_code == 200
    assert LiveEntry.objects.get(pk=draft.pk).status == EntryStatus.PUBLISHED


def test_a_reporter_cannot_change_someone_elses_entry_by_guessing_its_id(
    blog, reporter, editor, django_user_model, roles
):
    from newsdesk.news.roles import REPORTER

    colleague = django_user_model.objects.create_user(username="colleague", password="pass-c")
    colleague.groups.add(roles[REPORTER])
    theirs = services.entry_post(blog=blog, author=colleague, text="Their draft.", draft=True)
    published = services.entry_post(blog=blog, author=editor, text="An editor's entry.")
    own = services.entry_post(blog=blog, author=reporter, text="My draft.", draft=True)
    client = logged_in(reporter)

    for entry in (theirs, published):
        edit = client.post(
            entry_url("live_entry_edit", entry), {"version": "1", "text": "Mine now."}, **JSON
        )
        delete = client.post(entry_url("live_entry_delete", entry), **JSON)
        assert (edit.status_code, delete.status_code) == (403, 403)
        entry.refresh_from_db()
        assert entry.version == 1
        assert entry.status != EntryStatus.DELETED
    response = client.post(
        entry_url("live_entry_edit", own), {"version": "1", "text": "My better draft."}, **JSON
    )
    assert response.status_code == 200
    own.refresh_from_db()
    assert entry_plain_text(own) == "My better draft."


def test_the_desk_marks_which_entries_a_reporter_may_change(blog, reporter, editor):
    services.entry_post(blog=blog, author=editor, text="An editor's entry.")
    own = services.entry_post(blog=blog, author=reporter, text="My draft.", draft=True)

    response = logged_in(reporter).get(reverse("live_desk", args=[blog.pk]))

    assert response.status_code == 200
    changeable = {entry.pk for entry in response.context["entries"] if entry.can_change}
    assert changeable == {own.pk}


def test_csrf_is_enforced_on_the_desk(blog, editor):
    client = logged_in(editor, enforce_csrf_checks=True)

    refused = client.post(create_url(blog), {"text": "Forged."})

    assert refused.status_code == 403
    assert not LiveEntry.objects.exists()
    client.get(reverse("live_desk", args=[blog.pk]))
    token = client.cookies["csrftoken"].value
    accepted = client.post(create_url(blog), {"text": "Genuine.", "csrfmiddlewaretoken": token})
    assert accepted.status_code == 302
    assert LiveEntry.objects.count() == 1


def test_an_oversized_entry_is_refused_and_the_editors_text_kept(blog, editor):
    text = "Word " * (services.MAX_TEXT_CHARS // 5 + 1)
    client = logged_in(editor)

    page = client.post(create_url(blog), {"headline": "Long one", "text": text})
    as_json = client.post(create_url(blog), {"text": text}, **JSON)

    assert page.status_code == 400
    assert "the limit is 10000" in page.content.decode()
    assert page.context["values"]["text"] == text
    textarea = re.search(
        r'<textarea id="compose-text"[^>]*>(.*?)</textarea>', page.content.decode(), re.S
    )
    assert textarea.group(1) == text
    assert as_json.status_code == 400
    assert "the limit is 10000" in as_json.json()["error"]
    assert not LiveEntry.objects.exists()


def test_a_stale_edit_is_refused_with_409_and_the_editors_text_kept(blog, editor, live_desk_editor):
    entry = services.entry_post(blog=blog, author=editor, text="Schools closed.")
    services.entry_edit(entry_id=entry.pk, expected_version=1, text="Schools closed tomorrow.")

    response = logged_in(live_desk_editor).post(
        entry_url("live_entry_edit", entry), {"version": "1", "text": "Schools open."}
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this entry" in html
    assert "Schools open." in html
    entry.refresh_from_db()
    assert entry_plain_text(entry) == "Schools closed tomorrow."


def test_editing_gives_back_the_text_as_typed(blog, editor):
    typed = (
        'Fish & chips <b>not bold</b>\n"Quoted", it\'s said\n\nSee https://example.com/a?b=1&c=2'
    )
    entry = services.entry_post(blog=blog, author=editor, text=typed)

    assert entry_plain_text(entry) == typed
    edited = services.entry_edit(
        entry_id=entry.pk, expected_version=1, text=entry_plain_text(entry)
    )
    assert entry_plain_text(edited) == typed


def test_script_tags_and_event_handlers_are_neutralised(blog, editor, client):
    logged_in(editor).post(create_url(blog), {"headline": "<b onclick=x>Head</b>", "text": HOSTILE})
    entry = LiveEntry.objects.get()

    event_html = LiveEvent.objects.get(blog=blog).data["html"]
    page = client.get(blog.url).content.decode()
    on_page = re.search(rf'<article[^>]*id="entry-{entry.pk}".*?</article>', page, re.S).group(0)
    desk = logged_in(editor).get(reverse("live_desk", args=[blog.pk])).content.decode()

    for html in (event_html, on_page):
        assert_harmless(html)
        assert "&lt;script&gt;alert(" in html, "the words are shown as typed"
    assert "<script>alert" not in page
    assert "<script>alert" not in desk
    assert "<img src=x" not in desk
    jsonld = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    assert "</script" not in jsonld.lower()
    assert "\\u003Cscript\\u003Ealert" in jsonld, "the words as typed, safely encoded"


def test_a_refused_form_post_gets_an_admin_page_that_says_why(blog, reporter, editor):
    published = services.entry_post(blog=blog, author=editor, text="Roads closed.")
    client = logged_in(reporter)

    response = client.post(entry_url("live_entry_pin", published))

    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Not allowed on the live desk" in page
    assert "Only an editor can" in page
    assert reverse("live_desk", args=[blog.pk]) in page
    assert not LiveEntry.objects.get(pk=published.pk).is_pinned


def test_staff_without_a_live_role_get_the_refusal_page_with_a_way_back(blog, django_user_model):
    from django.contrib.auth.models import Permission

    clerk = django_user_model.objects.create_user(username="clerk", password="pass-clerk")
    clerk.user_permissions.add(Permission.objects.get(codename="access_admin"))

    response = logged_in(clerk).post(create_url(blog), {"text": "Hello"})

    assert response.status_code == 403
    page = response.content.decode()
    assert "Only editors and reporters work on the live desk." in page
    assert reverse("wagtailadmin_home") in page
    assert reverse("live_desk", args=[blog.pk]) not in page


def every_block(world):
    """An entry body with every block an entry may hold, as stored."""
    from newsdesk.testing import make_article, make_image

    image = make_image(title="Sea wall", credit="© Coast Agency / Bo Rook")
    story = make_article(world, title="How the sea wall was built")
    further = make_article(world, title="Storm Orla: what we know")
    return (
        [
            {"type": "paragraph", "value": "<p>The sea wall held overnight.</p>"},
            {
                "type": "quote",
                "value": {"text": "It held.", "speaker": "Ann Mole", "role": "Mayor"},
            },
            {"type": "image", "value": {"image": image.pk, "caption": "The wall at dawn."}},
            {"type": "related_story", "value": {"article": story.pk}},
            {"type": "read_more", "value": {"article": further.pk}},
        ],
        image,
        story,
        further,
    )


def blocks_form(body, *, headline="Sea wall", version=1):
    """The full edit form's POST data, as Wagtail's StreamField widget sends it."""
    from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

    blocks = []
    for block in body:
        value = block["value"]
        if block["type"] == "paragraph":
            value = rich_text(value)
        blocks.append((block["type"], value))
    return nested_form_data({"headline": headline, "version": version, "body": streamfield(blocks)})


def test_an_entry_with_every_block_is_edited_in_the_full_form(blog, editor, world):
    body, image, _story, _further = every_block(world)
    entry = services.entry_post(blog=blog, author=editor, text="-", body=body)
    client = logged_in(editor)
    url = entry_url("live_entry_edit_blocks", entry)

    form_page = client.get(url)
    assert form_page.status_code == 200
    assert (
        reverse("live_entry_edit_blocks", args=[entry.pk])
        in client.get(reverse("live_desk", args=[blog.pk])).content.decode()
    )

    body[1]["value"] = {"text": "It held, just.", "speaker": "Ann Mole", "role": "Mayor"}
    body[2]["value"] = {"image": image.pk, "caption": "The wall, still standing."}
    response = client.post(url, blocks_form(body, headline="The wall held"))

    assert response.status_code == 302
    entry.refresh_from_db()
    assert [block.block_type for block in entry.body] == [
        "paragraph",
        "quote",
        "image",
        "related_story",
        "read_more",
    ]
    assert entry.body[1].value["text"] == "It held, just."
    assert entry.version == 2
    edit = LiveEvent.objects.filter(blog=blog).last()
    assert (edit.op, edit.data["entry"]) == ("edit", entry.pk), "readers see it change in place"
    html = edit.data["html"]
    for shown in (
        "The wall held",
        "It held, just.",
        "Ann Mole",
        "The wall, still standing.",
        "© Coast Agency / Bo Rook",
        "How the sea wall was built",
        "Storm Orla: what we know",
    ):
        assert shown in html


def test_a_full_edit_on_a_stale_copy_is_refused_and_keeps_the_editors_blocks(blog, editor, world):
    body, *_rest = every_block(world)
    entry = services.entry_post(blog=blog, author=editor, text="-", body=body)
    services.entry_set_key_event(entry_id=entry.pk, is_key_event=True)  # a colleague, meanwhile
    body[1]["value"] = {"text": "My words.", "speaker": "Ann Mole", "role": ""}

    response = logged_in(editor).post(
        entry_url("live_entry_edit_blocks", entry), blocks_form(body, version=1)
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed this entry" in page
    assert "My words." in page, "the editor's blocks are kept in the form"
    entry.refresh_from_db()
    assert entry.body[1].value["text"] == "It held."


def test_a_reporter_cannot_open_the_full_edit_of_a_published_entry(blog, editor, reporter, world):
    body, *_rest = every_block(world)
    entry = services.entry_post(blog=blog, author=editor, text="-", body=body)

    response = logged_in(reporter).post(
        entry_url("live_entry_edit_blocks", entry), blocks_form(body)
    )

    assert response.status_code == 403
    assert LiveEntry.objects.get(pk=entry.pk).version == 1
