"""Visitor contributions: the debate arena.

The museum asks a :class:`Question`; visitors answer it on the website with a short
:class:`Contribution`. Every contribution waits for a moderator: nothing a visitor writes is
shown before someone approved it. Approval turns the contributor into a :class:`Voice` with the
role "visitor" and a web-only consent in the ledger (what the visitor agreed to on the form),
so approved contributions are shown by the same visibility rules as every other voice, and
leave the site the same way if that consent is withdrawn.

What is kept about the person is as little as moderation needs: no e-mail, no IP address. A
keyed hash of the client (rotated daily) sits on a pending contribution so a moderator can see
a flood from one client; it is erased when the contribution is moderated, and pending or
rejected contributions are deleted after a retention period (``purge_contributions``).
"""

import datetime
import re

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from visibility.channels import Channel
from visibility.querysets import VisibleQuerySet

# Limits of what a visitor may send (characters, after control characters are removed).
TEXT_MAX_LENGTH = 1200
TEXT_MIN_LENGTH = 2
NAME_MAX_LENGTH = 60

# What looks like contact details in a contribution (flagged for the moderator, who usually
# rejects such a text: it would expose the writer or someone else).
CONTACT_RE = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.-]+"  # an e-mail address
    r"|(?:\+|\b00)?\d[\d ()./-]{7,}\d"  # a phone number
    r"|https?://|www\.",  # a link
    re.IGNORECASE,
)


class QuestionQuerySet(VisibleQuerySet):
    def visibility_q(self, channel: Channel, on: datetime.date) -> models.Q:
        """A question is shown once published; the answers follow their own rules."""
        return models.Q(live=True)

    def open_for_answers(self):
        """Published questions that accept new contributions (on the website)."""
        return self.filter(live=True, accepts_contributions=True)


class Question(ClusterableModel):
    """A question the museum puts to visitors, with its text per language."""

    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        help_text=_("The last part of the question's address, e.g. 'who-is-to-blame'."),
    )
    live = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Show the question and its approved answers on the website."),
    )
    accepts_contributions = models.BooleanField(
        _("open for answers"),
        default=True,
        help_text=_(
            "Visitors may send answers while the question is published and open. Closing it "
            "keeps the approved answers on the page."
        ),
    )
    perspective = models.ForeignKey(
        "stories.Perspective",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visitor_questions",
        verbose_name=_("perspective"),
        help_text=_("A perspective whose voices this question continues, if any."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("visitor question")
        verbose_name_plural = _("visitor questions")
        ordering = ["-created_at", "pk"]

    def __str__(self):
        first = self.texts.first() if self.pk else None
        return first.text if first else self.slug

    def text_for(self, language_code: str) -> "QuestionText | None":
        """The text in ``language_code``, else in the default language, else any."""
        texts = {text.locale.language_code: text for text in self.texts.select_related("locale")}
        return (
            texts.get(language_code)
            or texts.get(settings.LANGUAGE_CODE)
            or next(iter(texts.values()), None)
        )


class QuestionText(models.Model):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="texts")
    locale = models.ForeignKey(
        "wagtailcore.Locale", on_delete=models.PROTECT, related_name="+", verbose_name=_("language")
    )
    text = models.CharField(_("question"), max_length=300)
    introduction = models.TextField(
        _("introduction"), blank=True, help_text=_("A few sentences of context, if needed.")
    )

    class Meta:
        verbose_name = _("question text")
        verbose_name_plural = _("question texts")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "locale"], name="question_text_one_per_locale"
            )
        ]

    def __str__(self):
        return self.text


def approved_q(prefix: str = "") -> models.Q:
    return models.Q(**{f"{prefix}status": Contribution.Status.APPROVED})


class ContributionQuerySet(VisibleQuerySet):
    def visibility_q(self, channel: Channel, on: datetime.date) -> models.Q:
        """Approved, on a published question, and its visitor voice visible on the channel
        (the consent the visitor gave covers the web only, and may be withdrawn)."""
        from stories.models.voices import Voice

        visible_voice = Voice.objects.visible_in(channel, on=on).filter(pk=OuterRef("voice_id"))
        return approved_q() & models.Q(question__live=True) & models.Q(Exists(visible_voice))

    def pending(self):
        return self.filter(status=Contribution.Status.PENDING)


class Contribution(models.Model):
    """One visitor's answer to a question. Pre-moderated: shown only once approved."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for moderation")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        related_name="contributions",
        verbose_name=_("question"),
    )
    # Plain text as the visitor wrote it (control characters removed); always escaped on output.
    text = models.TextField(_("text"), max_length=TEXT_MAX_LENGTH)
    display_name = models.CharField(
        _("name"),
        max_length=NAME_MAX_LENGTH,
        blank=True,
        help_text=_("Empty when the visitor chose to be anonymous."),
    )
    language = models.CharField(_("language"), max_length=35)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    submitted_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    moderation_note = models.TextField(
        _("moderation note"),
        blank=True,
        help_text=_("For the museum only; never shown to visitors."),
    )
    # A keyed, daily-rotated hash of the client's address, kept only until moderation so a
    # moderator can see several pending contributions from one client. Never an IP address.
    client_key = models.CharField(max_length=32, blank=True, editable=False, db_index=True)
    voice = models.OneToOneField(
        "stories.Voice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contribution",
        editable=False,
        verbose_name=_("visitor voice"),
    )

    objects = ContributionQuerySet.as_manager()

    class Meta:
        verbose_name = _("visitor contribution")
        verbose_name_plural = _("visitor contributions")
        ordering = ["-submitted_at", "-pk"]
        # Nobody adds or edits a visitor's words in the admin: they are approved or rejected.
        default_permissions = ()
        permissions = [
            ("moderate_contribution", _("Can approve and reject visitor contributions")),
        ]

    def __str__(self):
        # Used as the label of log entries, which outlive purged contributions: no visitor text.
        return f"Contribution {self.pk} to “{self.question.slug}”"

    @property
    def is_anonymous(self) -> bool:
        return not self.display_name

    @property
    def looks_like_contact_details(self) -> bool:
        return bool(CONTACT_RE.search(f"{self.display_name} {self.text}"))
