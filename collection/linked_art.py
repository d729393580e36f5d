"""Linked Art 1.0 JSON-LD for public object records.

Every property written here is named on purpose (an allow-list): titles, inventory number,
object type, public texts, production, materials, web images, owner and custodian by public
name, rights and provenance. Nothing else of a record, its lender or its loans is read, so
insurance values, loan numbers, contact details, internal and sensitivity notes and an
anonymous lender's name cannot leak by accident.

The documents validate against the Linked Art 1.0 JSON schemas. Where the schema leaves no
room for something inline it gets its own document, as Linked Art does: the visual content
with its machine-readable rights (:func:`visual_item_to_linked_art`) and the provenance
activities (:func:`provenance_to_linked_art`).

References to our own vocabulary terms, makers, lenders and the museum carry hash ids on the
collection page (``/collection/#<kind>-<key>``), the visual item and provenance activities
hash ids on the object's page, because the schema requires an id on every reference; an
authority URI (AAT, TGN, ULAN), where a term has one, is given as ``equivalent``.
"""

import re
from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.http import Http404, HttpRequest, JsonResponse
from django.utils import translation
from django.utils.text import slugify

from wagtail.rich_text import get_text_for_indexing

from collection.models import Lender, ObjectImage, ObjectPlace, ObjectRecord, ProvenanceEvent
from collection.models.loans import LoanAgreement, confirmed_loan_q
from collection.rights import rights_label
from visibility.channels import WEB
from visibility.querysets import is_visible_in

LINKED_ART_CONTEXT = "https://linked.art/ns/v1/linked-art.json"
LINKED_ART_CONTENT_TYPE = f'application/ld+json;profile="{LINKED_ART_CONTEXT}"'

AAT = "http://vocab.getty.edu/aat/"
# Linked Art classifies short texts meant for display as "brief text" (a meta-type).
BRIEF_TEXT = ("300418049", "Brief Text")

# Getty AAT ids of the languages our locales may use; a language missing here is simply not
# stated (the schema requires an id on a Language reference).
LANGUAGES_AAT = {
    "sv": ("300389336", "Swedish"),
    "en": ("300388277", "English"),
    "de": ("300388344", "German"),
    "fr": ("300388306", "French"),
    "es": ("300389311", "Spanish"),
    "nl": ("300388256", "Dutch"),
    "da": ("300388204", "Danish"),
    "fi": ("300388299", "Finnish"),
    "no": ("300388992", "Norwegian"),
    "nb": ("300388992", "Norwegian"),
    "it": ("300388474", "Italian"),
}

# Provenance kinds in which ownership passed; the others moved the object (custody) without
# saying who owned it afterwards, and a looting must never read as a transfer of title.
TITLE_TRANSFERS = {
    ProvenanceEvent.Kind.ACQUIRED,
    ProvenanceEvent.Kind.SOLD,
    ProvenanceEvent.Kind.TRANSFERRED,
    ProvenanceEvent.Kind.RESTITUTED,
}
CUSTODY_TRANSFERS = {
    ProvenanceEvent.Kind.COLLECTED,
    ProvenanceEvent.Kind.LOOTED,
    ProvenanceEvent.Kind.LENT,
}
# Statuses of a loan during which the museum holds the object ("nail to nail").
IN_OUR_CUSTODY = {LoanAgreement.Status.IN_TRANSIT, LoanAgreement.Status.ON_DISPLAY}

WEB_IMAGE_SIZE = 1600


def _aat(number: str, label: str, *, meta: tuple[str, str] | None = None) -> dict:
    concept = {"id": f"{AAT}{number}", "type": "Type", "_label": label}
    if meta:
        concept["classified_as"] = [_aat(*meta)]
    return concept


def _statement(content: str, classification: dict, language: str | None = None) -> dict:
    statement = {"type": "LinguisticObject", "classified_as": [classification], "content": content}
    if language_ref := _language_ref(language):
        statement["language"] = language_ref
    return statement


