"""Demo recordings, spoken locally by a speech synthesiser: no voice actor, no real person.

``make_demo_recording(text, language)`` speaks each sentence with Debian's espeak-ng, joins
them with short pauses and encodes the whole as MP3 (CBR) with lame, so every browser can
play it. Because each sentence is spoken on its own, its exact start and end are known:
the recording comes with cues for a matching WebVTT track (:meth:`DemoRecording.webvtt`), and
a translation with the same timings (:meth:`DemoRecording.webvtt_for`).

Every recording starts by saying that it is a fictional demo, in its own language, so nobody
can take it for a real person's testimony, whatever text it is given. The output depends only
on the text, the language and the installed espeak-ng and lame versions (same input, same
bytes). Install the tools with ``scripts/system-packages.sh espeak-ng lame`` (``make demo``
and ``make test`` do).
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
import tempfile
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile

from stories.webvtt import Cue, build_webvtt

# Said first in every demo recording (and its transcript), in the recording's language.
DISCLAIMERS = {
    "sv": "Det här är en påhittad röst i en demonstration. Ingen verklig person berättar.",
    "en": "This is a fictional demo voice. No real person is telling this.",
}
WORDS_PER_MINUTE = 150
LEAD_IN_SECONDS = 0.3
PAUSE_SECONDS = 0.45
BITRATE_KBPS = 48
TIMEOUT_SECONDS = 120
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


class DemoAudioUnavailable(RuntimeError):
    """espeak-ng or lame is missing, or cannot speak the language."""


@dataclass(frozen=True)
class DemoRecording:
    file: ContentFile  # an MP3, named by a hash of its content
    cues: tuple[Cue, ...]  # the disclaimer first, then one cue per sentence
    duration: float
    language: str
    content_type: str = "audio/mpeg"

    def webvtt(self) -> str:
        """The WebVTT track of what is said."""
        return build_webvtt(self.cues)

    def webvtt_for(self, language: str, sentences: Sequence[str]) -> str:
        """A track in another language with the same timings: ``sentences`` translate the
        spoken ones one by one (the disclaimer is added in ``language``)."""
        if len(sentences) != len(self.cues) - 1:
            raise ValueError(
                f"{len(self.cues) - 1} sentences are spoken; {len(sentences)} translations given."
            )
        texts = [disclaimer(language), *sentences]
        return build_webvtt(
            Cue(cue.start, cue.end, text) for cue, text in zip(self.cues, texts, strict=True)
        )


def disclaimer(language: str) -> str:
    try:
        return DISCLAIMERS[language.split("-")[0].lower()]
    except KeyError:
        raise DemoAudioUnavailable(f"No demo disclaimer written for {language!r}.") from None


def split_sentences(text: str | Sequence[str]) -> list[str]:
    """Sentences of ``text`` (a list is taken as sentences already)."""
    parts = SENTENCE_END.split(text) if isinstance(text, str) else list(text)
    return [" ".join(part.split()) for part in parts if part.strip()]


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise DemoAudioUnavailable(
            f"{name} is not installed: run `scripts/system-packages.sh espeak-ng lame`."
        )
    return path


def _speak(
    espeak: str, sentence: str, language: str, folder: Path
) -> tuple[bytes, wave._wave_params]:
    out = folder / "sentence.wav"
    result = subprocess.run(  # noqa: S603 (fixed executable, text on stdin, no shell)
        [espeak, "-v", language, "-s", str(WORDS_PER_MINUTE), "-w", str(out), "--stdin"],
        input=sentence.encode(),
        capture_output=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    if result.returncode != 0 or not out.exists():
        raise DemoAudioUnavailable(
            f"espeak-ng could not speak {language!r}: {result.stderr.decode(errors='replace')[:200]}"
        )
    with wave.open(str(out), "rb") as wav:
        return wav.readframes(wav.getnframes()), wav.getparams()


def make_demo_recording(text: str | Sequence[str], language: str) -> DemoRecording:
    """Speak ``text`` in ``language`` (a BCP 47 code espeak-ng knows, e.g. ``sv``, ``en``)."""
    espeak, lame = _tool("espeak-ng"), _tool("lame")
    sentences = [disclaimer(language), *split_sentences(text)]
    if len(sentences) < 2:
        raise ValueError("Give the demo recording something to say.")
    with tempfile.TemporaryDirectory(prefix="demo-audio-") as tmp:
        folder = Path(tmp)
        pcm, params, cues, position = io.BytesIO(), None, [], 0
        for sentence in sentences:
            frames, sentence_params = _speak(espeak, sentence, language, folder)
            if params is None:
                params = sentence_params
                frame_bytes = params.sampwidth * params.nchannels
                pcm.write(b"\0" * frame_bytes * round(LEAD_IN_SECONDS * params.framerate))
                position = round(LEAD_IN_SECONDS * params.framerate)
            count = len(frames) // frame_bytes
            start, end = position / params.framerate, (position + count) / params.framerate
            cues.append(Cue(round(start, 3), round(end, 3), sentence))
            pause = round(PAUSE_SECONDS * params.framerate)
            pcm.write(frames + b"\0" * frame_bytes * pause)
            position += count + pause
        wav_path, mp3_path = folder / "all.wav", folder / "all.mp3"
        with wave.open(str(wav_path), "wb") as wav:
            wav.setparams(params)
            wav.writeframes(pcm.getvalue())
        result = subprocess.run(  # noqa: S603 (fixed executable and arguments)
            [lame, "--quiet", "-b", str(BITRATE_KBPS), "-m", "m", str(wav_path), str(mp3_path)],
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
        if result.returncode != 0 or not mp3_path.exists():
            raise DemoAudioUnavailable(
                f"lame failed: {result.stderr.decode(errors='replace')[:200]}"
            )
        data = mp3_path.read_bytes()
    name = f"demo-{language}-{hashlib.sha256(data).hexdigest()[:12]}.mp3"
    return DemoRecording(
        file=ContentFile(data, name=name),
        cues=tuple(cues),
        duration=round(position / params.framerate, 3),
        language=language,
    )
