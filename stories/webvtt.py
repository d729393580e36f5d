"""WebVTT transcripts and captions: validate what editors save, read cues, write tracks.

Tracks are parsed with webvtt-py in strict mode, so a malformed cue is an error the editor
sees, not a line the player silently drops. What the public gets is rebuilt from the parsed
cues (:func:`public_webvtt`): comments (``NOTE`` blocks), styles, regions, cue identifiers and
cue markup are not passed on, because editors use them for working notes and voice spans
(``<v Name>``) may carry a name that must not be published.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

# A transcript of several hours is well under this; anything larger is a wrong file.
MAX_WEBVTT_CHARS = 2_000_000
MAX_CUES = 20_000
_TAG = re.compile(r"<[^>]*>")
# "WEBVTT" alone on the first line, or followed by a space or tab and a description.
HEADER_RE = re.compile(r"WEBVTT(?:[ \t][^\n]*)?(?:\n|$)")
BLOCK_KEYWORD_RE = re.compile(r"(?:NOTE|STYLE|REGION)(?:[ \t]|$)")


@dataclass(frozen=True)
class Cue:
    """One cue: times in seconds and its text without markup (plain, unescaped)."""

    start: float
    end: float
    text: str


def _plain(raw_text: str) -> str:
    """Cue text without tags and entities, lines joined by spaces."""
    text = html.unescape(_TAG.sub("", raw_text))
    return " ".join(text.split())


def _parse(text: str) -> webvtt.WebVTT:
    if not isinstance(text, str):
        raise ValidationError(_("A WebVTT track is text."), code="webvtt_type")
    if len(text) > MAX_WEBVTT_CHARS:
        raise ValidationError(
            _("This track is too long (more than %(limit)s characters)."),
            params={"limit": f"{MAX_WEBVTT_CHARS:,}"},
            code="webvtt_size",
        )
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        raise ValidationError(_("This track contains NUL characters."), code="webvtt_nul")
    try:
        if not HEADER_RE.match(text):
            raise MalformedFileError("no WEBVTT header")
        _check_blocks(text)
        return webvtt.WebVTT.from_string(text, strict=True)
    except MalformedFileError:
        raise ValidationError(
            _("This is not WebVTT: the first line must be “WEBVTT”."), code="webvtt_header"
        ) from None
    except MalformedCaptionError as error:
        raise ValidationError(
            _(
                "A cue is malformed (%(detail)s). Each cue needs a line like "
                "“00:01:02.500 --> 00:01:05.000” followed by its text, and a blank line "
                "between cues."
            ),
            params={"detail": str(error)[:200]},
            code="webvtt_cue",
        ) from None


def _check_blocks(text: str) -> None:
    """Refuse stray text: browsers skip a block without timings, so its words would vanish."""
    blocks = [block for block in re.split(r"\n[ \t]*\n", text) if block.strip()]
    for block in blocks[1:]:  # the first block is the header
        lines = block.strip("\n").split("\n")
        if BLOCK_KEYWORD_RE.match(lines[0]) or any("-->" in line for line in lines[:2]):
            continue
        raise ValidationError(
            _("“%(line)s” is neither a cue (it has no timings line) nor a NOTE."),
            params={"line": lines[0][:80]},
            code="webvtt_block",
        )


def parse_cues(text: str) -> list[Cue]:
    """The cues of a WebVTT text; raises ``ValidationError`` with a message for editors."""
    track = _parse(text)
    cues = []
    for number, caption in enumerate(track.captions, start=1):
        start = caption.start_time.in_milliseconds() / 1000
        end = caption.end_time.in_milliseconds() / 1000
        if end <= start:
            raise ValidationError(
                _("Cue %(number)s (at %(start)s) ends before it starts."),
                params={"number": number, "start": caption.start},
                code="webvtt_timing",
            )
        cues.append(Cue(start=start, end=end, text=_plain(caption.raw_text)))
    if not cues:
        raise ValidationError(_("This track has no cues."), code="webvtt_empty")
    if len(cues) > MAX_CUES:
        raise ValidationError(
            _("This track has more than %(limit)s cues."),
            params={"limit": MAX_CUES},
            code="webvtt_cues",
        )
    return cues


def validate_webvtt(value: str) -> None:
    """A form or model field validator: refuses malformed WebVTT with a clear message."""
    parse_cues(value)


def _timestamp(seconds: float) -> str:
    milliseconds = round(seconds * 1000)
    hours, rest = divmod(milliseconds, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    whole, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{whole:02d}.{millis:03d}"


def _escape(text: str) -> str:
    # WebVTT cue text escapes these three; "-->" cannot then appear in a cue.
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # A blank line would end the cue: keep the text on non-empty lines.
    return "\n".join(line for line in text.splitlines() if line.strip()) or " "


def build_webvtt(cues: Iterable[tuple[float, float, str] | Cue]) -> str:
    """A WebVTT text from ``(start, end, text)`` in seconds; texts are escaped, not markup."""
    blocks = ["WEBVTT"]
    for item in cues:
        start, end, text = (item.start, item.end, item.text) if isinstance(item, Cue) else item
        if start < 0 or end <= start:
            raise ValueError(f"A cue must start at 0 or later and end after it starts: {item!r}")
        blocks.append(f"{_timestamp(start)} --> {_timestamp(end)}\n{_escape(text)}")
    return "\n\n".join(blocks) + "\n"


def public_webvtt(text: str) -> str:
    """The track as the public gets it: only the timings and plain text of its cues."""
    return build_webvtt(parse_cues(text))
