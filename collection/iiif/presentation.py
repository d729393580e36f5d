"""IIIF Presentation API 3.0 manifests and collections of objects for the web channel.

Built with iiif-prezi3, whose pydantic models refuse a malformed document before it is sent.
What an object shows is an explicit allow-list (STYLE.md): the fields named in
:func:`_metadata`, the credit line and the lender's ``public_name`` — never insurance, loan
numbers, contacts or internal notes. Which objects and images appear comes from
``visible_in(WEB)`` alone; nothing here repeats those rules.

A Presentation 3 Manifest MUST have at least one Canvas (spec §3.3, ``items``), although the
JSON Schema only requires the key. So an object without any image the web may show has no
manifest (the view answers 404) and is left out of the collection.
"""

import html
import json
import re

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext

from iiif_prezi3 import (
    Annotation,
    AnnotationBody,
    AnnotationPage,
    Canvas,
    Collection,
    Homepage,
    KeyValueString,
    LinkedResource,
    Manifest,
    ManifestRef,
    ServiceV3,
)

from collection.iiif.access import image_identifier
from collection.iiif.image_api import Limits
from collection.iiif.info import PROFILE, max_size
from collection.models import LoanAgreement, MuseumImage, ObjectImage, ObjectRecord
from collection.models.loans import confirmed_loan_q
from collection.rights import normalise_rights_uri
from visibility.channels import WEB

CONTEXT = "http://iiif.io/api/presentation/3/context.json"
LINKED_ART_PROFILE = "https://linked.art/ns/v1/linked-art.json"
# Longest side of a thumbnail; small enough for a viewer's strip, and never above what
# the web may show (see _thumbnail).
THUMBNAIL_SIZE = 300
# Same default as the image server: full/max never gives more than this many pixels.
DEFAULT_MAX_AREA = 25_000_000

# Property labels in the languages the museum writes in. Values that are data rather than
# prose (numbers, names, dates as catalogued) carry the language "none".
LABELS = {
    "inventory_number": {"sv": ["Inventarienummer"], "en": ["Inventory number"]},
    "object_type": {"sv": ["Föremålstyp"], "en": ["Object type"]},
    "dating": {"sv": ["Datering"], "en": ["Dating"]},
    "materials": {"sv": ["Material och tekniker"], "en": ["Materials and techniques"]},
    "cultures": {"sv": ["Kultur eller folk"], "en": ["Culture or people"]},
    "makers": {"sv": ["Tillverkare"], "en": ["Maker"]},
    "places": {"sv": ["Plats"], "en": ["Place"]},
    "dimensions": {"sv": ["Mått"], "en": ["Dimensions"]},
    "attribution": {"sv": ["Erkännande"], "en": ["Attribution"]},
    "object_page": {"sv": ["Föremålets sida"], "en": ["Object page"]},
    "linked_art": {"sv": ["Posten som Linked Art"], "en": ["The record as Linked Art"]},
    "collection": {"sv": ["Samlingen"], "en": ["The collection"]},
}


# Other apps add annotations to object manifests without this app importing them (DESIGN.md:
# imports point one way). A provider is called with the object and ``{ObjectImage pk: canvas
# id}`` for the canvases in the manifest, and returns ``{canvas id: [Annotation, ...]}`` holding
# only what the web may show. The stories app registers the voices pinned to image regions.
ANNOTATION_PROVIDERS: list = []


def register_annotation_provider(provider):
    """Add ``provider`` (see ANNOTATION_PROVIDERS); returns it, so it works as a decorator."""
    if provider not in ANNOTATION_PROVIDERS:
        ANNOTATION_PROVIDERS.append(provider)
    return provider


def _attach_annotations(obj: ObjectRecord, canvases: list[Canvas], object_images) -> None:
    """Give each canvas one embedded annotation page with every provider's annotations."""
    if not ANNOTATION_PROVIDERS:
        return
    canvas_ids = {
        image.pk: canvas.id for image, canvas in zip(object_images, canvases, strict=True)
    }
    found: dict[str, list] = {}
    for provider in ANNOTATION_PROVIDERS:
        for canvas_id, annotations in provider(obj, canvas_ids).items():
            found.setdefault(canvas_id, []).extend(annotations)
    for canvas in canvases:
        if found.get(canvas.id):
            canvas.annotations = [
                AnnotationPage(id=f"{canvas.id}/annotations", items=found[canvas.id])
            ]


def manifest_path(pk: int) -> str:
    """The site-relative URL of an object's manifest."""
    return reverse("iiif:object_manifest", args=[pk])