def _language_ref(code: str | None) -> list[dict] | None:
    if not code:
        return None
    known = LANGUAGES_AAT.get(code.lower().split("-")[0])
    if known is None:
        return None
    number, label = known
    return [{"id": f"{AAT}{number}", "type": "Language", "_label": label}]


def _local_uri(base_url: str, kind: str, key) -> str:
    # Hash URIs on the public collection page: valid ids that resolve to a real page, with
    # no extra endpoint per vocabulary kind.
    return f"{base_url}/collection/#{kind}-{quote(str(key), safe='')}"


def _term_ref(base_url: str, la_type: str, kind: str, term) -> dict:
    """A reference to one of our vocabulary records, with its authority URI as equivalent."""
    ref = {"id": _local_uri(base_url, kind, term.pk), "type": la_type, "_label": term.name}
    if term.uri:
        ref["equivalent"] = [{"id": term.uri, "type": la_type, "_label": term.name}]
    return ref


def iso_year_start(year: int) -> str:
    """The first instant of a historical year, as an xsd:dateTime.

    The records count years historically (-500 is 500 BCE, there is no year 0); ISO 8601 and
    xsd:dateTime (1.1) count astronomically, where 1 BCE is year 0000, so BCE years shift by
    one: 500 BCE is ``-0499``. A stored 0 is read as 1 BCE.
    """
    return f"{_astronomical(year)}-01-01T00:00:00Z"


def iso_year_end(year: int) -> str:
    """The last second of a historical year, as an xsd:dateTime (see :func:`iso_year_start`)."""
    return f"{_astronomical(year)}-12-31T23:59:59Z"


def _astronomical(year: int) -> str:
    value = year + 1 if year < 0 else year
    return f"-{-value:04d}" if value < 0 else f"{value:04d}"


def _timespan(earliest: int | None, latest: int | None, display: str = "") -> dict | None:
    timespan = {"type": "TimeSpan"}
    if display:
        timespan["identified_by"] = [{"type": "Name", "content": display}]
    # Only what is known: "after 1650" has a beginning and no end.
    if earliest is not None:
        timespan["begin_of_the_begin"] = iso_year_start(earliest)
    if latest is not None:
        timespan["end_of_the_end"] = iso_year_end(latest)
    return timespan if len(timespan) > 1 else None


def _absolute(base_url: str, url: str) -> str:
    return url if re.match(r"^https?://", url) else f"{base_url}{url}"


def object_uri(obj: ObjectRecord, *, base_url: str) -> str:
    """The object's Linked Art id: its public page in the default language.

    Built in the default language so the id stays the same whatever language is asked for.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return f"{base_url.rstrip('/')}{obj.get_absolute_url()}"


def _texts(obj: ObjectRecord) -> list:
    """The object's texts, site languages first, in their configured order."""
    order = {code: index for index, (code, _name) in enumerate(settings.LANGUAGES)}
    texts = obj.texts.select_related("locale")
    return sorted(
        texts,
        key=lambda t: (order.get(t.locale.language_code, len(order)), t.locale.language_code),
    )


def _title(obj: ObjectRecord, language: str) -> str:
    text = obj.text_for(language)
    return (text.title if text else "") or obj.inventory_number


def _museum_ref(base_url: str) -> dict:
    return {
        "id": _local_uri(base_url, "group", "museum"),
        "type": "Group",
        "_label": getattr(settings, "MUSEUM_NAME", "Världskulturmuseet"),
    }


def _lender_ref(obj: ObjectRecord, object_id: str, base_url: str) -> dict:
    lender = obj.lender
    if lender.is_anonymous:
        # An id of this object's own: one shared by all of a lender's objects would let anyone
        # group them, which is the first step to guessing who the lender is.
        return {"id": f"{object_id}#owner", "type": "Group", "_label": lender.public_name}
    la_type = "Person" if lender.kind == Lender.Kind.PRIVATE else "Group"
    return {
        "id": _local_uri(base_url, la_type.lower(), f"lender-{lender.pk}"),
        "type": la_type,
        "_label": lender.public_name,
    }


