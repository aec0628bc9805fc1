"""A site to post comments to, and readers logged in to post them (discussion benchmark and test).

Run in the server's environment (NEWSDESK_DATA_DIR, DATABASE_URL), like any
`newsdesk` command, on a fresh database:

    python bench/discussion_setup.py prepare --readers 200 --seed 10000 > site.json
    python bench/discussion_setup.py stored --page 5 > rows.json

`prepare` migrates, builds a minimal site (a home page, a section and four
articles: one to post to, one whose discussion is seeded with --seed
comments, one with 60, a page's worth, and one with 10), makes the
confirmed readers and a logged-in session for each (made in the database,
as `django.contrib.auth.login` leaves one: a load generator need not pay
for password hashing), and prints them as JSON.
`stored` prints what the database holds for one page's discussion: every
comment (id, author, status, body) and the discussion's comment_count.
"""

import argparse
import json
import os
import random
import subprocess
import sys
from datetime import timedelta
from importlib import import_module
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POST_SLUG = "discussion-bench-post"
READ_SLUG = "discussion-bench-read"
SMALL_SLUG = "discussion-bench-small"
SMALL_SEED = 10
FULL_SLUG = "discussion-bench-full"
FULL_SEED = 60  # 48 threads and 12 replies: one page, as full as a page of a long discussion
READER_DOMAIN = "readers.example.org"


def run(env: dict, *args: str, timeout: float = 900) -> dict:
    """Run this script with args in a server's environment; returns what it printed."""
    result = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"discussion_setup.py {args[0]} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings.base")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _ensure_site():
    from wagtail.models import Page, Site

    from newsdesk.news.models import ArticlePage, HomePage, SectionPage
    from newsdesk.testing import make_article

    existing = {page.slug: page for page in ArticlePage.objects.filter(slug__contains="bench")}
    titles = {
        POST_SLUG: "Readers react to the harbour plan",
        READ_SLUG: "The harbour plan, a year on",
        SMALL_SLUG: "Harbour ferries return",
        FULL_SLUG: "Night buses to the harbour",
    }
    if len(existing) == len(titles):
        return existing
    home = HomePage.objects.filter(locale__language_code="en").first()
    if home is None:  # the site's root becomes a home page; Wagtail's welcome page stays
        home = Page.get_first_root_node().add_child(
            instance=HomePage(title="Home", slug="front-page")
        )
        home.save_revision().publish()
        Site.objects.filter(is_default_site=True).update(root_page=home)
    section = SectionPage.objects.filter(slug="world", locale__language_code="en").first()
    if section is None:
        section = SectionPage(title="World", slug="world", show_in_menus=True)
        home.add_child(instance=section)
        section.save_revision().publish()
    for slug, title in titles.items():
        if slug not in existing:
            existing[slug] = make_article(section, title=title, slug=slug)
    return existing


def _make_readers(count: int) -> list:
    """Confirmed readers reader-0001…, made in bulk (one password hash for all)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from newsdesk.accounts.models import ReaderProfile
    from newsdesk.testing import READER_PASSWORD

    User = get_user_model()
    password = make_password(READER_PASSWORD)
    names = [f"reader-{number:04d}" for number in range(1, count + 1)]
    have = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    new = [
        User(username=name, email=f"{name}@{READER_DOMAIN}", password=password)
        for name in names
        if name not in have
    ]
    User.objects.bulk_create(new, batch_size=500)
    users = list(User.objects.filter(username__in=names).order_by("username"))
    fresh = [user for user in users if user.username not in have]
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in fresh],
        batch_size=500,
    )
    ReaderProfile.objects.bulk_create(
        [ReaderProfile(user=u, display_name=f"Reader {u.username[-4:]}") for u in fresh],
        batch_size=500,
    )
    return users


def _session_for(user) -> str:
    """A logged-in session for user, as django.contrib.auth.login stores one."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def _seed(page, readers, count: int) -> None:
    """count published comments, a fifth of them replies, spread over the last days."""
    from django.db.models import Count
    from django.utils import timezone

    from newsdesk.discussion.models import Comment, Discussion

    discussion, _created = Discussion.objects.get_or_create(page_id=page.pk)
    missing = count - Comment.objects.filter(discussion=discussion).count()
    if missing > 0:
        chance = random.Random(page.pk)
        start = timezone.now() - timedelta(days=3)
        step = timedelta(days=3) / (missing + 1)
        top_level = Comment.objects.bulk_create(
            [
                Comment(
                    discussion=discussion,
                    author=chance.choice(readers),
                    body=f"Comment {number}: the harbour plan needs more ferries.\nSee the map.",
                    created_at=start + step * number,
                    client_hash=f"{number % 997:064x}",
                )
                for number in range(missing - missing // 5)
            ],
            batch_size=1000,
        )
        Comment.objects.bulk_create(
            [
                Comment(
                    discussion=discussion,
                    parent=parent,
                    author=chance.choice(readers),
                    body=f"Reply {number}: agreed, and the buses too.",
                    created_at=parent.created_at + timedelta(minutes=5),
                    client_hash=f"{number % 997:064x}",
                )
                for number, parent in enumerate(chance.choices(top_level, k=missing // 5))
            ],
            batch_size=1000,
        )
    published = Comment.objects.filter(
        discussion=discussion, status=Comment.Status.PUBLISHED
    ).aggregate(n=Count("id"))["n"]
    Discussion.objects.filter(pk=discussion.pk).update(comment_count=published)


def prepare(readers: int, seed: int) -> dict:
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    pages = _ensure_site()
    users = _make_readers(readers)
    _seed(pages[READ_SLUG], users, seed)
    _seed(pages[SMALL_SLUG], users, SMALL_SEED)
    _seed(pages[FULL_SLUG], users, FULL_SEED)
    from newsdesk.discussion.models import Comment
    from newsdesk.discussion.views import COMMENTS_PER_PAGE

    threads = Comment.objects.filter(discussion__page=pages[READ_SLUG], parent=None).count()
    return {
        "post_page": pages[POST_SLUG].pk,
        "read_page": pages[READ_SLUG].pk,
        "read_last_page": max(1, -(-threads // COMMENTS_PER_PAGE)),
        "small_page": pages[SMALL_SLUG].pk,
        "full_page": pages[FULL_SLUG].pk,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "readers": [{"id": user.pk, "session": _session_for(user)} for user in users],
    }


def stored(page_id: int) -> dict:
    from newsdesk.discussion.models import Comment, Discussion

    discussion = Discussion.objects.filter(page_id=page_id).first()
    rows = Comment.objects.filter(discussion__page_id=page_id).order_by("id")
    return {
        "comment_count": discussion.comment_count if discussion else None,
        "rows": list(rows.values_list("id", "author_id", "status", "body")),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("prepare", help="migrate, build the site and the readers")
    make.add_argument("--readers", type=int, default=200)
    make.add_argument("--seed", type=int, default=10_000, help="comments on the reading page")
    show = commands.add_parser("stored", help="the comments one page's discussion holds")
    show.add_argument("--page", type=int, required=True)
    options = parser.parse_args(argv)
    setup_django()
    if options.command == "prepare":
        result = prepare(options.readers, options.seed)
    else:
        result = stored(options.page)
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
