"""Demo content of the debate arena: one open question with two approved, fictional answers
(and one waiting for moderation), run by ``manage.py load_demo``. Idempotent."""

from django.db import transaction
from django.utils import timezone

from wagtail.models import Locale

from stories.models import Consent, ConsentScope, Contribution, Perspective, Question, Voice

SLUG = "demo-vem-bar-ansvaret"
BASIS = "Fictional demo content: no real person; recorded by the demo loader."
TEXTS = {
    "sv": (
        "Vem bär ansvaret när människor köps och säljs?",
        "Svara med egna ord. Svaren nedan är fiktiva demosvar.",
    ),
    "en": (
        "Who is responsible when people are bought and sold?",
        "Answer in your own words. The answers below are fictional demo answers.",
    ),
}
ANSWERS = [
    (
        "Besökare A (demo)",
        "sv",
        "Fiktivt demosvar: de som köper tjänsterna. Utan efterfrågan ingen handel.",
    ),
    (
        "",
        "en",
        "Fictional demo answer: all of us who look away when prices are too low to be fair.",
    ),
]
PENDING = "Fiktivt demosvar som väntar på moderering."


def load(log) -> None:
    with transaction.atomic():
        question = Question.objects.filter(slug=SLUG).first()
        if question is None:
            question = Question(
                slug=SLUG,
                live=True,
                accepts_contributions=True,
                perspective=Perspective.objects.filter(slug="demo-razzior").first(),
            )
            for code, (text, introduction) in TEXTS.items():
                locale = Locale.objects.filter(language_code=code).first()
                if locale:
                    question.texts.add(
                        question.texts.model(locale=locale, text=text, introduction=introduction)
                    )
            question.save()
        for name, language, text in ANSWERS:
            if question.contributions.filter(text=text).exists():
                continue
            # Approved the way moderation approves, without a moderator: fictional voices.
            voice = Voice.objects.create(
                display_name=name or "Anonym besökare (demo)",
                role=Voice.Role.VISITOR,
                language_codes=language,
                is_fictional_demo=True,
            )
            Consent.grant(
                voice=voice,
                scope=ConsentScope.parse(channels={"web"}, countries="*"),
                by=None,
                basis=BASIS,
            )
            Contribution.objects.create(
                question=question,
                text=text,
                display_name=name,
                language=language,
                status=Contribution.Status.APPROVED,
                moderated_at=timezone.now(),
                voice=voice,
            )
        if not question.contributions.filter(text=PENDING).exists():
            Contribution.objects.create(question=question, text=PENDING, language="sv")
    log(f"stories: visitor question {SLUG} with {len(ANSWERS)} approved demo answers")
