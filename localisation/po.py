"""PO files for outside translators: export a venue's texts for one language, import them back.

An exported file has one entry per source text: ``msgctxt`` is a stable key
(``room:<pk>:name``, ``label:<placement pk>:<kind>``, ``object:<pk>:<field>``,
``testimony:<pk>:<field>``), ``msgid``
the text in the source language (the site's default) and ``msgstr`` the translation that
exists, or nothing. Its header names the venue (``X-Venue``), the target language
(``Language``) and the source language (``X-Source-Language``).

Importing checks the whole file before changing anything. A file that is not a PO file, or
whose header does not match, changes nothing. Entries whose key is unknown or no longer
current, whose ``msgid`` changed since the export, or whose translation fails the model's own
validation (label word limits, lengths) are reported and left out; the rest is applied in one
transaction. Testimony translations never go live on import: they are saved as a new draft
revision of the testimony, which still has to pass the ethics review. Object texts, shared by
every venue, are imported only by museum staff who may edit objects (or the command line).

Pages are not exported: they are translated in the admin with Wagtail's simple translation
(the completeness report links each missing page to it).
"""

from __future__ import annotations

import datetime
import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.models import Locale

import polib

from collection.models import ObjectText
from exhibition.models import LABEL_WORD_LIMITS, PlacementText, RoomText, Venue
from localisation.completeness import (
    label_texts,
    object_title,
    placed_objects,
    venue_placements,
    venue_rooms,
    venue_testimonies,
)
from localisation.venue_staff import staff_venue_ids
from stories.models import Testimony, TestimonyText

KEY_RE = re.compile(r"^(room|label|object|testimony):(\d+):([a-z_]+)$")
OBJECT_FIELDS = ("title", "description", "label", "credit_line")
TESTIMONY_FIELDS = ("title", "body", "easy_read_summary")
# The largest file accepted: a whole venue's texts are far smaller.
MAX_PO_BYTES = 5 * 1024 * 1024


class POImportError(Exception):
    """The file as a whole cannot be imported; nothing was changed."""


@dataclass(frozen=True)
class Unit:
    """One translatable source text of a venue."""

    key: str
    source: str
    translation: str
    comment: str


@dataclass(frozen=True)
class Issue:
    """An entry that was not applied, and why."""

    key: str
    problem: str  # unknown, stale, conflict, invalid, fuzzy, duplicate, locked, forbidden
    message: str


@dataclass
class ImportResult:
    venue: str
    language: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    untranslated: int = 0
    drafts: int = 0  # testimonies given a draft revision awaiting ethics review
    issues: list[Issue] = field(default_factory=list)
    applied: bool = False

    @property
    def changed(self) -> int:
        return self.created + self.updated


def source_language() -> str:
    return settings.LANGUAGE_CODE


def _texts_by_language(rows, attribute: str) -> dict[str, str]:
    return {row.locale.language_code: getattr(row, attribute) for row in rows}


def _testimony_rows(testimony: Testimony) -> list[TestimonyText]:
    """The testimony's texts, including those only in its unpublished draft."""
    if testimony.has_unpublished_changes and testimony.latest_revision_id:
        draft = testimony.get_latest_revision_as_object()
        rows = list(draft.texts.all())
        locales = {locale.pk: locale for locale in Locale.objects.all()}
        for row in rows:
            row.locale = locales[row.locale_id]
        return rows
    return list(testimony.texts.all())


def venue_units(venue: Venue, language: str, *, on: datetime.date | None = None) -> dict[str, Unit]:
    """Every source text of what ``venue`` shows, with its translation into ``language``."""
    source = source_language()
    units: dict[str, Unit] = {}

    def add(key, texts, comment):
        if texts.get(source):
            units[key] = Unit(key, texts[source], texts.get(language, ""), comment)

    for room in venue_rooms(venue, on):
        add(
            f"room:{room.pk}:name",
            _texts_by_language(room.texts.all(), "name"),
            f"Room name ({room.slug}), at most {RoomText._meta.get_field('name').max_length} characters.",
        )
    placements = list(venue_placements(venue, on))
    for placement in placements:
        for kind, texts in label_texts(placement).items():
            limit = LABEL_WORD_LIMITS.get(kind)
            add(
                f"label:{placement.pk}:{kind}",
                texts,
                f"{PlacementText.Kind(kind).label} for {object_title(placement, source)}"
                + (f", at most {limit} words." if limit else "."),
            )
    for record in placed_objects(placements):
        rows = list(record.texts.all())
        for name in OBJECT_FIELDS:
            add(
                f"object:{record.pk}:{name}",
                _texts_by_language(rows, name),
                f"Object {record.inventory_number}: {ObjectText._meta.get_field(name).verbose_name}"
                + (" (HTML: keep the tags)." if name == "description" else "."),
            )
    for testimony in venue_testimonies(venue, on):
        rows = _testimony_rows(testimony)
        for name in TESTIMONY_FIELDS:
            add(
                f"testimony:{testimony.pk}:{name}",
                _texts_by_language(rows, name),
                f"Testimony {testimony.slug}: {TestimonyText._meta.get_field(name).verbose_name}"
                + (" (HTML: keep the tags)." if name == "body" else "."),
            )
    return units


