"""The package builder: one signed, reproducible zip per venue and version.

Everything that goes in is selected through ``visible_in(VENUE(venue), on=<the venue's
today>)`` and written through explicit field allow-lists (the ``_*_record`` functions). The
format is the shared contract "trafficking-package/1" (see ``touring/package_format.py``
for the zip writer and manifest). A build is reproducible: the same content gives the same
bytes, because every file is generated from database rows and masters alone, sorted, and the
manifest's ``built_at`` is the newest change time of that content, not the wall clock.
"""

from __future__ import annotations

import datetime
import hashlib
import html
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from iiif_prezi3 import (
    Annotation,
    AnnotationBody,
    AnnotationPage,
    Canvas,
    KeyValueString,
    Manifest,
    ServiceV3,
)

from collection.iiif import presentation
from collection.models import ObjectImage, ObjectRecord
from collection.rights import normalise_rights_uri
from exhibition.models import Placement, PlacementText, Room, Venue
from stories.models import Consent, MediaTrack, Perspective, RevokedItem, Voice
from stories.public import (
    allowed_languages,
    language_allowed,
    web_support_resources,
    web_testimonies,
)
from stories.webvtt import public_webvtt
from touring import images, package_format, signing
from touring.coverage import loan_coverage
from touring.models import PackageVersion, package_storage
from visibility.channels import VENUE, VenueRef

logger = logging.getLogger(__name__)

# Consent-bound content: hidden by the kiosk when the package is revoked or expired.
CONSENT_BOUND = [
    "data/stories.json",
    "images/portraits/",
    "kiosk/data/stories.js",
    "media/testimonies/",
]
DEFAULT_VALIDITY = datetime.timedelta(days=90)
KIOSK_ASSETS = Path(__file__).resolve().parent / "kiosk"
OPENSEADRAGON = Path(settings.BASE_DIR) / "node_modules/openseadragon/build/openseadragon"
# Manifests are built with iiif-prezi3, which wants absolute URLs; they are then rewritten to
# paths relative to the package's root ("images/12/info.json").
PLACEHOLDER_BASE = "https://package.invalid/"
LABEL_SIZE = "A6"

Progress = Callable[[int, str], None]


class BuildError(Exception):
    """A package could not be built; the version is marked failed with this message."""


def fallback_language() -> str:
    return getattr(settings, "TOURING_FALLBACK_LANGUAGE", "en")


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(strip_tags(text or ""))).strip()


def _json(data) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, indent=1).encode()


def _js_global(name: str, data) -> bytes:
    body = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    # "</" would end an inline script; these files are loaded by src, but stay safe anyway.
    body = body.replace("</", "<\\/")
    return (
        f"window.KIOSK_DATA = window.KIOSK_DATA || {{}};\nwindow.KIOSK_DATA.{name} = {body};\n"
    ).encode()