def _redactor(obj: ObjectRecord) -> Callable[[str], str]:
    """Replaces an anonymous lender's identity in free text that staff typed.

    The allow-list keeps the lender's fields out; this catches the name typed by hand into a
    public text, such as the parties of a "lent" provenance event or a credit line.
    """
    lender = obj.lender
    if lender is None or not lender.is_anonymous:
        return lambda text: text
    secrets = [
        value.strip()
        for value in (lender.name, lender.contact_name, lender.contact_email, lender.contact_phone)
        if len(value.strip()) >= 3  # shorter strings would also match inside ordinary words
    ]
    if not secrets:
        return lambda text: text
    pattern = re.compile("|".join(re.escape(secret) for secret in secrets), re.IGNORECASE)
    public_name = lender.public_name
    return lambda text: pattern.sub(public_name, text)


def _redact_all(node, redact: Callable[[str], str]):
    if isinstance(node, dict):
        # Ids are built from keys, never from free text, and must stay resolvable.
        return {
            key: value if key == "id" else _redact_all(value, redact) for key, value in node.items()
        }
    if isinstance(node, list):
        return [_redact_all(value, redact) for value in node]
    if isinstance(node, str):
        return redact(node)
    return node


def _credit_lines(obj: ObjectRecord, texts: list) -> list[tuple[str, str]]:
    lines = [(t.credit_line, t.locale.language_code) for t in texts if t.credit_line]
    if lines or not obj.is_on_loan:
        return lines
    # A borrowed object without its own credit line is credited as its loan agreement says.
    loan = obj.loans.filter(confirmed_loan_q()).order_by("-starts_on").first()
    if loan is None:
        return []
    return [
        (line.text, line.locale.language_code)
        for line in loan.credit_lines.select_related("locale")
        if line.text
    ]


def _statements(obj: ObjectRecord, texts: list) -> list[dict]:
    statements = []
    for text in texts:
        code = text.locale.language_code
        if description := get_text_for_indexing(text.description or ""):
            statements.append(
                _statement(description, _aat("300435416", "Description", meta=BRIEF_TEXT), code)
            )
        if text.label:
            statements.append(
                _statement(text.label, _aat("300048722", "Gallery Label", meta=BRIEF_TEXT), code)
            )
    for line, code in _credit_lines(obj, texts):
        statements.append(
            _statement(line, _aat("300026687", "Credit Statement", meta=BRIEF_TEXT), code)
        )
    if obj.dimensions_text:
        statements.append(
            _statement(
                obj.dimensions_text, _aat("300435430", "Dimension Statement", meta=BRIEF_TEXT)
            )
        )
    if obj.rights_statement and (label := rights_label(obj.rights_statement)):
        statements.append(
            _statement(label, _aat("300435434", "Copyright/License Statement", meta=BRIEF_TEXT))
        )
    if provenance := _provenance_text(obj):
        # No language: it mixes event names in ``language`` (or English, where they are not
        # translated yet) with parties and places as the registrar wrote them.
        statements.append(
            _statement(provenance, _aat("300444174", "Provenance Statement", meta=BRIEF_TEXT))
        )
    return statements


def _year_range(earliest: int | None, latest: int | None) -> str:
    if earliest is None and latest is None:
        return ""
    if earliest == latest:
        return str(earliest)
    # An open end stays open ("1920–"), as in the timespan.
    return f"{'' if earliest is None else earliest}–{'' if latest is None else latest}"


def _event_text(event: ProvenanceEvent) -> str:
    when = event.date_text or _year_range(event.earliest_year, event.latest_year)
    # Only the fields marked public: the note and the source citation stay out.
    parts = [str(ProvenanceEvent.Kind(event.kind).label), event.parties]
    if event.place_id:
        parts.append(event.place.name)
    text = ", ".join(part for part in parts if part)
    return f"{when}: {text}" if when else text