def manifest_objects() -> QuerySet[ObjectRecord]:
    """Objects that have a manifest: visible on the web with at least one web image."""
    web_images = ObjectImage.objects.visible_in(WEB).filter(object=OuterRef("pk"))
    return ObjectRecord.objects.visible_in(WEB).filter(Exists(web_images))


def _plain(text: str) -> str:
    """Rich text as plain text: viewers show summaries as text, not HTML."""
    return re.sub(r"\s+", " ", html.unescape(strip_tags(text))).strip()


def object_texts(obj: ObjectRecord) -> dict:
    """The object's texts by language code, in a stable order."""
    texts = sorted(obj.texts.all(), key=lambda text: text.locale.language_code)
    return {text.locale.language_code: text for text in texts}


def title_map(obj: ObjectRecord) -> dict:
    titles = {code: [text.title] for code, text in object_texts(obj).items() if text.title}
    return titles or {"none": [obj.inventory_number]}


def _in_languages(languages, make) -> dict:
    """A language map with ``make()`` evaluated with each language active."""
    values = {}
    for code in languages:
        with translation.override(code):
            value = make()
        if value:
            values[code] = value if isinstance(value, list) else [value]
    return values


def _pair(key: str, value: dict) -> KeyValueString:
    return KeyValueString(label=LABELS[key], value=value)


def object_metadata(obj: ObjectRecord, languages: list[str]) -> list[KeyValueString]:
    """The public facts of ``obj`` (an allow-list: add a field here only if it is public)."""
    pairs = [_pair("inventory_number", {"none": [obj.inventory_number]})]
    if obj.object_type:
        pairs.append(_pair("object_type", {"none": [obj.object_type]}))
    if obj.dating:
        pairs.append(_pair("dating", {"none": [obj.dating]}))
    for key, terms in (
        ("materials", obj.materials.all()),
        ("cultures", obj.cultures.all()),
        ("makers", obj.makers.all()),
    ):
        names = [term.name for term in terms]
        if names:
            pairs.append(_pair(key, {"none": [", ".join(names)]}))
    places = list(obj.places.select_related("place"))
    if places:
        # The role ("made", "collected") is a translated word, so the value is per language.
        pairs.append(
            _pair(
                "places",
                _in_languages(
                    languages,
                    lambda: [f"{p.place.name} ({p.get_role_display()})" for p in places],
                ),
            )
        )
    measurements = list(obj.dimensions.all())
    if measurements:
        pairs.append(
            _pair("dimensions", _in_languages(languages, lambda: [str(m) for m in measurements]))
        )
    elif obj.dimensions_text:
        pairs.append(_pair("dimensions", {"none": [obj.dimensions_text]}))
    return pairs


def credit_statement(obj: ObjectRecord, texts: dict, languages: list[str]) -> dict:
    """The credit line as a language map; a loan names its lender by public name only."""
    if not obj.lender_id:
        return {code: [text.credit_line] for code, text in texts.items() if text.credit_line}
    loans = LoanAgreement.objects.filter(confirmed_loan_q(), loaned_objects=obj).prefetch_related(
        "credit_lines__locale"
    )
    agreed = {}
    for loan in loans:
        for line in loan.credit_lines.all():
            agreed.setdefault(line.locale.language_code, line.text)
    lender = obj.lender

    def default():
        return gettext("On loan from %(lender)s") % {"lender": lender.public_name}

    credit = _in_languages(languages, default)
    credit.update({code: [text] for code, text in agreed.items() if text})
    return credit


def web_size(image: MuseumImage) -> tuple[int, int]:
    """The size of ``full/max`` of ``image`` on the web: the lender's cap, aspect kept."""
    max_area = getattr(settings, "IIIF_MAX_AREA", DEFAULT_MAX_AREA)
    limits = Limits.for_image(image.width, image.height, image.online_size_limit(), max_area)
    return max_size(image.width, image.height, limits)


def _thumbnail(service_id: str, width: int, height: int) -> AnnotationBody:
    # Never larger than the web size, or the image server would refuse it.
    scale = min(1.0, THUMBNAIL_SIZE / max(width, height))
    thumb_width, thumb_height = max(1, round(width * scale)), max(1, round(height * scale))
    return AnnotationBody(
        id=f"{service_id}/full/!{thumb_width},{thumb_height}/0/default.jpg",
        type="Image",
        format="image/jpeg",
        width=thumb_width,
        height=thumb_height,
        service=[_service(service_id)],
    )