@dataclass
class Report:
    """What the build left out and why, and what is untranslated per language."""

    languages: list[str]
    fallback_language: str
    excluded: list[dict] = field(default_factory=list)
    untranslated: dict[str, list[dict]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def missing(self, language: str, kind: str, ident: str, what: str) -> None:
        self.untranslated.setdefault(language, []).append({"kind": kind, "id": ident, "what": what})

    def as_json(self) -> dict:
        return {
            "languages": self.languages,
            "fallback_language": self.fallback_language,
            "excluded": self.excluded,
            "untranslated": {code: self.untranslated.get(code, []) for code in self.languages},
            "counts": self.counts,
        }


class _Texts:
    """Texts per language for one record, with explicit fallback and a report of gaps."""

    def __init__(self, report: Report, kind: str, ident: str):
        self.report, self.kind, self.ident = report, kind, ident

    def pick(self, by_language: dict[str, str], what: str) -> dict[str, dict]:
        """``{language: {"text", "lang"}}`` for each venue language; a missing language gets
        the fallback language's text, marked with its real language, and is reported."""
        result = {}
        if not any(by_language.values()):
            return result
        fallback = self.report.fallback_language
        for code in self.report.languages:
            if by_language.get(code):
                result[code] = {"text": by_language[code], "lang": code}
                continue
            self.report.missing(code, self.kind, self.ident, what)
            source = (
                fallback
                if by_language.get(fallback)
                else sorted(c for c, v in by_language.items() if v)[0]
            )
            result[code] = {"text": by_language[source], "lang": source}
        return result


@dataclass
class Content:
    files: dict[str, bytes]
    report: Report
    built_at: datetime.datetime
    revoked: list[dict]


class _Collector:
    """Collects every file of a venue's package (except manifest.json and its signature)."""

    def __init__(self, venue: Venue, progress: Progress):
        self.venue = venue
        self.ref = VenueRef.of(venue)
        self.channel = VENUE(venue)
        self.on = self.ref.today()
        self.languages = list(venue.languages)
        self.report = Report(self.languages, fallback_language())
        self.files: dict[str, bytes] = {}
        self.progress = progress
        self.changed: list[datetime.datetime] = []

    # --- selection ---------------------------------------------------------------------
    def visible(self, model):
        return model.objects.visible_in(self.channel, on=self.on)

    def collect(self) -> Content:
        self.progress(2, _("Selecting content"))
        rooms = list(
            self.visible(Room)
            .filter(venue=self.venue)
            .prefetch_related("texts__locale")
            .order_by("visit_order", "pk")
        )
        placements = list(
            self.visible(Placement)
            .filter(room__venue=self.venue)
            .select_related("object")
            .prefetch_related("texts__locale")
            .in_visit_order()
        )
        self._excluded(placements)
        testimonies = list(
            web_testimonies(channel=self.channel, on=self.on)
            .select_related("voice")
            .prefetch_related("tracks__locale", "object_links", "pull_quotes__locale")
            .order_by("slug")
        )
        visible_objects = self.visible(ObjectRecord)
        object_ids = {p.object_id for p in placements} | {
            link.object_id for t in testimonies for link in t.object_links.all()
        }
        objects = list(
            visible_objects.filter(pk__in=object_ids)
            .select_related("lender")
            .prefetch_related("texts__locale", "materials", "cultures", "makers")
            .order_by("inventory_number", "pk")
        )
        object_images = list(
            self.visible(ObjectImage)
            .filter(object__in=[o.pk for o in objects])
            .select_related("image")
            .order_by("object_id", "sort_order", "pk")
        )
        self.changed += [o.updated_at for o in objects] + [t.updated_at for t in testimonies]

        self.progress(5, _("Writing data"))
        self._rooms(rooms)
        self._placements(placements)
        self._objects(objects, object_images)
        voices = self._stories(testimonies)
        self._events()
        self._support()
        self._images(object_images, start=10, end=70)
        self._portraits(voices)
        self.progress(72, _("Copying recordings and transcripts"))
        self._media(testimonies)
        self.progress(78, _("Printing labels"))
        self._labels()
        self.built_at = max(
            [c for c in self.changed if c] or [datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)]
        )
        self.progress(90, _("Writing the kiosk"))
        self._kiosk()
        revoked = [
            {"kind": item.kind, "id": item.public_id, "since": item.revoked_at.date().isoformat()}
            for item in RevokedItem.objects.order_by("kind", "public_id")
        ]
        self.report.counts = {
            "rooms": len(rooms),
            "placements": len(placements),
            "objects": len(objects),
            "images": len(object_images),
            "testimonies": len(testimonies),
            "files": len(self.files),
        }
        return Content(self.files, self.report, self.built_at, revoked)

    def _excluded(self, placements) -> None:
        shown = {p.pk for p in placements}
        problems = {p.object_id: p for p in loan_coverage(self.venue)}
        for placement in (
            Placement.objects.filter(room__venue=self.venue)
            .exclude(pk__in=shown)
            .select_related("object", "room")
            .in_visit_order()
        ):
            problem = problems.get(placement.object_id)
            if problem:
                self.report.excluded.append(problem.as_report())
            else:
                self.report.excluded.append(
                    {
                        "object": placement.object.inventory_number,
                        "reason": "not_public",
                        "message": _("The object is not published or not cleared for display."),
                    }
                )

    # --- data files ----------------------------------------------------------------------
    def _rooms(self, rooms) -> None:
        records = []
        for room in rooms:
            names = {t.locale.language_code: t.name for t in room.texts.all()}
            records.append(
                {
                    "id": room.pk,
                    "slug": room.slug,
                    "visit_order": room.visit_order,
                    "area_m2": str(room.area_m2),
                    "shape": room.shape,
                    "name": _Texts(self.report, "room", room.slug).pick(names, "name"),
                }
            )
        self.rooms = records
        self.files["data/rooms.json"] = _json(records)

    def _placements(self, placements) -> None:
        records, labels = [], []
        kinds = [kind for kind, _label in PlacementText.Kind.choices]
        for placement in placements:
            records.append(
                {
                    "id": placement.pk,
                    "room": placement.room_id,
                    "object": placement.object_id,
                    "kind": placement.kind,
                    "position": placement.position,
                    "visit_order": placement.visit_order,
                }
            )
            by_kind: dict[str, dict[str, str]] = {}
            for text in placement.texts.all():
                by_kind.setdefault(text.kind, {})[text.locale.language_code] = text.text
            ident = placement.object.inventory_number
            for kind in sorted(by_kind, key=kinds.index):
                picked = _Texts(self.report, "label", ident).pick(by_kind[kind], f"{kind} label")
                labels.append({"placement": placement.pk, "kind": kind, "text": picked})
        self.placements, self.labels = records, labels
        self.files["data/placements.json"] = _json(records)
        self.files["data/labels.json"] = _json(labels)

    def _objects(self, objects, object_images) -> None:
        images_of: dict[int, list] = {}
        for object_image in object_images:
            images_of.setdefault(object_image.object_id, []).append(object_image)
        records = []
        for obj in objects:
            texts = {t.locale.language_code: t for t in obj.texts.all()}
            pick = _Texts(self.report, "object", obj.inventory_number).pick
            title = pick({c: t.title for c, t in texts.items()}, "title")
            if not title:
                title = {c: {"text": obj.inventory_number, "lang": "none"} for c in self.languages}
            record = {
                "id": obj.pk,
                "inventory_number": obj.inventory_number,
                "object_type": obj.object_type,
                "dating": obj.dating,
                "dimensions": obj.dimensions_text,
                "materials": [m.name for m in obj.materials.all()],
                "makers": [m.name for m in obj.makers.all()],
                "rights": normalise_rights_uri(obj.rights_statement)
                if obj.rights_statement
                else "",
                "title": title,
                "description": pick(
                    {c: _plain(t.description) for c, t in texts.items()}, "description"
                ),
                "credit_line": self._credit(obj, texts),
                "images": [self._image_record(oi) for oi in images_of.get(obj.pk, [])],
                "manifest": f"iiif/objects/{obj.pk}/manifest.json" if obj.pk in images_of else "",
            }
            records.append(record)
        self.objects = records
        self.object_models = {obj.pk: obj for obj in objects}
        self.files["data/objects.json"] = _json(records)

    def _credit(self, obj, texts) -> dict:
        with translation.override(self.languages[0] if self.languages else "en"):
            credit = presentation.credit_statement(obj, texts, self.languages)
        return {code: values[0] for code, values in sorted(credit.items()) if values}

    def _image_record(self, object_image) -> dict:
        image = object_image.image
        return {
            "id": image.pk,
            "service": f"images/{image.pk}",
            "caption": object_image.caption,
            "credit_line": image.credit_line,
            "rights": normalise_rights_uri(image.rights_statement)
            if image.rights_statement
            else "",
        }

    def _manifest(self, obj, object_images) -> bytes:
        """The object's Presentation 3 manifest with package-relative URLs."""
        base = PLACEHOLDER_BASE.rstrip("/")
        manifest_id = f"{base}/iiif/objects/{obj.pk}/manifest.json"
        texts = presentation.object_texts(obj)
        languages = list(dict.fromkeys([*self.languages, *texts]))
        canvases = []
        for object_image in object_images:
            image = object_image.image
            width, height = self.image_sizes[image.pk]
            service_id = f"{base}/images/{image.pk}"
            canvas_id = f"{base}/iiif/objects/{obj.pk}/canvas/{object_image.pk}"
            body = AnnotationBody(
                id=f"{service_id}/full/{width},{height}/0/default.jpg",
                type="Image",
                format="image/jpeg",
                width=width,
                height=height,
                service=[ServiceV3(id=service_id, type="ImageService3", profile="level0")],
            )
            canvas = Canvas(
                id=canvas_id,
                width=width,
                height=height,
                items=[
                    AnnotationPage(
                        id=f"{canvas_id}/page/1",
                        items=[
                            Annotation(
                                id=f"{canvas_id}/page/1/annotation/1",
                                type="Annotation",
                                motivation="painting",
                                body=body,
                                target=canvas_id,
                            )
                        ],
                    )
                ],
            )
            if object_image.caption:
                canvas.label = {"none": [object_image.caption]}
            canvases.append(canvas)
        manifest = Manifest(
            id=manifest_id,
            label=presentation.title_map(obj),
            metadata=presentation.object_metadata(obj, languages),
            items=canvases,
        )
        summary = {
            code: [_plain(text.label or text.description)]
            for code, text in texts.items()
            if _plain(text.label or text.description)
        }
        if summary:
            manifest.summary = summary
        credit = presentation.credit_statement(obj, texts, languages)
        if credit:
            manifest.requiredStatement = KeyValueString(
                label=presentation.LABELS["attribution"], value=credit
            )
        if obj.rights_statement:
            manifest.rights = normalise_rights_uri(obj.rights_statement)
        text = json.dumps(json.loads(manifest.jsonld()), sort_keys=True, ensure_ascii=False)
        return text.replace(PLACEHOLDER_BASE, "").encode()

    def _stories(self, testimonies) -> list:
        voice_ids = {t.voice_id for t in testimonies}
        perspectives = list(
            self.visible(Perspective)
            .prefetch_related("texts__locale", "positions__locale")
            .order_by("slug")
        )
        visible_voice_ids = set(self.visible(Voice).values_list("pk", flat=True))
        for perspective in perspectives:
            voice_ids |= {p.voice_id for p in perspective.positions.all()} & visible_voice_ids
        voices = list(Voice.objects.filter(pk__in=voice_ids & visible_voice_ids).order_by("pk"))
        self.changed += [v.updated_at for v in voices] + [p.updated_at for p in perspectives]
        voice_records = []
        self.portrait_voices = set(
            Consent.objects.filter(voice__in=voices, testimony__isnull=True, portrait=True)
            .filter(Consent.covers_q(self.channel, self.on))
            .values_list("voice_id", flat=True)
        )
        for voice in voices:
            roles = {}
            for code in self.languages:
                with translation.override(code):
                    roles[code] = str(voice.get_role_display())
            voice_records.append(
                {
                    "id": voice.pk,
                    "display_name": voice.display_name,
                    "role": roles,
                    "organisation": voice.organisation,
                    "country": voice.country,
                    "fictional_demo": voice.is_fictional_demo,
                    "portrait": f"images/portraits/{voice.pk}.jpg"
                    if voice.portrait_id and voice.pk in self.portrait_voices
                    else "",
                }
            )
        testimony_records = []
        placed_objects = {o["id"] for o in self.objects}
        for testimony in testimonies:
            allowed = allowed_languages(testimony)
            texts = {
                t.locale.language_code: t
                for t in testimony.texts.all()
                if language_allowed(t.locale.language_code, allowed)
            }
            if not texts:
                continue  # consent allows none of the languages it is written in
            pick = _Texts(self.report, "testimony", testimony.slug).pick
            notes = {}
            for code in self.languages:
                with translation.override(code):
                    notes[code] = testimony.get_content_notes_display()
            tracks = [
                {
                    "language": track.locale.language_code,
                    "kind": track.kind,
                    "path": self._track_path(testimony, track),
                }
                for track in sorted(
                    testimony.tracks.all(), key=lambda t: (t.locale.language_code, t.kind)
                )
                if language_allowed(track.locale.language_code, allowed)
            ]
            testimony_records.append(
                {
                    "id": testimony.pk,
                    "slug": testimony.slug,
                    "voice": testimony.voice_id,
                    "title": pick({c: t.title for c, t in texts.items()}, "title"),
                    "body": pick({c: _plain(t.body) for c, t in texts.items()}, "text"),
                    "easy_read": pick(
                        {c: t.easy_read_summary for c, t in texts.items()}, "easy-to-read summary"
                    ),
                    "content_notes": notes,
                    "minimum_age": testimony.minimum_age,
                    "media_kind": testimony.media_kind,
                    "media": self._media_path(testimony) if testimony.media_file else "",
                    "duration_seconds": testimony.duration_seconds,
                    "tracks": tracks,
                    "objects": sorted(
                        {link.object_id for link in testimony.object_links.all()} & placed_objects
                    ),
                }
            )
        perspective_records = []
        for perspective in perspectives:
            texts = {t.locale.language_code: t for t in perspective.texts.all()}
            pick = _Texts(self.report, "perspective", perspective.slug).pick
            perspective_records.append(
                {
                    "id": perspective.pk,
                    "slug": perspective.slug,
                    "question": pick({c: t.question for c, t in texts.items()}, "question"),
                    "introduction": pick(
                        {c: t.introduction for c, t in texts.items()}, "introduction"
                    ),
                    "positions": [
                        {
                            "voice": position.voice_id,
                            "language": position.locale.language_code,
                            "stance": position.stance,
                            "statement": position.statement,
                            "responds_to": position.responds_to_id
                            if position.responds_to_id in visible_voice_ids
                            else None,
                        }
                        for position in sorted(
                            perspective.positions.all(), key=lambda p: (p.sort_order, p.pk)
                        )
                        if position.voice_id in visible_voice_ids
                    ],
                }
            )
        self.stories = {
            "voices": voice_records,
            "testimonies": testimony_records,
            "perspectives": perspective_records,
        }
        self.files["data/stories.json"] = _json(self.stories)
        return voices

    # Public fields of programme events; organiser contacts and booking details stay out.
    EVENT_FIELDS = (
        "title",
        "kind",
        "start",
        "end",
        "language_codes",
        "audience",
        "age_min",
        "age_max",
        "accessibility",
    )

    def _events(self) -> None:
        """The venue's events, where the ``programme`` app (an optional part) is installed."""
        self.events = []
        model = None
        for name in ("EventPage", "Event"):
            try:
                model = apps.get_model("programme", name)
                break
            except LookupError:
                continue
        if model is None or not hasattr(model.objects.all(), "visible_in"):
            return
        names = {f.name for f in model._meta.get_fields()}
        queryset = self.visible(model)
        if "venue" in names:
            queryset = queryset.filter(venue=self.venue)
        if "locale" in names:
            queryset = queryset.select_related("locale")
        for event in queryset.order_by("pk"):
            record = {"id": event.pk}
            if "locale" in names:
                record["language"] = event.locale.language_code
            for name in self.EVENT_FIELDS:
                if name not in names:
                    continue
                value = getattr(event, name)
                if isinstance(value, datetime.datetime):
                    value = value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
                elif value is not None and not isinstance(value, int | str):
                    value = str(value)
                record[name] = value
            self.events.append(record)
        self.files["data/events.json"] = _json(self.events)

    # --- files ---------------------------------------------------------------------------
    def _support(self) -> None:
        """Help lines and support organisations of the venue's country and international
        ones, in each venue language: the kiosk shows them beside every testimony. They are
        services, not people, so they are not consent-bound."""
        self.support = {}
        for code in self.languages:
            with translation.override(code):
                self.support[code] = [
                    {
                        "name": resource.name,
                        "kind": resource.kind,
                        "kind_label": resource.kind_label,
                        "language": resource.language,
                        "service_languages": list(resource.service_languages),
                        "phone": resource.phone,
                        "url": resource.url,
                        "hours": resource.hours,
                        "description": resource.description,
                    }
                    for resource in web_support_resources(code, self.channel)
                ]
        self.files["data/support.json"] = _json(self.support)

    def _images(self, object_images, *, start: int, end: int) -> None:
        self.image_sizes, self.image_info = {}, {}
        unique = {oi.image.pk: oi.image for oi in object_images}
        for index, image in enumerate(sorted(unique.values(), key=lambda i: i.pk), start=1):
            try:
                path = image.file.path
                files = images.cached_static_image(path, f"images/{image.pk}")
            except Exception as error:  # pyvips and storage errors: name the image
                raise BuildError(
                    _("Image %(pk)s (%(name)s) cannot be rendered: %(error)s")
                    % {"pk": image.pk, "name": image.file.name, "error": error}
                ) from error
            for name, data in files.items():
                self.files[f"images/{image.pk}/{name}"] = data
            document = json.loads(files["info.json"])
            self.image_sizes[image.pk] = (document["width"], document["height"])
            self.image_info[image.pk] = document
            self.progress(
                start + (end - start) * index // max(len(unique), 1),
                _("Rendering images (%(done)s of %(total)s)")
                % {"done": index, "total": len(unique)},
            )
        # Manifests need the rendered sizes, so they are written once the images are.
        for record in self.objects:
            if record["manifest"]:
                obj = self.object_models[record["id"]]
                self.files[record["manifest"]] = self._manifest(
                    obj, [oi for oi in object_images if oi.object_id == obj.pk]
                )
        for record in self.objects:
            for image in record["images"]:
                width, height = self.image_sizes[image["id"]]
                image["width"], image["height"] = width, height
                image["sizes"] = self.image_info[image["id"]]["sizes"]
                image["scale_factors"] = self.image_info[image["id"]]["tiles"][0]["scaleFactors"]
        self.files["data/objects.json"] = _json(self.objects)

    def _portraits(self, voices) -> None:
        for voice in voices:
            if not (voice.portrait_id and voice.pk in self.portrait_voices):
                continue
            image = voice.portrait
            files = images.cached_static_image(image.file.path, f"images/portraits/{voice.pk}")
            smallest = min(
                (name for name in files if name.startswith("full/")),
                key=lambda name: int(name.split("/")[1].split(",")[0]),
            )
            self.files[f"images/portraits/{voice.pk}.jpg"] = files[smallest]

    def _media_path(self, testimony) -> str:
        suffix = Path(testimony.media_file.name).suffix.lower() or ".bin"
        return f"media/testimonies/{testimony.pk}{suffix}"

    def _track_path(self, testimony, track: MediaTrack) -> str:
        return f"media/testimonies/{testimony.pk}.{track.locale.language_code}.{track.kind}.vtt"

    def _media(self, testimonies) -> None:
        for record in self.stories["testimonies"]:
            testimony = next(t for t in testimonies if t.pk == record["id"])
            if record["media"]:
                with testimony.media_file.open("rb") as handle:
                    self.files[record["media"]] = handle.read()
            tracks = {self._track_path(testimony, t): t for t in testimony.tracks.all()}
            for track in record["tracks"]:
                self.files[track["path"]] = public_webvtt(tracks[track["path"]].webvtt).encode()

    def _labels(self) -> None:
        from exhibition.labels import build_pdf, collect_labels, render_html

        for code in self.languages:
            label_set = collect_labels(self.venue, code, LABEL_SIZE)
            if not label_set.labels:
                continue
            # WeasyPrint writes no creation time, so the same labels give the same bytes, and
            # a PDF laid out before from the same HTML can be used again.
            key = hashlib.sha256(render_html(label_set).encode()).hexdigest()
            cached = images.cache_dir() / "labels" / f"{key}.pdf"
            if cached.is_file():
                pdf = cached.read_bytes()
            else:
                pdf = build_pdf(label_set)
                cached.parent.mkdir(parents=True, exist_ok=True)
                partial = cached.with_suffix(".part")
                partial.write_bytes(pdf)
                partial.replace(cached)
            self.files[f"labels/{code}-{LABEL_SIZE}.pdf"] = pdf

    def _kiosk(self) -> None:
        for path in sorted(KIOSK_ASSETS.iterdir()):
            if path.is_file():
                self.files[f"kiosk/{path.name}"] = path.read_bytes()
        osd = OPENSEADRAGON / "openseadragon.min.js"
        if osd.is_file():
            text = osd.read_text()
            text = re.sub(r"^//# sourceMappingURL=.*$", "", text, flags=re.M)
            self.files["kiosk/vendor/openseadragon.min.js"] = text.encode()
        ui = {}
        for code in self.languages:
            with translation.override(code):
                ui[code] = package_format.kiosk_strings()
        self.files["kiosk/data/ui.js"] = _js_global("ui", ui)
        self.files["kiosk/data/rooms.js"] = _js_global("rooms", self.rooms)
        self.files["kiosk/data/placements.js"] = _js_global(
            "placements", {"placements": self.placements, "labels": self.labels}
        )
        self.files["kiosk/data/objects.js"] = _js_global("objects", self.objects)
        self.files["kiosk/data/stories.js"] = _js_global("stories", self.stories)
        self.files["kiosk/data/events.js"] = _js_global("events", self.events)
        self.files["kiosk/data/support.js"] = _js_global("support", self.support)
        self.files["kiosk/data/venue.js"] = _js_global(
            "venue",
            {
                **package_format.public_venue(self.venue),
                "fallback_language": self.report.fallback_language,
                "valid_until": valid_until(self.venue, self.built_at).isoformat(),
                "consent_bound": CONSENT_BOUND,
            },
        )


