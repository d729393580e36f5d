"""Printed labels: one PDF per venue, language and paper size, made with WeasyPrint.

Only placements visible on the venue's ``PRINT(v)`` channel are printed. Credit lines for
loans come from the loan agreement covering the venue, else "On loan from" the lender's
public name, so an anonymous lender's name can never reach paper.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from collection.models import LoanAgreement
from collection.models.loans import confirmed_loan_q, covers_venue_q
from collection.printing import weasyprint_html
from exhibition.models import Placement, PlacementText, Venue
from visibility.channels import PRINT, VenueRef

# Paper sizes offered: one label per page. Type sizes scale with the sheet.
PAGE_SIZES = {"A5": {"title_pt": 22, "body_pt": 14}, "A6": {"title_pt": 16, "body_pt": 10.5}}


@dataclass(frozen=True)
class PrintedLabel:
    """What one printed label shows: an allow-list, like the public web views."""

    number: int
    room: str
    kind: str
    kind_label: str
    title: str
    dating: str
    materials: str
    inventory_number: str
    text: str
    credit_line: str
    position: str


@dataclass(frozen=True)
class LabelSet:
    venue: Venue
    language: str
    size: str
    labels: list[PrintedLabel]
    skipped: list[str]  # inventory numbers placed, visible, but without a label in the language


def _credit_line(obj, venue_ref: VenueRef, language: str) -> str:
    if obj.lender_id is None:
        text = obj.text_for(language)
        return text.credit_line if text and text.locale.language_code == language else ""
    for loan in obj.print_loans:
        line = loan.credit_line_for(language)
        if line:
            return line
    return _("On loan from %(lender)s") % {"lender": obj.lender.public_name}


def collect_labels(
    venue: Venue,
    language: str,
    size: str = "A6",
    progress: Callable[[int, int], None] | None = None,
) -> LabelSet:
    """Every label of ``venue`` in ``language`` that its print channel may show."""
    if size not in PAGE_SIZES:
        raise ValueError(f"Unknown label size {size!r}; choose one of {', '.join(PAGE_SIZES)}.")
    ref = VenueRef.of(venue)
    placements = list(
        Placement.objects.visible_in(PRINT(venue))
        .filter(room__venue=venue)
        .select_related("room", "object__lender")
        .prefetch_related(
            "texts__locale",
            "room__texts__locale",
            "object__texts__locale",
            "object__materials",
            Prefetch(
                "object__loans",
                queryset=LoanAgreement.objects.filter(confirmed_loan_q())
                .filter(covers_venue_q(ref))
                .prefetch_related("credit_lines__locale"),
                to_attr="print_loans",
            ),
        )
        .in_visit_order()
    )
    labels, skipped = [], []
    order = [kind for kind, _label in PlacementText.Kind.choices]
    with translation.override(language):
        for index, placement in enumerate(placements, start=1):
            texts = placement.texts_in(language)
            if not texts:
                skipped.append(placement.object.inventory_number)
            obj = placement.object
            object_text = obj.text_for(language)
            room_text = placement.room.text_for(language)
            for kind in sorted(texts, key=order.index):
                labels.append(
                    PrintedLabel(
                        number=index,
                        room=room_text.name if room_text else placement.room.slug,
                        kind=kind,
                        kind_label=str(PlacementText.Kind(kind).label),
                        title=object_text.title if object_text else obj.inventory_number,
                        dating=obj.dating,
                        materials=", ".join(m.name for m in obj.materials.all()),
                        inventory_number=obj.inventory_number,
                        text=texts[kind].text,
                        credit_line=_credit_line(obj, ref, language),
                        position=f"{placement.get_kind_display()} {placement.position}",
                    )
                )
            if progress:
                progress(index, len(placements))
    return LabelSet(venue=venue, language=language, size=size, labels=labels, skipped=skipped)


def render_html(label_set: LabelSet) -> str:
    with translation.override(label_set.language):
        return render_to_string(
            "exhibition/labels/labels.html",
            {"set": label_set, "sizes": PAGE_SIZES[label_set.size]},
        )


def render_document(label_set: LabelSet):
    """The laid-out WeasyPrint document (its pages can be inspected before writing)."""
    HTML = weasyprint_html()  # noqa: N806 (a class)

    return HTML(string=render_html(label_set), base_url=None).render()


def build_pdf(label_set: LabelSet, *, uncompressed: bool = False) -> bytes:
    """The PDF; ``uncompressed`` keeps its structure readable (for checks, not for print)."""
    return render_document(label_set).write_pdf(uncompressed_pdf=uncompressed)
