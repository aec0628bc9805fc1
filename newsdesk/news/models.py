"""The news site's content: home, sections, articles, authors and tags."""

from datetime import timedelta

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.db.models import F, Prefetch, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber, Substr
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, TitleFieldPanel
from wagtail.blocks import StreamValue, StructValue
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import (
    Locale,
    Orderable,
    Page,
    PageManager,
    PageQuerySet,
    PageViewRestriction,
)
from wagtail.search import index

from newsdesk.editions.pages import LatinSlugMixin
from newsdesk.editions.slugs import transliterate_slug
from newsdesk.images.models import CreditedImage

from .blocks import ArticleBodyBlock
from .chrome import chrome_for_request
from .freshness import any_private_pages, kept_per_token, readable

ARTICLES_PER_PAGE = 20
LATEST_ON_HOME = 12
# A republish within this window of the first publication (typo fixes before
# anyone read it) is not worth an "Updated" line.
UPDATE_NOTICE_THRESHOLD = timedelta(minutes=5)


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    site_name = models.CharField(_("site name"), max_length=100, default="newsdesk")
    tagline = models.CharField(
        _("tagline"),
        max_length=255,
        blank=True,
        help_text=_("Used as the home page's description for search engines and sharing."),
    )
    logo = models.ForeignKey(
        "images.CreditedImage",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    feeds_full_text = models.BooleanField(
        _("full text in feeds"),
        default=False,
        help_text=_("Feeds carry each article's whole body; otherwise its summary and a link."),
    )

    panels = [
        FieldPanel("site_name"),
        FieldPanel("tagline"),
        FieldPanel("logo"),
        FieldPanel("feeds_full_text"),
    ]

    class Meta:
        verbose_name = _("site settings")


class ContentVersion(models.Model):
    """The single row holding the published-content token (see freshness.py)."""

    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("content version")

    def __str__(self):
        return self.token


class Author(index.Indexed, models.Model):
    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=160, unique=True, blank=True)
    role = models.CharField(_("role"), max_length=160, blank=True)
    bio = models.TextField(_("short bio"), blank=True, max_length=1000)
    photo = models.ForeignKey(
        "images.CreditedImage",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("role"),
        FieldPanel("bio"),
        FieldPanel("photo"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = transliterate_slug(self.name, max_length=160) or "author"
        super().save(*args, **kwargs)


# Ties in the newest-first orders are broken by the page table's id. Django
# names an article's "id" by the article table's page_ptr_id: the same number,
# but only the page table's own lets SQLite walk an index of the page table in
# order and stop after a page of results, instead of sorting a whole section
# (0.3 ms against 80 ms for a section's newest 20 of 100,000 articles).
PAGE_ID = RawSQL('"wagtailcore_page"."id"', ())


class ArticleQuerySet(PageQuerySet):
    def with_card_data(self):
        """What an article card needs: the lead image and its renditions, in two queries."""
        return self.select_related("lead_image").prefetch_related(
            Prefetch("lead_image__renditions")
        )

    def newest_first(self):
        return self.order_by("-first_published_at", PAGE_ID.desc())

    def recently_updated_first(self):
        return self.order_by("-last_published_at", PAGE_ID.desc())

    def with_listing_data(self):
        """What a feed item or an API item needs (lead image with renditions, tags,
        authors) in four queries for the whole list."""
        return self.select_related("lead_image").prefetch_related(
            "tags",
            "lead_image__renditions",
            Prefetch(
                "article_authors",
                queryset=ArticleAuthor.objects.select_related("author").order_by("sort_order"),
            ),
        )

    def not_embargoed(self):
        return self.exclude(embargo_until__gt=timezone.now())


ArticleManager = PageManager.from_queryset(ArticleQuerySet)


class PublicPageMixin:
    """Skip Wagtail's privacy check while no page on the site is private.

    Wagtail checks every page view for view restrictions on the page and its
    ancestors: two queries per request, on sites that usually have none.
    Whether any exists is read with the content token (freshness.py).
    """

    def get_view_restrictions(self):
        if not any_private_pages():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class NewsPageMixin(PublicPageMixin):
    """Shared paging for listings (sections, authors, tags)."""

    @staticmethod
    def paginate(request, queryset, per_page=ARTICLES_PER_PAGE):
        paginator = Paginator(queryset, per_page)
        try:
            return paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            return paginator.page(1)
        except EmptyPage as exc:
            raise Http404 from exc


class HomePage(LatinSlugMixin, RoutablePageMixin, NewsPageMixin, Page):
    top_story = models.ForeignKey(
        "news.ArticlePage",
        verbose_name=_("top story"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Leave empty to lead with the newest article."),
    )
    # Each language edition is a translation of the home page; these let it
    # carry its own name and tagline (the site settings' when left empty).
    edition_name = models.CharField(
        _("edition name"),
        max_length=100,
        blank=True,
        help_text=_("The site's name in this edition's header; the site settings' name if empty."),
    )
    edition_tagline = models.CharField(
        _("edition tagline"),
        max_length=255,
        blank=True,
        help_text=_("This edition's tagline; the site settings' tagline if empty."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("top_story"),
        FieldPanel("edition_name"),
        FieldPanel("edition_tagline"),
    ]
    subpage_types = ["news.SectionPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["listings"] = self.rendered_listings(request)
        context["live_now"] = self.live_now()
        return context

    def rendered_listings(self, request):
        """The top story, latest news and section rails as HTML, rendered once per content token.

        They change only when something is published, unpublished or moved,
        which makes a new content token (freshness.py). The live slot between
        them follows live entries, which do not, so it is rendered every time.
        """
        return kept_per_token(
            f"home-listings:{self.pk}", request, lambda: self._render_listings(request)
        )

    def _render_listings(self, request):
        articles = readable(ArticlePage.objects).descendant_of(self).with_card_data()
        latest = list(articles.newest_first()[: LATEST_ON_HOME + 1])
        # The editors' top story is usually among the newest; fetch it only when not.
        top = next((a for a in latest if a.id == self.top_story_id), None)
        if top is None and self.top_story_id:
            top = articles.filter(id=self.top_story_id).first()
        if top is None and latest:
            top = latest[0]
        latest = [article for article in latest if article != top][:LATEST_ON_HOME]
        rails = self.section_rails(
            chrome_for_request(request).sections, exclude={a.id for a in [top, *latest] if a}
        )
        context = {"page": self, "top_story": top, "latest": latest, "section_rails": rails}
        return {
            "top": render_to_string("news/home_top.html", context, request),
            "rest": render_to_string("news/home_listings.html", context, request),
        }

    def live_now(self):
        """Live blogs that are live now, each with its latest published entry."""
        from newsdesk.live.models import LiveBlogPage, LiveEntry

        blogs = list(
            LiveBlogPage.objects.live()
            .descendant_of(self)
            .filter(status="live")
            .order_by("-latest_revision_created_at")[:3]
        )
        if not blogs:
            return []
        newest = (
            LiveEntry.objects.published()
            .filter(blog__in=blogs)
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("blog_id")],
                    order_by=[F("display_at").desc(), F("id").desc()],
                )
            )
            .filter(rank=1)
        )
        latest = {entry.blog_id: entry for entry in newest}
        return [(blog, latest.get(blog.pk)) for blog in blogs]

    def section_rails(self, sections, *, exclude, per_section=4):
        """The newest articles of each section in one query (a window over sections)."""
        parent_path_length = len(self.path) + Page.steplen
        ranked = (
            readable(ArticlePage.objects)
            .descendant_of(self)
            .exclude(id__in=exclude)
            .annotate(
                section_path=Substr("path", 1, parent_path_length),
                rank=Window(
                    RowNumber(),
                    partition_by=[Substr("path", 1, parent_path_length)],
                    order_by=[F("first_published_at").desc(), F("id").desc()],
                ),
            )
            .filter(rank__lte=per_section)
            .order_by("section_path", "rank")
            .with_card_data()
        )
        by_section = {}
        for article in ranked:
            by_section.setdefault(article.section_path, []).append(article)
        return [(section, by_section.get(section.path, [])) for section in sections]

    @path("authors/<slug:slug>/", name="author")
    def author_page(self, request, slug):
        author = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
        articles = (
            readable(ArticlePage.objects)
            .descendant_of(self)
            .filter(article_authors__author=author)
            .with_card_data()
            .newest_first()
        )
        return self.render(
            request,
            context_overrides={"author": author, "articles": self.paginate(request, articles)},
            template="news/author_page.html",
        )

    @path("tags/<slug:slug>/", name="tag")
    def tag_page(self, request, slug):
        tag = get_object_or_404(Tag, slug=slug)
        articles = (
            readable(ArticlePage.objects)
            .descendant_of(self)
            .filter(tags=tag)
            .with_card_data()
            .newest_first()
        )
        return self.render(
            request,
            context_overrides={"tag": tag, "articles": self.paginate(request, articles)},
            template="news/tag_page.html",
        )

    @path("corrections/", name="corrections")
    def corrections_page(self, request):
        """Every correction the site has made, newest first, with the article it corrects."""
        articles = readable(ArticlePage.objects).descendant_of(self)
        corrections = (
            ArticleNote.objects.filter(
                kind=ArticleNote.Kind.CORRECTION, article__in=articles.values("pk")
            )
            .select_related("article")
            .order_by("-noted_at", "-id")
        )
        return self.render(
            request,
            context_overrides={"corrections": self.paginate(request, corrections)},
            template="news/corrections_page.html",
        )

    @path("changes/<int:article_id>/", name="changes")
    def changes_page(self, request, article_id):
        """What changed between two published versions of an article (?from=&to= versions)."""
        from .versions import compare_versions, published_versions

        article = get_object_or_404(
            readable(ArticlePage.objects).descendant_of(self), pk=article_id
        )
        versions = published_versions(article)
        newer = _chosen(versions, request.GET.get("to"), default=len(versions))
        older = _chosen(
            versions, request.GET.get("from"), default=(newer.number - 1) if newer else 0
        )
        comparison = None
        if older and newer and older.number < newer.number:
            comparison = compare_versions(older, newer)
        return self.render(
            request,
            context_overrides={
                "article": article,
                "versions": versions,
                "older": older,
                "newer": newer,
                "comparison": comparison,
            },
            template="news/article_changes.html",
        )


def _chosen(versions, number, *, default):
    """The version numbered `number` (from the query string), else the default one."""
    try:
        wanted = int(number)
    except (TypeError, ValueError):
        wanted = default
    return next((version for version in versions if version.number == wanted), None)


class SectionPage(LatinSlugMixin, NewsPageMixin, Page):
    intro = models.CharField(_("introduction"), max_length=255, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["news.HomePage"]
    subpage_types = ["news.ArticlePage", "live.LiveBlogPage"]

    class Meta:
        verbose_name = _("section")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = readable(ArticlePage.objects).child_of(self).with_card_data().newest_first()
        context["articles"] = self.paginate(request, articles)
        return context


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticleAuthor(Orderable):
    page = ParentalKey("news.ArticlePage", on_delete=models.CASCADE, related_name="article_authors")
    author = models.ForeignKey(
        Author, verbose_name=_("author"), on_delete=models.CASCADE, related_name="article_links"
    )

    panels = [FieldPanel("author")]


class ArticleNote(Orderable):
    """A correction or an update on an article, told to readers with its time.

    Updates show under the headline, corrections at the end of the article and
    on the site's corrections page, and in the article's NewsArticle data.
    """

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        UPDATE = "update", pgettext_lazy("noun", "Update")

    article = ParentalKey("news.ArticlePage", on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.CORRECTION)
    text = models.TextField(
        _("note"),
        max_length=1000,
        help_text=_(
            'e.g. "An earlier version of this article misstated the date of the vote." '
            "Readers see it as written."
        ),
    )
    noted_at = models.DateTimeField(_("time"), default=timezone.now)

    panels = [FieldPanel("kind"), FieldPanel("text"), FieldPanel("noted_at")]

    class Meta(Orderable.Meta):
        verbose_name = _("correction or update")
        verbose_name_plural = _("corrections and updates")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"


def attach_sections(articles) -> None:
    """Give each article its section (ArticlePage.section) from one query for all of them."""
    parent_paths = {article.path[: -Page.steplen] for article in articles}
    sections = {page.path: page for page in Page.objects.filter(path__in=parent_paths).specific()}
    for article in articles:
        article.__dict__["section"] = sections[article.path[: -Page.steplen]]


def in_own_edition(linked: dict, locale_id: int) -> dict:
    """Linked articles as the reader's edition has them.

    A card or READ MORE link in a Russian article that points at an English
    one leads to the Russian version when there is one; otherwise it stays on
    the original, marked with its language (`other_language`) so the link
    says where it goes. One query for the whole body.
    """
    foreign = [article for article in linked.values() if article.locale_id != locale_id]
    if not foreign:
        return linked
    translated = {
        article.translation_key: article
        for article in readable(ArticlePage.objects).filter(
            translation_key__in=[article.translation_key for article in foreign],
            locale_id=locale_id,
        )
    }
    languages = dict(Locale.objects.values_list("id", "language_code"))
    result = {}
    for article_id, article in linked.items():
        if article.locale_id != locale_id:
            if article.translation_key in translated:
                article = translated[article.translation_key]
            else:
                article.other_language = languages.get(article.locale_id)
        result[article_id] = article
    return result


class ArticlePage(LatinSlugMixin, PublicPageMixin, Page):
    short_title = models.CharField(
        _("short title"),
        max_length=100,
        blank=True,
        help_text=_("A shorter headline for cards and links; the headline is used if empty."),
    )
    summary = models.TextField(
        _("summary"),
        max_length=400,
        blank=True,
        help_text=_("The standfirst: one or two sentences under the headline."),
    )
    lead_image = models.ForeignKey(
        "images.CreditedImage",
        verbose_name=_("lead image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead_image_caption = models.CharField(
        _("lead image caption"),
        max_length=500,
        blank=True,
        help_text=_("What the photo shows, for this article."),
    )
    dateline_place = models.CharField(
        _("dateline place"), max_length=100, blank=True, help_text=_('e.g. "MOSCOW"')
    )
    dateline_agency = models.CharField(
        _("dateline agency"), max_length=100, blank=True, help_text=_('e.g. "Reuters"')
    )
    byline_agency = models.CharField(
        _("agency byline"),
        max_length=100,
        blank=True,
        help_text=_("Credit an agency as the byline, alone or beside the authors."),
    )
    tags = ClusterTaggableManager(through=ArticleTag, blank=True, verbose_name=_("tags"))
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"))
    embargo_until = models.DateTimeField(
        _("embargoed until"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_(
            "Until then the article appears nowhere public, even once published: not its "
            "page, lists, feeds, sitemaps, search, the API, other articles' cards or most read."
        ),
    )
    # False while an embargo is still to pass; the embargo job sets it when it
    # does, and marks the content changed so that every cached page shows it.
    embargo_lifted = models.BooleanField(default=True, editable=False)

    objects = ArticleManager()

    content_panels = [
        TitleFieldPanel("title", help_text=_("The headline.")),
        FieldPanel("short_title"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("lead_image"), FieldPanel("lead_image_caption")],
            heading=_("Lead photo"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("dateline_place"),
                FieldPanel("dateline_agency"),
                InlinePanel("article_authors", label=_("Authors")),
                FieldPanel("byline_agency"),
            ],
            heading=_("Dateline and byline"),
        ),
        FieldPanel("body"),
        FieldPanel("tags"),
        InlinePanel(
            "notes",
            heading=_("Corrections and updates"),
            label=_("Correction or update"),
            help_text=_(
                "When a published article changes, tell readers: updates show under "
                "the headline, corrections at the end and on the corrections page."
            ),
        ),
    ]
    settings_panels = [
        *Page.settings_panels,
        MultiFieldPanel([FieldPanel("embargo_until")], heading=_("Embargo")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        # Every block's words: paragraphs, subheadings, quotes and who said them.
        index.SearchField("body"),
        index.SearchField("search_credits"),
        index.FilterField("embargo_until"),  # reader search leaves embargoed articles out
    ]
    parent_page_types = ["news.SectionPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    @property
    def is_embargoed(self) -> bool:
        return self.embargo_until is not None and self.embargo_until > timezone.now()

    def save(self, *args, **kwargs):
        self.embargo_lifted = not self.is_embargoed
        super().save(*args, **kwargs)

    def serve(self, request, *args, **kwargs):
        # Published by mistake, linked from elsewhere or guessed: still not shown.
        # (Previews show it: they are the newsroom's.)
        if self.is_embargoed and not getattr(request, "is_preview", False):
            raise Http404
        return super().serve(request, *args, **kwargs)

    def search_credits(self):
        """Tags, authors, agency and dateline place, as the search index sees them."""
        names = [tag.name for tag in self.tags.all()]
        names += [link.author.name for link in self.article_authors.all() if link.author_id]
        return " ".join([*names, self.byline_agency, self.dateline_place])

    @property
    def card_title(self):
        return self.short_title or self.title

    @property
    def dateline(self):
        if not self.dateline_place:
            return ""
        if self.dateline_agency:
            return f"{self.dateline_place.upper()} ({self.dateline_agency})"
        return self.dateline_place.upper()

    @property
    def was_updated(self):
        if not (self.first_published_at and self.last_published_at):
            return False
        return self.last_published_at - self.first_published_at > UPDATE_NOTICE_THRESHOLD

    @cached_property
    def has_earlier_versions(self) -> bool:
        """Whether readers can compare published versions (read only for updated articles)."""
        from .versions import publish_log

        return publish_log(self).values("revision_id").distinct().count() > 1

    @cached_property
    def note_list(self):
        return sorted(self.notes.all(), key=lambda note: note.noted_at)

    @property
    def corrections(self):
        return [note for note in self.note_list if note.kind == ArticleNote.Kind.CORRECTION]

    @property
    def updates(self):
        return [note for note in self.note_list if note.kind == ArticleNote.Kind.UPDATE]

    @cached_property
    def authors(self):
        links = self.article_authors.all()
        if "article_authors" not in getattr(self, "_prefetched_objects_cache", {}):
            links = links.select_related("author")
        return [link.author for link in links]

    @cached_property
    def tag_list(self):
        return list(self.tags.all())

    @cached_property
    def section(self):
        return self.get_parent().specific

    def prefetch_body(self):
        """Load everything the body and lead photo show in three queries, however long the body.

        Left to itself, a StreamField loads each block type separately and each
        image's renditions one by one. Here the linked articles come in one
        query, and every image (lead, inline, and the linked articles' lead
        photos) with its renditions in two more.
        """
        stream_block = self.body.stream_block
        raw_blocks = list(self.body.raw_data)
        article_ids = {
            item["value"].get("article")
            for item in raw_blocks
            if item["type"] in ("related_story", "read_more")
        } - {None}
        # Only articles anyone may read: a private one's headline must not show in a card.
        linked = readable(ArticlePage.objects).in_bulk(article_ids) if article_ids else {}
        linked = in_own_edition(linked, self.locale_id)
        image_ids = {self.lead_image_id} | {article.lead_image_id for article in linked.values()}
        image_ids |= {item["value"].get("image") for item in raw_blocks if item["type"] == "image"}
        image_ids.discard(None)
        images = CreditedImage.objects.prefetch_renditions().in_bulk(image_ids) if image_ids else {}
        for page in (self, *linked.values()):
            page.lead_image = images.get(page.lead_image_id)

        children = []
        for item in raw_blocks:
            block_type, raw_value = item["type"], item["value"]
            child_block = stream_block.child_blocks[block_type]
            if block_type in ("related_story", "read_more"):
                value = StructValue(
                    child_block, [("article", linked.get(raw_value.get("article")))]
                )
            elif block_type == "image":
                value = StructValue(
                    child_block,
                    [
                        ("image", images.get(raw_value.get("image"))),
                        ("caption", raw_value.get("caption", "")),
                    ],
                )
            else:
                value = child_block.to_python(raw_value)
            children.append((block_type, value, item.get("id")))
        self.body = StreamValue(stream_block, children)

    def rendered_article(self, request):
        """The article itself, headline to tags, as HTML rendered once per content token.

        Everything in it (headline, byline, times, lead photo, body with the
        cards of linked articles, tags) changes only when this article, one
        it links to, an author or an image is published or edited, and every
        such change makes a new content token (freshness.py). So the HTML is
        kept in the fragments cache under the token; the page around it
        (chrome, structured data, discussion and most-read slots) is rendered
        every time. Previews always render afresh.
        """
        from .templatetags.news_tags import section_of

        def render():
            return self._render_body_template(
                "news/article_content.html",
                request,
                section=section_of(self, chrome_for_request(request).sections),
                tags=self.tag_list,
            )

        return kept_per_token(f"article:{self.pk}", request, render)

    def rendered_body(self, request):
        """The lead photo and body alone (a feed's full text), kept the same way."""
        return kept_per_token(
            f"body:{self.pk}",
            request,
            lambda: self._render_body_template("news/article_body.html", request),
        )

    def _render_body_template(self, template, request, **context):
        self.prefetch_body()
        first_paragraph_id = next(
            (block.id for block in self.body if block.block_type == "paragraph"), None
        )
        return render_to_string(
            template,
            {"page": self, "first_paragraph_id": first_paragraph_id, **context},
            request,
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["article_html"] = self.rendered_article(request)
        return context
