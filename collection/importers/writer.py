"""Writing parsed records to the database: create, update, or leave alone."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch

from wagtail.models import Locale

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

Key = tuple[int | None, str]


def batched(items: Iterable, size: int):
    # itertools.batched arrives with Python 3.12.
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def validation_message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{name}: {message}" if name != "__all__" else message
            for name, messages in error.message_dict.items()
            for message in messages
        )
    return "; ".join(error.messages)


@dataclass
class Plan:
    """The writes one record needs; empty ``changes`` on an existing object means none."""

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
    stored ones is not saved at all; every other record is written in its own transaction,
    so a refused record leaves nothing behind. Lenders, locales and vocabulary terms are
    read once into dicts, and existing objects are fetched a batch at a time, so the number
    of queries grows with the number of changed records, not with lookups.
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
        self.languages = {code.lower(): code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES}
        self.default_language = settings.LANGUAGE_CODE
        self.locales = {locale.language_code.lower(): locale for locale in Locale.objects.all()}
        self.lenders = {lender.slug: lender for lender in Lender.objects.all()}
        # Names match ignoring case, so "Silver" in one file and "silver" in the next are one
        # term; the spelling first stored stays.
        self.term_ids = {
            model: {name.casefold(): pk for pk, name in model.objects.values_list("pk", "name")}
            for model in (*TERM_MODELS.values(), Place)
        }
        self.new_terms: list[tuple[type, str]] = []
        # (key, language) of every record written in this run, to catch repeated rows.
        self.seen: dict[tuple[Key, str], int] = {}
        self.seen_keys: set[Key] = set()
        # Objects written in this run: the batch fetched before is stale for them.
        self.stale_keys: set[Key] = set()
        # A dry run saves nothing, so it remembers which objects it would have created.
        self.would_create: set[Key] = set()

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
            numbers = {item.inventory_number for item in chunk if isinstance(item, ParsedRecord)}
            existing = self.fetch(numbers)
            for item in chunk:
                if isinstance(item, Refusal):
                    self.refuse(source, item.number, item.inventory_number, item.reason)
                else:
                    self.write_one(source, item, existing)
                if progress:
                    progress()

    def fetch(self, numbers: Iterable[str]) -> dict[Key, ObjectRecord]:
        """Existing objects with these inventory numbers, any lender, with what we compare."""
        numbers = list(numbers)
        if not numbers:
            return {}
        objects = ObjectRecord.objects.filter(inventory_number__in=numbers).prefetch_related(
            "texts",
            "places",
            "provenance",
            *(
                Prefetch(name, queryset=model.objects.only("pk"))
                for name, model in TERM_MODELS.items()
            ),
        )
        return {(obj.lender_id, obj.inventory_number): obj for obj in objects}

    def refuse(self, source: str, number: int, inventory_number: str, reason: str) -> None:
        self.report.add(source, number, Status.REFUSED, inventory_number, reason)

    def write_one(self, source: str, record: ParsedRecord, existing: dict[Key, ObjectRecord]):
        number, inventory_number = record.number, record.inventory_number
        key = None
        try:
            lender = self.lender_for(record)
            locale = self.locale_for(record)
            key = (lender.pk if lender else None, inventory_number)
            given = self.given_fields(record, key, locale)
            self.check_values(record, given)
            obj = self.fetch([inventory_number]).get(key) if key in self.stale_keys else None
            obj = obj or existing.get(key)
            plan = self.plan(record, given, obj, lender, locale)
        except (RecordRefused, ValidationError) as error:
            if key is not None:
                # plan() may have changed the fetched object in memory before refusing.
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
                # A second language of an object this dry run would already have created.
                status, plan.changes = Status.CHANGED, [f"text ({locale.language_code})"]
            elif plan.created:
                self.would_create.add(key)
        else:
            try:
                self.save(plan)
            except IntegrityError as error:
                self.forget_new_terms()
                self.stale_keys.add(key)
                self.refuse(source, number, inventory_number, f"database refused it: {error}")
                return
            self.stale_keys.add(key)
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
        names = [name for name in TERM_FIELDS + PLACE_FIELDS if name in given]
        for name in names:
            for term in getattr(record, name):
                if len(term) > TERM_NAME_MAX_LENGTH:
                    raise RecordRefused(f"{name}: {term[:40]!r}… is longer than 255 characters")
        for row in record.provenance if "provenance" in given else []:
            check_year_range(row.earliest_year, row.latest_year)

    # --- comparing --------------------------------------------------------------------

    def plan(self, record, given, obj, lender, locale) -> Plan:
        created = obj is None
        if created:
            obj = ObjectRecord(lender=lender, inventory_number=record.inventory_number)
        plan = Plan(obj=obj, created=created)

        for name in SCALAR_FIELDS:
            # The model calls it dimensions_text; the report says what the operator wrote.
            if name in given and getattr(obj, name) != getattr(record, name):
                setattr(obj, name, getattr(record, name))
                plan.changes.append(name)

        if given & set(TEXT_FIELDS):
            plan.text = self.plan_text(record, given, obj, locale, plan)

        for name in TERM_FIELDS:
            if name in given:
                current = set() if created else {term.pk for term in getattr(obj, name).all()}
                wanted = [self.term_id(TERM_MODELS[name], term) for term in getattr(record, name)]
                if None in wanted or set(wanted) != current:
                    plan.terms[name] = getattr(record, name)
                    plan.changes.append(name)

        stored_places = [] if created else sorted(obj.places.all(), key=lambda p: p.sort_order)
        for name, role in PLACE_ROLES.items():
            if name in given:
                current = [p.place_id for p in stored_places if p.role == role]
                wanted = [self.term_id(Place, place) for place in getattr(record, name)]
                if None in wanted or wanted != current:
                    plan.places[role] = getattr(record, name)
                    plan.changes.append(name)

        if "provenance" in given:
            current = (
                [] if created else [self.provenance_key(event) for event in obj.provenance.all()]
            )
            wanted = [self.provenance_key(row) for row in record.provenance]
            if wanted != current:
                plan.provenance = record.provenance
                plan.changes.append("provenance")
                for row in record.provenance:
                    self.provenance_event(obj, row, place=None).full_clean(
                        exclude=["object", "place"],
                        validate_unique=False,
                        validate_constraints=False,
                    )

        if plan.created or plan.changes:
            # Lender and locale come from our own lookups; uniqueness is guaranteed by the
            # (lender, inventory number) match and by the database. The rights URI was
            # checked with validate_rights_uri above: RIGHTS_CHOICES lists only 4.0
            # licences, while older CC versions are valid statements too.
            obj.full_clean(
                exclude=["lender", "rights_statement"],
                validate_unique=False,
                validate_constraints=False,
            )
        return plan

    def plan_text(self, record, given, obj, locale, plan) -> ObjectText | None:
        values = {name: getattr(record, name) for name in TEXT_FIELDS if name in given}
        if "description" in values:
            values["description"] = plain_text_to_html(values["description"])
        text = None
        if not plan.created:
            text = next((t for t in obj.texts.all() if t.locale_id == locale.pk), None)
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

    def provenance_key(self, event) -> tuple:
        if isinstance(event, ProvenanceRow):
            place_id = self.term_id(Place, event.place) if event.place else None
        else:
            place_id = event.place_id
        return (
            event.kind,
            event.date_text,
            event.earliest_year,
            event.latest_year,
            event.parties,
            place_id,
            event.source,
            event.note,
        )

    @staticmethod
    def provenance_event(obj, row: ProvenanceRow, place) -> ProvenanceEvent:
        return ProvenanceEvent(
            object=obj,
            kind=row.kind,
            date_text=row.date_text,
            earliest_year=row.earliest_year,
            latest_year=row.latest_year,
            parties=row.parties,
            place=place,
            source=row.source,
            note=row.note,
        )

    def term_id(self, model, name: str) -> int | None:
        """The id of a stored term with this name, or None when the import would create it."""
        return self.term_ids[model].get(name.casefold())

    # --- writing ----------------------------------------------------------------------

    def save(self, plan: Plan) -> None:
        self.new_terms = []
        obj = plan.obj
        with transaction.atomic():
            obj.save()
            if plan.text is not None:
                plan.text.object = obj
                plan.text.save()
            for name, names in plan.terms.items():
                self.replace_terms(obj, name, names, created=plan.created)
            if plan.places:
                self.replace_places(obj, plan.places, created=plan.created)
            if plan.provenance is not None:
                if not plan.created:
                    obj.provenance.all().delete()
                events = []
                for order, row in enumerate(plan.provenance):
                    event = self.provenance_event(obj, row, self.place_or_none(row.place))
                    event.sort_order = order
                    events.append(event)
                ProvenanceEvent.objects.bulk_create(events)

    def place_or_none(self, name: str) -> Place | None:
        return Place(pk=self.ensure_term(Place, name)) if name else None

    def ensure_term(self, model, name: str) -> int:
        pk = self.term_id(model, name)
        if pk is None:
            term, _created = model.objects.get_or_create(name=name)
            pk = term.pk
            self.term_ids[model][name.casefold()] = pk
            self.new_terms.append((model, name))
        return pk

    def forget_new_terms(self) -> None:
        """Drop terms created in a rolled-back transaction from the cache: they are gone."""
        for model, name in self.new_terms:
            self.term_ids[model].pop(name.casefold(), None)
        self.new_terms = []

    def replace_terms(self, obj: ObjectRecord, name: str, names: list[str], created: bool):
        # The through table directly: modelcluster's deferred managers would re-read the
        # relation and add rows one by one.
        relation = ObjectRecord._meta.get_field(name)
        through = relation.remote_field.through
        source, target = relation.m2m_field_name(), relation.m2m_reverse_field_name()
        wanted = {self.ensure_term(TERM_MODELS[name], term) for term in names}
        current = set()
        if not created:
            current = set(
                through.objects.filter(**{source: obj}).values_list(f"{target}_id", flat=True)
            )
        if current - wanted:
            through.objects.filter(**{source: obj, f"{target}_id__in": current - wanted}).delete()
        if wanted - current:
            through.objects.bulk_create(
                through(**{f"{source}_id": obj.pk, f"{target}_id": pk})
                for pk in sorted(wanted - current)
            )

    def replace_places(self, obj: ObjectRecord, places: dict[str, list[str]], created: bool):
        order = 0
        if not created:
            # Only the roles the record states are replaced; a curator's "used" or "found"
            # places stay, and the new rows go after them.
            ObjectPlace.objects.filter(object=obj, role__in=list(places)).delete()
            kept = ObjectPlace.objects.filter(object=obj).order_by("-sort_order").first()
            if kept and kept.sort_order is not None:
                order = kept.sort_order + 1
        rows = []
        for role, names in places.items():
            for name in names:
                rows.append(
                    ObjectPlace(
                        object=obj,
                        place_id=self.ensure_term(Place, name),
                        role=role,
                        sort_order=order,
                    )
                )
                order += 1
        ObjectPlace.objects.bulk_create(rows)
