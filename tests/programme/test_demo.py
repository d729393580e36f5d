from django.utils import timezone

from wagtail.models import Locale, Page, Revision

import pytest

from exhibition.demo import pages, venues
from programme import demo
from programme.models import (
    EventKind,
    EventPage,
    ResearchArticlePage,
    TeacherPackPage,
)
from visibility.channels import WEB

pytestmark = pytest.mark.django_db


def test_demo_programme_is_complete_fictional_and_idempotent(settings):
    settings.WAGTAILADMIN_BASE_URL = "http://localhost:8000"
    logged = []
    venues.load(logged.append)
    pages.load(logged.append)
    demo.load(logged.append)
    counts = (Page.objects.count(), Revision.objects.count())
    demo.load(logged.append)
    assert (Page.objects.count(), Revision.objects.count()) == counts
    assert "programme: 9 demo events (0 new)" in logged

    events = EventPage.objects.visible_in(WEB).select_related("venue", "locale")
    assert {e.locale.language_code for e in events} == {"sv", "en"}
    events = events.filter(locale__language_code="sv")
    assert {e.kind for e in events} == set(EventKind.values)
    assert {e.venue.slug for e in events} == {"goteborg", "demo-lulea"}
    now = timezone.now()
    assert events.upcoming(now).exists() and events.past(now).exists()
    assert all("fiktiv" in e.title for e in events)
    en = Locale.objects.get(language_code="en")
    assert all("fictional" in e.get_translation(en).title for e in events)
    assert ResearchArticlePage.objects.visible_in(WEB).count() == 2  # Swedish and English
    assert TeacherPackPage.objects.visible_in(WEB).count() == 2
