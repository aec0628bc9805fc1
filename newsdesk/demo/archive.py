"""A generated archive of published articles on top of the newsroom, written in bulk.

Adding 100,000 articles through Wagtail one by one (add_child, then a
revision published) takes hours; here each batch is a handful of statements:
the page rows with their tree paths computed here, the article rows, the
author and tag links, the section's child count, and the search index
entries, all in one transaction per batch. The pages are live with no
revision, as if published once and never edited in the newsroom (the API's
version number is then 1).

Archive articles are recognised by their slug, which ends in their serial
number (`-a0001234`); building again tops the archive up to the size asked
for, continuing the numbering, and adds nothing when it is already there.
"""

import random
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F, Prefetch
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.models import Page
from wagtail.search.backends import get_search_backends

from newsdesk.images.models import CreditedImage
from newsdesk.news.freshness import content_changed
from newsdesk.news.models import ArticleAuthor, ArticlePage, ArticleTag, Author, SectionPage

from .archive_text import ArticleText, compose

SERIAL_DIGITS = 7
SERIAL_SLUG = re.compile(rf"-a(\d{{{SERIAL_DIGITS}}})$")
YEARS = 3
# Newer articles are denser: a site publishes more now than three years ago.
# With publishing 1.5 times the average rate today, 100,000 articles put
# about 270 in the Google News sitemap's 48 hours.
NEWEST_RATE = 1.5
LEAD_IMAGE_SHARE = 0.5

Progress = Callable[[str], None]


class NoNewsroom(Exception):
    """There is no home page with sections to put the archive in."""


@dataclass
class ArchiveReport:
    existing: int
    added: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.added / self.seconds if self.seconds else 0.0


def archive_serials() -> list[int]:
    """The serial numbers of the archive articles already in the database."""
    slugs = ArticlePage.objects.filter(slug__regex=SERIAL_SLUG.pattern).values_list(
        "slug", flat=True
    )
    return [int(SERIAL_SLUG.search(slug).group(1)) for slug in slugs]


def published_age(serial: int, *, years: int = YEARS) -> timedelta:
    """How long before the build article `serial` was published (at least a minute)."""
    rng = random.Random(f"newsdesk-archive-when-{serial}")
    # Density rising linearly from (2 - NEWEST_RATE) to NEWEST_RATE across
    # the span: x in [0, 1] (1 = now) drawn by inverting its distribution.
    low = 2 - NEWEST_RATE
    slope = NEWEST_RATE - low
    u = rng.random()
    x = (-low + (low * low + 2 * slope * u) ** 0.5) / slope if slope else u
    span = timedelta(days=365.25 * years)
    return max(span * (1 - x), timedelta(minutes=1))


def build_archive(
    *, articles: int, batch_size: int = 1000, years: int = YEARS, progress: Progress = print
) -> ArchiveReport:
    """Top the archive up to `articles` generated articles, published and searchable.

    Raises NoNewsroom when there is no home page with sections (build the
    demo first). Marks published content as changed at the end, so running
    servers drop what they keep.
    """
    if not connection.features.can_return_rows_from_bulk_insert:
        raise NotImplementedError(f"{connection.vendor} does not return ids from bulk inserts")
    places = _Places.find()
    serials = archive_serials()
    existing = len(serials)
    to_add = max(0, articles - existing)
    if not to_add:
        progress(f"The archive already holds {existing:,} generated articles: nothing to add.")
        return ArchiveReport(existing=existing, added=0, seconds=0.0)
    progress(
        f"The archive holds {existing:,} generated articles; adding {to_add:,} "
        f"in batches of {batch_size:,} …"
    )
    first_serial = max(serials, default=0) + 1
    now = timezone.now()
    started = time.monotonic()
    done = 0
    while done < to_add:
        count = min(batch_size, to_add - done)
        serial_range = range(first_serial + done, first_serial + done + count)
        with transaction.atomic():
            _write_batch(places, serial_range, now=now, years=years)
        done += count
        elapsed = time.monotonic() - started
        rate = done / elapsed if elapsed else 0.0
        eta = (to_add - done) / rate if rate else 0.0
        progress(
            f"[{done:,}/{to_add:,}] {rate:,.0f} articles/s, "
            f"{elapsed:,.0f} s so far, ETA {eta:,.0f} s"
        )
    _refresh_planner_statistics()
    content_changed()
    seconds = time.monotonic() - started
    report = ArchiveReport(existing=existing, added=to_add, seconds=seconds)
    progress(
        f"Added {to_add:,} articles in {seconds:,.1f} s ({report.rate:,.0f} articles/s); "
        f"the archive holds {existing + to_add:,}."
    )
    return report