def _service(service_id: str) -> ServiceV3:
    return ServiceV3(id=service_id, type="ImageService3", profile=PROFILE)


def _canvas(manifest_id: str, base_url: str, object_image: ObjectImage) -> Canvas:
    image = object_image.image
    service_id = f"{base_url}{reverse('iiif:base', args=[image_identifier(image)])}"
    width, height = web_size(image)
    # Parts of the manifest live beside it (objects/<pk>/canvas/<n>), where the part view
    # answers for them.
    canvas_id = f"{manifest_id.rsplit('/', 1)[0]}/canvas/{object_image.pk}"
    body = AnnotationBody(
        id=f"{service_id}/full/max/0/default.jpg",
        type="Image",
        format="image/jpeg",
        width=width,
        height=height,
        service=[_service(service_id)],
    )
    painting = Annotation(
        id=f"{canvas_id}/page/1/annotation/1",
        type="Annotation",
        motivation="painting",
        body=body,
        target=canvas_id,
    )
    canvas = Canvas(
        id=canvas_id,
        width=width,
        height=height,
        items=[AnnotationPage(id=f"{canvas_id}/page/1", items=[painting])],
        thumbnail=[_thumbnail(service_id, width, height)],
    )
    if object_image.caption:
        canvas.label = {"none": [object_image.caption]}
    if image.rights_statement:
        canvas.rights = normalise_rights_uri(image.rights_statement)
    return canvas


def _homepages(obj: ObjectRecord, base_url: str, languages: list[str], title: dict):
    """One object page per language: the page URL carries the language prefix."""
    pages = []
    for code in languages:
        with translation.override(code):
            path = obj.get_absolute_url()
        label = {code: title[code]} if code in title else title
        pages.append(
            Homepage(
                id=f"{base_url}{path}",
                type="Text",
                format="text/html",
                label=label,
                language=[code],
            )
        )
    return pages


def object_manifest(obj: ObjectRecord, *, base_url: str) -> dict:
    """The Presentation 3 manifest of ``obj`` as a JSON-ready dict.

    The caller checks that ``obj`` is in :func:`manifest_objects` (visible on the web, with
    an image the web may show). ``base_url`` is the site's origin without a trailing slash.
    """
    base_url = base_url.rstrip("/")
    manifest_id = f"{base_url}{manifest_path(obj.pk)}"
    texts = object_texts(obj)
    # Property labels and translated values follow the object's own languages, and the
    # museum's two working languages whatever the object has.
    languages = list(dict.fromkeys([*texts, "sv", "en"]))
    title = title_map(obj)
    object_images = (
        ObjectImage.objects.visible_in(WEB)
        .filter(object=obj)
        .select_related("image")
        .order_by("sort_order", "pk")
    )
    object_images = list(object_images)
    canvases = [_canvas(manifest_id, base_url, object_image) for object_image in object_images]
    _attach_annotations(obj, canvases, object_images)
    manifest = Manifest(
        id=manifest_id,
        label=title,
        metadata=object_metadata(obj, languages),
        items=canvases,
        homepage=_homepages(obj, base_url, languages, title),
        seeAlso=[
            LinkedResource(
                id=f"{base_url}{reverse('collection:object_linked_art', args=[obj.pk])}",
                type="Dataset",
                label=LABELS["linked_art"],
                format="application/ld+json",
                profile=LINKED_ART_PROFILE,
            )
        ],
    )
    summary = {
        code: [_plain(text.label or text.description)]
        for code, text in texts.items()
        if _plain(text.label or text.description)
    }
    if summary:
        manifest.summary = summary
    credit = credit_statement(obj, texts, languages)
    if credit:
        manifest.requiredStatement = KeyValueString(label=LABELS["attribution"], value=credit)
    if obj.rights_statement:
        manifest.rights = normalise_rights_uri(obj.rights_statement)
    if canvases:
        manifest.thumbnail = list(canvases[0].thumbnail)
    return json.loads(manifest.jsonld())


def objects_collection(*, base_url: str) -> dict:
    """A Collection of the manifests of every object in :func:`manifest_objects`."""
    base_url = base_url.rstrip("/")
    objects = manifest_objects().prefetch_related("texts__locale")
    collection = Collection(
        id=f"{base_url}{reverse('iiif:objects_collection')}",
        label=LABELS["collection"],
        items=[
            ManifestRef(id=f"{base_url}{manifest_path(obj.pk)}", label=title_map(obj))
            for obj in objects
        ],
    )
    return json.loads(collection.jsonld())
