"""Loan coverage: objects placed at a venue that their loans do not let it show."""

import datetime

import pytest

from collection.factories import LenderFactory, LoanAgreementFactory, ObjectRecordFactory
from exhibition.factories import PlacementFactory, RoomFactory, VenueFactory
from touring.coverage import coverage_svg, loan_coverage

pytestmark = pytest.mark.django_db


def placed_loan(room, **loan):
    lender = LenderFactory()
    obj = ObjectRecordFactory(lender=lender)
    LoanAgreementFactory(lender=lender, loaned_objects=[obj], **loan)
    PlacementFactory(room=room, object=obj)
    return obj


def test_each_reason_is_named():
    venue = VenueFactory(opens_on=datetime.date(2027, 3, 1), closes_on=datetime.date(2027, 9, 30))
    other = VenueFactory()
    room = RoomFactory(venue=venue)
    covered = placed_loan(room)
    not_named = placed_loan(room, all_venues=False)
    short = placed_loan(room, ends_on=datetime.date(2027, 6, 30))
    requested = placed_loan(room, status="requested")
    # Named by another venue only.
    elsewhere = placed_loan(room, all_venues=False)
    loan = elsewhere.loans.get()
    loan.venues.set([other])
    loan.save()  # parental many-to-many relations are written on save
    own = ObjectRecordFactory()
    PlacementFactory(room=room, object=own)
    unpublished = placed_loan(room)
    unpublished.is_published = False
    unpublished.save()

    problems = {p.object_id: p for p in loan_coverage(venue)}
    assert set(problems) == {not_named.pk, short.pk, requested.pk, elsewhere.pk}
    assert problems[not_named.pk].reason == "venue_not_named"
    assert problems[elsewhere.pk].reason == "venue_not_named"
    assert problems[short.pk].reason == "dates_not_covered"
    assert problems[requested.pk].reason == "no_agreed_loan"
    assert covered.pk not in problems and own.pk not in problems

    svg = coverage_svg(venue, list(problems.values()))
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "2027-03-01" in svg and short.inventory_number in svg


def test_a_venue_without_dates_covers_no_loan():
    venue = VenueFactory(opens_on=None, closes_on=None)
    obj = placed_loan(RoomFactory(venue=venue))
    [problem] = loan_coverage(venue)
    assert (problem.object_id, problem.reason) == (obj.pk, "venue_without_dates")
    assert "<desc" in coverage_svg(venue, [problem])
