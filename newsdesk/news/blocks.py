"""The building blocks of an article body.

Blocks that point at other articles store only the article's id and render
its *current* headline, image and link, so a card never shows a stale copy.
A target that is unpublished or deleted renders nothing at all.
"""

from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


class ParagraphBlock(blocks.RichTextBlock):
    class Meta:
        features = ["bold", "italic", "link", "ol", "ul"]
        icon = "pilcrow"
        label = _("Paragraph")
        template = "blocks/paragraph.html"


class SubheadingBlock(blocks.CharBlock):
    """A subheading; its anchor comes from its text, so the outline links are stable."""

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["anchor"] = slugify(value) or "section"
        return context

    class Meta:
        icon = "title"
        label = _("Subheading")
        template = "blocks/subheading.html"
        max_length = 160


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quoted words"))
    speaker = blocks.CharBlock(label=_("Speaker"), max_length=160)
    role = blocks.CharBlock(
        label=_("Speaker's role"),
        required=False,
        max_length=255,
        help_text=_('e.g. "Deputy Foreign Minister"'),
    )

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "blocks/quote.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=500)

    def bulk_to_python(self, values):
        # One query for all images of the body and one for their renditions,
        # however many images the body holds.
        from newsdesk.images.models import CreditedImage

        values = list(values)
        ids = {value.get("image") for value in values} - {None}
        images = CreditedImage.objects.prefetch_renditions().in_bulk(ids)
        return [
            blocks.StructValue(
                self,
                [("image", images.get(value.get("image"))), ("caption", value.get("caption", ""))],
            )
            for value in values
        ]

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blocks/image.html"


class ArticleChooserBlock(blocks.PageChooserBlock):
    """Chooses an article; only live articles come back, with their lead image renditions.

    Unpublished or deleted targets come back as None, so the block drops out of
    the page instead of linking to a 404.
    """

    def __init__(self, **kwargs):
        super().__init__(page_type="news.ArticlePage", **kwargs)

    def bulk_to_python(self, values):
        from .models import ArticlePage

        values = list(values)
        articles = (
            ArticlePage.objects.live()
            .with_card_data()
            .in_bulk({value for value in values if value is not None})
        )
        return [articles.get(value) for value in values]


class RelatedStoryBlock(blocks.StructBlock):
    article = ArticleChooserBlock(label=_("Article"))

    class Meta:
        icon = "doc-full"
        label = _("Related story card")
        template = "blocks/related_story.html"


class ReadMoreBlock(blocks.StructBlock):
    article = ArticleChooserBlock(label=_("Article"))

    class Meta:
        icon = "link"
        label = _("Read more link")
        template = "blocks/read_more.html"


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = ParagraphBlock()
    subheading = SubheadingBlock()
    quote = QuoteBlock()
    image = ImageBlock()
    related_story = RelatedStoryBlock()
    read_more = ReadMoreBlock()

    class Meta:
        block_counts = {}
