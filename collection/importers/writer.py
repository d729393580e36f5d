"""Writing parsed records to the database: create, update, or leave alone."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from itertools import islice

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from wagtail.models import Locale

from collection.importers.indexing import deferred_indexing, queue_index_updates
from collection.importers.records import (
    PLACE_FIELDS,
    SCALAR_FIELDS,
    TERM_FIELDS,
    TEXT_FIELDS,
    ImportReport,
    ParsedRecord,
    ProvenanceRow,
    RecordRefused,
    Refusal,
    Status,
    check_year_range,
    plain_text_to_html,
)
from collection.models import (
    Culture,
    Lender,
    Maker,
    Material,
    ObjectPlace,
    ObjectRecord,
    ObjectText,
    Place,
    ProvenanceEvent,
)
from collection.rights import normalise_rights_uri, validate_rights_uri

TERM_MODELS = {"materials": Material, "cultures": Culture, "makers": Maker}
PLACE_ROLES = {
    "places_made": ObjectPlace.Role.MADE,
    "places_collected": ObjectPlace.Role.COLLECTED,
}
TERM_NAME_MAX_LENGTH = 255
PROVENANCE_VALUES = (
    "kind",
    "date_text",
    "earliest_year",
    "latest_year",
    "parties",
    "place_id",
    "source",
    "note",
)

Key = tuple[int | None, str]
# Reports name fields as the CSV columns do.
FIELD_LABELS = {"dimensions_text": "dimensions", "is_published": "published"}


def batched(items: Iterable, size: int):
    # itertools.batched arrives with Python 3.12.
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def validation_message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{FIELD_LABELS.get(name, name)}: {message}" if name != "__all__" else message
            for name, messages in error.message_dict.items()
            for message in messages
        )
    return "; ".join(error.messages)


def through_model(name: str):
    """The many-to-many table of ObjectRecord.<name> and its two id columns."""
    relation = ObjectRecord._meta.get_field(name)
    through = relation.remote_field.through
    return through, f"{relation.m2m_field_name()}_id", f"{relation.m2m_reverse_field_name()}_id"


@dataclass
class Stored:
    """An existing object and the related rows an import compares with, as plain values."""

    obj: ObjectRecord
    texts: dict[int, ObjectText] = field(default_factory=dict)
    terms: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    places: list[tuple[str, int]] = field(default_factory=list)
    provenance: list[tuple] = field(default_factory=list)


@dataclass
class Plan:
    """The writes one record needs; an existing object with no ``changes`` needs none."""

    obj: ObjectRecord
    created: bool
    changes: list[str] = field(default_factory=list)
    text: ObjectText | None = None
    terms: dict[str, list[str]] = field(default_factory=dict)
    places: dict[str, list[str]] = field(default_factory=dict)
    provenance: list[ProvenanceRow] | None = None


class ObjectRecordWriter:
    """Creates, updates or leaves alone the objects that parsed records describe.

    Objects are matched by (lender, inventory number). A record whose values equal the
    stored ones is not saved at all; every other record is written in its own (nested)
    transaction, so a refused record leaves nothing behind while its neighbours are kept.
    Lenders, locales and vocabulary terms are read once into dicts and existing objects a
    batch at a time, so queries grow with the records that change, not with lookups.
    Within :meth:`indexing_afterwards`, search and reference indexes are updated by tasks
    queued at the end (see indexing.py).
    """

    batch_size = 500

    def __init__(
        self,
        report: ImportReport,
        *,
        default_lender: Lender | None = None,
        publish: bool = False,
        dry_run: bool = False,
    ):
        self.report = report
        self.default_lender = default_lender
        self.publish = publish
        self.dry_run = dry_run
        self.unit = "line"
        self.languages = {code.lower(): code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES}
        self.default_language = settings.LANGUAGE_CODE
        self.locales = {locale.language_code.lower(): locale for locale in Locale.objects.all()}
        self.lenders = {lender.slug: lender for lender in Lender.objects.all()}
        # Names match ignoring case, so "Silver" in one file and "silver" in the next are one
        # term; the spelling stored first stays.
        self.term_ids = {
            model: {name.casefold(): pk for pk, name in model.objects.values_list("pk", "name")}
            for model in (*TERM_MODELS.values(), Place)
        }
        self.new_terms: list[tuple[type, str, int]] = []
        # (key, language) of every record taken in this run, to catch repeated rows.
        self.seen: dict[tuple[Key, str], int] = {}
        self.seen_keys: set[Key] = set()
        # Objects written in this run: the batch fetched before is stale for them.
        self.stale_keys: set[Key] = set()
        # A dry run saves nothing, so it remembers which objects it would have created.
        self.would_create: set[Key] = set()
        self.written: dict[type, set[int]] = defaultdict(set)
        self.pending: dict[type, list] = defaultdict(list)

    # --- the loop ---------------------------------------------------------------------

    def write(
        self,
        source: str,
        items: Iterable[ParsedRecord | Refusal],
        unit: str = "line",
        progress: Callable[[], None] | None = None,
    ) -> None:
        """Write the records of one file; ``unit`` names what ``number`` counts in reports."""
        self.unit = unit
        for chunk in batched(items, self.batch_size):
            self.write_chunk(source, chunk, progress)

    @contextmanager
    def indexing_afterwards(self):
        """Pause the per-save index tasks while writing; queue batched ones at the end.

        Without it every saved object and new term queues its own search-index and
        reference-index tasks, which is correct but slow for large imports.
        """
        with deferred_indexing((ObjectRecord, *TERM_MODELS.values(), Place)):
            try:
                yield
            finally:
                queue_index_updates(self.written)
                self.written = defaultdict(set)

    def write_chunk(self, source, chunk, progress) -> None:
        numbers = {item.inventory_number for item in chunk if isinstance(item, ParsedRecord)}
        stored = self.fetch(numbers)
        # One commit per chunk rather than per record: on SQLite the commit is the slow
        # part. Each record still has its own savepoint (see save()). A dry run takes no
        # transaction, so it does not hold SQLite's write lock.
        with nullcontext() if self.dry_run else transaction.atomic():
            for item in chunk:
                if isinstance(item, Refusal):
                    self.refuse(source, item.number, item.inventory_number, item.reason)
                else:
                    self.write_one(source, item, stored)
                if progress:
                    progress()
            self.flush()

    def fetch(self, numbers: Iterable[str]) -> dict[Key, Stored]:
        """Existing objects with these inventory numbers, of any lender, with related rows."""
        numbers = list(numbers)
        if not numbers:
            return {}
        found = {
            obj.pk: Stored(obj) for obj in ObjectRecord.objects.filter(inventory_number__in=numbers)
        }
        if found:
            # Plain queries rather than prefetch_related: modelcluster's deferring managers
            # make prefetching several times slower than the reads themselves.
            for text in ObjectText.objects.filter(object_id__in=found):
                found[text.object_id].texts[text.locale_id] = text
            for name in TERM_FIELDS:
                through, source, target = through_model(name)
                rows = through.objects.filter(**{f"{source}__in": found})
                for object_id, term_id in rows.values_list(source, target):
                    found[object_id].terms[name].add(term_id)
            places = ObjectPlace.objects.filter(object_id__in=found).order_by("sort_order", "pk")
            for object_id, role, place_id in places.values_list("object_id", "role", "place_id"):
                found[object_id].places.append((role, place_id))
            events = ProvenanceEvent.objects.filter(object_id__in=found).order_by(
                "sort_order", "pk"
            )
            for object_id, *values in events.values_list("object_id", *PROVENANCE_VALUES):
                found[object_id].provenance.append(tuple(values))
        return {(s.obj.lender_id, s.obj.inventory_number): s for s in found.values()}

    def refuse(self, source: str, number: int, inventory_number: str, reason: str) -> None:
        self.report.add(source, number, Status.REFUSED, inventory_number, reason)

    def write_one(self, source: str, record: ParsedRecord, stored: dict[Key, Stored]) -> None:
        number, inventory_number = record.number, record.inventory_number
        key = None
        try:
            lender = self.lender_for(record)
            locale = self.locale_for(record)
            key = (lender.pk if lender else None, inventory_number)
            given = self.given_fields(record, key, locale)
            self.check_values(record, given)
            if key in self.stale_keys:
                self.flush()
                stored[key] = self.fetch([inventory_number]).get(key)
                self.stale_keys.discard(key)
            plan = self.plan(record, given, stored.get(key), lender, locale)
        except (RecordRefused, ValidationError) as error:
            if key is not None:
                # plan() may have changed the stored object in memory before refusing.
                self.stale_keys.add(key)
            reason = validation_message(error) if isinstance(error, ValidationError) else error
            self.refuse(source, number, inventory_number, str(reason))
            return
        self.seen[(key, locale.language_code)] = number
        self.seen_keys.add(key)

        if not plan.created and not plan.changes:
            self.report.add(source, number, Status.UNCHANGED, inventory_number)
            return
        status = Status.CREATED if plan.created else Status.CHANGED
        if self.dry_run:
            if plan.created and key in self.would_create:
                # Another language of an object this dry run would already have created.
                status, plan.changes = Status.CHANGED, [f"text ({locale.language_code})"]
            elif plan.created:
                self.would_create.add(key)
        else:
            self.stale_keys.add(key)
            try:
                self.save(plan)
            except IntegrityError as error:
                self.refuse(source, number, inventory_number, f"the database refused it: {error}")
                return
        detail = "" if status == Status.CREATED else ", ".join(plan.changes)
        self.report.add(source, number, status, inventory_number, detail)

    # --- checks -------------------------------------------------------------------------

    def lender_for(self, record: ParsedRecord) -> Lender | None:
        if not record.lender_slug:
            return self.default_lender
        try:
            return self.lenders[record.lender_slug]
        except KeyError:
            raise RecordRefused(f"unknown lender slug {record.lender_slug!r}") from None

    def locale_for(self, record: ParsedRecord) -> Locale:
        code = (record.language or self.default_language).lower()
        if code not in self.languages:
            raise RecordRefused(
                f"unknown language code {record.language!r}: the site's content languages "
                f"are {', '.join(self.languages.values())}"
            )
        try:
            return self.locales[code]
        except KeyError:
            raise RecordRefused(
                f"no Wagtail locale for language {code!r}: add it under Settings → Locales"
            ) from None

    def given_fields(self, record: ParsedRecord, key: Key, locale: Locale) -> frozenset[str]:
        first = self.seen.get((key, locale.language_code))
        if first is not None:
            raise RecordRefused(f"repeats {self.unit} {first} (same inventory number and language)")
        given = record.given
        if key in self.seen_keys:
            # Another language of an object seen earlier in this import: its structured
            # fields came with the first record, so later ones cannot flip them back and forth.
            return given & frozenset(TEXT_FIELDS)
        if self.publish and "is_published" not in given:
            record.is_published = True
            given |= {"is_published"}
        return given

    def check_values(self, record: ParsedRecord, given: frozenset[str]) -> None:
        if not record.inventory_number:
            raise RecordRefused("missing inventory number")
        if "title" in given and not record.title:
            raise RecordRefused("missing title")
        check_year_range(record.earliest_year, record.latest_year)
        if "rights_statement" in given and record.rights_statement:
            uri = normalise_rights_uri(record.rights_statement)
            try:
                validate_rights_uri(uri)
            except ValidationError:
                raise RecordRefused(
                    f"invalid rights URI {record.rights_statement!r}: give a "
                    "rightsstatements.org or Creative Commons URI"
                ) from None
            record.rights_statement = uri
        for name in TERM_FIELDS + PLACE_FIELDS:
            for term in getattr(record, name) if name in given else []:
                if len(term) > TERM_NAME_MAX_LENGTH:
                    raise RecordRefused(f"{name}: {term[:40]!r}… is longer than 255 characters")
        for row in record.provenance if "provenance" in given else []:
            check_year_range(row.earliest_year, row.latest_year)

    # --- comparing --------------------------------------------------------------------

    def plan(self, record, given, stored: Stored | None, lender, locale) -> Plan:
        created = stored is None
        if created:
            stored = Stored(ObjectRecord(lender=lender, inventory_number=record.inventory_number))
        obj = stored.obj
        plan = Plan(obj=obj, created=created)

        for name in SCALAR_FIELDS:
            if name in given and getattr(obj, name) != getattr(record, name):
                setattr(obj, name, getattr(record, name))
                plan.changes.append(FIELD_LABELS.get(name, name))

        if given & set(TEXT_FIELDS):
            plan.text = self.plan_text(record, given, stored, locale, plan)

        for name in TERM_FIELDS:
            if name in given:
                wanted = [self.term_id(TERM_MODELS[name], term) for term in getattr(record, name)]
                if None in wanted or set(wanted) != stored.terms[name]:
                    plan.terms[name] = getattr(record, name)
                    plan.changes.append(name)

        for name, role in PLACE_ROLES.items():
            if name in given:
                current = [place_id for place_role, place_id in stored.places if place_role == role]
                wanted = [self.term_id(Place, place) for place in getattr(record, name)]
                if None in wanted or wanted != current:
                    plan.places[role] = getattr(record, name)
                    plan.changes.append(name)

        if "provenance" in given:
            wanted = [self.provenance_values(row) for row in record.provenance]
            if wanted != stored.provenance:
                plan.provenance = record.provenance
                plan.changes.append("provenance")
                for row in record.provenance:
                    self.provenance_event(obj, row, place_id=None).full_clean(
                        exclude=["object", "place"],
                        validate_unique=False,
                        validate_constraints=False,
                    )

        if plan.created or plan.changes:
            # Lender and locale come from our own lookups; uniqueness is guaranteed by the
            # (lender, inventory number) match and by the database. The rights URI was
            # checked with validate_rights_uri above: RIGHTS_CHOICES lists only the 4.0
            # licences, while older Creative Commons versions are valid statements too.
            obj.full_clean(
                exclude=["lender", "rights_statement"],
                validate_unique=False,
                validate_constraints=False,
            )
        return plan

    def plan_text(self, record, given, stored: Stored, locale, plan) -> ObjectText | None:
        values = {name: getattr(record, name) for name in TEXT_FIELDS if name in given}
        if "description" in values:
            values["description"] = plain_text_to_html(values["description"])
        text = stored.texts.get(locale.pk)
        if text is None:
            text = ObjectText(locale=locale, **values)
            if not plan.created:
                plan.changes.append(f"text ({locale.language_code})")
        else:
            changed = [name for name, value in values.items() if getattr(text, name) != value]
            if not changed:
                return None
            for name in changed:
                setattr(text, name, values[name])
            plan.changes.extend(f"{name} ({locale.language_code})" for name in changed)
        text.full_clean(
            exclude=["object", "locale"], validate_unique=False, validate_constraints=False
        )
        return text

    def provenance_values(self, row: ProvenanceRow) -> tuple:
        place_id = self.term_id(Place, row.place) if row.place else None
        return tuple(
            place_id if name == "place_id" else getattr(row, name) for name in PROVENANCE_VALUES
        )

    @staticmethod
    def provenance_event(obj, row: ProvenanceRow, place_id: int | None) -> ProvenanceEvent:
        return ProvenanceEvent(
            object=obj,
            kind=row.kind,
            date_text=row.date_text,
            earliest_year=row.earliest_year,
            latest_year=row.latest_year,
            parties=row.parties,
            place_id=place_id,
            source=row.source,
            note=row.note,
        )

    def term_id(self, model, name: str) -> int | None:
        """The id of a stored term with this name, or None when the import would create it."""
        return self.term_ids[model].get(name.casefold())

    # --- writing ----------------------------------------------------------------------

    def save(self, plan: Plan) -> None:
        """Write one record in its own savepoint; on failure forget the terms it created.

        New related rows (texts, terms, places, provenance) cannot fail once the object is
        saved, so they are collected and inserted with one query per table when the chunk
        ends, inside the same transaction: a record is still written whole or not at all.
        """
        self.new_terms = []
        obj = plan.obj
        rows = []
        try:
            with transaction.atomic():
                obj.save()
                if plan.text is not None:
                    plan.text.object = obj
                    if plan.text.pk is None:
                        rows.append(plan.text)
                    else:
                        plan.text.save()
                for name, names in plan.terms.items():
                    rows.extend(self.term_rows(obj, name, names, created=plan.created))
                if plan.places:
                    rows.extend(self.place_rows(obj, plan.places, created=plan.created))
                if plan.provenance is not None:
                    rows.extend(self.provenance_rows(obj, plan.provenance, created=plan.created))
        except IntegrityError:
            for model, name, _pk in self.new_terms:
                self.term_ids[model].pop(name.casefold(), None)
            raise
        for row in rows:
            self.pending[type(row)].append(row)
        self.written[ObjectRecord].add(obj.pk)
        for model, _name, pk in self.new_terms:
            self.written[model].add(pk)

    def flush(self) -> None:
        """Insert the related rows collected by save()."""
        for model, rows in self.pending.items():
            model.objects.bulk_create(rows)
        self.pending = defaultdict(list)

    def ensure_term(self, model, name: str) -> int:
        pk = self.term_id(model, name)
        if pk is None:
            term, _created = model.objects.get_or_create(name=name)
            pk = term.pk
            self.term_ids[model][name.casefold()] = pk
            self.new_terms.append((model, name, pk))
        return pk

    def term_rows(self, obj: ObjectRecord, name: str, names: list[str], created: bool) -> list:
        # The through table directly: modelcluster's deferring managers would re-read the
        # relation and add rows one at a time.
        through, source, target = through_model(name)
        wanted = {self.ensure_term(TERM_MODELS[name], term) for term in names}
        current = set()
        if not created:
            rows = through.objects.filter(**{source: obj.pk})
            current = set(rows.values_list(target, flat=True))
            if current - wanted:
                rows.filter(**{f"{target}__in": current - wanted}).delete()
        return [through(**{source: obj.pk, target: pk}) for pk in sorted(wanted - current)]

    def place_rows(self, obj: ObjectRecord, places: dict[str, list[str]], created: bool) -> list:
        order = 0
        if not created:
            # Only the roles the record states are replaced: a curator's "used" or "found"
            # places stay, and the new rows go after them.
            ObjectPlace.objects.filter(object=obj, role__in=list(places)).delete()
            kept = ObjectPlace.objects.filter(object=obj).order_by("-sort_order").first()
            if kept and kept.sort_order is not None:
                order = kept.sort_order + 1
        rows = []
        for role, names in places.items():
            for name in names:
                place_id = self.ensure_term(Place, name)
                rows.append(ObjectPlace(object=obj, place_id=place_id, role=role, sort_order=order))
                order += 1
        return rows

    def provenance_rows(self, obj: ObjectRecord, rows: list[ProvenanceRow], created: bool):
        if not created:
            ProvenanceEvent.objects.filter(object=obj).delete()
        events = []
        for order, row in enumerate(rows):
            place_id = self.ensure_term(Place, row.place) if row.place else None
            event = self.provenance_event(obj, row, place_id)
            event.sort_order = order
            events.append(event)
        return events
