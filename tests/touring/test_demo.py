"""The demo: a tour of three venues, and a loan that may not travel to one of them."""

from io import StringIO

from django.core.management import call_command

import pytest

from collection.models import ObjectRecord
from exhibition.models import Venue
from stories.models import Testimony as StoredTestimony  # not collected as a test class
from touring.coverage import loan_coverage
from touring.models import Tour, TourStop, VenueContact
from visibility.channels import VENUE, WEB

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_tour_and_a_loan_that_may_not_travel(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("load_demo", stdout=StringIO())
    tour = Tour.objects.get()
    assert [v.slug for v in tour.venues] == ["goteborg", "demo-lulea", "demo-berlin"]
    lulea = Venue.objects.get(slug="demo-lulea")
    problems = {p.inventory_number: p.reason for p in loan_coverage(lulea)}
    not_travelling = ObjectRecord.objects.filter(loans__number="DEMO-L-002").order_by(
        "inventory_number"
    )[0]
    assert problems[not_travelling.inventory_number] == "venue_not_named"
    assert "dates_not_covered" in problems.values()
    # A local addition: the Luleå partner's voice is shown in Luleå's show only.
    local = StoredTestimony.objects.get(slug="demo-lokal-partner-lulea")
    assert local.voice.local_venue == lulea
    assert local in StoredTestimony.objects.visible_in(VENUE(lulea))
    for other in Venue.objects.exclude(pk=lulea.pk):
        assert local not in StoredTestimony.objects.visible_in(VENUE(other))
    assert local not in StoredTestimony.objects.visible_in(WEB)  # no consent for the web
    counts = (
        Tour.objects.count(),
        TourStop.objects.count(),
        VenueContact.objects.count(),
        StoredTestimony.objects.count(),
    )
    call_command("load_demo", stdout=StringIO())
    assert (
        Tour.objects.count(),
        TourStop.objects.count(),
        VenueContact.objects.count(),
        StoredTestimony.objects.count(),
    ) == counts
