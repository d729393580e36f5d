"""Demo programme, research and teacher pack (fictional, and saying so).

Under the Swedish home page: a programme with events of every kind at the home museum and at
the fictional Luleå venue, some already past (the archive) and some upcoming, counted from the
day the demo is first loaded; one research article; one teacher pack for ages 13–15.

Idempotent: pages are created once, by slug, and never rewritten, so a second run adds no rows
and no revisions (dates therefore stay as they were first loaded).
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from wagtail.models import Locale

from collection.models import ObjectRecord
from exhibition.demo.pages import site_home
from exhibition.models import Room, Venue
from programme.models import (
    Audience,
    EventIndexPage,
    EventKind,
    EventPage,
    OrganiserKind,
    ResearchArticleObject,
    ResearchArticlePage,
    ResearchAuthor,
    ResearchIndexPage,
    ResearchReference,
    TeacherPackObject,
    TeacherPackPage,
    TeacherPackQuestion,
    TeacherPackRoom,
    TeacherPackTestimony,
)
from stories.models import Testimony, Theme
from visibility.channels import WEB

NOTICE = "<p><b>Demoinnehåll.</b> Allt på den här sidan är påhittat.</p>"
EN_NOTICE = "<p><b>Demo content.</b> Everything on this page is fictional.</p>"
EN_DESCRIPTION = (
    "<p>Demo text (fictional): an event around the exhibition's questions about the trade in "
    "people and objects.</p>" + EN_NOTICE
)

# English titles of the demo pages, by slug (the English translations share the slugs).
EN_TITLES = {
    "program": "Programme",
    "forskning": "Research",
    "demo-foremal-och-skuld": "Objects and debt: a fictional demo article",
    "larare-13-15": "Teacher pack for ages 13–15",
    "demo-kurs-manniskohandel": "Human trafficking and cultural heritage, 7.5 ECTS (fictional demo course)",
    "demo-seminarium-aterlamning": "Seminar: who owns the objects? (fictional demo event)",
    "demo-konferens-spar": "Conference: traces of trade (fictional demo event)",
    "demo-dans-gransland": "Dance performance: Borderland (fictional demo event)",
    "demo-teater-skulden": "Theatre: The Debt (fictional demo event)",
    "demo-musik-roster": "Concert: voices in the dark (fictional demo event)",
    "demo-skolbesok-13-15": "Guided school visit, ages 13–15 (fictional demo event)",
    "demo-skolbesok-lulea": "School visit in Luleå, upper secondary (fictional demo event)",
    "demo-seminarium-lulea": "Seminar in Luleå: work and debt (fictional demo event)",
}

# (slug, venue slug, kind, days from today, start hour, hours, title, extra fields)
EVENTS = [
    (
        "demo-kurs-manniskohandel",
        "goteborg",
        EventKind.COURSE,
        21,
        9,
        6,
        "Människohandel och kulturarv, 7,5 hp (fiktiv demokurs)",
        {
            "credits": Decimal("7.5"),
            "audience": Audience.STUDENTS,
            "age_min": 18,
            "organiser_name": "Exempeluniversitetet (fiktivt)",
            "language_codes": "sv, en",
        },
    ),
    (
        "demo-seminarium-aterlamning",
        "goteborg",
        EventKind.SEMINAR,
        9,
        15,
        2,
        "Seminarium: vem äger föremålen? (fiktivt demoevenemang)",
        {"audience": Audience.PROFESSIONALS, "language_codes": "sv"},
    ),
    (
        "demo-konferens-spar",
        "demo-lulea",
        EventKind.CONFERENCE,
        45,
        9,
        8,
        "Konferens: spår av handel (fiktivt demoevenemang)",
        {"audience": Audience.PROFESSIONALS, "language_codes": "en, sv", "capacity": 120},
    ),
    (
        "demo-dans-gransland",
        "goteborg",
        EventKind.DANCE,
        14,
        19,
        1,
        "Dansföreställning: Gränsland (fiktivt demoevenemang)",
        {"age_min": 12, "capacity": 80},
    ),
    (
        "demo-teater-skulden",
        "demo-lulea",
        EventKind.THEATRE,
        30,
        19,
        2,
        "Teater: Skulden (fiktivt demoevenemang)",
        {"age_min": 15, "language_codes": "sv, se", "capacity": 60},
    ),
    (
        "demo-musik-roster",
        "goteborg",
        EventKind.MUSIC,
        -20,
        19,
        2,
        "Konsert: röster i mörkret (fiktivt demoevenemang)",
        {"audience": Audience.EVERYONE},
    ),
    (
        "demo-skolbesok-13-15",
        "goteborg",
        EventKind.SCHOOL_VISIT,
        7,
        10,
        2,
        "Skolbesök med guide, åk 7–9 (fiktivt demoevenemang)",
        {"audience": Audience.SCHOOLS, "age_min": 13, "age_max": 15, "capacity": 30},
    ),
    (
        "demo-skolbesok-lulea",
        "demo-lulea",
        EventKind.SCHOOL_VISIT,
        -40,
        10,
        2,
        "Skolbesök i Luleå, gymnasiet (fiktivt demoevenemang)",
        {"audience": Audience.SCHOOLS, "age_min": 16, "age_max": 19, "capacity": 30},
    ),
    (
        "demo-seminarium-lulea",
        "demo-lulea",
        EventKind.SEMINAR,
        -10,
        13,
        3,
        "Seminarium i Luleå: arbete och skuld (fiktivt demoevenemang)",
        {"audience": Audience.EVERYONE, "language_codes": "sv, en"},
    ),
]

ACCESSIBILITY = (
    "Demotext (påhittad): entré utan trappsteg, hörslinga i salen, rullstolsplatser. "
    "Fråga oss om teckenspråkstolkning."
)


def _child(parent, model, slug: str):
    return model.objects.child_of(parent).filter(slug=slug).first()


def _publish_new(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _translate(page, **fields) -> None:
    """Publish an English translation of ``page`` once (parents first, as the tree needs)."""
    locale = Locale.objects.filter(language_code="en").first()
    if locale is None or page.get_translation_or_none(locale) is not None:
        return
    translation = page.copy_for_translation(locale, copy_parents=True).specific
    translation.title = EN_TITLES[page.slug]
    translation.draft_title = translation.title
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()


def _new_event(index, venue, today, slug, kind, days, hour, hours, title, extra):
    day = today + datetime.timedelta(days=days)
    start = datetime.datetime.combine(day, datetime.time(hour), tzinfo=ZoneInfo(venue.time_zone))
    fields = {
        "organiser_name": "Världskulturmuseet",
        "organiser_kind": OrganiserKind.ORGANISATION,
        "language_codes": "sv",
        "accessibility": ACCESSIBILITY,
        "booking_url": "https://example.org/demo-booking",
        **extra,
    }
    return _publish_new(
        index,
        EventPage(
            title=title,
            slug=slug,
            kind=kind,
            venue=venue,
            start=start,
            end=start + datetime.timedelta(hours=hours),
            description="<p>Demotext (påhittad): ett evenemang kring utställningens frågor "
            "om handel med människor och föremål.</p>" + NOTICE,
            **fields,
        ),
    )


def _events(home, log) -> None:
    index = _child(home, EventIndexPage, "program")
    if index is None:
        index = _publish_new(
            home,
            EventIndexPage(
                title="Program",
                slug="program",
                intro="<p>Kurser, seminarier, scenkonst och skolbesök kring utställningen.</p>"
                + NOTICE,
            ),
        )
    _translate(
        index,
        intro="<p>Courses, seminars, performances and school visits around the exhibition.</p>"
        + EN_NOTICE,
    )
    venues = {
        venue.slug: venue for venue in Venue.objects.filter(slug__in=["goteborg", "demo-lulea"])
    }
    today = timezone.localdate()
    created = 0
    for slug, venue_slug, kind, days, hour, hours, title, extra in EVENTS:
        if venue_slug not in venues:
            continue
        event = _child(index, EventPage, slug)
        if event is None:
            event = _new_event(
                index, venues[venue_slug], today, slug, kind, days, hour, hours, title, extra
            )
            created += 1
        _translate(event, description=EN_DESCRIPTION)
    log(f"programme: {len(EVENTS)} demo events ({created} new)")


def _research(home, log) -> None:
    index = _child(home, ResearchIndexPage, "forskning")
    if index is None:
        index = _publish_new(
            home,
            ResearchIndexPage(title="Forskning", slug="forskning", intro=NOTICE),
        )
    _translate(index, intro=EN_NOTICE)
    article = _child(index, ResearchArticlePage, "demo-foremal-och-skuld")
    created = article is None
    if created:
        article = _new_article(index, home)
    _translate(
        article,
        abstract="Demo text (fictional). The article shows what a research article looks like on "
        "the platform: authors, abstract, body, references and linked objects.",
        body="<h2>Introduction</h2><p>Demo text (fictional). Objects that changed hands under "
        "coercion carry traces of the people who were forced to sell them.</p><h2>Conclusion"
        "</h2><p>Demo text (fictional). Who owns an object is also a question of whose voice "
        "is heard.</p>" + EN_NOTICE,
    )
    log(f"programme: research article ({int(created)} new)")


def _new_article(index, home):
    article = ResearchArticlePage(
        title="Föremål och skuld: en fiktiv demoartikel",
        slug="demo-foremal-och-skuld",
        abstract=(
            "Demotext (påhittad). Artikeln visar hur en forskningsartikel ser ut på "
            "plattformen: författare, sammanfattning, brödtext, referenser och länkade föremål."
        ),
        body="<h2>Inledning</h2><p>Demotext (påhittad). Föremål som bytt ägare under tvång "
        "bär spår av de människor som tvingades sälja dem.</p><h2>Slutsats</h2><p>Demotext "
        "(påhittad). Frågan om vem som äger ett föremål är också en fråga om vems röst som "
        "hörs.</p>" + NOTICE,
    )
    article.authors.add(
        ResearchAuthor(name="A. Exempel (fiktiv författare)", affiliation="Exempeluniversitetet")
    )
    article.authors.add(ResearchAuthor(name="B. Demo (fiktiv författare)", affiliation=""))
    article.references.add(
        ResearchReference(
            citation="Exempel, A. (2025). Påhittade spår. Demotidskriften 1(1), 1–10.",
            doi="10.5555/demo.2025.001",
        )
    )
    article.references.add(
        ResearchReference(
            citation="Demo, B. (2024). En fiktiv rapport.", url="https://example.org/demo-report"
        )
    )
    for obj in (
        ObjectRecord.objects.visible_in(WEB)
        .filter(inventory_number__startswith="DEMO-")
        .order_by("inventory_number")[:3]
    ):
        article.linked_objects.add(ResearchArticleObject(object=obj))
    article.themes.set(Theme.objects.filter(slug__startswith="demo-", locale=home.locale)[:2])
    return _publish_new(index, article)


def _teacher_pack(home, log) -> None:
    pack = _child(home, TeacherPackPage, "larare-13-15")
    created = pack is None
    if created:
        pack = _new_pack(home)
    _translate(
        pack,
        intro="<p>Demo text (fictional): rooms, objects and voices to start from with pupils "
        "aged 13–15.</p>" + EN_NOTICE,
        questions=[
            TeacherPackQuestion(text=text)
            for text in (
                "Who decides which voices are heard in an exhibition?",
                "What is the difference between work and forced labour?",
                "How can an object tell the story of a person?",
            )
        ],
    )
    log(f"programme: teacher pack ({int(created)} new)")


def _new_pack(home):
    pack = TeacherPackPage(
        title="Lärarmaterial för 13–15 år",
        slug="larare-13-15",
        age_from=13,
        age_to=15,
        intro="<p>Demotext (påhittad): förslag på rum, föremål och röster att utgå från med "
        "elever i 13–15-årsåldern.</p>" + NOTICE,
    )
    for room in Room.objects.filter(venue__slug="goteborg").order_by("visit_order")[:2]:
        pack.rooms.add(TeacherPackRoom(room=room, note="Demotext (påhittad): börja här."))
    for obj in ObjectRecord.objects.filter(inventory_number__startswith="DEMO-").order_by(
        "inventory_number"
    )[3:6]:
        pack.objects_in_pack.add(TeacherPackObject(object=obj))
    # Linked regardless of age: the page shows only those suited to 13-year-olds.
    for testimony in Testimony.objects.filter(slug__startswith="demo-").order_by("slug")[:4]:
        pack.testimonies.add(TeacherPackTestimony(testimony=testimony))
    for text in (
        "Vem bestämmer vilka röster som hörs i en utställning?",
        "Vad skiljer ett arbete från tvångsarbete?",
        "Hur kan ett föremål berätta om en människa?",
    ):
        pack.questions.add(TeacherPackQuestion(text=text))
    return _publish_new(home, pack)


def load(log) -> None:
    home = site_home()
    _events(home, log)
    _research(home, log)
    _teacher_pack(home, log)