def collect(venue: Venue, progress: Progress | None = None) -> Content:
    """Every file of ``venue``'s package except manifest.json and manifest.sig."""
    return _Collector(venue, progress or (lambda percent, message: None)).collect()


def valid_until(venue: Venue, built_at: datetime.datetime) -> datetime.date:
    return venue.closes_on or (built_at + DEFAULT_VALIDITY).date()


def assemble(
    content: Content, venue: Venue, *, number: int, parent: int | None
) -> tuple[bytes, dict]:
    """The signed zip and its manifest (a pure function of content, venue and numbers)."""
    manifest = {
        "format": package_format.FORMAT,
        "venue": package_format.public_venue(venue),
        "languages": list(venue.languages),
        "version": number,
        "parent_version": parent,
        "built_at": content.built_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "valid_until": valid_until(venue, content.built_at).isoformat(),
        "key_id": signing.key_id(signing.museum_public_key()),
        "files": [
            {"path": path, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for path, data in sorted(content.files.items())
        ],
        "revoked": content.revoked,
        "consent_bound": CONSENT_BOUND,
    }
    manifest_bytes = package_format.canonical_json(manifest)
    entries = dict(content.files)
    entries["manifest.json"] = manifest_bytes
    entries["manifest.sig"] = signing.sign(manifest_bytes)
    return package_format.write_zip(entries), manifest


def _next_version(venue: Venue) -> PackageVersion:
    with transaction.atomic():
        Venue.objects.select_for_update().filter(pk=venue.pk).first()
        number = (
            PackageVersion.objects.filter(venue=venue).aggregate(n=Max("number"))["n"] or 0
        ) + 1
        return PackageVersion.objects.create(venue=venue, number=number)


def queue_version(venue: Venue) -> PackageVersion:
    """A new numbered version in the queue, for a background build to fill."""
    return _next_version(venue)


def build_package(
    venue: Venue, *, progress: Progress | None = None, version: PackageVersion | None = None
) -> PackageVersion:
    """Build ``venue``'s next package (or fill the queued ``version``) and return it.

    On failure the version is marked failed with the error, earlier versions stay as they
    are, and :class:`BuildError` is raised.
    """
    version = version or _next_version(venue)
    state = {"last": -1}

    def report(percent: int, message: str) -> None:
        percent = max(0, min(100, int(percent)))
        if progress:
            progress(percent, message)
        if percent != state["last"]:
            state["last"] = percent
            PackageVersion.objects.filter(pk=version.pk).update(
                progress=percent, progress_message=message[:255]
            )

    PackageVersion.objects.filter(pk=version.pk).update(
        status=PackageVersion.Status.BUILDING, error="", progress=0
    )
    parent = (
        PackageVersion.objects.ready()
        .filter(venue=venue, number__lt=version.number)
        .order_by("-number")
        .first()
    )
    try:
        content = collect(venue, report)
        report(95, _("Signing and packing"))
        data, manifest = assemble(
            content, venue, number=version.number, parent=parent.number if parent else None
        )
        digest = hashlib.sha256(data).hexdigest()
        name = package_storage().save(
            f"archives/{venue.slug}-v{version.number}.zip", ContentFile(data)
        )
    except Exception as error:  # recorded on the version and raised again, never hidden
        message = str(error) or type(error).__name__
        logger.exception("Package for %s v%s failed", venue.slug, version.number)
        PackageVersion.objects.filter(pk=version.pk).update(
            status=PackageVersion.Status.FAILED,
            error=message,
            finished_at=timezone.now(),
        )
        version.refresh_from_db()
        raise BuildError(message) from error
    version.archive.name = name
    version.parent = parent
    version.sha256 = digest
    version.size = len(data)
    version.manifest = manifest
    version.report = content.report.as_json()
    version.valid_until = datetime.date.fromisoformat(manifest["valid_until"])
    version.status = PackageVersion.Status.READY
    version.progress = 100
    version.progress_message = _("Ready")
    version.error = ""
    version.finished_at = timezone.now()
    version.save()
    if progress:
        progress(100, _("Ready"))
    return version
