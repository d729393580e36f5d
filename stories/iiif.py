"""IIIF Presentation 3 for stories: voices pinned to regions of object images (W3C Web
Annotations in the object manifests), and a manifest per spoken testimony with an audio or
video canvas, its duration and its WebVTT tracks.

Both select through ``visible_in(WEB)`` (via :func:`stories.public.web_testimonies`) and show
only allow-listed fields: the excerpt, the voice's display name and role, the texts in the
languages consent allows. A withdrawn or expired testimony is gone from the next response;
the responses are marked ``private, no-cache`` so no shared cache keeps a copy.
"""

from __future__ import annotations

import json

from django.urls import reverse
from django.utils import translation

from iiif_prezi3 import (
    Annotation,
    AnnotationBody,
    AnnotationPage,
    Canvas,
    Homepage,
    KeyValueString,
    Manifest,
    TextualBody,
)

from collection.iiif.presentation import web_size
from stories.models import Testimony, TestimonyObject
from stories.public import allowed_languages, language_allowed, web_testimonies

AUDIO_FORMATS = {
    ".mp3": "audio/mpeg",
    ".ogg": "audio/ogg",
    ".opus": "audio/ogg",
    ".m4a": "audio/mp4",
    ".wav": "audio/wav",
    ".webm": "audio/webm",
}
VIDEO_FORMATS = {".mp4": "video/mp4", ".webm": "video/webm"}


# --- voices on objects ---------------------------------------------------------------------


def _scaled_region(region: str, image) -> str:
    """``x,y,w,h`` in master pixels as canvas coordinates (the canvas has the web size)."""
    width, _height = web_size(image)
    scale = width / image.width if image.width else 1
    x, y, w, h = (int(part) for part in region.split(","))
    return ",".join(str(max(0, round(value * scale))) for value in (x, y, w, h))


def voice_annotations(obj, canvas_ids: dict[int, str]) -> dict[str, list[Annotation]]:
    """Annotations for ``obj``'s canvases: what visible testimonies say about the object,
    pinned to a region of one image where the curator drew one (provider for
    :func:`collection.iiif.presentation.register_annotation_provider`)."""
    links = (
        TestimonyObject.objects.filter(
            object=obj,
            object_image_id__in=list(canvas_ids),
            testimony__in=web_testimonies().values("pk"),
        )
        .exclude(excerpt="")
        .select_related("testimony__voice", "object_image__image")
        .order_by("sort_order", "pk")
    )
    found: dict[str, list[Annotation]] = {}
    for link in links:
        canvas_id = canvas_ids[link.object_image_id]
        target = canvas_id
        if link.region:
            target = f"{canvas_id}#xywh={_scaled_region(link.region, link.object_image.image)}"
        voice = link.testimony.voice
        with translation.override("en"):
            role_en = str(voice.get_role_display())
        with translation.override("sv"):
            role_sv = str(voice.get_role_display())
        annotation = Annotation(
            id=f"{canvas_id}/annotations/voice-{link.pk}",
            motivation="commenting",
            label={
                "sv": [f"{voice.display_name} ({role_sv})"],
                "en": [f"{voice.display_name} ({role_en})"],
            },
            body=TextualBody(type="TextualBody", value=link.excerpt, format="text/plain"),
            target=target,
        )
        found.setdefault(canvas_id, []).append(annotation)
    return found


# --- spoken testimony ------------------------------------------------------------------------


def _format(testimony: Testimony) -> tuple[str, str] | None:
    name = testimony.media_file.name.lower()
    suffix = name[name.rfind(".") :] if "." in name else ""
    if testimony.media_kind == Testimony.MediaKind.AUDIO and suffix in AUDIO_FORMATS:
        return "Sound", AUDIO_FORMATS[suffix]
    if testimony.media_kind == Testimony.MediaKind.VIDEO and suffix in VIDEO_FORMATS:
        return "Video", VIDEO_FORMATS[suffix]
    return None


def manifest_testimonies():
    """Testimonies with a recording and a duration, visible on the web."""
    return web_testimonies().exclude(media_file="").filter(duration_seconds__gt=0)


def testimony_manifest(testimony: Testimony, *, base_url: str) -> dict | None:
    """The manifest of a spoken testimony, or None when it has no playable recording."""
    kind = _format(testimony)
    if kind is None:
        return None
    base_url = base_url.rstrip("/")
    allowed = allowed_languages(testimony)
    texts = {
        text.locale.language_code: text
        for text in testimony.texts.all()
        if language_allowed(text.locale.language_code, allowed)
    }
    if not texts:
        return None
    with translation.override("sv"):
        manifest_id = base_url + reverse("stories_iiif:testimony_manifest", args=[testimony.slug])
        recording = base_url + reverse("stories:testimony_recording", args=[testimony.slug])
    item_base = manifest_id.rsplit("/", 1)[0]
    canvas_id = f"{item_base}/canvas/1"
    body = AnnotationBody(
        id=recording, type=kind[0], format=kind[1], duration=testimony.duration_seconds
    )
    painting = Annotation(
        id=f"{canvas_id}/page/1/annotation/1", motivation="painting", body=body, target=canvas_id
    )
    canvas = Canvas(
        id=canvas_id,
        duration=testimony.duration_seconds,
        items=[AnnotationPage(id=f"{canvas_id}/page/1", items=[painting])],
    )
    supplementing = []
    for track in testimony.tracks.select_related("locale").order_by(
        "locale__language_code", "kind"
    ):
        code = track.locale.language_code
        if not language_allowed(code, allowed):
            continue
        with translation.override("sv"):
            track_url = base_url + reverse(
                "stories:testimony_track", args=[testimony.slug, code, track.kind]
            )
        supplementing.append(
            Annotation(
                id=f"{canvas_id}/tracks/{code}-{track.kind}",
                motivation="supplementing",
                body=AnnotationBody(
                    id=track_url,
                    type="Text",
                    format="text/vtt",
                    language=code,
                    label={code: [str(track.get_kind_display())]},
                ),
                target=canvas_id,
            )
        )
    if supplementing:
        canvas.annotations = [AnnotationPage(id=f"{canvas_id}/tracks", items=supplementing)]
    voice = testimony.voice
    manifest = Manifest(
        id=manifest_id,
        label={code: [text.title] for code, text in sorted(texts.items())},
        metadata=[
            KeyValueString(
                label={"sv": ["Röst"], "en": ["Voice"]},
                value={"none": [voice.display_name]},
            )
        ],
        items=[canvas],
        homepage=[
            Homepage(
                id=base_url + _page_url(testimony, code),
                type="Text",
                format="text/html",
                label={code: [texts[code].title]},
                language=[code],
            )
            for code in sorted(texts)
            if code in ("sv", "en")
        ],
    )
    summaries = {
        code: [text.easy_read_summary] for code, text in texts.items() if text.easy_read_summary
    }
    if summaries:
        manifest.summary = summaries
    return json.loads(manifest.jsonld())


def _page_url(testimony: Testimony, code: str) -> str:
    with translation.override(code):
        return reverse("stories:testimony", args=[testimony.slug])


def testimony_for_manifest(slug: str) -> Testimony | None:
    return manifest_testimonies().filter(slug=slug).prefetch_related("tracks").first()
