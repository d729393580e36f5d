"""WebVTT: malformed tracks are refused with a clear message; built tracks parse back."""

from django.core.exceptions import ValidationError
from django.utils import translation

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stories.webvtt import Cue, build_webvtt, parse_cues, public_webvtt, validate_webvtt

GOOD = "WEBVTT\n\n00:00:01.000 --> 00:00:02.500\nHej\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "first line must be"),
        ("00:00:01.000 --> 00:00:02.000\nHej\n", "first line must be"),
        ("WEBVTTX\n\n00:00:01.000 --> 00:00:02.000\nHej\n", "first line must be"),
        ("<html><script>alert(1)</script></html>", "first line must be"),
        ("WEBVTT\n\n00:00:01.000 --> banana\nHej\n", "malformed"),
        ("WEBVTT\n\n00:00:61.000 --> 00:01:02.000\nHej\n", "malformed"),
        (
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHej\n00:00:03.000 --> 00:00:04.000\nDå\n",
            "malformed",
        ),
        ("WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nHej\n", "ends before it starts"),
        ("WEBVTT\n\n00:00:05.000 --> 00:00:05.000\nHej\n", "ends before it starts"),
        ("WEBVTT\n", "no cues"),
        ("WEBVTT\n\nHej utan tider\n\n00:00:01.000 --> 00:00:02.000\nHej\n", "neither a cue"),
        ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHej\x00\n", "NUL"),
        ("WEBVTT\n\n" + "x" * 2_000_001, "too long"),
    ],
)
def test_malformed_tracks_are_refused_with_a_clear_message(text, message):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        validate_webvtt(text)
    assert message in " ".join(error.value.messages)


def test_not_text_is_refused():
    with pytest.raises(ValidationError):
        validate_webvtt(b"WEBVTT\n")


def test_good_tracks_pass():
    validate_webvtt(GOOD)
    validate_webvtt(
        "\ufeffWEBVTT - a title\r\n\r\nNOTE a comment\r\n\r\n00:01.000 --> 00:02.000\r\nHej\r\n"
    )
    assert parse_cues(GOOD) == [Cue(1.0, 2.5, "Hej")]


def test_public_track_keeps_timings_and_text_only():
    text = (
        "WEBVTT\nKind: captions\n\nSTYLE\n::cue { color: red }\n\nNOTE intern anteckning\n\n"
        "intro\n00:00:01.000 --> 00:00:02.000 align:start line:0\n<v Riktigt Namn>Hej <b>du</b>\n"
    )
    assert public_webvtt(text) == "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHej du\n"


def test_build_refuses_impossible_cues():
    with pytest.raises(ValueError):
        build_webvtt([(2, 1, "backwards")])
    with pytest.raises(ValueError):
        build_webvtt([(-1, 1, "before zero")])


cue_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60
).filter(lambda s: s.strip())


@given(
    st.lists(
        st.tuples(st.integers(0, 10_000_000), st.integers(1, 600_000), cue_text),
        min_size=1,
        max_size=8,
    )
)
def test_built_tracks_parse_back_to_the_same_cues(items):
    """Whatever editors or the demo write, build_webvtt output is valid and round-trips."""
    cues = [(start / 1000, (start + length) / 1000, text) for start, length, text in items]
    parsed = parse_cues(build_webvtt(cues))
    assert [(c.start, c.end) for c in parsed] == [(start, end) for start, end, _ in cues]
    assert [c.text for c in parsed] == [" ".join(text.split()) for _, _, text in cues]
