"""The demo online exhibition: an exhibition page under the home page, four sections (themes)
and narrative pages that together use every block, in Swedish and English.

Everything written here is fictional demo text and says so; the objects, voices,
perspectives and the visitor question are those the other demo loaders create. One page also
chooses an unpublished object and a voice who consented to the physical show only, to show
that such blocks render nothing on the web. Idempotent: pages are published only when what
they should hold differs from what they hold.
"""

import uuid

from wagtail.models import Locale, Page

from collection.models import ObjectImage, ObjectRecord
from exhibition.demo.pages import site_home
from exhibition.models import ExhibitionPage, NarrativePage, SectionPage
from stories.models import Perspective, Question, Testimony

# Block ids must stay the same from one run to the next, or every run would be a change.
ID_NAMESPACE = uuid.UUID("0f5a8f8e-56a1-4c1e-9a51-7d0c3f0b6e21")

DEMO_NOTE = {
    "sv": "Demotext (påhittad): allt på den här sidan är skrivet för att visa hur utställningen "
    "fungerar.",
    "en": "Demo text (fictional): everything on this page is written to show how the exhibition "
    "works.",
}

EXHIBITION = {
    "sv": {
        "slug": "utstallningen",
        "title": "Trafficking – utställningen online",
        "intro": "<p>Fyra teman, många röster och föremål som bytt ägare under tvång. "
        "Demoinnehåll: texterna är påhittade.</p>",
    },
    "en": {
        "slug": "exhibition",
        "title": "Trafficking – the online exhibition",
        "intro": "<p>Four themes, many voices and objects that changed hands under coercion. "
        "Demo content: the texts are fictional.</p>",
    },
}

# (key, {language: (slug, title, intro)})
SECTIONS = [
    (
        "trade",
        {
            "sv": (
                "handeln-med-manniskor",
                "Handeln med människor",
                "Om löften, skulder och vägar ut. Demotext (påhittad).",
            ),
            "en": (
                "the-trade-in-people",
                "The trade in people",
                "On promises, debts and ways out. Demo text (fictional).",
            ),
        },
    ),
    (
        "looted",
        {
            "sv": (
                "plundrat-kulturarv",
                "Plundrat kulturarv",
                "Föremål som togs, såldes och ställdes ut. Demotext (påhittad).",
            ),
            "en": (
                "looted-heritage",
                "Looted heritage",
                "Objects that were taken, sold and put on display. Demo text (fictional).",
            ),
        },
    ),
    (
        "voices",
        {
            "sv": (
                "roster-och-motstand",
                "Röster och motstånd",
                "De som berättar, de som hjälper och de som gjorde motstånd. Demotext (påhittad).",
            ),
            "en": (
                "voices-and-resistance",
                "Voices and resistance",
                "Those who tell, those who help and those who resisted. Demo text (fictional).",
            ),
        },
    ),
    (
        "debate",
        {
            "sv": (
                "debatten",
                "Debatten",
                "Frågor utan färdiga svar, och plats för ditt. Demotext (påhittad).",
            ),
            "en": (
                "the-debate",
                "The debate",
                "Questions without ready answers, and room for yours. Demo text (fictional).",
            ),
        },
    ),
]


def _text(language: str, sv: str, en: str) -> dict:
    return {"type": "text", "value": sv if language == "sv" else en}


def _demo_text(language: str, sv: str, en: str) -> dict:
    body = sv if language == "sv" else en
    return _text(
        language, f"{body}<p><i>{DEMO_NOTE['sv']}</i></p>", f"{body}<p><i>{DEMO_NOTE['en']}</i></p>"
    )


def _timeline(language: str, heading: tuple[str, str], events: list) -> dict:
    pick = 0 if language == "sv" else 1
    return {
        "type": "timeline",
        "value": {
            "heading": heading[pick],
            "events": [
                {
                    "type": "item",
                    "value": {"date": date, "year": year, "title": title[pick], "text": text[pick]},
                }
                for date, year, title, text in events
            ],
        },
    }


def _objects(*inventory_numbers: str) -> list[int]:
    found = dict(
        ObjectRecord.objects.filter(inventory_number__in=inventory_numbers).values_list(
            "inventory_number", "pk"
        )
    )
    return [found[number] for number in inventory_numbers if number in found]


