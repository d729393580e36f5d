"""Blocks that show voices: a testimony excerpt, a recording, a perspective (voices side by
side) and a call for contributions. Each selects through the stories app's public functions,
which apply consent (channel, country, language, expiry, withdrawal) and ethics review."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.snippets.blocks import SnippetChooserBlock

from exhibition.blocks.base import PublicStructBlock
from exhibition.blocks.objects import _pk
from stories.models import Perspective, Question, Testimony
from stories.perspectives_public import to_public_perspective
from stories.public import (
    allowed_languages,
    format_start,
    has_allowed_text,
    language_allowed,
    testimony_moment_url,
    to_public_testimony,
    to_public_voice,
    to_testimony_card,
    visible_voices,
    web_testimonies,
)
from visibility.channels import WEB


def _visible_testimony(pk, on, context=None):
    """The testimony and its public voice, if the web may show them on ``on``; else None.
    Remembered for the page being rendered, where several blocks may choose one testimony."""
    if pk is None:
        return None
    memo = context.get("narrative_memo") if context else None
    if isinstance(memo, dict):
        key = ("testimony", pk, on)
        if key not in memo:
            memo[key] = _visible_testimony(pk, on)
        return memo[key]
    testimony = web_testimonies(Testimony.objects.filter(pk=pk), on=on).first()
    if testimony is None or not has_allowed_text(testimony):
        return None
    voice = visible_voices(WEB, on=on).filter(pk=testimony.voice_id).first()
    if voice is None:
        return None
    return testimony, to_public_voice(voice)


def _check_times(value) -> None:
    start, end = value.get("start_seconds"), value.get("end_seconds")
    errors = {}
    if start is not None and start < 0:
        errors["start_seconds"] = ValidationError(_("A time cannot be before zero."))
    if end is not None and (end <= 0 or (start is not None and end <= start)):
        errors["end_seconds"] = ValidationError(_("The end must come after the start."))
    if errors:
        raise StructBlockValidationError(block_errors=errors)


class TestimonyExcerptBlock(PublicStructBlock):
    """A passage of a testimony chosen by the curator, with a link to the whole testimony
    (at the moment of the recording where it is said, if given)."""

    testimony = SnippetChooserBlock("stories.Testimony", label=_("testimony"))
    excerpt = blocks.TextBlock(
        label=_("excerpt"),
        help_text=_(
            "The words of the testimony, in this page's language. Shown only while the "
            "testimony's consent allows this language on the web."
        ),
    )
    start_seconds = blocks.FloatBlock(
        label=_("said at (seconds)"),
        required=False,
        min_value=0,
        help_text=_("Where in the recording the excerpt starts, to link to that moment."),
    )

    class Meta:
        icon = "openquote"
        label = _("Testimony excerpt")
        description = _("A passage of a published testimony, with its voice.")
        template = "exhibition/blocks/testimony_excerpt.html"

    def clean(self, value):
        value = super().clean(value)
        _check_times(value)
        return value

    def public_value(self, value, on, context=None):
        found = _visible_testimony(_pk(value.get("testimony")), on, context)
        if found is None:
            return None
        testimony, voice = found
        language = get_language()
        # The excerpt is written in the page's language: only where consent allows it.
        if not language_allowed(language, allowed_languages(testimony)):
            return None
        card = to_testimony_card(testimony, voice, language)
        if card is None:
            return None
        start = value.get("start_seconds")
        return {
            "excerpt": value.get("excerpt", ""),
            "testimony": card,
            "url": testimony_moment_url(testimony.slug, start),
        }


class AudioBlock(PublicStructBlock):
    """A testimony's recording (or a part of it) with its caption tracks, played by the
    browser's own player; the transcript is on the testimony page."""

    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=200)
    testimony = SnippetChooserBlock(
        "stories.Testimony", label=_("testimony"), help_text=_("A testimony with a recording.")
    )
    start_seconds = blocks.FloatBlock(label=_("from (seconds)"), required=False, min_value=0)
    end_seconds = blocks.FloatBlock(label=_("to (seconds)"), required=False, min_value=0)

    class Meta:
        icon = "media"
        label = _("Audio")
        description = _("A testimony's recording, or a part of it.")
        template = "exhibition/blocks/audio.html"

    def clean(self, value):
        value = super().clean(value)
        _check_times(value)
        return value

    def public_value(self, value, on, context=None):
        found = _visible_testimony(_pk(value.get("testimony")), on, context)
        if found is None:
            return None
        testimony, voice = found
        public = to_public_testimony(testimony, voice, get_language())
        if public is None or not public.media_url:
            return None
        start, end = value.get("start_seconds"), value.get("end_seconds")
        fragment = ""
        if start is not None or end is not None:
            # A media fragment plays just the part, with or without JavaScript.
            fragment = "#t=" + (format_start(start) if start is not None else "0")
            if end is not None:
                fragment += "," + format_start(end)
        return {
            "heading": value.get("heading", ""),
            "testimony": public,
            "source": public.media_url + fragment,
            "url": testimony_moment_url(testimony.slug, start),
        }


class PerspectiveBlock(PublicStructBlock):
    """A perspective: one question, the positions of several voices side by side."""

    perspective = SnippetChooserBlock("stories.Perspective", label=_("perspective"))
    introduction = blocks.TextBlock(label=_("introduction"), required=False)

    class Meta:
        icon = "group"
        label = _("Perspective")
        description = _("Several voices answer one question, side by side.")
        template = "exhibition/blocks/perspective.html"

    def public_value(self, value, on, context=None):
        pk = _pk(value.get("perspective"))
        if pk is None:
            return None
        perspective = (
            Perspective.objects.visible_in(WEB, on=on)
            .filter(pk=pk)
            .prefetch_related("texts__locale", "positions__locale")
            .first()
        )
        if perspective is None:
            return None
        public = to_public_perspective(perspective, WEB)
        # As on the perspective's own page: fewer than two voices is no debate.
        if len(public.positions) < 2:
            return None
        return {"perspective": public, "introduction": value.get("introduction", "")}


def question_choices():
    """Every visitor question, for the curator to choose from (visibility is checked when the
    page renders, not here)."""
    return [(str(q.pk), q.slug) for q in Question.objects.order_by("slug").only("pk", "slug")]


class CallForContributionsBlock(PublicStructBlock):
    """Invites visitors to answer one of the museum's questions (stories' contributions)."""

    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=200)
    text = blocks.TextBlock(label=_("invitation"), required=False)
    question = blocks.ChoiceBlock(choices=question_choices, label=_("question"))

    class Meta:
        icon = "comment"
        label = _("Call for contributions")
        description = _("Invites visitors to answer a question with their own words.")
        template = "exhibition/blocks/call_for_contributions.html"

    def public_value(self, value, on, context=None):
        try:
            pk = int(value.get("question") or "")
        except ValueError:
            return None
        question = Question.objects.visible_in(WEB, on=on).filter(pk=pk).first()
        if question is None:
            return None
        text = question.text_for(get_language())
        if text is None:
            return None
        return {
            "heading": value.get("heading", ""),
            "text": value.get("text", ""),
            "question": text.text,
            "question_language": text.locale.language_code,
            "open": question.accepts_contributions,
            "url": reverse("stories:question", kwargs={"slug": question.slug}),
        }
