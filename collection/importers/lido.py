"""Object records from LIDO XML 1.0 and 1.1 (namespace http://www.lido-schema.org).

A file holds one ``lido:lido`` record or a ``lido:lidoWrap`` of several. The XML is parsed
with defusedxml: files come from other institutions, and entity expansion or external
entities must not reach the parser.

What is read, per record:

- inventory number: ``repositorySet[@type="current"]/workID`` (else a repositorySet without a
  type), cleaned by :func:`clean_inventory_number`; without one, ``recordWrap/recordID``;
- language: ``descriptiveMetadata/@xml:lang`` (default: the site's default language). A record
  with several descriptiveMetadata blocks gives one text per language; the structured fields
  come from the first block, the cataloguing language by LIDO custom;
- title (``titleSet/appellationValue``), object type (``objectWorkType/term``), description
  (``objectDescriptionSet/descriptiveNoteValue``), inscriptions, display measurements;
- from the production event: makers, dating (``displayDate``), years (``earliestDate`` and
  ``latestDate``, else a plain "1650" or "1650-1675" display date), places made, materials and
  techniques, cultures; a collecting event gives places collected;
- provenance and acquisition events become provenance rows (only when a record has them, so a
  record without leaves a curator's provenance alone);
- rights: the first URI in ``rightsWorkWrap``, else in a resource's ``rightsResource`` (only
  when one is present).
"""

import re
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import parse as parse_xml

from collection.importers.records import (
    ALL_FIELDS,
    TEXT_FIELDS,
    FileRefused,
    ParsedRecord,
    ProvenanceRow,
    RecordRefused,
    Refusal,
    check_year_range,
    clean_text,
    parse_year,
    single_line,
    unique_names,
)

NS = "http://www.lido-schema.org"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
L = f"{{{NS}}}"

# Event types by LIDO terminology URI (http://terminology.lido-schema.org/…) or by the label
# in the event's term; exporters use one or the other.
PRODUCTION = {"lido00007", "production", "creation", "tillverkning", "framställning"}
COLLECTING = {"collecting", "field collecting", "insamling"}
PROVENANCE_KINDS = {
    "lido00227": "transferred",
    "provenance": "transferred",
    "proveniens": "transferred",
    "acquisition": "acquired",
    "förvärv": "acquired",
}
# Fields LIDO does not carry: left as they are on re-import. Whether to publish is the
# operator's call (--publish), and provenance and rights only count when a record has them.
NOT_IN_LIDO = frozenset({"label", "credit_line", "is_published", "provenance", "rights_statement"})

# "(Inv. nr. 12)" -> "12": see clean_inventory_number.
INVENTORY_LABEL_RE = re.compile(
    r"^inv(?:entarie|entory)?\.?\s*(?:nr|no|nummer|number)\.?\s*:?\s*", re.I
)
# "Pehr Zethelius (Tillverkare, , )" -> "Pehr Zethelius": a trailing group with commas is the
# exporter's "(role, qualifier, extent)", while "Nils Bielke (1644-1716)" keeps its dates.
ACTOR_ROLE_RE = re.compile(r"\s*\([^()]*,[^()]*\)\s*$")
SIMPLE_YEAR_RE = re.compile(r"^(\d{3,4})$")
SIMPLE_RANGE_RE = re.compile(r"^(\d{3,4})\s*[-–]\s*(\d{3,4})$")
DATE_YEAR_RE = re.compile(r"^\s*([+-]?\d{1,7})(?:-\d{1,2}(?:-\d{1,2})?(?:T.*)?)?\s*$")


def clean_inventory_number(value: str) -> str:
    """The inventory number in a workID, without the display dressing some exporters add.

    Skokloster's export writes " (Inv. nr. 12)" for inventory number 12: the parentheses and
    the "Inv. nr." label are presentation, not part of the number, and keying on them would
    make the same object a different one when it arrives by CSV as "12". Both are removed
    only when they surround the whole value, so "NM 123 (a)" or "Inv 5" stay as they are.
    """
    value = single_line(value)
    if value.startswith("(") and value.endswith(")") and value.count("(") == 1:
        value = value[1:-1].strip()
    stripped = INVENTORY_LABEL_RE.sub("", value, count=1)
    # A label without a number after it is not a label we understand: keep the value whole.
    return stripped if stripped and stripped != value and stripped[0].isalnum() else value


def lido_type(element: Element) -> str:
    return (element.get(f"{L}type") or element.get("type") or "").strip().lower()


def texts(element: Element | None, path: str) -> list[str]:
    if element is None:
        return []
    return [
        clean_text(found.text) for found in element.iterfind(path) if (found.text or "").strip()
    ]


