"""What the public may see of questions and contributions: allow-listed, frozen values built
only from rows that ``visible_in(channel)`` selected."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext

from stories.models import Contribution, Perspective, Question, Voice
from visibility.channels import WEB, Channel


@dataclass(frozen=True)
class PublicQuestion:
    slug: str
    text: str
    introduction: str
    language: str
    accepts_contributions: bool
    perspective_slug: str | None


@dataclass(frozen=True)
class PublicContribution:
    pk: int
    text: str  # plain text: templates escape it
    name: str
    role: str
    language: str
    approved_on: datetime.date | None


def to_public_question(question: Question, language: str, channel: Channel = WEB):
    text = question.text_for(language)
    perspective_slug = None
    if question.perspective_id:
        perspective = Perspective.objects.visible_in(channel).filter(pk=question.perspective_id)
        perspective_slug = perspective.values_list("slug", flat=True).first()
    return PublicQuestion(
        slug=question.slug,
        text=text.text if text else question.slug,
        introduction=text.introduction if text else "",
        language=text.locale.language_code if text else "",
        accepts_contributions=question.accepts_contributions,
        perspective_slug=perspective_slug,
    )


def visible_contributions(question: Question, channel: Channel = WEB):
    return (
        Contribution.objects.visible_in(channel)
        .filter(question=question)
        .select_related("voice")
        .order_by("-moderated_at", "-pk")
    )


def to_public_contribution(contribution: Contribution) -> PublicContribution:
    """The public view of a contribution from :func:`visible_contributions`."""
    name = contribution.display_name or gettext("Anonymous")
    return PublicContribution(
        pk=contribution.pk,
        text=contribution.text,
        name=name,
        role=str(Voice.Role.VISITOR.label),
        language=contribution.language,
        approved_on=contribution.moderated_at.date() if contribution.moderated_at else None,
    )