def _provenance_events(obj: ObjectRecord):
    return obj.provenance.select_related("place").order_by("sort_order", "pk")


def _provenance_text(obj: ObjectRecord) -> str:
    return "; ".join(_event_text(event) for event in _provenance_events(obj))


# Getty AAT concepts for what was measured and the units.
DIMENSION_TYPES = {
    "height": ("300055644", "Height"),
    "width": ("300055647", "Width"),
    "depth": ("300072633", "Depth"),
    "length": ("300055645", "Length"),
    "diameter": ("300055624", "Diameter"),
    "weight": ("300056240", "Weight"),
}
UNITS = {
    "mm": ("300379097", "millimetres"),
    "cm": ("300379098", "centimetres"),
    "m": ("300379099", "metres"),
    "g": ("300379225", "grams"),
    "kg": ("300379226", "kilograms"),
}


def _dimensions(obj: ObjectRecord) -> list[dict]:
    """Structured measurements as Linked Art Dimensions."""
    found = []
    for dimension in obj.dimensions.all():
        unit_id, unit_label = UNITS[dimension.unit]
        found.append(
            {
                "type": "Dimension",
                "classified_as": [_aat(*DIMENSION_TYPES[dimension.kind])],
                "value": float(dimension.value),
                "unit": {"id": f"{AAT}{unit_id}", "type": "MeasurementUnit", "_label": unit_label},
            }
        )
    return found


def _production(obj: ObjectRecord, base_url: str) -> dict | None:
    production = {"type": "Production"}
    if timespan := _timespan(obj.earliest_year, obj.latest_year, obj.dating):
        production["timespan"] = timespan
    places = [
        _term_ref(base_url, "Place", "place", object_place.place)
        for object_place in obj.places.filter(role=ObjectPlace.Role.MADE).select_related("place")
    ]
    if places:
        production["took_place_at"] = places
    makers = [_term_ref(base_url, "Person", "person", maker) for maker in obj.makers.all()]
    if makers:
        production["carried_out_by"] = makers
    return production if len(production) > 1 else None


def _web_image_url(image, base_url: str) -> str:
    # A rendition, never the original file: it keeps to the largest size the rights holder
    # allows online.
    size = min(WEB_IMAGE_SIZE, image.online_size_limit() or WEB_IMAGE_SIZE)
    return _absolute(base_url, image.get_rendition(f"max-{size}x{size}").url)


def _representations(obj: ObjectRecord, base_url: str) -> list[dict]:
    representations = []
    # Through visible_in(WEB) only: it applies the image's and the loan's online permissions.
    object_images = (
        ObjectImage.objects.visible_in(WEB)
        .filter(object=obj)
        .select_related("image")
        .order_by("sort_order", "pk")
    )
    for object_image in object_images:
        image = object_image.image
        visual = {"type": "VisualItem", "_label": object_image.caption or image.title}
        statements = []
        if image.credit_line:
            statements.append(
                _statement(
                    image.credit_line, _aat("300026687", "Credit Statement", meta=BRIEF_TEXT)
                )
            )
        if image.rights_statement and (label := rights_label(image.rights_statement)):
            statements.append(
                _statement(label, _aat("300435434", "Copyright/License Statement", meta=BRIEF_TEXT))
            )
        if statements:
            visual["referred_to_by"] = statements
        visual["digitally_shown_by"] = [
            {
                "type": "DigitalObject",
                "classified_as": [_aat("300215302", "Digital Image")],
                "access_point": [{"id": _web_image_url(image, base_url), "type": "DigitalObject"}],
            }
        ]
        representations.append(visual)
    return representations