def _refs() -> dict:
    """Primary keys of the demo content the pages choose (None where a loader made none)."""
    testimonies = dict(Testimony.objects.values_list("slug", "pk"))
    perspectives = dict(Perspective.objects.values_list("slug", "pk"))
    question = Question.objects.filter(slug="demo-vem-bar-ansvaret").values_list("pk", flat=True)
    detail = (
        ObjectImage.objects.filter(object__inventory_number="DEMO-001")
        .order_by("sort_order", "pk")
        .values_list("image_id", flat=True)
        .first()
    )
    return {
        "amal": testimonies.get("demo-amal-att-bli-trodd"),
        "jonas": testimonies.get("demo-jonas-razzian"),
        "mira": testimonies.get("demo-mira-bara-i-utstallningen"),
        "raids": perspectives.get("demo-razzior"),
        "return": perspectives.get("demo-aterlamning"),
        "question": str(question[0]) if question else None,
        "detail_image": detail,
    }


def _call(language: str, refs: dict) -> dict | None:
    if refs["question"] is None:
        return None
    return {
        "type": "call_for_contributions",
        "value": {
            "heading": "Vad tycker du?" if language == "sv" else "What do you think?",
            "text": "Svara med egna ord. Ett moderatorteam läser alla svar innan de visas."
            if language == "sv"
            else "Answer in your own words. A moderator reads every answer before it is shown.",
            "question": refs["question"],
        },
    }


def _amal_excerpt(language: str, refs: dict) -> dict | None:
    if refs["amal"] is None:
        return None
    return {
        "type": "testimony_excerpt",
        "value": {
            "testimony": refs["amal"],
            "excerpt": "En dag lyssnade en socialsekreterare på mig utan att avbryta."
            if language == "sv"
            else "One day a social worker listened to me without interrupting.",
            "start_seconds": None,
        },
    }


def _audio(language: str, refs: dict) -> dict | None:
    if refs["amal"] is None:
        return None
    return {
        "type": "audio",
        "value": {
            "heading": "Lyssna: att bli trodd" if language == "sv" else "Listen: being believed",
            "testimony": refs["amal"],
            "start_seconds": None,
            "end_seconds": None,
        },
    }


def _perspective(key: str, refs: dict) -> dict | None:
    if refs[key] is None:
        return None
    return {"type": "perspective", "value": {"perspective": refs[key], "introduction": ""}}


def _quote(language: str) -> dict:
    return {
        "type": "quote",
        "value": {
            "quote": "Ett museum som bara visar föremålen, och inte hur de kom hit, berättar halva "
            "historien."
            if language == "sv"
            else "A museum that shows the objects but not how they got here tells half the story.",
            "attribution": "Påhittad museichef"
            if language == "sv"
            else "A fictional museum director",
            "source": "Demotext (påhittad)" if language == "sv" else "Demo text (fictional)",
            "language": "",
        },
    }


def _one_object(pks: list[int], language: str) -> dict | None:
    if not pks:
        return None
    return {
        "type": "object",
        "value": {
            "object": pks[0],
            "caption": "Demotext (påhittad): föremålet har bytt ägare minst fyra gånger."
            if language == "sv"
            else "Demo text (fictional): this object has changed hands at least four times.",
            "show_all_images": False,
        },
    }


def _comparison(pks: list[int], language: str) -> dict | None:
    if len(pks) < 2:
        return None
    return {
        "type": "object_comparison",
        "value": {
            "heading": "Tre föremål, tre vägar"
            if language == "sv"
            else "Three objects, three routes",
            "objects": [{"type": "item", "value": pk} for pk in pks],
            "caption": "Jämför hur föremålen beskrevs när de kom till museet. Demotext (påhittad)."
            if language == "sv"
            else "Compare how the objects were described when they reached the museum. "
            "Demo text (fictional).",
        },
    }


def _detail(language: str, refs: dict, object_pk: int | None) -> dict | None:
    if refs["detail_image"] is None or object_pk is None:
        return None
    return {
        "type": "image_region",
        "value": {
            "object": object_pk,
            "image": refs["detail_image"],
            "region": "200,150,600,450",
            "alt_text": "Ett utsnitt ur föremålets bild: en yta med ett slitet mönster."
            if language == "sv"
            else "A detail of the object's image: a surface with a worn pattern.",
            "caption": "Detaljen som två av rösterna talar om. Demotext (påhittad)."
            if language == "sv"
            else "The detail two of the voices speak about. Demo text (fictional).",
        },
    }


PROVENANCE_EVENTS = [
    (
        "ca 1780",
        1780,
        ("Tillverkat", "Made"),
        ("Påhittat: i en by vid kusten.", "Fictional: in a village on the coast."),
    ),
    (
        "1885",
        1885,
        ("Taget vid en straffexpedition", "Taken during a punitive expedition"),
        ("Påhittat.", "Fictional."),
    ),
    ("1902", 1902, ("Sålt på auktion", "Sold at auction"), ("Påhittat.", "Fictional.")),
    ("1931", 1931, ("Skänkt till museet", "Given to the museum"), ("Påhittat.", "Fictional.")),
    ("2027", 2027, ("Anspråk på återlämning", "Claim for return"), ("Påhittat.", "Fictional.")),
]

