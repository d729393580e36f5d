"""The programme (events and their listing), teacher packs and research articles."""

from programme.models.base import ProgrammePageManager, ProgrammePageQuerySet
from programme.models.events import (
    Audience,
    EventIndexPage,
    EventKind,
    EventPage,
    EventPageQuerySet,
    OrganiserKind,
)
from programme.models.research import (
    ResearchArticleObject,
    ResearchArticlePage,
    ResearchAuthor,
    ResearchIndexPage,
    ResearchReference,
    validate_doi,
)
from programme.models.teacher_packs import (
    TeacherPackObject,
    TeacherPackPage,
    TeacherPackQuestion,
    TeacherPackRoom,
    TeacherPackTestimony,
)

__all__ = [
    "Audience",
    "EventIndexPage",
    "EventKind",
    "EventPage",
    "EventPageQuerySet",
    "OrganiserKind",
    "ProgrammePageManager",
    "ProgrammePageQuerySet",
    "ResearchArticleObject",
    "ResearchArticlePage",
    "ResearchAuthor",
    "ResearchIndexPage",
    "ResearchReference",
    "TeacherPackObject",
    "TeacherPackPage",
    "TeacherPackQuestion",
    "TeacherPackRoom",
    "TeacherPackTestimony",
    "validate_doi",
]
