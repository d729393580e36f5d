"""The programme: events at the venues (courses, seminars, performances, school visits) and
the listing page that holds them.

An event's start and end are stored as aware datetimes (UTC in the database) and always shown,
edited and exported in the time zone of the event's venue, so an evening in Vilnius reads
19:00 wherever the visitor or the editor is.
"""

import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page, PageManager
from wagtail.search import index

from exhibition.models import Venue
from programme.models.base import ProgrammePageManager, ProgrammePageQuerySet
from visibility.channels import Channel
from visibility.querysets import is_visible_in
from visibility.validators import parse_language_codes, validate_language_codes

RICH_TEXT_FEATURES = ["bold", "italic", "link", "h2", "h3", "ol", "ul"]
validate_web_url = URLValidator(schemes=["http", "https"])


class EventKind(models.TextChoices):
    COURSE = "course", _("university course")
    SEMINAR = "seminar", _("seminar")
    CONFERENCE = "conference", _("conference")
    DANCE = "dance", _("dance")
    THEATRE = "theatre", _("theatre")
    MUSIC = "music", _("music")
    SCHOOL_VISIT = "school_visit", _("school visit")


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("everyone")
    FAMILIES = "families", _("families")
    SCHOOLS = "schools", _("school classes")
    STUDENTS = "students", _("university students")
    PROFESSIONALS = "professionals", _("professionals and researchers")


class OrganiserKind(models.TextChoices):
    ORGANISATION = "organisation", _("organisation")
    PERSON = "person", _("person")


class EventIndexPage(RoutablePageMixin, Page):
    """The programme: upcoming events with filters, and past events kept as an archive."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    search_fields = [*Page.search_fields, index.SearchField("intro")]

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["exhibition.HomePage"]
    subpage_types = ["programme.EventPage"]

    objects = ProgrammePageManager()

    class Meta:
        verbose_name = _("programme (event listing)")

    @path("")
    def upcoming(self, request):
        from programme.listing import render_listing

        return render_listing(request, self, archive=False)

    @path("archive/")
    def archive(self, request):
        from programme.listing import render_listing

        return render_listing(request, self, archive=True)

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        if urls:
            urls.append({**urls[0], "location": urls[0]["location"] + "archive/"})
        return urls


class EventPageQuerySet(ProgrammePageQuerySet):
    def visibility_q(self, channel: Channel, on: datetime.date) -> models.Q:
        """Live, public events at a venue the channel shows: the web shows events of
        announced venues; a venue's own channels show that venue's events."""
        shown_venues = Venue.objects.visible_in(channel, on=on).values("pk")
        return super().visibility_q(channel, on) & models.Q(venue__in=shown_venues)

    def upcoming(self, now: datetime.datetime | None = None):
        """Events that have not ended yet, soonest first."""
        return self.filter(end__gte=now or timezone.now()).order_by("start", "pk")

    def past(self, now: datetime.datetime | None = None):
        """Events that have ended, most recent first: the archive."""
        return self.filter(end__lt=now or timezone.now()).order_by("-start", "-pk")


class EventPageForm(WagtailAdminPageForm):
    """Start and end are typed as the local time at the venue, whatever the editor's own
    time zone is."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.venue_id and not self.is_bound:
            zone = ZoneInfo(self.instance.venue.time_zone)
            for name in ("start", "end"):
                value = getattr(self.instance, name)
                if value is not None:
                    # A naive value is shown as it is: the wall-clock time at the venue.
                    self.initial[name] = timezone.localtime(value, zone).replace(tzinfo=None)

    def clean(self):
        cleaned = super().clean()
        venue = cleaned.get("venue")
        if venue is not None:
            zone = ZoneInfo(venue.time_zone)
            for name in ("start", "end"):
                value = cleaned.get(name)
                if value is not None:
                    wall_clock = timezone.make_naive(value) if timezone.is_aware(value) else value
                    cleaned[name] = wall_clock.replace(tzinfo=zone)
        return cleaned


