import datetime

from django.db.models import Q

import pytest

from exhibition.factories import VenueFactory
from exhibition.models import Venue
from visibility.channels import PRINT, VENUE, WEB, Channel, ChannelKind, VenueRef
from visibility.querysets import VisibleQuerySet, is_visible_in, public_models

REF = VenueRef(pk=7, slug="umea", country="SE", opens_on=datetime.date(2027, 1, 1))


def test_channels_are_plain_comparable_values():
    assert VENUE(REF) == VENUE(REF)
    assert VENUE(REF) != PRINT(REF)
    assert len({WEB, VENUE(REF), PRINT(REF), VENUE(REF)}) == 3
    assert [WEB.key, VENUE(REF).key, PRINT(REF).key] == ["web", "venue:umea", "print:umea"]


def test_web_has_no_venue_and_venue_channels_need_one():
    with pytest.raises(ValueError, match="needs a venue"):
        Channel(ChannelKind.VENUE)
    with pytest.raises(ValueError, match="WEB has no venue"):
        Channel(ChannelKind.WEB, REF)
    with pytest.raises(TypeError):
        Channel("web")


def test_unsaved_venue_cannot_make_a_channel():
    with pytest.raises(ValueError, match="saved venue"):
        VENUE(VenueFactory.build())


@pytest.mark.django_db
def test_venue_channel_snapshots_the_venue():
    venue = VenueFactory(country="NO", time_zone="Europe/Oslo", language_codes="nb, en")
    channel = VENUE(venue)
    assert channel.venue.pk == venue.pk
    assert channel.venue.country == "NO"
    assert channel.venue.languages == ("nb", "en")


def test_channel_today_uses_the_venue_time_zone(settings, monkeypatch):
    # 23:30 UTC on 31 December is already 1 January in Stockholm but not in New York.
    from django.utils import timezone

    moment = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    stockholm = VenueRef(pk=1, slug="s", country="SE", time_zone="Europe/Stockholm")
    new_york = VenueRef(pk=2, slug="n", country="US", time_zone="America/New_York")
    assert VENUE(stockholm).today() == datetime.date(2027, 1, 1)
    assert VENUE(new_york).today() == datetime.date(2026, 12, 31)


@pytest.mark.django_db
class TestVisibleInContract:
    def test_rejects_anything_but_a_channel(self):
        with pytest.raises(TypeError, match="takes a Channel"):
            Venue.objects.visible_in("web")

    def test_rejects_a_datetime_for_on(self):
        with pytest.raises(TypeError, match="takes a date"):
            Venue.objects.visible_in(WEB, on=datetime.datetime(2027, 1, 1))

    def test_a_queryset_without_rules_cannot_be_used(self):
        class Incomplete(VisibleQuerySet):
            pass

        with pytest.raises(TypeError, match="abstract"):
            Incomplete(model=Venue)

    def test_rules_compose_with_other_filters(self):
        VenueFactory(slug="a", country="SE")
        VenueFactory(slug="b", country="NO")
        VenueFactory(slug="c", country="SE", announced=False)
        assert list(
            Venue.objects.filter(country="SE").visible_in(WEB).values_list("slug", flat=True)
        ) == ["a"]

    def test_is_visible_in_uses_the_same_rules(self):
        shown, hidden = VenueFactory(), VenueFactory(announced=False)
        assert is_visible_in(shown, WEB)
        assert not is_visible_in(hidden, WEB)
        assert is_visible_in(hidden, VENUE(hidden))
        assert not is_visible_in(shown, PRINT(hidden))

    def test_every_public_model_answers_for_every_channel(self):
        venue = VenueFactory()
        models = public_models()
        assert Venue in models
        for model in models:
            for channel in (WEB, VENUE(venue), PRINT(venue)):
                q = model._default_manager.all().visibility_q(channel, datetime.date(2027, 5, 1))
                assert isinstance(q, Q), (model, channel)
                list(model._default_manager.visible_in(channel))  # the query runs
