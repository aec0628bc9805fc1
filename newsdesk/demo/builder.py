"""Builds the demo newsroom: site, sections, authors, photos, articles, discussions, logins.

Running it again reuses what exists: objects are found by slug or title and
only what is missing is created.
"""

import json
import secrets
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Locale, Page, Site

from newsdesk.images.models import CreditedImage
from newsdesk.news.models import (
    ArticleAuthor,
    ArticleNote,
    ArticlePage,
    Author,
    HomePage,
    SectionPage,
    SiteSettings,
)
from newsdesk.news.roles import (
    EDITOR,
    LIVE_DESK,
    MODERATOR,
    PHOTO_EDITOR,
    REPORTER,
    SECTION_EDITORS_PREFIX,
    ensure_newsroom_roles,
)

from . import content, discussion
from .edition_ru import build_russian_edition
from .live import build_live_blog
from .photos import draw_scene

SITE_NAME = "newsdesk"
TAGLINE = "World news as it happens: live coverage, off-beat stories, features and analysis."
LIVE_SECTION = {
    "slug": "live",
    "title": "Live",
    "intro": "Events as they happen, followed minute by minute by our reporters.",
}
DEMO_ACCOUNTS = [
    # (username, role group or None for the superuser, display name)
    ("admin", None, "Site administrator"),
    ("editor", EDITOR, "Demo editor"),
    ("offbeat", f"{SECTION_EDITORS_PREFIX}Off-beat", "Demo editor of Off-beat"),
    ("reporter", REPORTER, "Demo reporter"),
    ("livedesk", LIVE_DESK, "Demo live-desk editor"),
    ("photos", PHOTO_EDITOR, "Demo photo editor"),
    ("moderator", MODERATOR, "Demo moderator"),
]

Progress = Callable[[str], None]


def build_demo(*, progress: Progress = print) -> dict:
    """Build (or top up) the demo newsroom; returns the logins to print."""
    ensure_newsroom_roles()
    home = _ensure_home(progress)
    sections = _ensure_sections(home, progress)
    authors = _ensure_authors(progress)
    articles = _ensure_articles(home, sections, authors, progress)
    blog = build_live_blog(
        section=sections[LIVE_SECTION["slug"]], articles_by_key=articles, progress=progress
    )
    logins, readers = _ensure_accounts(progress)
    discussion.build_discussions(
        pages={**articles, discussion.LIVE_BLOG_KEY: blog}, readers=readers, progress=progress
    )
    progress("Building the Russian edition")
    build_russian_edition(
        home=home,
        sections=sections,
        articles=articles,
        blog=blog,
        reader_password=next(p for _, p, role in logins if role == discussion.READER_ROLE),
        progress=progress,
    )
    _prepare_photo_sizes(progress)  # both editions' photos
    _run_queued_tasks(progress)
    return logins


def _run_queued_tasks(progress: Progress) -> None:
    """Index what was built for search (queued as background tasks) before the demo opens."""
    from newsdesk.worker.runner import run_ready_tasks

    if ran := run_ready_tasks():
        progress(f"Indexed the newsroom for search ({ran} background tasks)")


def _ensure_home(progress: Progress) -> HomePage:
    # The English edition's: the Russian one is its translation (edition_ru.py).
    home = HomePage.objects.filter(locale=Locale.get_default()).first()
    site = Site.objects.filter(is_default_site=True).first()
    if home is None:
        progress("Creating the home page")
        root = Page.get_first_root_node()
        home = HomePage(title="Home", slug="front-page")
        root.add_child(instance=home)
        home.save_revision().publish()
        if site is None:
            site = Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
        else:
            old_root = site.root_page
            site.root_page = home
            site.site_name = SITE_NAME
            site.save()
            # Wagtail's "Welcome" placeholder page has nothing to show.
            if old_root.specific_class is Page and not old_root.get_children().exists():
                old_root.delete()
    site_settings = SiteSettings.for_site(site)
    if site_settings.tagline == "":
        site_settings.site_name = SITE_NAME
        site_settings.tagline = TAGLINE
        site_settings.save()
    return home