class EventPage(Page):
    """One event of the programme at one venue."""

    kind = models.CharField(_("kind of event"), max_length=20, choices=EventKind.choices)
    credits = models.DecimalField(
        _("credits"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Higher-education credits (ECTS) of a university course."),
    )
    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, related_name="events", verbose_name=_("venue")
    )
    start = models.DateTimeField(_("start"), db_index=True, help_text=_("Local time at the venue."))
    end = models.DateTimeField(_("end"), db_index=True, help_text=_("Local time at the venue."))
    organiser_kind = models.CharField(
        _("organiser is"),
        max_length=20,
        choices=OrganiserKind.choices,
        default=OrganiserKind.ORGANISATION,
    )
    organiser_name = models.CharField(_("organiser"), max_length=200)
    organiser_contact = models.CharField(
        _("organiser's contact details (internal)"),
        max_length=300,
        blank=True,
        help_text=_("E-mail or telephone for staff only. Never shown on the site or in feeds."),
    )
    language_codes = models.CharField(
        _("languages"),
        max_length=100,
        validators=[validate_language_codes],
        help_text=_("BCP 47 codes of the languages spoken, comma-separated, e.g. 'sv, en'."),
    )
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.EVERYONE
    )
    age_min = models.PositiveSmallIntegerField(
        _("youngest age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    age_max = models.PositiveSmallIntegerField(
        _("oldest age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    accessibility = models.TextField(
        _("accessibility"),
        blank=True,
        help_text=_("Step-free access, hearing loop, sign language, seating, quiet room…"),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    booking_url = models.URLField(
        _("booking link"), blank=True, max_length=500, validators=[validate_web_url]
    )
    description = RichTextField(_("description"), blank=True, features=RICH_TEXT_FEATURES)

    objects = PageManager.from_queryset(EventPageQuerySet)()

    # The organiser's contact details are deliberately not indexed.
    search_fields = [
        *Page.search_fields,
        index.SearchField("description"),
        index.SearchField("organiser_name"),
        index.FilterField("kind"),
        index.FilterField("start"),
    ]

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("credits")]),
        MultiFieldPanel(
            [FieldPanel("venue"), FieldRowPanel([FieldPanel("start"), FieldPanel("end")])],
            heading=_("Where and when"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("organiser_kind"), FieldPanel("organiser_name")]),
                FieldPanel("organiser_contact"),
            ],
            heading=_("Organiser"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("language_codes"),
                FieldPanel("audience"),
                FieldRowPanel([FieldPanel("age_min"), FieldPanel("age_max")]),
            ],
            heading=_("Audience"),
        ),
        FieldPanel("accessibility"),
        FieldRowPanel([FieldPanel("capacity"), FieldPanel("booking_url")]),
        FieldPanel("description"),
    ]

    base_form_class = EventPageForm

    parent_page_types = ["programme.EventIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    @property
    def languages(self) -> list[str]:
        return parse_language_codes(self.language_codes)

    @property
    def local_start(self) -> datetime.datetime:
        return timezone.localtime(self.start, ZoneInfo(self.venue.time_zone))

    @property
    def local_end(self) -> datetime.datetime:
        return timezone.localtime(self.end, ZoneInfo(self.venue.time_zone))

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("The event must end after it starts.")
        if self.kind == EventKind.COURSE and self.credits is None:
            errors["credits"] = _("Give the credits of a university course (0 if none).")
        elif self.kind and self.kind != EventKind.COURSE and self.credits is not None:
            errors["credits"] = _("Only a university course gives credits.")
        if self.age_min is not None and self.age_max is not None and self.age_max < self.age_min:
            errors["age_max"] = _("The oldest age cannot be below the youngest.")
        if self.language_codes:
            self.language_codes = ", ".join(parse_language_codes(self.language_codes))
        if errors:
            raise ValidationError(errors)

    def is_public_on_web(self) -> bool:
        from visibility.channels import WEB

        return is_visible_in(self, WEB)

    def serve(self, request, *args, **kwargs):
        # A live event at a venue that is not announced yet stays off the public site;
        # editors still preview it.
        if not getattr(request, "is_preview", False) and not self.is_public_on_web():
            raise Http404(_("No such event is published."))
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from programme.public import to_public_event

        context = super().get_context(request, *args, **kwargs)
        context["event"] = to_public_event(self)
        return context

    def get_sitemap_urls(self, request=None):
        return super().get_sitemap_urls(request) if self.is_public_on_web() else []
