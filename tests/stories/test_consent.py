"""Consent decides where voices and testimonies appear: scope per channel and country,
expiry on the day, withdrawal at once, and a ledger that is never rewritten."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import translation

import pytest

from exhibition.models import Venue
from stories import factories, models
from stories.factories import VoiceFactory, grant, published_testimony
from stories.models import Consent, ConsentEvent, ConsentScope, RevokedItem, Voice
from stories.signals import revoked
from visibility.channels import PRINT, VENUE, WEB

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 3, 1)


@pytest.fixture
def venues():
    def make(slug, country, home=False):
        return Venue.objects.create(
            institution=f"Museum {slug}",
            slug=slug,
            city=slug,
            country=country,
            language_codes="sv, en",
            floor_area_m2=250,
            is_home_museum=home,
        )

    return {
        "home": make("goteborg", "SE", home=True),
        "umea": make("umea", "SE"),
        "oslo": make("oslo", "NO"),
    }


def visible(model, channel, on=TODAY):
    return set(model.objects.visible_in(channel, on=on).values_list("pk", flat=True))


def test_no_consent_means_nowhere(venues):
    factories.TestimonyFactory()
    for channel in (WEB, VENUE(venues["home"]), PRINT(venues["home"])):
        assert visible(models.Testimony, channel) == set()
        assert visible(Voice, channel) == set()


@pytest.mark.parametrize(
    ("channels", "countries", "expected"),
    [
        # The web needs the web channel and every country.
        ({"web"}, "*", {"web"}),
        ({"web"}, "SE", set()),
        # The home museum needs the physical exhibition; touring venues need touring too.
        ({"exhibition"}, "SE", {"home"}),
        ({"exhibition", "touring"}, "SE", {"home", "umea"}),
        ({"exhibition", "touring"}, "SE, NO", {"home", "umea", "oslo"}),
        ({"exhibition", "touring"}, "*", {"home", "umea", "oslo"}),
        ({"touring"}, "*", set()),
        # Print per venue country.
        ({"print"}, "NO", {"print-oslo"}),
        ({"research"}, "*", set()),
    ],
)
def test_scope_per_channel_and_country(venues, channels, countries, expected):
    testimony = published_testimony(voice=VoiceFactory())
    grant(testimony.voice, channels=channels, countries=countries)
    channels_by_name = {
        "web": WEB,
        "home": VENUE(venues["home"]),
        "umea": VENUE(venues["umea"]),
        "oslo": VENUE(venues["oslo"]),
        "print-oslo": PRINT(venues["oslo"]),
        "print-home": PRINT(venues["home"]),
    }
    shown = {
        name
        for name, channel in channels_by_name.items()
        if testimony.pk in visible(models.Testimony, channel)
    }
    assert shown == expected
    voice_shown = {
        name
        for name, channel in channels_by_name.items()
        if testimony.voice.pk in visible(Voice, channel)
    }
    assert voice_shown == expected


def test_unpublished_testimony_is_hidden_despite_consent():
    testimony = published_testimony()
    models.Testimony.objects.filter(pk=testimony.pk).update(live=False)
    assert visible(models.Testimony, WEB) == set()
    assert visible(Voice, WEB) == {testimony.voice.pk}


def test_consent_expires_on_its_day():
    testimony = factories.TestimonyFactory()
    grant(testimony.voice, channels={"web"}, countries="*", expires_on=datetime.date(2027, 3, 2))
    assert visible(models.Testimony, WEB, on=datetime.date(2027, 3, 1)) == {testimony.pk}
    assert visible(models.Testimony, WEB, on=datetime.date(2027, 3, 2)) == set()
    assert visible(models.Testimony, WEB, on=datetime.date(2028, 1, 1)) == set()


def test_narrower_testimony_consent_limits_only_that_testimony(venues):
    voice = VoiceFactory()
    grant(voice, channels={"web", "exhibition", "touring"}, countries="*")
    narrow = factories.TestimonyFactory(voice=voice)
    wide = factories.TestimonyFactory(voice=voice)
    grant(voice, testimony=narrow, channels={"exhibition"}, countries="SE")
    assert visible(models.Testimony, WEB) == {wide.pk}
    assert visible(models.Testimony, VENUE(venues["home"])) == {narrow.pk, wide.pk}
    assert visible(models.Testimony, VENUE(venues["oslo"])) == {wide.pk}


def test_a_testimony_consent_cannot_widen_the_voice_consent():
    voice = VoiceFactory()
    grant(voice, channels={"exhibition"}, countries="SE")
    testimony = factories.TestimonyFactory(voice=voice)
    grant(voice, testimony=testimony, channels={"web"}, countries="*")
    assert visible(models.Testimony, WEB) == set()


def test_withdrawal_removes_voice_and_testimonies_at_once_and_lists_them(venues, django_user_model):
    reviewer = django_user_model.objects.create_user("reviewer")
    testimony = published_testimony()
    other = factories.TestimonyFactory(voice=testimony.voice)
    heard = []

    def listener(sender, kind, instance, **kwargs):
        heard.append((kind, instance.pk))

    revoked.connect(listener)
    try:
        consent = testimony.voice.consents.get()
        event = consent.withdraw(by=reviewer, basis="Phone call from the person")
    finally:
        revoked.disconnect(listener)
    for channel in (WEB, VENUE(venues["home"]), VENUE(venues["oslo"]), PRINT(venues["home"])):
        assert visible(models.Testimony, channel) == set()
        assert visible(Voice, channel) == set()
    assert event.kind == ConsentEvent.Kind.WITHDRAWN
    assert set(RevokedItem.objects.values_list("kind", "public_id")) == {
        ("voice", str(testimony.voice.pk)),
        ("testimony", str(testimony.pk)),
        ("testimony", str(other.pk)),
    }
    assert set(heard) == {
        ("voice", testimony.voice.pk),
        ("testimony", testimony.pk),
        ("testimony", other.pk),
    }


def test_a_withdrawn_consent_cannot_be_changed_back():
    voice = VoiceFactory()
    consent = grant(voice)
    consent.withdraw(by=None, basis="Letter")
    with translation.override("en"), pytest.raises(ValidationError, match="withdrawn"):
        consent.change(
            scope=ConsentScope.parse(channels={"web"}, countries="*"), by=None, basis="x"
        )
    assert consent.events.count() == 2


def test_ledger_is_append_only_and_the_state_is_derived_from_it(django_user_model):
    reviewer = django_user_model.objects.create_user("reviewer")
    voice = VoiceFactory()
    consent = grant(voice, channels={"web"}, countries="*", by=reviewer, basis="Signed form")
    consent.change(
        scope=ConsentScope.parse(channels={"exhibition"}, countries="SE, NO", languages="sv"),
        by=reviewer,
        basis="Asked to leave the web",
    )
    consent.refresh_from_db()
    assert (consent.web, consent.exhibition, consent.countries) == (False, True, ",NO,SE,")
    assert consent.allowed_languages == ["sv"]
    events = list(consent.events.order_by("sequence"))
    assert [e.kind for e in events] == ["granted", "changed"]
    assert events[1].changes["channels"] == [["web"], ["exhibition"]]
    assert events[1].by == reviewer and events[1].basis == "Asked to leave the web"
    # Events cannot be edited or deleted.
    events[0].basis = "rewritten"
    with pytest.raises(ValidationError):
        events[0].save()
    with pytest.raises(ValidationError):
        events[0].delete()
    # Tampering with the projection is undone by recomputing it from the ledger.
    Consent.objects.filter(pk=consent.pk).update(web=True, all_countries=True)
    consent.project()
    consent.refresh_from_db()
    assert (consent.web, consent.all_countries) == (False, False)


@pytest.mark.parametrize(
    "scope",
    [
        {"channels": set(), "countries": "*"},
        {"channels": {"web", "radio"}, "countries": "*"},
        {"channels": {"web"}, "countries": ""},
        {"channels": {"web"}, "countries": "Sweden"},
        {"channels": {"web"}, "countries": "*", "languages": "not a language"},
    ],
)
def test_bad_scopes_are_refused_with_a_reason(scope):
    with pytest.raises(ValidationError) as error:
        ConsentScope.parse(**scope)
    assert error.value.messages[0]


def test_every_event_needs_a_basis():
    voice = VoiceFactory()
    with translation.override("en"), pytest.raises(ValidationError, match="basis"):
        Consent.grant(
            voice=voice,
            scope=ConsentScope.parse(channels={"web"}, countries="*"),
            by=None,
            basis=" ",
        )


def test_expiry_is_written_to_the_ledger_once_by_the_command():
    from io import StringIO

    from django.core.management import call_command

    testimony = factories.TestimonyFactory()
    consent = grant(
        testimony.voice, channels={"web"}, countries="*", expires_on=datetime.date(2027, 3, 2)
    )
    out = StringIO()
    call_command("expire_consents", "--on", "2027-03-01", stdout=out)
    assert consent.events.count() == 1
    call_command("expire_consents", "--on", "2027-03-02", stdout=out)
    call_command("expire_consents", "--on", "2027-03-03", stdout=out)
    assert [e.kind for e in consent.events.order_by("sequence")] == ["granted", "expired"]
    assert RevokedItem.objects.filter(
        kind="testimony", public_id=str(testimony.pk), reason="expired"
    ).exists()
    assert "1 consent" in out.getvalue()
