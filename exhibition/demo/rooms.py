"""Demo rooms and placements at the home museum: four rooms in a 25 × 10 m hall adding up to
exactly its 250 m², and every demo object placed with labels in Swedish and English. The
label texts are fictional and say so."""

from decimal import Decimal

from wagtail.models import Locale

from collection.models import ObjectRecord
from exhibition.demo.collection import _upsert
from exhibition.models import Placement, PlacementText, Room, RoomText, Venue

# (slug, sv name, en name, area, shape, number of objects)
ROOMS = [
    ("entre", "Entré", "Entrance", "50.0", "0,0 5,0 5,10 0,10", 8),
    ("handeln", "Handeln", "The trade", "80.0", "5,0 13,0 13,10 5,10", 14),
    ("vagarna", "Vägarna", "The routes", "60.0", "13,0 19,0 19,10 13,10", 11),
    ("rosterna", "Rösterna", "The voices", "60.0", "19,0 25,0 25,10 19,10", 11),
]
KINDS = ["wall", "case", "case", "plinth", "floor"]

WALL_TEXT = {
    "sv": "Demotext (påhittad). I det här rummet möts föremål som har bytt ägare under tvång. "
    "Fråga dig vem som berättar deras historia, och vem som saknas.",
    "en": "Demo text (fictional). In this room you meet objects that changed hands under "
    "coercion. Ask yourself who tells their story, and who is missing.",
}
CASE_LABEL = {
    "sv": "Demotext (påhittad). Föremålen i montern har alla passerat samma hamn.",
    "en": "Demo text (fictional). The objects in this case all passed through the same port.",
}


def _object_label(obj: ObjectRecord, language: str) -> str:
    text = obj.text_for(language)
    title = text.title.split(" (")[0] if text else obj.inventory_number
    if language == "sv":
        return (
            f"{title}, {obj.dating}. Demotext (påhittad): föremålet berättar om hur saker och "
            "människor flyttades, togs och såldes. Vem ägde det först, och vem äger det nu?"
        )
    return (
        f"{title}, {obj.dating}. Demo text (fictional): the object tells how things and people "
        "were moved, taken and sold. Who owned it first, and who owns it now?"
    )


def load(log) -> None:
    venue = Venue.objects.get(is_home_museum=True)
    locales = {code: Locale.objects.get(language_code=code) for code in ("sv", "en")}
    objects = list(
        ObjectRecord.objects.filter(inventory_number__startswith="DEMO-")
        .prefetch_related("texts__locale")
        .order_by("inventory_number")
    )
    placed = 0
    start = 0
    for order, (slug, sv_name, en_name, area, shape, count) in enumerate(ROOMS, start=1):
        room, _new = _upsert(
            Room,
            {"venue": venue, "slug": slug},
            {"visit_order": order, "area_m2": Decimal(area), "shape": shape},
        )
        for code, name in (("sv", sv_name), ("en", en_name)):
            _upsert(RoomText, {"room": room, "locale": locales[code]}, {"name": name})
        for index, obj in enumerate(objects[start : start + count], start=1):
            kind = KINDS[index % len(KINDS)] if index > 1 else "wall"
            placement = Placement.objects.filter(room__venue=venue, object=obj).first()
            values = {
                "room": room,
                "kind": kind,
                "position": (index + 1) // 2,
                "visit_order": index,
            }
            if placement is None:
                values.pop("room")
                placement, _new = _upsert(Placement, {"room": room, "object": obj}, values)
            else:
                placement, _new = _upsert(Placement, {"pk": placement.pk}, values)
            for code, locale in locales.items():
                texts = {"object": _object_label(obj, code)}
                if index == 1:
                    texts["wall"] = WALL_TEXT[code]
                if kind == "case":
                    texts["case"] = CASE_LABEL[code]
                for text_kind, text in texts.items():
                    _upsert(
                        PlacementText,
                        {"placement": placement, "locale": locale, "kind": text_kind},
                        {"text": text},
                    )
            placed += 1
        start += count
    total = sum(Decimal(area) for _s, _sv, _en, area, _shape, _count in ROOMS)
    log(f"rooms: {len(ROOMS)} rooms, {total} m² at {venue.slug}, {placed} placed objects")
