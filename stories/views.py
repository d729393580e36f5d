"""Public views of the stories app. Every query selects through ``visible_in(WEB)``."""

import math
import re

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, translate_url
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from stories.models import Testimony
from stories.public import (
    allowed_languages,
    format_start,
    has_allowed_text,
    language_allowed,
    testimony_moment_url,
    to_public_testimony,
    to_public_voice,
    to_testimony_card,
    visible_voices,
    web_support_resources,
    web_testimonies,
)
from stories.recordings import content_type_for, serve_recording
from stories.webvtt import public_webvtt

PAGE_SIZE = 20
# Testimonies whose content notes the visitor has read and chosen to go past, this session.
REVEALED_SESSION_KEY = "stories.revealed_testimonies"
MAX_REVEALED = 500
# A start time from a link (?t= or #t=): seconds, with at most millisecond precision.
START_RE = re.compile(r"^[0-9]{1,6}(?:\.[0-9]{1,3})?$")
LONGEST_RECORDING = 24 * 3600.0


def parse_start(value: str | None, duration: float | None) -> float | None:
    """A start time in seconds from an untrusted ``?t=``; None when it is not one."""
    if not value or not START_RE.match(value):
        return None
    start = float(value)
    limit = duration if duration and math.isfinite(duration) else LONGEST_RECORDING
    if not math.isfinite(start) or start > limit:
        return None
    return start


def _private(response):
    # Withdrawal has immediate effect: no shared cache may keep a copy of a testimony.
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _visible_testimony(slug: str) -> Testimony:
    """The testimony, if the web may show it: published, consented, its voice visible, and
    with a text in a language its consents allow (else nothing of it is shown)."""
    testimony = web_testimonies(Testimony.objects.filter(slug=slug)).first()
    if testimony is None or not has_allowed_text(testimony):
        raise Http404(_("No such testimony is published."))
    return testimony


def _public_voice(testimony):
    voice = visible_voices().filter(pk=testimony.voice_id).first()
    if voice is None:
        raise Http404(_("No such testimony is published."))
    return to_public_voice(voice)


def _revealed(request) -> set[int]:
    return set(request.session.get(REVEALED_SESSION_KEY, []))


@require_safe
def testimony_list(request):
    """Published testimonies, in languages their voices allowed."""
    language = get_language()
    testimonies = list(web_testimonies())
    voices = {
        voice.pk: to_public_voice(voice)
        for voice in visible_voices().filter(pk__in={t.voice_id for t in testimonies})
    }
    cards = [
        card
        for testimony in testimonies
        if testimony.voice_id in voices
        and (card := to_testimony_card(testimony, voices[testimony.voice_id], language))
    ]
    page = Paginator(cards, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "title": _("Testimonies"),
        "testimonies": page.object_list,
        "page_obj": page,
        "support_resources": web_support_resources(language),
    }
    return _private(render(request, "stories/testimony_list.html", context))


@require_safe
def testimony_detail(request, slug: str):
    """A testimony, behind its content notes until the visitor chooses to go on."""
    testimony = _visible_testimony(slug)
    language = get_language()
    public = to_public_testimony(testimony, _public_voice(testimony), language)
    if public is None:
        raise Http404(_("No such testimony is published."))
    start = parse_start(request.GET.get("t"), public.duration)
    gated = bool(public.content_notes) and public.pk not in _revealed(request)
    context = {
        "title": public.text.title,
        "testimony": public,
        "gated": gated,
        "start": format_start(start) if start is not None else "",
        "language_links": [
            (code, name, translate_url(request.path, code)) for code, name in public.other_languages
        ],
        "support_resources": web_support_resources(language),
    }
    return _private(render(request, "stories/testimony.html", context))


@require_POST
def testimony_reveal(request, slug: str):
    """The visitor has read the content notes and chooses to see the testimony; remembered
    for this testimony until the session ends. A plain form post: works without JavaScript."""
    testimony = _visible_testimony(slug)
    revealed = [pk for pk in request.session.get(REVEALED_SESSION_KEY, []) if pk != testimony.pk]
    request.session[REVEALED_SESSION_KEY] = [*revealed[-(MAX_REVEALED - 1) :], testimony.pk]
    start = parse_start(request.POST.get("t"), testimony.duration_seconds)
    if start is not None:  # came from a link to a moment: straight to the player
        url = testimony_moment_url(testimony.slug, start) + "#player"
    else:
        url = reverse("stories:testimony", kwargs={"slug": testimony.slug}) + "#testimony-content"
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


@require_safe
def testimony_recording(request, slug: str):
    """The recording, while the testimony is visible on the web; seekable (byte ranges)."""
    testimony = _visible_testimony(slug)
    if not (testimony.media_kind and testimony.media_file):
        raise Http404(_("This testimony has no recording."))
    _public_voice(testimony)
    field_file = testimony.media_file
    try:
        size = field_file.size
    except FileNotFoundError:
        raise Http404(_("This testimony has no recording.")) from None
    response = serve_recording(
        request,
        field_file,
        content_type=content_type_for(field_file.name, testimony.media_kind),
        etag=f"{testimony.pk}-{size}-{int(testimony.updated_at.timestamp())}",
        modified=testimony.updated_at,
    )
    return _shared_with_viewers(response)


def _shared_with_viewers(response):
    """IIIF viewers on other sites play the recording and its tracks (the testimony's
    manifest names them): the same public answer, readable cross-origin, no credentials."""
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "Content-Range, Content-Length, Accept-Ranges"
    return response


@require_safe
def testimony_track(request, slug: str, language: str, kind: str):
    """One WebVTT track, in a language the testimony's consents allow."""
    testimony = _visible_testimony(slug)
    _public_voice(testimony)
    if not language_allowed(language, allowed_languages(testimony)):
        raise Http404(_("No such track."))
    track = testimony.tracks.filter(locale__language_code=language, kind=kind).first()
    if track is None or not (testimony.media_kind and testimony.media_file):
        raise Http404(_("No such track."))
    try:
        body = public_webvtt(track.webvtt)
    except ValidationError:
        raise Http404(_("No such track.")) from None
    response = HttpResponse(body, content_type="text/vtt; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    return _shared_with_viewers(_private(response))
