"""Demo recordings spoken locally (espeak-ng, lame): fictional by construction, with cues that
match what is said. Fails, rather than skips, when the tools are missing: `make test` installs
them (scripts/system-packages.sh espeak-ng lame)."""

import shutil

import pytest

from stories.demo.audio import DISCLAIMERS, DemoAudioUnavailable, make_demo_recording
from stories.webvtt import parse_cues

TEXT = "Jag heter ingen. Det här är påhittat. Allt är en övning!"


@pytest.fixture(scope="module", autouse=True)
def _tools():
    missing = [tool for tool in ("espeak-ng", "lame") if not shutil.which(tool)]
    if missing:
        pytest.fail(f"{', '.join(missing)} missing: run `make system-test-deps`.")


def test_a_recording_with_matching_cues_that_says_it_is_fictional():
    recording = make_demo_recording(TEXT, "sv")
    data = recording.file.read()
    # An MP3: an ID3 tag or an MPEG frame sync at the start.
    assert data[:3] == b"ID3" or (data[0] == 0xFF and data[1] & 0xE0 == 0xE0)
    assert recording.file.name.startswith("demo-sv-") and recording.file.name.endswith(".mp3")
    assert recording.content_type == "audio/mpeg"
    texts = [cue.text for cue in recording.cues]
    assert texts == [
        DISCLAIMERS["sv"],
        "Jag heter ingen.",
        "Det här är påhittat.",
        "Allt är en övning!",
    ]
    starts = [cue.start for cue in recording.cues]
    assert starts == sorted(starts)
    for before, after in zip(recording.cues, recording.cues[1:], strict=False):
        assert before.end <= after.start
    assert recording.cues[-1].end <= recording.duration
    # Spoken text takes time: each sentence lasts a plausible while (not a timing test).
    assert all(cue.end - cue.start > 0.3 for cue in recording.cues)
    assert parse_cues(recording.webvtt()) == list(recording.cues)


def test_the_same_text_gives_the_same_file():
    first, second = make_demo_recording(TEXT, "sv"), make_demo_recording(TEXT, "sv")
    assert first.file.read() == second.file.read()
    assert first.cues == second.cues


def test_a_translated_track_keeps_the_timings():
    recording = make_demo_recording(TEXT, "sv")
    english = parse_cues(
        recording.webvtt_for(
            "en", ["My name is no one.", "This is made up.", "It is all practice!"]
        )
    )
    assert [c.text for c in english][0] == DISCLAIMERS["en"]
    assert [(c.start, c.end) for c in english] == [(c.start, c.end) for c in recording.cues]
    with pytest.raises(ValueError):
        recording.webvtt_for("en", ["Too few."])


def test_unknown_languages_and_empty_texts_are_refused():
    with pytest.raises(DemoAudioUnavailable):
        make_demo_recording("Bonjour.", "fr")  # no disclaimer written: never unmarked
    with pytest.raises(ValueError):
        make_demo_recording("   ", "sv")


def test_text_is_spoken_not_run(tmp_path, monkeypatch):
    """Text that looks like options or markup is only ever spoken."""
    monkeypatch.chdir(tmp_path)
    recording = make_demo_recording(["-w /tmp/owned.wav", "<speak>hej</speak>"], "sv")
    assert [cue.text for cue in recording.cues][1:] == ["-w /tmp/owned.wav", "<speak>hej</speak>"]
    assert list(tmp_path.iterdir()) == []
