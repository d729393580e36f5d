"""Demo objects, lenders and loans. All fictional: inventory numbers start with DEMO-, the
lenders are invented, and every description says it is a demo text. Images are drawn here."""

import datetime
import io
import random
from decimal import Decimal

from django.core.files.images import ImageFile

from wagtail.models import Locale

from PIL import Image as PILImage
from PIL import ImageDraw

from collection.models import (
    Culture,
    Lender,
    LoanAgreement,
    LoanCreditLine,
    Material,
    MuseumImage,
    ObjectImage,
    ObjectPlace,
    ObjectRecord,
    ObjectText,
    Place,
    ProvenanceEvent,
)
from exhibition.models import Venue

CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"
IN_COPYRIGHT = "http://rightsstatements.org/vocab/InC/1.0/"
BY_NC_ND = "http://creativecommons.org/licenses/by-nc-nd/4.0/"

LENDERS = [
    {
        "slug": "demo-etnografiska",
        "name": "Etnografiska exempelmuseet (demo)",
        "kind": "institution",
        "contact_name": "Demo Registrator",
        "contact_email": "registrar@etnografiska-exempel.invalid",
        "contact_phone": "+46 8 555 010 01",
    },
    {
        "slug": "demo-stadsmuseet",
        "name": "Stadsmuseet i Exempelstad (demo)",
        "kind": "institution",
        "contact_name": "Demo Intendent",
        "contact_email": "lan@stadsmuseet-exempel.invalid",
        "contact_phone": "+46 31 555 020 02",
    },
    {
        "slug": "demo-privat-named",
        "name": "Kerstin Exempelsamlare (demo)",
        "kind": "private",
        "contact_email": "kerstin@privat-exempel.invalid",
        "contact_phone": "+46 70 555 030 03",
    },
    {
        "slug": "demo-anonymous",
        "name": "Margareta Hemligsdotter (demo)",
        "kind": "private",
        "is_anonymous": True,
        "contact_email": "hemlig@privat-exempel.invalid",
        "contact_phone": "+46 70 555 040 04",
        "address": "Hemliga gatan 4, Exempelstad",
    },
]

# (number, lender slug, starts, ends, all venues, venue slugs, status, online, insurance, currency)
LOANS = [
    (
        "DEMO-L-001",
        "demo-etnografiska",
        (2027, 2, 1),
        (2028, 10, 31),
        True,
        [],
        "agreed",
        True,
        "2450000.00",
        "SEK",
    ),
    (
        "DEMO-L-002",
        "demo-stadsmuseet",
        (2027, 2, 15),
        (2027, 11, 15),
        False,
        ["goteborg"],
        "on_display",
        False,
        "780000.00",
        "SEK",
    ),
    (
        "DEMO-L-003",
        "demo-privat-named",
        (2027, 3, 1),
        (2028, 1, 31),
        False,
        ["goteborg", "demo-lulea"],
        "agreed",
        True,
        "96000.00",
        "SEK",
    ),
    (
        "DEMO-L-004",
        "demo-anonymous",
        (2027, 1, 15),
        (2028, 12, 31),
        True,
        [],
        "agreed",
        True,
        "5600000.00",
        "EUR",
    ),
    (
        "DEMO-L-005",
        "demo-etnografiska",
        (2027, 6, 1),
        (2027, 12, 31),
        False,
        ["goteborg"],
        "requested",
        False,
        "310000.00",
        "SEK",
    ),
]

KINDS = [
    # (sv type, en type, sv title, en title, material, culture, place)
    ("fotboja", "ankle shackle", "Fotboja", "Ankle shackle", "järn", "Okänd", "Atlantkusten"),
    ("handelsvikt", "trade weight", "Handelsvikt", "Trade weight", "mässing", "Akan", "Kumasi"),
    ("mask", "mask", "Dansmask", "Dance mask", "trä", "Dan", "Man"),
    ("textil", "textile", "Vävt tyg", "Woven cloth", "bomull", "Ewe", "Kpetoe"),
    ("sigill", "seal", "Sigillstamp", "Seal stamp", "sten", "Okänd", "Mesopotamien"),
    ("resväska", "suitcase", "Resväska", "Suitcase", "läder", "Okänd", "Göteborg"),
    ("pass", "passport", "Pass", "Passport", "papper", "Okänd", "Riga"),
    ("fotografi", "photograph", "Fotografi", "Photograph", "papper", "Okänd", "Stockholm"),
    ("skål", "bowl", "Skål", "Bowl", "keramik", "Nok", "Jos-platån"),
    ("figur", "figure", "Figur", "Figure", "brons", "Edo", "Benin City"),
    ("halsband", "necklace", "Halsband", "Necklace", "glaspärlor", "Maasai", "Narok"),
]

