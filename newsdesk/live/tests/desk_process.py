"""A live desk in its own process, for the running-server tests.

Run inside `newsdesk shell -c`, it reads one JSON command a line on stdin and
answers one line "desk: <json>" on stdout. Posting from here, not from a
server worker, means no worker hears of an entry except through the broker.
"""

import json
import sys

from django.db import transaction
from wagtail.models import Page, Site

from newsdesk.live import broker, services
from newsdesk.live.broker import last_seq
from newsdesk.live.models import LiveBlogPage, LiveEntry
from newsdesk.news.models import HomePage, SectionPage

from .factories import make_live_blog


def _section() -> SectionPage:
    section = SectionPage.objects.filter(slug="live").first()
    if section is not None:
        return section
    home = HomePage(title="Home", slug="front-page")
    Page.get_first_root_node().add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.get(is_default_site=True)
    old_root, site.root_page = site.root_page, home
    site.save()
    old_root.delete()
    section = SectionPage(title="Live", slug="live")
    home.add_child(instance=section)
    section.save_revision().publish()
    return section


@transaction.atomic
def _blog(command: dict) -> dict:
    count = LiveBlogPage.objects.count()
    blog = make_live_blog(
        _section(), title=f"Live: test blog {count + 1}", publish=command.get("publish", True)
    )
    return {"blog": blog.pk}


def _post(command: dict) -> dict:
    blog = LiveBlogPage.objects.get(pk=command["blog"])
    entry = services.entry_post(blog=blog, author=None, text=command["text"])
    return {"entry": entry.pk, "seq": last_seq(blog.pk)}


def _post_many(command: dict) -> dict:
    blog = LiveBlogPage.objects.get(pk=command["blog"])
    for _number in range(command["count"]):
        services.entry_post(blog=blog, author=None, text=command["text"])
    return {"seq": last_seq(blog.pk)}


def _unpublish(command: dict) -> dict:
    LiveBlogPage.objects.get(pk=command["blog"]).unpublish()
    return {}


def _delete(command: dict) -> dict:
    LiveBlogPage.objects.get(pk=command["blog"]).delete()
    return {}


def _end(command: dict) -> dict:
    services.blog_end(blog=LiveBlogPage.objects.get(pk=command["blog"]))
    return {"seq": last_seq(command["blog"])}


def _entries(command: dict) -> dict:
    return {"count": LiveEntry.objects.filter(blog_id=command["blog"]).count()}


def _event_datagram_limit(command: dict) -> dict:
    """Events larger than this go to the server processes as a wake-up, not as data."""
    broker.LocalBackend.EVENT_DATAGRAM_LIMIT = command["bytes"]
    return {}


COMMANDS = {
    "event_datagram_limit": _event_datagram_limit,
    "blog": _blog,
    "post": _post,
    "post_many": _post_many,
    "unpublish": _unpublish,
    "delete": _delete,
    "end": _end,
    "entries": _entries,
}


def main() -> None:
    for line in sys.stdin:
        command = json.loads(line)
        try:
            answer = COMMANDS[command["do"]](command)
        except Exception as error:  # the test shows it; the desk carries on
            answer = {"error": repr(error)}
        print("desk: " + json.dumps(answer), flush=True)
