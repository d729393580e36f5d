import datetime

import pytest

from exhibition.factories import VenueFactory
from exhibition.models import Placement, Room
from tests.exhibition.layout_builders import build_show
from visibility.channels import PRINT, VENUE, WEB
from visibility.querysets import public_models

pytestmark = pytest.mark.django_db


def test_rooms_and_placements_are_public_models():
    assert {Room, Placement} <= set(public_models())


@pytest.mark.parametrize("channel_of", [lambda v: WEB, VENUE, PRINT])
def test_placements_follow_their_objects_visibility(channel_of):
    show = build_show()
    channel = channel_of(show["venue"])
    visible = set(Placement.objects.visible_in(channel).values_list("pk", flat=True))
    assert show["own"].pk in visible
    assert show["covered"].pk in visible
    assert show["draft"].pk not in visible  # unpublished
    assert show["uncovered"].pk not in visible  # the loan does not cover the venue's dates


def test_a_loan_ending_later_covers_the_venue():
    show = build_show()
    loan = show["uncovered"].object.loans.get()
    loan.ends_on = datetime.date(2027, 12, 31)
    loan.save()
    assert (
        Placement.objects.visible_in(PRINT(show["venue"])).filter(pk=show["uncovered"].pk).exists()
    )


def test_rooms_show_on_their_own_venue_and_on_the_web_when_announced():
    show = build_show()
    other = VenueFactory()
    assert Room.objects.visible_in(VENUE(show["venue"])).count() == 2
    assert Room.objects.visible_in(PRINT(other)).count() == 0
    assert Placement.objects.visible_in(VENUE(other)).count() == 0
    show["venue"].announced = False
    show["venue"].save()
    assert Room.objects.visible_in(WEB).count() == 0
    assert Placement.objects.visible_in(WEB).count() == 0
    assert Room.objects.visible_in(VENUE(show["venue"])).count() == 2  # still at the venue
