"""The event listing: upcoming events by default, past ones as the archive, with filters in a
plain GET form that works without JavaScript.

Filter values come straight from the address bar, so each is checked: an unknown kind, a venue
that is not announced, an impossible date or age gives a message next to the field, and the
other filters still apply.
"""

import datetime
import re
from zoneinfo import ZoneInfo

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exhibition.models import Venue
from programme.models import Audience, EventKind, EventPage
from programme.public import to_public_event
from stories.public import language_name
from visibility.channels import WEB
from visibility.validators import parse_language_codes

PAGE_SIZE = 20
# Dates far outside any programme would only overflow the time arithmetic below.
EARLIEST, LATEST = datetime.date(1900, 1, 1), datetime.date(2199, 12, 31)


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of event"),
        required=False,
        choices=[("", _("All kinds")), *EventKind.choices],
        error_messages={"invalid_choice": _("There is no kind of event called “%(value)s”.")},
    )
    venue = forms.ChoiceField(
        label=_("Venue"),
        required=False,
        error_messages={"invalid_choice": _("No announced venue is called “%(value)s”.")},
    )
    audience = forms.ChoiceField(
        label=_("Audience"),
        required=False,
        choices=[("", _("Any audience")), *Audience.choices],
        error_messages={"invalid_choice": _("There is no audience called “%(value)s”.")},
    )
    age = forms.IntegerField(
        label=_("Age"),
        required=False,
        min_value=0,
        max_value=120,
        error_messages={"invalid": _("Enter an age as a whole number, e.g. 14.")},
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        error_messages={"invalid_choice": _("No event is held in the language “%(value)s”.")},
    )
    from_date = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the date as YYYY-MM-DD, e.g. 2027-05-01.")},
    )
    to_date = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the date as YYYY-MM-DD, e.g. 2027-05-01.")},
    )

    def __init__(self, *args, venues, languages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].choices = [
            ("", _("All venues")),
            *((venue.slug, f"{venue.institution}, {venue.city}") for venue in venues),
        ]
        self.fields["language"].choices = [
            ("", _("Any language")),
            *((code, language_name(code)) for code in languages),
        ]

    def _clean_day(self, name):
        day = self.cleaned_data.get(name)
        if day is not None and not (EARLIEST <= day <= LATEST):
            raise forms.ValidationError(
                _("Choose a date between %(earliest)s and %(latest)s."),
                params={"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()},
                code="out_of_range",
            )
        return day

    def clean_from_date(self):
        return self._clean_day("from_date")

    def clean_to_date(self):
        return self._clean_day("to_date")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from_date"), cleaned.get("to_date")
        if start and end and end < start:
            self.add_error("to_date", _("The end of the period cannot be before its start."))
            cleaned.pop("to_date", None)
        return cleaned


def _day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=ZoneInfo("UTC"))


def filter_events(queryset, data: dict):
    """Apply the valid filters in ``data`` (a form's cleaned_data) to ``queryset``."""
    if data.get("kind"):
        queryset = queryset.filter(kind=data["kind"])
    if data.get("venue"):
        queryset = queryset.filter(venue__slug=data["venue"])
    if data.get("audience"):
        queryset = queryset.filter(audience=data["audience"])
    if data.get("age") is not None:
        age = data["age"]
        queryset = queryset.filter(
            Q(age_min__isnull=True) | Q(age_min__lte=age),
            Q(age_max__isnull=True) | Q(age_max__gte=age),
        )
    if data.get("language"):
        # Codes are stored normalised as "sv, en"; match one whole code, not a substring.
        code = re.escape(data["language"])
        queryset = queryset.filter(language_codes__iregex=rf"(^|,\s*){code}(\s*,|$)")
    if data.get("from_date"):
        # A day is compared in UTC around it, a margin that venue time zones cannot exceed.
        queryset = queryset.filter(
            end__gte=_day_start(data["from_date"]) - datetime.timedelta(hours=14)
        )
    if data.get("to_date"):
        queryset = queryset.filter(
            start__lt=_day_start(data["to_date"]) + datetime.timedelta(days=1, hours=14)
        )
    return queryset


def _in_local_period(event, data) -> bool:
    """Whether the event (in its venue's time zone) touches the requested days."""
    start, end = event.local_start.date(), event.local_end.date()
    if data.get("from_date") and end < data["from_date"]:
        return False
    return not (data.get("to_date") and start > data["to_date"])


def render_listing(request, index_page, *, archive: bool):
    """The upcoming events (or the archive of past ones) under ``index_page``."""
    visible = EventPage.objects.visible_in(WEB).child_of(index_page)
    venues = (
        Venue.objects.visible_in(WEB).filter(pk__in=visible.values("venue")).order_by("institution")
    )
    languages = sorted(
        {
            code
            for value in visible.values_list("language_codes", flat=True)
            for code in parse_language_codes(value)
        }
    )
    form = EventFilterForm(request.GET or None, venues=venues, languages=languages)
    data = {}
    if form.is_bound:
        form.is_valid()
        data = form.cleaned_data  # only the filters that passed their checks
    now = timezone.now()
    events = visible.past(now) if archive else visible.upcoming(now)
    events = filter_events(events.select_related("venue"), data)
    if data.get("from_date") or data.get("to_date"):
        events = [event for event in events if _in_local_period(event, data)]
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    index_url = index_page.get_url(request)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": index_page,
        "self": index_page,
        "form": form,
        "archive": archive,
        "events": [to_public_event(event) for event in page.object_list],
        "paginator_page": page,
        "query": query.urlencode(),
        "upcoming_url": index_url,
        "archive_url": index_url + index_page.reverse_subpage("archive"),
        "feeds": [
            (venue, reverse("programme:venue_calendar", args=[venue.slug])) for venue in venues
        ],
    }
    return render(request, "programme/event_index_page.html", context)
