"""Loan coverage: which objects placed at a venue may not be shown there, and why.

The rule itself lives in ``collection.models.loans.covers_venue_q`` (through
``ObjectRecord.objects.visible_in(VENUE(v))``); this module only explains to registrars
why an object placed in a venue's rooms falls outside it, and draws the loan periods
against the venue's dates.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from collection.models import LoanAgreement, ObjectRecord
from collection.models.loans import confirmed_loan_q
from exhibition.models import Placement, Venue
from visibility.channels import VENUE, VenueRef

REASON_NO_DATES = "venue_without_dates"
REASON_NO_LOAN = "no_agreed_loan"
REASON_NOT_NAMED = "venue_not_named"
REASON_DATES = "dates_not_covered"


@dataclass(frozen=True)
class LoanPeriod:
    number: str
    starts_on: datetime.date
    ends_on: datetime.date
    names_venue: bool
    status: str


@dataclass(frozen=True)
class CoverageProblem:
    """One object placed at the venue whose loan does not let it be shown there."""

    object_id: int
    inventory_number: str
    title: str
    room: str
    reason: str
    message: str
    loans: tuple[LoanPeriod, ...] = field(default=())

    def as_report(self) -> dict:
        return {
            "object": self.inventory_number,
            "title": self.title,
            "room": self.room,
            "reason": self.reason,
            "message": self.message,
            "loans": [
                {
                    "number": loan.number,
                    "starts_on": loan.starts_on.isoformat(),
                    "ends_on": loan.ends_on.isoformat(),
                    "names_venue": loan.names_venue,
                }
                for loan in self.loans
            ],
        }


def _reason(ref: VenueRef, loans: list[LoanPeriod]) -> tuple[str, str]:
    if ref.opens_on is None or ref.closes_on is None:
        return REASON_NO_DATES, _("The venue has no opening and closing dates to check loans.")
    if not loans:
        return REASON_NO_LOAN, _("No agreed loan covers this object.")
    named = [loan for loan in loans if loan.names_venue]
    if not named:
        return REASON_NOT_NAMED, _("The loan %(loans)s does not name this venue.") % {
            "loans": ", ".join(loan.number for loan in loans)
        }
    loan = named[0]
    return REASON_DATES, _(
        "The loan %(loan)s runs %(starts)s to %(ends)s, which does not cover the venue's "
        "%(opens)s to %(closes)s."
    ) % {
        "loan": loan.number,
        "starts": loan.starts_on.isoformat(),
        "ends": loan.ends_on.isoformat(),
        "opens": ref.opens_on.isoformat(),
        "closes": ref.closes_on.isoformat(),
    }


def loan_coverage(venue: Venue) -> list[CoverageProblem]:
    """Objects placed in ``venue``'s rooms that their loans do not let the venue show.

    Objects left out for other reasons (unpublished, sensitive) are not loan problems and
    are not listed here; the package build report names those separately.
    """
    ref = VenueRef.of(venue)
    placements = (
        Placement.objects.filter(room__venue=venue, object__lender__isnull=False)
        # Unpublished or uncleared objects are left out whatever their loan says: not a
        # loan question, so only published ones are checked here.
        .filter(object__in=ObjectRecord.objects.published().values("pk"))
        .exclude(
            object__in=ObjectRecord.objects.visible_in(VENUE(venue), on=ref.today()).values("pk")
        )
        .select_related("room", "object")
        .prefetch_related("object__texts__locale", "room__texts__locale")
        .in_visit_order()
    )
    problems = []
    language = (ref.languages or ("sv",))[0]
    for placement in placements:
        obj = placement.object
        loans = [
            LoanPeriod(
                number=loan.number,
                starts_on=loan.starts_on,
                ends_on=loan.ends_on,
                names_venue=loan.all_venues or any(v.pk == ref.pk for v in loan.venues.all()),
                status=loan.status,
            )
            for loan in LoanAgreement.objects.filter(confirmed_loan_q(), loaned_objects=obj)
            .prefetch_related("venues")
            .order_by("starts_on", "number")
        ]
        reason, message = _reason(ref, loans)
        text = obj.text_for(language)
        room_text = placement.room.text_for(language)
        problems.append(
            CoverageProblem(
                object_id=obj.pk,
                inventory_number=obj.inventory_number,
                title=text.title if text else obj.inventory_number,
                room=room_text.name if room_text else placement.room.slug,
                reason=reason,
                message=message,
                loans=tuple(loans),
            )
        )
    return problems


# --- the chart --------------------------------------------------------------------------

ROW_HEIGHT = 28
LEFT = 150
WIDTH = 720
TOP = 40


def _x(day: datetime.date, first: datetime.date, last: datetime.date) -> float:
    span = max((last - first).days, 1)
    return round(LEFT + (WIDTH - LEFT - 20) * (day - first).days / span, 1)


def coverage_svg(venue: Venue, problems: list[CoverageProblem], *, id_prefix="coverage") -> str:
    """An SVG chart of each problem object's loan periods against the venue's dates.

    The chart has a title and a description; the admin page shows the same facts as a table
    beside it, so nothing depends on seeing the picture.
    """
    ref = VenueRef.of(venue)
    days = [loan.starts_on for p in problems for loan in p.loans]
    days += [loan.ends_on for p in problems for loan in p.loans]
    days += [d for d in (ref.opens_on, ref.closes_on) if d]
    if not days:
        days = [ref.today()]
    first = min(days) - datetime.timedelta(days=15)
    last = max(days) + datetime.timedelta(days=15)
    rows = [(p, loan) for p in problems for loan in p.loans] or [(p, None) for p in problems]
    height = TOP + ROW_HEIGHT * max(len(rows), 1) + 30
    title = _("Loan periods against the dates of %(venue)s") % {"venue": venue.institution}
    if ref.opens_on and ref.closes_on:
        desc = _(
            "The venue is open from %(opens)s to %(closes)s (shaded). Each bar is a loan "
            "period of an object that may not be shown there; %(count)s objects."
        ) % {
            "opens": ref.opens_on.isoformat(),
            "closes": ref.closes_on.isoformat(),
            "count": len(problems),
        }
    else:
        desc = _("The venue has no dates, so no loan can be checked against them.")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc" class="coverage-chart">',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(desc)}</desc>',
    ]
    if ref.opens_on and ref.closes_on:
        x1, x2 = _x(ref.opens_on, first, last), _x(ref.closes_on, first, last)
        parts.append(
            f'<rect x="{x1}" y="{TOP - 20}" width="{max(x2 - x1, 1)}" '
            f'height="{height - TOP}" fill="#cfe3f7" stroke="#1d4f91" stroke-dasharray="4 2"/>'
        )
        parts.append(
            f'<text x="{x1 + 2}" y="{TOP - 8}" font-size="11" fill="#1d4f91">'
            f"{escape(ref.opens_on.isoformat())} – {escape(ref.closes_on.isoformat())}</text>"
        )
    for index, (problem, loan) in enumerate(rows):
        y = TOP + index * ROW_HEIGHT
        label = f"{problem.inventory_number}" + (f" {loan.number}" if loan else "")
        parts.append(f'<text x="4" y="{y + 16}" font-size="11" fill="#222">{escape(label)}</text>')
        if loan is None:
            continue
        x1, x2 = _x(loan.starts_on, first, last), _x(loan.ends_on, first, last)
        colour = "#8a1c1c" if not loan.names_venue else "#b35900"
        parts.append(
            f'<rect x="{x1}" y="{y + 4}" width="{max(x2 - x1, 1)}" height="16" '
            f'fill="{colour}" fill-opacity="0.8"/>'
        )
    parts.append("</svg>")
    return "\n".join(parts)