def _ensure_sections(home: HomePage, progress: Progress) -> dict[str, SectionPage]:
    sections = {}
    for spec in [*content.SECTIONS, LIVE_SECTION]:
        section = SectionPage.objects.child_of(home).filter(slug=spec["slug"]).first()
        if section is None:
            progress(f"Creating section {spec['title']}")
            section = SectionPage(
                title=spec["title"], slug=spec["slug"], intro=spec["intro"], show_in_menus=True
            )
            home.add_child(instance=section)
            section.save_revision().publish()
        sections[spec["slug"]] = section
    return sections


def _ensure_authors(progress: Progress) -> dict[str, Author]:
    authors = {}
    for spec in content.AUTHORS:
        author, created = Author.objects.get_or_create(
            slug=spec["key"],
            defaults={"name": spec["name"], "role": spec["role"], "bio": spec["bio"]},
        )
        if created:
            progress(f"Adding author {author.name}")
        authors[spec["key"]] = author
    return authors


# The sizes components/picture.html asks for: made now, so a newcomer's first
# page view does not wait while fifty renditions are generated.
PHOTO_SIZES = ["width-480|format-webp", "width-800|format-webp", "width-1200|format-webp"]


def _prepare_photo_sizes(progress: Progress) -> None:
    images = list(CreditedImage.objects.prefetch_renditions())
    for number, image in enumerate(images, start=1):
        if number == 1 or number % 10 == 0 or number == len(images):
            progress(f"[{number}/{len(images)}] Preparing photo sizes")
        image.get_renditions(*PHOTO_SIZES)


def _ensure_image(spec: dict) -> CreditedImage:
    image = CreditedImage.objects.filter(title=spec["title"]).first()
    if image:
        return image
    data = draw_scene(spec["scene"], spec["title"])
    image = CreditedImage(
        title=spec["title"],
        description=spec["alt"],
        credit=spec["credit"],
        photographer=spec.get("photographer", ""),
        copyright_holder=spec.get("agency", ""),
        source="newsdesk demo (generated)",
    )
    import io

    image.file = ImageFile(io.BytesIO(data), name=f"{slugify(spec['title'])[:60]}.jpg")
    image.save()
    return image


def _ensure_articles(home, sections, authors, progress: Progress) -> dict[str, ArticlePage]:
    specs = content.ARTICLES
    total = len(specs)
    pages: dict[str, ArticlePage] = {}

    # First pass: every article exists, so that the second pass can point
    # related-story cards and read-more links at any of them.
    for number, spec in enumerate(specs, start=1):
        slug = slugify(spec["title"])[:80]
        page = ArticlePage.objects.descendant_of(home).filter(slug=slug).first()
        if page is None:
            progress(f"[{number}/{total}] Writing: {spec['title']}")
            with transaction.atomic():
                page = _create_article(spec, slug, sections, authors)
        pages[spec["key"]] = page

    publish_articles(specs, pages, links=pages, progress=progress)

    _apply_corrections(pages, progress)
    lead = next(spec for spec in specs if spec.get("lead"))
    if home.top_story_id is None:
        home.top_story = pages[lead["key"]]
        home.save_revision().publish()
    return pages


def _apply_corrections(pages: dict[str, ArticlePage], progress: Progress) -> None:
    """Publish a corrected second version of some articles, with their correction notes."""
    from wagtail.models import PageLogEntry

    for spec in content.CORRECTIONS:
        page = ArticlePage.objects.get(pk=pages[spec["key"]].pk)
        if page.notes.exists():
            continue
        progress(f"Correcting: {page.title}")
        first = page.first_published_at
        corrected_at = first + timedelta(hours=spec["hours_after_publishing"])
        wrong, right = spec["replace"]
        with transaction.atomic():
            page.body = [
                {**block, "value": block["value"].replace(wrong, right)}
                if block["type"] == "paragraph"
                else block
                for block in page.body.raw_data
            ]
            page.notes = [ArticleNote(kind="correction", text=spec["note"], noted_at=corrected_at)]
            page.save_revision().publish()
            ArticlePage.objects.filter(pk=page.pk).update(
                first_published_at=first,
                last_published_at=corrected_at,
                latest_revision_created_at=corrected_at,
            )
            ArticleNote.objects.filter(article=page).update(noted_at=corrected_at)
            # The versions readers compare carry the times they were published.
            first_version, second_version = PageLogEntry.objects.filter(
                page=page, action="wagtail.publish"
            ).order_by("timestamp", "id")[:2]
            PageLogEntry.objects.filter(pk=first_version.pk).update(timestamp=first)
            PageLogEntry.objects.filter(pk=second_version.pk).update(timestamp=corrected_at)