def _web_pages(obj: ObjectRecord, base_url: str) -> list[dict]:
    pages = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            url = f"{base_url}{obj.get_absolute_url()}"
        page = {"type": "LinguisticObject", "_label": f"Web page ({code})"}
        if language_ref := _language_ref(code):
            page["language"] = language_ref
        page["digitally_carried_by"] = [
            {
                "type": "DigitalObject",
                "classified_as": [_aat("300264578", "Web Page")],
                "format": "text/html",
                "access_point": [{"id": url, "type": "DigitalObject"}],
            }
        ]
        pages.append(page)
    return pages


def _visual_item_id(obj: ObjectRecord, base_url: str) -> str:
    # One function for both ends of the link: the object's ``shows`` and the VisualItem's id.
    return f"{object_uri(obj, base_url=base_url)}#visual"


def object_to_linked_art(obj: ObjectRecord, *, base_url: str, language: str) -> dict:
    """The object as a Linked Art ``HumanMadeObject``, from public fields only.

    ``base_url`` is the site's origin (``https://example.org``); ``language`` chooses the
    ``_label`` and the wording of generated texts, while titles and texts are given in every
    language the record has. The caller selects ``obj`` through
    ``ObjectRecord.objects.visible_in(WEB)``: this function does not check visibility.
    """
    base_url = base_url.rstrip("/")
    object_id = object_uri(obj, base_url=base_url)
    with translation.override(language):
        texts = _texts(obj)
        document = {
            "@context": LINKED_ART_CONTEXT,
            "id": object_id,
            "type": "HumanMadeObject",
            "_label": _title(obj, language),
        }
        names = []
        for text in texts:
            name = {
                "type": "Name",
                "classified_as": [_aat("300404670", "Primary Name")],
                "content": text.title,
            }
            if language_ref := _language_ref(text.locale.language_code):
                name["language"] = language_ref
            names.append(name)
        names.append(
            {
                "type": "Identifier",
                "classified_as": [_aat("300312355", "Accession Number")],
                "content": obj.inventory_number,
            }
        )
        document["identified_by"] = names
        if obj.object_type:
            # No AAT mapping is kept for object types, and the schema requires an id on a
            # Type: the type is one of our own terms, keyed by its name.
            key = slugify(obj.object_type, allow_unicode=True) or obj.object_type
            document["classified_as"] = [
                {
                    "id": _local_uri(base_url, "type", key),
                    "type": "Type",
                    "_label": obj.object_type,
                    "classified_as": [_aat("300435443", "Type of Work")],
                }
            ]
        if statements := _statements(obj, texts):
            document["referred_to_by"] = statements
        if dimensions := _dimensions(obj):
            document["dimension"] = dimensions
        if production := _production(obj, base_url):
            document["produced_by"] = production
        if materials := [
            _term_ref(base_url, "Material", "material", material)
            for material in obj.materials.all()
        ]:
            document["made_of"] = materials
        if obj.rights_statement and rights_label(obj.rights_statement):
            document["shows"] = [
                {
                    "id": _visual_item_id(obj, base_url),
                    "type": "VisualItem",
                    "_label": f"Visual content of {document['_label']}",
                }
            ]
        if representations := _representations(obj, base_url):
            document["representation"] = representations
        document["subject_of"] = _web_pages(obj, base_url)
        if obj.is_on_loan:
            document["current_owner"] = [_lender_ref(obj, object_id, base_url)]
            if obj.loans.filter(status__in=IN_OUR_CUSTODY).exists():
                document["current_custodian"] = [_museum_ref(base_url)]
        else:
            # The museum owns and keeps it; Linked Art names a custodian only when different.
            document["current_owner"] = [_museum_ref(base_url)]
        return _redact_all(document, _redactor(obj))