def _check_target(venue: Venue, language: str) -> None:
    if language not in venue.languages:
        raise POImportError(
            _("%(language)s is not one of %(venue)s's languages (%(languages)s).")
            % {"language": language, "venue": venue.slug, "languages": ", ".join(venue.languages)}
        )
    if language == source_language():
        raise POImportError(_("%(language)s is the source language.") % {"language": language})


def export_po(venue: Venue, language: str, *, on: datetime.date | None = None) -> polib.POFile:
    """The PO file of ``venue``'s texts for translation into ``language``."""
    _check_target(venue, language)
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": f"trafficking-{venue.slug}",
        "POT-Creation-Date": timezone.now().strftime("%Y-%m-%d %H:%M%z"),
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Venue": venue.slug,
        "X-Source-Language": source_language(),
    }
    for unit in venue_units(venue, language, on=on).values():
        po.append(
            polib.POEntry(
                msgctxt=unit.key,
                msgid=unit.source,
                msgstr=unit.translation,
                comment=unit.comment,
            )
        )
    return po


# --- import --------------------------------------------------------------------------------


def parse_po(content: bytes) -> polib.POFile:
    """Parse uploaded bytes as a PO file, or raise :class:`POImportError`."""
    if len(content) > MAX_PO_BYTES:
        raise POImportError(_("The file is too large to be a translation file."))
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        raise POImportError(_("This is not a PO file: it is not UTF-8 text.")) from None
    # polib takes a string as either a path or the file's content: parse from a file of our
    # own so that no upload is ever read as a path.
    with tempfile.NamedTemporaryFile(suffix=".po") as handle:
        handle.write(content)
        handle.flush()
        try:
            po = polib.pofile(handle.name, encoding="utf-8")
        except (OSError, ValueError, UnicodeDecodeError) as error:
            raise POImportError(
                _("This is not a PO file (%(error)s).") % {"error": error}
            ) from None
    if not po.metadata:
        raise POImportError(_("This is not an exported PO file: it has no header."))
    return po


def _header(po: polib.POFile, name: str) -> str:
    return (po.metadata.get(name) or "").strip()


def _resolve(po: polib.POFile, venue: Venue | None, language: str | None):
    slug = _header(po, "X-Venue")
    if not slug:
        raise POImportError(_("The file does not name its venue (X-Venue header)."))
    if venue is not None and venue.slug != slug:
        raise POImportError(
            _("The file is for venue %(file)s, not %(venue)s.")
            % {"file": slug, "venue": venue.slug}
        )
    if venue is None:
        venue = Venue.objects.filter(slug=slug).first()
        if venue is None:
            raise POImportError(_("Unknown venue %(slug)s.") % {"slug": slug})
    file_language = _header(po, "Language").replace("_", "-")
    if not file_language:
        raise POImportError(_("The file does not say its language (Language header)."))
    if language is not None and file_language != language:
        raise POImportError(
            _("The file is in %(file)s, not %(language)s.")
            % {"file": file_language, "language": language}
        )
    source = _header(po, "X-Source-Language")
    if source and source != source_language():
        raise POImportError(
            _("The file was exported from %(file)s texts; the source language is %(source)s.")
            % {"file": source, "source": source_language()}
        )
    _check_target(venue, file_language)
    locale = Locale.objects.filter(language_code=file_language).first()
    if locale is None:
        raise POImportError(
            _(
                "The site has no %(language)s locale yet: add %(language)s to "
                "CONTENT_LANGUAGES and create the locale before importing."
            )
            % {"language": file_language}
        )
    return venue, file_language, locale


def _first_message(error: ValidationError) -> str:
    return " ".join(error.messages)


