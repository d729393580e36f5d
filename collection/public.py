"""What the public may see of an object, as an explicit allow-list.

Public templates, the sitemap and other web outputs get a :class:`PublicObject`, never a
model instance, so a template cannot reach a lender's contact details or a loan's insurance
value by following a relation. Everything here is selected through ``visible_in(WEB)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from collection.iiif.access import image_identifier
from collection.models import LoanAgreement, ObjectImage, ObjectRecord
from collection.models.loans import confirmed_loan_q
from collection.rights import normalise_rights_uri, rights_label
from visibility.channels import WEB

THUMBNAIL_SIZE = 400
DISPLAY_SIZE = 1200


@dataclass(frozen=True)
class PublicImage:
    url: str
    width: int
    height: int
    alt: str
    caption: str
    credit: str
    rights_uri: str
    rights_label: str | None
    # The image's IIIF Image API info.json (deep zoom), on object pages only.
    info_url: str = ""


@dataclass(frozen=True)
class PublicProvenanceEvent:
    kind: str
    kind_label: str
    date: str
    parties: str
    place: str
    source: str
    note: str


@dataclass(frozen=True)
class PublicObject:
    pk: int
    url: str
    inventory_number: str
    title: str
    title_language: str
    object_type: str
    description: str
    label: str
    dating: str
    earliest_year: int | None
    latest_year: int | None
    dimensions: str
    measurements: list[str]
    inscriptions: str
    materials: list[str]
    cultures: list[str]
    makers: list[str]
    places: list[tuple[str, str]]
    rights_uri: str
    rights_label: str | None
    is_on_loan: bool
    lender_name: str
    credit_line: str
    images: list[PublicImage] = field(default_factory=list)
    provenance: list[PublicProvenanceEvent] = field(default_factory=list)
    # The IIIF manifest, only when there is an image to show in it (a manifest needs one).
    manifest_url: str = ""


@dataclass(frozen=True)
class PublicObjectCard:
    """What a listing shows of an object: a small allow-list of its own."""

    pk: int
    url: str
    inventory_number: str
    title: str
    title_language: str
    is_on_loan: bool
    thumbnail: PublicImage | None


def _web_images_prefetch() -> Prefetch:
    # Renditions are prefetched too: get_rendition() then finds them without a query.
    return Prefetch(
        "images",
        queryset=ObjectImage.objects.visible_in(WEB)
        .select_related("image")
        .prefetch_related("image__renditions"),
        to_attr="web_images",
    )


def web_object_cards(queryset: QuerySet[ObjectRecord]) -> QuerySet[ObjectRecord]:
    """Objects visible on the web, with what :func:`to_card` reads prefetched."""
    return queryset.visible_in(WEB).prefetch_related("texts__locale", _web_images_prefetch())


def to_card(obj: ObjectRecord) -> PublicObjectCard:
    """The listing view of ``obj`` (from :func:`web_object_cards`)."""
    text = obj.text_for(get_language())
    title = text.title if text else obj.inventory_number
    images = obj.web_images
    return PublicObjectCard(
        pk=obj.pk,
        url=obj.get_absolute_url(),
        inventory_number=obj.inventory_number,
        title=title,
        title_language=text.locale.language_code if text else get_language(),
        is_on_loan=bool(obj.lender_id),
        thumbnail=_public_image(images[0], THUMBNAIL_SIZE, title) if images else None,
    )


def web_objects(queryset: QuerySet[ObjectRecord] | None = None) -> QuerySet[ObjectRecord]:
    """Objects visible on the web, with what :func:`to_public` reads prefetched."""
    queryset = ObjectRecord.objects.all() if queryset is None else queryset
    return (
        queryset.visible_in(WEB)
        .select_related("lender")
        .prefetch_related(
            "texts__locale",
            "materials",
            "cultures",
            "makers",
            "places__place",
            "dimensions",
            "provenance__place",
            _web_images_prefetch(),
            Prefetch(
                "loans",
                queryset=LoanAgreement.objects.filter(confirmed_loan_q()).prefetch_related(
                    "credit_lines__locale"
                ),
                to_attr="confirmed_loans",
            ),
        )
    )


def web_rendition(image, size: int):
    """A rendition no larger than ``size`` and never larger than the image may be online."""
    limit = image.online_size_limit()
    if limit:
        size = min(size, limit)
    return image.get_rendition(f"max-{size}x{size}|format-jpeg")


def _public_image(object_image, size: int, title: str, *, zoomable: bool = False) -> PublicImage:
    image = object_image.image
    rendition = web_rendition(image, size)
    rights = normalise_rights_uri(image.rights_statement) if image.rights_statement else ""
    return PublicImage(
        url=rendition.url,
        width=rendition.width,
        height=rendition.height,
        alt=object_image.caption or title,
        caption=object_image.caption,
        credit=" · ".join(part for part in (image.credit_line, image.photographer) if part),
        rights_uri=rights,
        rights_label=rights_label(rights) if rights else None,
        # The image server applies the same visibility and size limits as the rendition.
        info_url=reverse("iiif:info", args=[image_identifier(image)]) if zoomable else "",
    )


def to_public(obj: ObjectRecord) -> PublicObject:
    """Build the public view of ``obj`` (from :func:`web_objects`)."""
    language = get_language()
    text = obj.text_for(language)
    title = text.title if text else obj.inventory_number
    images = getattr(obj, "web_images", [])
    loans = getattr(obj, "confirmed_loans", [])
    if obj.lender_id:
        lender_name = obj.lender.public_name
        credit = next((c for c in (loan.credit_line_for(language) for loan in loans) if c), "")
        credit = credit or _("On loan from %(lender)s") % {"lender": lender_name}
    else:
        lender_name, credit = "", (text.credit_line if text else "")
    public_images = [_public_image(image, DISPLAY_SIZE, title, zoomable=True) for image in images]
    rights = normalise_rights_uri(obj.rights_statement) if obj.rights_statement else ""
    return PublicObject(
        pk=obj.pk,
        url=obj.get_absolute_url(),
        inventory_number=obj.inventory_number,
        title=title,
        title_language=text.locale.language_code if text else language,
        object_type=obj.object_type,
        description=text.description if text else "",
        label=text.label if text else "",
        dating=obj.dating,
        earliest_year=obj.earliest_year,
        latest_year=obj.latest_year,
        dimensions=obj.dimensions_text,
        measurements=[str(dimension) for dimension in obj.dimensions.all()],
        inscriptions=obj.inscriptions,
        materials=[m.name for m in obj.materials.all()],
        cultures=[c.name for c in obj.cultures.all()],
        makers=[m.name for m in obj.makers.all()],
        places=[(p.get_role_display(), p.place.name) for p in obj.places.all()],
        rights_uri=rights,
        rights_label=rights_label(rights) if rights else None,
        is_on_loan=bool(obj.lender_id),
        lender_name=lender_name,
        credit_line=credit,
        images=public_images,
        manifest_url=reverse("iiif:object_manifest", args=[obj.pk]) if public_images else "",
        provenance=[
            PublicProvenanceEvent(
                kind=event.kind,
                kind_label=event.get_kind_display(),
                date=event.date_text,
                parties=event.parties,
                place=event.place.name if event.place else "",
                source=event.source,
                note=event.note,
            )
            for event in obj.provenance.all()
        ],
    )