DEBATE_EVENTS = [
    (
        "1970",
        1970,
        ("UNESCO-konventionen", "The UNESCO Convention"),
        ("Om olaglig handel med kulturföremål.", "On the illicit trade in cultural property."),
    ),
    (
        "2000",
        2000,
        ("Palermoprotokollet", "The Palermo Protocol"),
        ("Om handel med människor.", "On trafficking in persons."),
    ),
    (
        "2027",
        2027,
        ("Utställningen öppnar", "The exhibition opens"),
        ("Demotext (påhittad).", "Demo text (fictional)."),
    ),
]


def _narratives(refs: dict) -> list:
    """(section key, page key, {language: (slug, title, intro, body builder)})."""
    looted = _objects("DEMO-001", "DEMO-002", "DEMO-005", "DEMO-006")
    hidden = _objects("DEMO-007")  # unpublished: renders nothing on the web

    def promise(language):
        return [
            _demo_text(
                language,
                "<h2>Ett jobb, en resa, en skuld</h2><p>Det börjar ofta med ett erbjudande som låter "
                "för bra för att vara sant.</p>",
                "<h2>A job, a journey, a debt</h2><p>It often starts with an offer that sounds too "
                "good to be true.</p>",
            ),
            _amal_excerpt(language, refs),
            _audio(language, refs),
            _call(language, refs),
        ]

    def one_object(language):
        return [
            _demo_text(
                language,
                "<h2>Ett föremål, många ägare</h2><p>Följ ett föremål från byn där det gjordes till "
                "montern där du ser det i dag, och fråga vem som bestämde varje steg.</p>",
                "<h2>One object, many owners</h2><p>Follow an object from the village where it "
                "was made to the case where you see it today, and ask who decided each step.</p>",
            ),
            _one_object(looted[:1], language),
            _detail(language, refs, looted[0] if looted else None),
            _timeline(language, ("Föremålets väg", "The object's route"), PROVENANCE_EVENTS),
            _comparison(looted[1:4], language),
            _amal_excerpt(language, refs),
            _audio(language, refs),
            _perspective("return", refs),
            _quote(language),
            _call(language, refs),
        ]

    def believed(language):
        blocks = [
            _demo_text(
                language,
                "<p>Poliser, socialsekreterare och frivilliga berättar om vad som hjälper och vad "
                "som skadar.</p>",
                "<p>Police officers, social workers and volunteers tell what helps and what "
                "harms.</p>",
            ),
            _perspective("raids", refs),
        ]
        if refs["jonas"] is not None:
            blocks.append(
                {
                    "type": "testimony_excerpt",
                    "value": {
                        "testimony": refs["jonas"],
                        "excerpt": "Vi behandlade dem som misstänkta. I dag börjar jag med att fråga "
                        "hur de mår."
                        if language == "sv"
                        else "We treated them as suspects. Today I start by asking how they are.",
                        "start_seconds": None,
                    },
                }
            )
        if refs["mira"] is not None:
            # Consent for the physical show in Sweden only: renders nothing on the web.
            blocks.append(
                {
                    "type": "testimony_excerpt",
                    "value": {
                        "testimony": refs["mira"],
                        "excerpt": "DOLD-DEMO: visas bara i utställningen."
                        if language == "sv"
                        else "HIDDEN-DEMO: shown in the physical exhibition only.",
                        "start_seconds": None,
                    },
                }
            )
        return blocks

    def give_back(language):
        return [
            _demo_text(
                language,
                "<p>Ska föremål som togs under kolonialtiden lämnas tillbaka, och till vem? "
                "Rösterna här är inte överens.</p>",
                "<p>Should objects taken in colonial times be returned, and to whom? The voices "
                "here do not agree.</p>",
            ),
            _perspective("return", refs),
            _quote(language),
            _timeline(
                language, ("Konventioner och beslut", "Conventions and decisions"), DEBATE_EVENTS
            ),
            _call(language, refs),
            _one_object(hidden, language),
        ]

    return [
        (
            "trade",
            "promise",
            {
                "sv": (
                    "loftet-om-ett-arbete",
                    "Löftet om ett arbete",
                    "Hur skulden börjar. Demotext (påhittad).",
                    promise,
                ),
                "en": (
                    "the-promise-of-a-job",
                    "The promise of a job",
                    "How the debt begins. Demo text (fictional).",
                    promise,
                ),
            },
        ),
        (
            "looted",
            "one-object",
            {
                "sv": (
                    "ett-foremal-manga-agare",
                    "Ett föremål, många ägare",
                    "Ett föremåls väg från by till monter. Demotext (påhittad).",
                    one_object,
                ),
                "en": (
                    "one-object-many-owners",
                    "One object, many owners",
                    "An object's route from village to display case. Demo text (fictional).",
                    one_object,
                ),
            },
        ),
        (
            "voices",
            "believed",
            {
                "sv": (
                    "det-som-hjalper",
                    "Det som hjälper",
                    "Röster om stöd och razzior. Demotext (påhittad).",
                    believed,
                ),
                "en": (
                    "what-helps",
                    "What helps",
                    "Voices on support and raids. Demo text (fictional).",
                    believed,
                ),
            },
        ),
        (
            "debate",
            "give-back",
            {
                "sv": (
                    "ska-foremalen-tillbaka",
                    "Ska föremålen tillbaka?",
                    "En fråga utan färdigt svar. Demotext (påhittad).",
                    give_back,
                ),
                "en": (
                    "should-the-objects-go-back",
                    "Should the objects go back?",
                    "A question without a ready answer. Demo text (fictional).",
                    give_back,
                ),
            },
        ),
    ]