def import_po(
    content: bytes,
    *,
    user=None,
    venue: Venue | None = None,
    language: str | None = None,
    dry_run: bool = False,
    on: datetime.date | None = None,
) -> ImportResult:
    """Import a translated PO file (see the module docstring). ``venue`` and ``language``,
    when given, must match the file's header. Raises :class:`POImportError` for a file that
    cannot be imported at all; then nothing changed."""
    po = parse_po(content)
    venue, language, locale = _resolve(po, venue, language)
    units = venue_units(venue, language, on=on)
    result = ImportResult(venue=venue.slug, language=language)
    accepted: dict[str, str] = {}
    seen: set[str] = set()
    for entry in po:
        if entry.obsolete:
            continue
        key = entry.msgctxt or ""
        if key in seen:
            result.issues.append(Issue(key, "duplicate", _("The key appears twice in the file.")))
            accepted.pop(key, None)
            continue
        seen.add(key)
        if not KEY_RE.match(key):
            result.issues.append(Issue(key, "unknown", _("Not a key this site exports.")))
            continue
        unit = units.get(key)
        if unit is None:
            result.issues.append(
                Issue(
                    key,
                    "stale",
                    _("No such text at this venue any more (deleted, moved or not shown)."),
                )
            )
            continue
        if entry.msgid != unit.source:
            result.issues.append(
                Issue(
                    key,
                    "conflict",
                    _("The source text changed since the export: export again and retranslate."),
                )
            )
            continue
        if "fuzzy" in entry.flags:
            result.issues.append(Issue(key, "fuzzy", _("Marked fuzzy: left out.")))
            continue
        if not entry.msgstr.strip():
            result.untranslated += 1
            continue
        if entry.msgstr == unit.translation:
            result.unchanged += 1
            continue
        accepted[key] = entry.msgstr

    by_kind: dict[str, dict[int, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    for key, value in accepted.items():
        kind, pk, name = KEY_RE.match(key).groups()
        refusal = _refusal(kind, user)
        if refusal:
            result.issues.append(Issue(key, "forbidden", refusal))
            continue
        by_kind[kind][int(pk)][name] = value

    with transaction.atomic():
        _apply_rooms(by_kind["room"], locale, result)
        _apply_labels(by_kind["label"], locale, result)
        _apply_objects(by_kind["object"], locale, result)
        _apply_testimonies(by_kind["testimony"], locale, user, result)
        if dry_run:
            transaction.set_rollback(True)
    result.applied = not dry_run
    return result


def _refusal(kind: str, user) -> str | None:
    """Why ``user`` may not import texts of ``kind`` (``None``: they may; no user: the
    command line, which may import everything)."""
    if user is None:
        return None
    # Object texts are shared by every venue and the web: only museum staff who may edit
    # objects change them, never one venue's staff.
    may_edit_objects = staff_venue_ids(user) is None and user.has_perm(
        "collection.change_objectrecord"
    )
    if kind == "object" and not may_edit_objects:
        return _("Object texts are shared by every venue: you may not change them.")
    if kind == "testimony" and not user.has_perm("stories.change_testimony"):
        return _("You may not edit testimonies.")
    return None


def _apply_rooms(changes, locale, result: ImportResult) -> None:
    for room_pk, fields in changes.items():
        row = RoomText.objects.filter(room_id=room_pk, locale=locale).first()
        created = row is None
        row = row or RoomText(room_id=room_pk, locale=locale)
        row.name = fields["name"]
        if _valid(row, f"room:{room_pk}:name", result):
            row.save()
            result.created += created
            result.updated += not created


def _apply_labels(changes, locale, result: ImportResult) -> None:
    for placement_pk, kinds in changes.items():
        for kind, text in kinds.items():
            row = PlacementText.objects.filter(
                placement_id=placement_pk, locale=locale, kind=kind
            ).first()
            created = row is None
            row = row or PlacementText(placement_id=placement_pk, locale=locale, kind=kind)
            row.text = text
            if _valid(row, f"label:{placement_pk}:{kind}", result):
                row.save()
                result.created += created
                result.updated += not created


def _apply_objects(changes, locale, result: ImportResult) -> None:
    """Object texts are shared by every venue that shows the object, and saved directly."""
    for object_pk, fields in changes.items():
        keys = [f"object:{object_pk}:{name}" for name in fields]
        row = ObjectText.objects.filter(object_id=object_pk, locale=locale).first()
        created = row is None
        row = row or ObjectText(object_id=object_pk, locale=locale)
        for name, value in fields.items():
            setattr(row, name, value)
        try:
            row.full_clean()
        except ValidationError as error:
            message = _first_message(error)
            if created and "title" not in fields:
                message = _("A new object translation needs its title.")
            result.issues.extend(Issue(key, "invalid", message) for key in keys)
            continue
        row.save()
        result.created += len(fields) if created else 0
        result.updated += 0 if created else len(fields)


def _valid(row, key: str, result: ImportResult) -> bool:
    try:
        row.full_clean()
    except ValidationError as error:
        result.issues.append(Issue(key, "invalid", _first_message(error)))
        return False
    return True


def _apply_testimonies(changes, locale, user, result: ImportResult) -> None:
    """Each testimony's translation becomes a new draft revision: live texts do not change."""
    for testimony_pk, fields in changes.items():
        keys = [f"testimony:{testimony_pk}:{name}" for name in fields]
        testimony = Testimony.objects.get(pk=testimony_pk)
        if testimony.locked and (user is None or testimony.locked_by_id != user.pk):
            result.issues.extend(
                Issue(key, "locked", _("The testimony is locked for editing.")) for key in keys
            )
            continue
        draft = (
            testimony.get_latest_revision_as_object() if testimony.latest_revision_id else testimony
        )
        rows = list(draft.texts.all())
        row = next((r for r in rows if r.locale_id == locale.pk), None)
        created = row is None
        if created:
            row = TestimonyText(locale=locale)
            rows.append(row)
        for name, value in fields.items():
            setattr(row, name, value)
        try:
            row.full_clean(exclude=["testimony"])
        except ValidationError as error:
            message = _first_message(error)
            if created and ("title" not in fields or "body" not in fields):
                message = _("A new testimony translation needs both its title and its text.")
            result.issues.extend(Issue(key, "invalid", message) for key in keys)
            continue
        draft.texts = rows
        draft.save_revision(user=user, log_action=True)
        result.drafts += 1
        result.created += len(fields) if created else 0
        result.updated += 0 if created else len(fields)
