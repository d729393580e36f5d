"""Factories for tests and demo code: voices, testimonies, consent.

``consented_voice()`` and ``published_testimony()`` give the usual visible case in one call;
build the unusual cases (no consent, narrow scope) from the parts.
"""

from wagtail.models import Locale

import factory

from stories.models import Consent, ConsentScope, Testimony, TestimonyText, Voice

WEB_EVERYWHERE = {"channels": {"web", "exhibition", "touring", "print"}, "countries": "*"}


class VoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Voice

    display_name = factory.Sequence(lambda n: f"Röst {n} (test)")
    role = Voice.Role.SURVIVOR
    country = "SE"
    language_codes = "sv"


class TestimonyFactory(factory.django.DjangoModelFactory):
    """A published testimony with a Swedish text (visible only once its voice has consent)."""

    class Meta:
        model = Testimony
        skip_postgeneration_save = True

    voice = factory.SubFactory(VoiceFactory)
    slug = factory.Sequence(lambda n: f"testimony-{n}")
    live = True
    content_notes = factory.LazyFunction(list)

    @factory.post_generation
    def title(testimony, create, extracted, **kwargs):
        if create:
            TestimonyText.objects.create(
                testimony=testimony,
                locale=Locale.objects.get(language_code="sv"),
                title=extracted or f"Vittnesmål {testimony.slug}",
                body="<p>Ett påhittat testmål.</p>",
            )


def grant(voice, *, testimony=None, by=None, basis="Test consent", **scope) -> Consent:
    """Record a consent; ``scope`` as for ConsentScope.parse (default: every channel, every
    country)."""
    return Consent.grant(
        voice=voice,
        testimony=testimony,
        scope=ConsentScope.parse(**(scope or WEB_EVERYWHERE)),
        by=by,
        basis=basis,
    )


def consented_voice(**fields) -> Voice:
    voice = VoiceFactory(**fields)
    grant(voice)
    return voice


def published_testimony(**fields) -> Testimony:
    """A testimony visible on every channel."""
    voice = fields.pop("voice", None) or consented_voice()
    return TestimonyFactory(voice=voice, **fields)
