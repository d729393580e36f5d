"""Voices, their consent, testimonies, perspectives and support information."""

from stories.models.consent import Consent, ConsentEvent, ConsentScope, RevokedItem
from stories.models.contributions import Contribution, Question, QuestionText
from stories.models.perspectives import Perspective, PerspectiveText, Position
from stories.models.support import SupportResource
from stories.models.testimonies import (
    ContentNote,
    MediaTrack,
    PullQuote,
    Segment,
    Testimony,
    TestimonyObject,
    TestimonyText,
    Theme,
)
from stories.models.voices import Voice, VoiceIdentity

__all__ = [
    "Consent",
    "ConsentEvent",
    "ConsentScope",
    "ContentNote",
    "Contribution",
    "MediaTrack",
    "Perspective",
    "PerspectiveText",
    "Position",
    "PullQuote",
    "Question",
    "QuestionText",
    "RevokedItem",
    "Segment",
    "SupportResource",
    "Testimony",
    "TestimonyObject",
    "TestimonyText",
    "Theme",
    "Voice",
    "VoiceIdentity",
]
