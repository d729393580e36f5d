"""StreamField blocks of the online exhibition's narrative pages.

Blocks that show collection or stories content render only what is visible on the web
(``visible_in(WEB)``) when the page is served; see :mod:`exhibition.blocks.base`.
"""

from wagtail import blocks

from exhibition.blocks.objects import ImageRegionBlock, ObjectBlock, ObjectComparisonBlock
from exhibition.blocks.text import RICH_TEXT_FEATURES, QuoteBlock, RichTextBlock, TimelineBlock
from exhibition.blocks.voices import (
    AudioBlock,
    CallForContributionsBlock,
    PerspectiveBlock,
    TestimonyExcerptBlock,
)


class NarrativeBlock(blocks.StreamBlock):
    """What a curator can put on a narrative page."""

    text = RichTextBlock(features=RICH_TEXT_FEATURES)
    object = ObjectBlock()
    object_comparison = ObjectComparisonBlock()
    testimony_excerpt = TestimonyExcerptBlock()
    perspective = PerspectiveBlock()
    quote = QuoteBlock()
    image_region = ImageRegionBlock()
    audio = AudioBlock()
    timeline = TimelineBlock()
    call_for_contributions = CallForContributionsBlock()


# Block types that need the deep-zoom viewer's scripts on the page.
DEEP_ZOOM_BLOCKS = frozenset({"object"})

__all__ = [
    "DEEP_ZOOM_BLOCKS",
    "AudioBlock",
    "CallForContributionsBlock",
    "ImageRegionBlock",
    "NarrativeBlock",
    "ObjectBlock",
    "ObjectComparisonBlock",
    "PerspectiveBlock",
    "QuoteBlock",
    "RichTextBlock",
    "TestimonyExcerptBlock",
    "TimelineBlock",
]