def _with_ids(blocks: list, key: str) -> list:
    """Drop missing blocks and give each block and list item an id stable across runs."""
    result = []
    for index, block in enumerate(b for b in blocks if b is not None):
        block = {**block, "id": str(uuid.uuid5(ID_NAMESPACE, f"{key}/{index}"))}
        value = block["value"]
        if isinstance(value, dict):
            for name, items in value.items():
                if isinstance(items, list):
                    value[name] = [
                        {**item, "id": str(uuid.uuid5(ID_NAMESPACE, f"{key}/{index}/{name}/{n}"))}
                        for n, item in enumerate(items)
                    ]
        result.append(block)
    return result


def _normalised_body(raw: list) -> list:
    block = NarrativePage.body.field.stream_block
    return block.get_prep_value(block.to_python(raw))


def _publish_if_changed(page: Page, wanted: dict) -> bool:
    def current(key):
        value = getattr(page, key)
        return value.get_prep_value() if key == "body" else value

    if (
        page.live
        and not page.has_unpublished_changes
        and all(current(key) == value for key, value in wanted.items())
    ):
        return False
    for key, value in wanted.items():
        setattr(page, key, value)
    page.draft_title = page.title
    page.save_revision().publish()
    return True


def _upsert(parent: Page, model, wanted: dict, translation_of: Page | None) -> tuple[Page, bool]:
    """The child of ``parent`` (or translation of ``translation_of``) holding ``wanted``."""
    if translation_of is not None:
        page = translation_of.get_translation_or_none(parent.locale)
        if page is None:
            page = translation_of.copy_for_translation(parent.locale, copy_parents=True)
        page = page.specific
    else:
        page = parent.get_children().type(model).filter(slug=wanted["slug"]).first()
        if page is None:
            page = model(**wanted)
            parent.add_child(instance=page)
            page.save_revision().publish()
            return page, True
        page = page.specific
    return page, _publish_if_changed(page, wanted)


def load(log) -> None:
    home = site_home()
    locales = {code: Locale.objects.get(language_code=code) for code in ("sv", "en")}
    homes = {"sv": home, "en": home.get_translation_or_none(locales["en"])}
    refs = _refs()
    changed = pages = 0
    exhibitions, sections, narratives = {}, {}, {}
    for language in ("sv", "en"):
        if homes[language] is None:
            continue
        exhibition, dirty = _upsert(
            homes[language], ExhibitionPage, EXHIBITION[language], exhibitions.get("sv")
        )
        exhibitions[language] = exhibition
        changed += dirty
        pages += 1
        for key, texts in SECTIONS:
            slug, title, intro = texts[language]
            section, dirty = _upsert(
                exhibition,
                SectionPage,
                {"slug": slug, "title": title, "intro": f"<p>{intro}</p>"},
                sections.get(("sv", key)),
            )
            sections[(language, key)] = section
            changed += dirty
            pages += 1
        for section_key, page_key, texts in _narratives(refs):
            slug, title, intro, build = texts[language]
            body = _normalised_body(_with_ids(build(language), f"{page_key}/{language}"))
            page, dirty = _upsert(
                sections[(language, section_key)],
                NarrativePage,
                {"slug": slug, "title": title, "intro": intro, "body": body},
                narratives.get(("sv", page_key)),
            )
            narratives[(language, page_key)] = page
            changed += dirty
            pages += 1
    log(f"exhibition pages: {pages} pages in {len(exhibitions)} languages ({changed} published)")