PROVENANCE = [
    [
        ("made", "1800-talet", "Okänd verkstad"),
        ("collected", "1902", "Svensk missionär"),
        ("acquired", "1921", "Museet genom gåva"),
    ],
    [
        ("made", "ca 1890", ""),
        ("looted", "1897", "Brittisk straffexpedition"),
        ("sold", "1899", "Auktion i London"),
        ("acquired", "1931", "Museet genom köp"),
    ],
    [
        ("made", "1950-talet", ""),
        ("transferred", "1978", "Polisens beslag"),
        ("acquired", "1979", "Museet"),
    ],
    [
        ("made", "1700-talet", ""),
        ("looted", "1860", "Okänd"),
        ("sold", "1912", "Konsthandlare"),
        ("restituted", "2024", "Återlämnad till ursprungssamhället; kopia i museet"),
    ],
]


def _upsert(model, lookup: dict, values: dict):
    """Create, or update only the fields that differ, so a second run writes nothing."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        return obj, True
    changed = [key for key, value in values.items() if getattr(obj, key) != value]
    if changed:
        for key in changed:
            setattr(obj, key, values[key])
        obj.full_clean()
        obj.save(update_fields=changed)
    return obj, False


def _draw_image(seed: int, label: str) -> ImageFile:
    rng = random.Random(seed)  # noqa: S311 (decoration, not security)
    base = tuple(rng.randint(90, 200) for _ in range(3))
    image = PILImage.new("RGB", (1600, 1200), base)
    draw = ImageDraw.Draw(image)
    for _ in range(14):
        x, y = rng.randint(0, 1500), rng.randint(0, 1100)
        size = rng.randint(80, 500)
        colour = tuple(max(0, min(255, c + rng.randint(-70, 70))) for c in base)
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(
            (x, y, x + size, y + size * 3 // 4), fill=colour
        )
    draw.rectangle((0, 1100, 1600, 1200), fill=(20, 20, 20))
    draw.text((30, 1130), f"{label} · fictional demo image", fill=(250, 250, 250), font_size=48)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return ImageFile(buffer, name=f"{label.lower()}.jpg")


def load(log) -> None:
    sv, en = Locale.objects.get(language_code="sv"), Locale.objects.get(language_code="en")
    lenders = {
        data["slug"]: _upsert(
            Lender, {"slug": data["slug"]}, {k: v for k, v in data.items() if k != "slug"}
        )[0]
        for data in LENDERS
    }
    venues = {venue.slug: venue for venue in Venue.objects.all()}

    created = 0
    objects_by_lender: dict[str | None, list[ObjectRecord]] = {}
    lender_cycle = (
        [None] * 30
        + ["demo-etnografiska"] * 5
        + ["demo-stadsmuseet"] * 3
        + ["demo-privat-named"] * 2
        + ["demo-anonymous"] * 3
        + ["demo-etnografiska"]
    )
    for number, lender_slug in enumerate(lender_cycle, start=1):
        kind = KINDS[number % len(KINDS)]
        inventory = f"DEMO-{number:03d}"
        lender = lenders[lender_slug] if lender_slug else None
        earliest = 1700 + (number * 37) % 280
        values = {
            "object_type": kind[0],
            "dating": f"ca {earliest}",
            "earliest_year": earliest - 10,
            "latest_year": earliest + 10,
            "dimensions_text": f"Höjd {10 + number % 40} cm",
            "rights_statement": CC0
            if lender is None
            else (BY_NC_ND if number % 2 else IN_COPYRIGHT),
            # A few objects are unpublished drafts, and two hold human remains: one cleared.
            "is_published": number not in (7, 19),
            "contains_human_remains": number in (12, 24),
            "sensitivity_cleared": number == 24,
            "sensitivity_note": "Demo: samråd med ursprungssamhället pågår."
            if number in (12, 24)
            else "",
        }
        obj, is_new = _upsert(
            ObjectRecord, {"lender": lender, "inventory_number": inventory}, values
        )
        created += is_new
        objects_by_lender.setdefault(lender_slug, []).append(obj)
        _upsert(
            ObjectText,
            {"object": obj, "locale": sv},
            {
                "title": f"{kind[2]} ({inventory})",
                "description": f"<p>Påhittat demoföremål. {kind[2]} av {kind[4]}, som visar hur föremål och människor flyttats, tagits och sålts.</p>",
                "label": f"{kind[2]}. {kind[4].capitalize()}. Demotext.",
                "credit_line": "Världskulturmuseet (demo)" if lender is None else "",
            },
        )
        if (
            number % 5
        ):  # every fifth object lacks an English translation (the admin filter finds them)
            _upsert(
                ObjectText,
                {"object": obj, "locale": en},
                {
                    "title": f"{kind[3]} ({inventory})",
                    "description": f"<p>Fictional demo object. A {kind[1]} showing how objects and people were moved, taken and sold.</p>",
                    "label": f"{kind[3]}. Demo text.",
                    "credit_line": "Museum of World Culture (demo)" if lender is None else "",
                },
            )
        if is_new:
            obj.materials.add(Material.objects.get_or_create(name=kind[4])[0])
            obj.cultures.add(Culture.objects.get_or_create(name=kind[5])[0])
            ObjectPlace.objects.create(
                object=obj, place=Place.objects.get_or_create(name=kind[6])[0], role="made"
            )
            for order, (event, date, parties) in enumerate(PROVENANCE[number % len(PROVENANCE)]):
                ProvenanceEvent.objects.create(
                    object=obj,
                    sort_order=order,
                    kind=event,
                    date_text=date,
                    parties=parties,
                    source="Demoarkivet (påhittat)",
                )
            if number % 9:  # some objects have no image at all
                image = MuseumImage.objects.create(
                    title=f"{inventory} (demo)",
                    file=_draw_image(number, inventory),
                    rights_statement=CC0 if lender is None else BY_NC_ND,
                    credit_line="Demo photo",
                    photographer="Demo Fotograf",
                    # One own image may not go online; another only at 500 px.
                    may_publish_online=number != 3,
                    max_online_size=500 if number == 4 else None,
                )
                ObjectImage.objects.create(object=obj, image=image, caption="")
    for (
        number,
        slug,
        starts,
        ends,
        all_venues,
        venue_slugs,
        status,
        online,
        insurance,
        currency,
    ) in LOANS:
        loan, _new = _upsert(
            LoanAgreement,
            {"number": number},
            {
                "lender": lenders[slug],
                "starts_on": datetime.date(*starts),
                "ends_on": datetime.date(*ends),
                "all_venues": all_venues,
                "status": status,
                "online_publication_allowed": online,
                "insurance_value": Decimal(insurance),
                "insurance_currency": currency,
                "max_lux": 50,
                "humidity_min": 45,
                "humidity_max": 55,
            },
        )
        wanted = {venues[s].pk for s in venue_slugs if s in venues}
        dirty = False
        if set(loan.venues.values_list("pk", flat=True)) != wanted:
            loan.venues.set(wanted)
            dirty = True
        wanted_objects = {o.pk for o in objects_by_lender.get(slug, [])}
        if number == "DEMO-L-005":
            wanted_objects = {o.pk for o in objects_by_lender[slug][-1:]}
        elif slug == "demo-etnografiska":
            wanted_objects -= {objects_by_lender[slug][-1].pk}
        if set(loan.loaned_objects.values_list("pk", flat=True)) != wanted_objects:
            loan.loaned_objects.set(wanted_objects)
            dirty = True
        if dirty:  # parental many-to-many relations are written on save
            loan.save()
        public_name = lenders[slug].public_name if not lenders[slug].is_anonymous else None
        for locale, text in (
            (sv, f"Lån från {public_name or 'privat samling'}"),
            (en, f"Lent by {public_name or 'a private collection'}"),
        ):
            _upsert(LoanCreditLine, {"loan": loan, "locale": locale}, {"text": text})
    log(
        f"collection: {ObjectRecord.objects.filter(inventory_number__startswith='DEMO-').count()} objects ({created} new), {len(LENDERS)} lenders, {len(LOANS)} loans"
    )