def publish_articles(specs, pages, *, links: dict[str, ArticlePage], progress: Progress) -> None:
    """Publish the drafts among `pages` with their bodies (linked articles looked up
    in `links` by key), backdated as their specs say."""
    now = timezone.now()
    pending = [spec for spec in specs if not pages[spec["key"]].live]
    for number, spec in enumerate(pending, start=1):
        progress(f"[{number}/{len(pending)}] Publishing: {spec['title']}")
        page = pages[spec["key"]]
        with transaction.atomic():
            page.body = _body(spec["body"], links)
            page.save_revision().publish()
            published = now - timedelta(hours=spec["hours_ago"])
            updated = now - timedelta(hours=spec.get("updated_hours_ago") or spec["hours_ago"])
            ArticlePage.objects.filter(pk=page.pk).update(
                first_published_at=published,
                last_published_at=updated,
                latest_revision_created_at=updated,
            )


def _create_article(spec, slug, sections, authors) -> ArticlePage:
    page = fill_article(ArticlePage(slug=slug, live=False), spec, authors)
    sections[spec["section"]].add_child(instance=page)
    return page


def fill_article(page: ArticlePage, spec: dict, authors) -> ArticlePage:
    """Set an article's headline, summary, photo, dateline, byline and tags from its spec."""
    photo = spec.get("photo")
    dateline = spec.get("dateline") or ["", ""]
    page.title = page.draft_title = spec["title"]
    page.short_title = spec.get("short_title", "")
    page.summary = spec["summary"]
    page.lead_image = _ensure_image(photo) if photo else None
    page.lead_image_caption = photo["caption"] if photo else ""
    page.dateline_place, page.dateline_agency = dateline
    page.byline_agency = spec.get("agency", "")
    page.body = []
    page.article_authors = [
        ArticleAuthor(author=authors[key], sort_order=index)
        for index, key in enumerate(spec.get("authors", []))
    ]
    page.tags.set(spec.get("tags", []))
    return page


def _body(blocks: list, pages: dict[str, ArticlePage]) -> list:
    """The article body as StreamField raw data (ids where blocks point at objects)."""
    body = []
    for block_type, value in blocks:
        if block_type == "paragraph":
            value = f"<p>{value}</p>"
        elif block_type in ("related_story", "read_more"):
            value = {"article": pages[value].pk}
        elif block_type == "image":
            value = {"image": _ensure_image(value).pk, "caption": value.get("caption", "")}
        body.append({"type": block_type, "value": value})
    return body


def _ensure_accounts(progress: Progress) -> tuple[list[tuple[str, str, str]], dict]:
    """Demo logins, with passwords generated once and kept in the data folder, and the readers.

    Readers log in on the site with their email address, so that is their printed login.
    """
    store = settings.DATA_DIR / "demo-logins.json"
    saved = json.loads(store.read_text()) if store.exists() else {}
    user_model = get_user_model()
    logins = []
    for username, group_name, display in DEMO_ACCOUNTS:
        password = saved.get(username) or secrets.token_urlsafe(9)
        user = user_model.objects.filter(username=username).first()
        if user is None:
            progress(f"Creating login {username}")
            user = user_model.objects.create_user(
                username=username,
                email=f"{username}@newsdesk.invalid",
                password=password,
                first_name=display,
                is_staff=group_name is None,
                is_superuser=group_name is None,
            )
        elif not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        if group_name:
            user.groups.add(Group.objects.get(name=group_name))
        saved[username] = password
        logins.append((username, password, group_name or "Administrator"))
    reader_login = discussion.reader_email(discussion.READERS[0][0])
    password = saved.get(reader_login) or secrets.token_urlsafe(9)
    readers = discussion.ensure_readers(password=password, progress=progress)
    saved[reader_login] = password
    logins.append((reader_login, password, discussion.READER_ROLE))
    store.parent.mkdir(parents=True, exist_ok=True)
    store.write_text(json.dumps(saved, indent=2))
    store.chmod(0o600)
    return logins, readers
