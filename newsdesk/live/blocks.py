from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from newsdesk.news.blocks import (
    ImageBlock,
    ParagraphBlock,
    QuoteBlock,
    ReadMoreBlock,
    RelatedStoryBlock,
)


class LiveEntryBodyBlock(blocks.StreamBlock):
    """An entry's body: the article blocks that fit a short update."""

    paragraph = ParagraphBlock()
    quote = QuoteBlock()
    image = ImageBlock()
    related_story = RelatedStoryBlock()
    read_more = ReadMoreBlock()

    class Meta:
        label = _("Entry")