class _Places:
    """Where the archive goes and who writes it: sections, next tree paths, authors, tags."""

    def __init__(self, sections, authors, image_ids):
        self.sections = sections  # slug -> SectionPage
        self.fallback = sorted(sections.values(), key=lambda section: section.path)
        self.authors = authors
        self.image_ids = image_ids
        self.next_child = {
            section.pk: _last_child_number(section) + 1 for section in sections.values()
        }
        self.tag_ids: dict[str, int] = {}
        self.content_type = ContentType.objects.get_for_model(ArticlePage)

    @classmethod
    def find(cls):
        from newsdesk.demo.builder import LIVE_SECTION

        # The archive is English: the English edition's sections (the Russian
        # edition's have the same slugs).
        sections = {
            section.slug: section
            for section in SectionPage.objects.live()
            .filter(locale__language_code="en")
            .exclude(slug=LIVE_SECTION["slug"])
        }
        if not sections:
            raise NoNewsroom(
                "There are no sections to put the archive in: build the newsroom first "
                "(`newsdesk demo --no-serve`)."
            )
        authors = list(Author.objects.order_by("pk"))
        image_ids = list(CreditedImage.objects.order_by("pk").values_list("pk", flat=True))
        return cls(sections, authors, image_ids)

    def section_for(self, text: ArticleText, serial: int) -> SectionPage:
        section = self.sections.get(text.section)
        return section or self.fallback[serial % len(self.fallback)]

    def child_path(self, section: SectionPage) -> str:
        number = self.next_child[section.pk]
        self.next_child[section.pk] = number + 1
        return Page._get_path(section.path, section.depth + 1, number)

    def tag_id(self, name: str) -> int:
        if name not in self.tag_ids:
            tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
            self.tag_ids[name] = tag.pk
        return self.tag_ids[name]


def _last_child_number(section: SectionPage) -> int:
    last = (
        Page.objects.filter(path__startswith=section.path, depth=section.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    return Page._str2int(last[-Page.steplen :]) if last else 0


def _write_batch(places: _Places, serials: range, *, now, years: int) -> None:
    articles, links = [], []
    for serial in serials:
        text = compose(serial)
        section = places.section_for(text, serial)
        rng = random.Random(f"newsdesk-archive-who-{serial}")
        first_published = now - published_age(serial, years=years)
        # One in six was corrected or updated later the same day.
        last_published = first_published
        if rng.random() < 1 / 6:
            last_published = min(now, first_published + timedelta(minutes=rng.randint(10, 600)))
        slug = f"{slugify(text.title)[:80].rstrip('-')}-a{serial:0{SERIAL_DIGITS}d}"
        image_id = None
        if places.image_ids and rng.random() < LEAD_IMAGE_SHARE:
            image_id = rng.choice(places.image_ids)
        article = ArticlePage(
            title=text.title,
            draft_title=text.title,
            slug=slug,
            content_type=places.content_type,
            path=places.child_path(section),
            depth=section.depth + 1,
            numchild=0,
            url_path=f"{section.url_path}{slug}/",
            locale_id=section.locale_id,
            translation_key=uuid.UUID(int=rng.getrandbits(128), version=4),
            live=True,
            has_unpublished_changes=False,
            first_published_at=first_published,
            last_published_at=last_published,
            latest_revision_created_at=last_published,
            summary=text.summary,
            short_title=text.short_title,
            lead_image_id=image_id,
            lead_image_caption=f"{text.dateline_place or 'The scene'}, in a file photo."
            if image_id
            else "",
            dateline_place=text.dateline_place,
            dateline_agency=text.dateline_agency,
            byline_agency=text.byline_agency,
            body=text.body,
        )
        authors = rng.sample(places.authors, min(text.author_count, len(places.authors)))
        articles.append(article)
        links.append((section, authors, [places.tag_id(name) for name in text.tags]))

    _insert_pages(articles)
    children: dict[int, int] = {}
    for section, _authors, _tags in links:
        children[section.pk] = children.get(section.pk, 0) + 1
    for section_pk, count in children.items():
        Page.objects.filter(pk=section_pk).update(numchild=F("numchild") + count)
    ArticleAuthor.objects.bulk_create(
        ArticleAuthor(page_id=article.pk, author_id=author.pk, sort_order=order)
        for article, (_section, authors, _tags) in zip(articles, links, strict=True)
        for order, author in enumerate(authors)
    )
    ArticleTag.objects.bulk_create(
        ArticleTag(content_object_id=article.pk, tag_id=tag_id)
        for article, (_section, _authors, tag_ids) in zip(articles, links, strict=True)
        for tag_id in dict.fromkeys(tag_ids)
    )
    _index([article.pk for article in articles])


def _insert_pages(articles: list[ArticlePage]) -> None:
    """Insert the page rows, then the article rows that extend them (multi-table inheritance).

    Django's bulk_create refuses a model with a concrete parent, so the
    parent's rows go first through it (which sets their ids) and the child's
    through the same batched insert bulk_create uses.
    """
    page_fields = [field for field in Page._meta.concrete_fields if not field.primary_key]
    pages = [
        Page(**{field.attname: getattr(article, field.attname) for field in page_fields})
        for article in articles
    ]
    Page.objects.bulk_create(pages)
    for article, page in zip(articles, pages, strict=True):
        if page.pk is None:
            raise RuntimeError("the database did not return the new pages' ids")
        article.pk = article.page_ptr_id = page.pk
        article._state.adding = False
    ArticlePage.objects.all()._batched_insert(
        articles, ArticlePage._meta.local_concrete_fields, batch_size=None
    )


def _refresh_planner_statistics() -> None:
    """ANALYZE, as after any bulk load: the query planner's picture of the tables is stale.

    Without statistics SQLite's planner drives a search from the index entries
    of the article type (all of them) and runs the full-text match once per
    entry; with them it starts from the full-text match: a search's count
    goes from a third of a second to 10 ms at 20,000 articles
    (docs/performance.md, "Archive of 100,000 articles").
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _index(page_ids: list[int]) -> None:
    """Add the new articles to every search backend, as a publish would, in one go."""
    pages = list(
        ArticlePage.objects.filter(pk__in=page_ids).prefetch_related(
            "tags",
            Prefetch("article_authors", queryset=ArticleAuthor.objects.select_related("author")),
        )
    )
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(ArticlePage, pages)