def visual_item_to_linked_art(obj: ObjectRecord, *, base_url: str, language: str) -> dict | None:
    """The object's visual content as a Linked Art ``VisualItem``, with its rights.

    Linked Art states rights (``subject_to`` a ``Right`` classified by the rights URI) on the
    visual content that an object ``shows``, not on the physical object. None when the record
    has no rights statement. Its id is the one the object document's ``shows`` points to.
    """
    label = rights_label(obj.rights_statement) if obj.rights_statement else None
    if label is None:
        return None
    base_url = base_url.rstrip("/")
    with translation.override(language):
        title = _title(obj, language)
        document = {
            "@context": LINKED_ART_CONTEXT,
            "id": _visual_item_id(obj, base_url),
            "type": "VisualItem",
            "_label": f"Visual content of {title}",
            "subject_to": [
                {
                    "type": "Right",
                    "_label": label,
                    "identified_by": [{"type": "Name", "content": label}],
                    "classified_as": [
                        {"id": obj.rights_statement, "type": "Type", "_label": label}
                    ],
                }
            ],
        }
        return _redact_all(document, _redactor(obj))


def provenance_to_linked_art(obj: ObjectRecord, *, base_url: str, language: str) -> list[dict]:
    """The object's provenance as Linked Art provenance ``Activity`` documents, in order.

    The object schema has no place for custody changes or lootings, so each event is its own
    document, as Linked Art's provenance endpoint has it. Acquisitions, sales, transfers and
    restitutions transfer title; collecting, looting and lending transfer custody only; an
    event's parties are free text and so stay a statement, not a reference to an actor.
    """
    base_url = base_url.rstrip("/")
    object_id = object_uri(obj, base_url=base_url)
    documents = []
    with translation.override(language):
        redact = _redactor(obj)
        title = _title(obj, language)
        object_ref = [{"id": object_id, "type": "HumanMadeObject", "_label": title}]
        for event in _provenance_events(obj):
            kind = ProvenanceEvent.Kind(event.kind)
            kind_label = str(kind.label)
            document = {
                "@context": LINKED_ART_CONTEXT,
                "id": f"{object_uri(obj, base_url=base_url)}#provenance-{event.pk}",
                "type": "Activity",
                "_label": f"{kind_label}: {title}",
                "classified_as": [
                    _aat("300055863", "Provenance Activity"),
                    {
                        "id": _local_uri(base_url, "type", f"provenance-{kind.value}"),
                        "type": "Type",
                        "_label": kind_label,
                    },
                ],
                "referred_to_by": [
                    _statement(
                        _event_text(event),
                        _aat("300444174", "Provenance Statement", meta=BRIEF_TEXT),
                    )
                ],
            }
            if timespan := _timespan(event.earliest_year, event.latest_year, event.date_text):
                document["timespan"] = timespan
            if event.place_id:
                document["took_place_at"] = [_term_ref(base_url, "Place", "place", event.place)]
            if kind in TITLE_TRANSFERS:
                document["part"] = [
                    {
                        "type": "Acquisition",
                        "_label": kind_label,
                        "transferred_title_of": object_ref,
                    }
                ]
            elif kind in CUSTODY_TRANSFERS:
                document["part"] = [
                    {
                        "type": "TransferOfCustody",
                        "_label": kind_label,
                        "transferred_custody_of": object_ref,
                    }
                ]
            documents.append(_redact_all(document, redact))
    return documents


def render_linked_art(obj: ObjectRecord, request: HttpRequest) -> JsonResponse:
    """The object's Linked Art document as a response, in the request's language.

    Raises Http404 unless the object is visible on the web, so a view that forgot to select
    through ``visible_in(WEB)`` still publishes nothing it should not.
    """
    if not is_visible_in(obj, WEB):
        raise Http404("No such object.")
    base_url = request.build_absolute_uri("/").rstrip("/")
    language = translation.get_language() or settings.LANGUAGE_CODE
    document = object_to_linked_art(obj, base_url=base_url, language=language)
    return JsonResponse(
        document, content_type=LINKED_ART_CONTENT_TYPE, json_dumps_params={"ensure_ascii": False}
    )