def first(element: Element | None, path: str) -> str:
    values = texts(element, path)
    return values[0] if values else ""


def in_language(elements: list[Element], language: str) -> list[Element]:
    """Elements in ``language``, else the preferred ones, else all of them."""
    elements = [element for element in elements if (element.text or "").strip()]
    matching = [e for e in elements if (e.get(XML_LANG) or "").lower() == language.lower()]
    if matching:
        return matching
    preferred = [e for e in elements if (e.get(f"{L}pref") or "").lower() == "preferred"]
    return preferred or elements


def event_kinds(event: Element) -> set[str]:
    """The event type's names: LIDO terminology ids (lido00007) and lower-case labels."""
    ids = {
        value.rstrip("/").rsplit("/", 1)[-1].lower()
        for value in texts(event, f"{L}eventType/{L}conceptID")
    }
    return ids | {single_line(label).lower() for label in texts(event, f"{L}eventType/{L}term")}


def actor_names(event: Element) -> list[str]:
    names = []
    for actor in event.iterfind(f"{L}eventActor"):
        name = first(actor, f"{L}actorInRole/{L}actor/{L}nameActorSet/{L}appellationValue")
        name = name or first(actor, f"{L}displayActorInRole")
        if name:
            names.append(ACTOR_ROLE_RE.sub("", name))
    return unique_names(names)


def place_names(event: Element) -> list[str]:
    names = []
    for place in event.iterfind(f"{L}eventPlace"):
        # The structured name is the vocabulary term; the display text is the fallback.
        name = first(place, f"{L}place/{L}namePlaceSet/{L}appellationValue")
        names.append(name or first(place, f"{L}displayPlace"))
    return unique_names(names)


def date_year(value: str, what: str) -> int | None:
    if not value:
        return None
    match = DATE_YEAR_RE.match(value)
    if not match:
        raise RecordRefused(f"bad year {value!r} in {what}: give a year such as 1650")
    return parse_year(match.group(1), what)


def event_dates(event: Element) -> tuple[str, int | None, int | None]:
    display = single_line(first(event, f"{L}eventDate/{L}displayDate"))
    earliest = date_year(first(event, f"{L}eventDate/{L}date/{L}earliestDate"), "earliestDate")
    latest = date_year(first(event, f"{L}eventDate/{L}date/{L}latestDate"), "latestDate")
    if earliest is None and latest is None:
        # Only the unambiguous display forms; "1600-tal" or "c. 1650" are left to a person.
        if match := SIMPLE_YEAR_RE.match(display):
            earliest = latest = int(match.group(1))
        elif match := SIMPLE_RANGE_RE.match(display):
            start, end = int(match.group(1)), int(match.group(2))
            if start <= end:
                earliest, latest = start, end
    return display, earliest, latest


def materials(event: Element) -> list[str]:
    terms = texts(event, f"{L}eventMaterialsTech/{L}materialsTech/{L}termMaterialsTech/{L}term")
    return terms or texts(event, f"{L}eventMaterialsTech/{L}displayMaterialsTech")


def rights_uri(lido: Element) -> str:
    paths = [
        f"{L}administrativeMetadata/{L}rightsWorkWrap/{L}rightsWorkSet/{L}rightsType/",
        f"{L}administrativeMetadata/{L}resourceWrap/{L}resourceSet/{L}rightsResource/{L}rightsType/",
    ]
    for path in paths:
        for value in texts(lido, path + f"{L}conceptID") + texts(lido, path + f"{L}term"):
            if value.startswith(("http://", "https://")):
                return value
    return ""


def inventory_number(lido: Element) -> str:
    sets = list(lido.iter(f"{L}repositorySet"))
    for wanted in ("current", ""):
        for repository in sets:
            if lido_type(repository) == wanted and (work_id := first(repository, f"{L}workID")):
                return clean_inventory_number(work_id)
    return single_line(first(lido, f"{L}administrativeMetadata/{L}recordWrap/{L}recordID"))


def parse_record(lido: Element, number: int, default_language: str) -> list[ParsedRecord]:
    """One ParsedRecord per language of a lido:lido element."""
    identifier = inventory_number(lido)
    if not identifier:
        raise RecordRefused("missing inventory number (no workID and no recordID)")
    blocks = list(lido.iterfind(f"{L}descriptiveMetadata"))
    if not blocks:
        raise RecordRefused("no descriptiveMetadata")
    records = []
    for index, block in enumerate(blocks):
        language = single_line(block.get(XML_LANG)) or default_language
        record = parse_descriptive(block, number, identifier, language)
        if index == 0:
            if uri := rights_uri(lido):
                record.rights_statement = uri
                record.given |= {"rights_statement"}
        else:
            record.given = frozenset(TEXT_FIELDS) - NOT_IN_LIDO
        records.append(record)
    return records


