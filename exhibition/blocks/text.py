"""Blocks of the curator's own words: rich text, a quote and a timeline of dated events."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail import blocks

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul", "blockquote"]


class RichTextBlock(blocks.RichTextBlock):
    class Meta:
        icon = "pilcrow"
        label = _("Text")
        description = _("Paragraphs, headings, lists and links.")
        template = "exhibition/blocks/rich_text.html"


class QuoteBlock(blocks.StructBlock):
    """A quotation from a published source (not a testimony: use the testimony excerpt)."""

    quote = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(label=_("who said or wrote it"), max_length=200)
    source = blocks.CharBlock(label=_("source"), required=False, max_length=300)
    language = blocks.CharBlock(
        label=_("language of the quote"),
        required=False,
        max_length=35,
        help_text=_("A BCP 47 code such as sv or en, when it differs from the page's language."),
    )

    class Meta:
        icon = "openquote"
        label = _("Quote")
        description = _("A quotation with who said it and where.")
        template = "exhibition/blocks/quote.html"

    def clean(self, value):
        value = super().clean(value)
        language = value.get("language", "")
        if language and not all(part.isalnum() for part in language.split("-")):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "language": ValidationError(_("Write a language code, e.g. sv or en."))
                }
            )
        return value


class TimelineEventBlock(blocks.StructBlock):
    date = blocks.CharBlock(
        label=_("date"), max_length=60, help_text=_("As it should read, e.g. 'around 1890'.")
    )
    year = blocks.IntegerBlock(
        label=_("year"),
        required=False,
        min_value=-9999,
        max_value=9999,
        help_text=_(
            "For machines (the time element); leave empty if unknown. Events are shown in the order given here."
        ),
    )
    title = blocks.CharBlock(label=_("what happened"), max_length=200)
    text = blocks.TextBlock(label=_("text"), required=False)

    class Meta:
        icon = "date"
        label = _("Event")


class TimelineBlock(blocks.StructBlock):
    """Dated events in order."""

    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=200)
    events = blocks.ListBlock(TimelineEventBlock(), min_num=1, label=_("events"))

    class Meta:
        icon = "history"
        label = _("Timeline")
        description = _("A list of dated events.")
        template = "exhibition/blocks/timeline.html"