def parse_descriptive(block: Element, number: int, identifier: str, language: str):
    identification = block.find(f"{L}objectIdentificationWrap")
    classification = block.find(f"{L}objectClassificationWrap")
    titles = []
    if identification is not None:
        titles = in_language(
            list(identification.iterfind(f"{L}titleWrap/{L}titleSet/{L}appellationValue")),
            language,
        )
    record = ParsedRecord(
        number=number,
        inventory_number=identifier,
        language=language,
        title=single_line(titles[0].text) if titles else "",
        object_type=single_line(
            first(classification, f"{L}objectWorkTypeWrap/{L}objectWorkType/{L}term")
        ),
        description="\n\n".join(
            texts(
                identification,
                f"{L}objectDescriptionWrap/{L}objectDescriptionSet/{L}descriptiveNoteValue",
            )
        ),
        inscriptions="\n\n".join(
            texts(
                identification, f"{L}inscriptionsWrap/{L}inscriptions/{L}inscriptionTranscription"
            )
            + texts(
                identification,
                f"{L}inscriptionsWrap/{L}inscriptions/{L}inscriptionDescription/{L}descriptiveNoteValue",
            )
        ),
        dimensions_text="; ".join(
            single_line(value)
            for value in texts(
                identification,
                f"{L}objectMeasurementsWrap/{L}objectMeasurementsSet/{L}displayObjectMeasurements",
            )
        ),
        given=ALL_FIELDS - NOT_IN_LIDO,
    )
    provenance = []
    for event in block.iterfind(f"{L}eventWrap/{L}eventSet/{L}event"):
        kinds = event_kinds(event)
        if kinds & PRODUCTION:
            dating, earliest, latest = event_dates(event)
            record.dating = record.dating or dating
            if record.earliest_year is None and record.latest_year is None:
                record.earliest_year, record.latest_year = earliest, latest
            record.makers = unique_names([*record.makers, *actor_names(event)])
            record.places_made = unique_names([*record.places_made, *place_names(event)])
            record.materials = unique_names([*record.materials, *materials(event)])
            record.cultures = unique_names([*record.cultures, *texts(event, f"{L}culture/{L}term")])
        elif kinds & COLLECTING:
            record.places_collected = unique_names([*record.places_collected, *place_names(event)])
        elif kinds & PROVENANCE_KINDS.keys():
            # "acquisition" sorts before the generic "lido00227"/"provenance": specific wins.
            kind = PROVENANCE_KINDS[min(kinds & PROVENANCE_KINDS.keys())]
            row = provenance_row(event, kind)
            if row is not None:
                provenance.append(row)
    check_year_range(record.earliest_year, record.latest_year)
    if provenance:
        record.provenance = provenance
        record.given |= {"provenance"}
    return record


def provenance_row(event: Element, kind: str) -> ProvenanceRow | None:
    date_text, earliest, latest = event_dates(event)
    parties = "; ".join(actor_names(event))
    places = place_names(event)
    note = "\n\n".join(texts(event, f"{L}eventDescriptionSet/{L}descriptiveNoteValue"))
    if not (date_text or earliest is not None or parties or places or note):
        return None  # an empty event some exporters write for every record
    return ProvenanceRow(
        kind=kind,
        date_text=date_text,
        earliest_year=earliest,
        latest_year=latest,
        parties=parties,
        place=places[0] if places else "",
        note=note,
    )


def parse_lido(path: Path, default_language: str) -> list[ParsedRecord | Refusal]:
    """Every record of a LIDO file, numbered by position; refuses a file that is not LIDO."""
    try:
        root = parse_xml(path, forbid_dtd=True).getroot()
    except ParseError as error:
        line, column = error.position
        raise FileRefused(f"malformed XML at line {line}, column {column}: {error}") from None
    except DefusedXmlException as error:
        raise FileRefused(f"refused unsafe XML ({error})") from None
    if root.tag == f"{L}lido":
        records = [root]
    elif root.tag == f"{L}lidoWrap":
        records = list(root.iterfind(f"{L}lido"))
    else:
        raise FileRefused(
            f"not LIDO: the root element is {root.tag}, not lido:lidoWrap or lido:lido"
        )
    if not records:
        raise FileRefused("the lidoWrap holds no lido records")
    items = []
    for number, lido in enumerate(records, start=1):
        try:
            items.extend(parse_record(lido, number, default_language))
        except RecordRefused as refusal:
            items.append(Refusal(number, str(refusal), inventory_number(lido)))
    return items
