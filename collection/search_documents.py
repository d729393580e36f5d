"""What search may know of objects: documents built from ``visible_in(channel)`` only.

The fields are an explicit allow-list, the same public fields as ``collection.public``:
titles, descriptions and label texts per language, the inventory number, object type,
dating and year range, places, cultures, materials, makers, own or on loan, and a lender by
its public name only ("Private collection" for an anonymous one). Insurance values, loan
numbers, lenders' contacts and internal notes never reach a search document.
"""

from collections.abc import Iterable, Iterator

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from collection.models import (
    Culture,
    Lender,
    LoanAgreement,
    Maker,
    Material,
    ObjectPlace,
    ObjectRecord,
    ObjectText,
    Place,
)
from search.backends.base import plain_text
from search.documents import SearchDocument
from search.registry import SearchSource
from visibility.channels import Channel

CHUNK_SIZE = 500


def _object_pks(queryset) -> list[int]:
    return list(queryset.values_list("pk", flat=True))


class ObjectSearch(SearchSource):
    """The museum's own objects and loans, as one kind with an own-or-loan facet."""

    kind = "object"
    label = _("Object")

    def queryset(self, channel: Channel, pks: Iterable | None = None):
        queryset = ObjectRecord.objects.visible_in(channel)
        if pks is not None:
            queryset = queryset.filter(pk__in=[int(pk) for pk in pks if str(pk).isdigit()])
        return queryset.select_related("lender").prefetch_related(
            "texts__locale", "materials", "cultures", "makers", "places__place"
        )

    def count(self, channel: Channel) -> int:
        return ObjectRecord.objects.visible_in(channel).count()

    def documents(self, channel: Channel, pks: Iterable | None = None) -> Iterator[SearchDocument]:
        languages = [code for code, _name in settings.LANGUAGES]
        urls = {}
        for code in languages:
            with translation.override(code):
                urls[code] = reverse("collection:object", args=[0])
        # The facet keeps the untranslated name of an anonymous lender; the page translates it.
        with translation.override("en"):
            for obj in self.queryset(channel, pks).order_by("pk").iterator(chunk_size=CHUNK_SIZE):
                yield self.document(obj, urls)

    def document(self, obj: ObjectRecord, urls: dict[str, str]) -> SearchDocument:
        texts = {text.locale.language_code: text for text in obj.texts.all()}
        places = [p.place.name for p in obj.places.all()]
        makers = [m.name for m in obj.makers.all()]
        facets = {
            "ownership": ["loan" if obj.lender_id else "own"],
            "culture": [c.name for c in obj.cultures.all()],
            "material": [m.name for m in obj.materials.all()],
            "maker": makers,
            "place": places,
            "object_type": [obj.object_type] if obj.object_type else [],
        }
        if obj.lender_id:
            facets["lender"] = [str(obj.lender.public_name)]
        return SearchDocument(
            kind=self.kind,
            pk=str(obj.pk),
            titles={lang: t.title for lang, t in texts.items() if t.title}
            or {settings.LANGUAGE_CODE: obj.inventory_number},
            urls={lang: url.replace("/0/", f"/{obj.pk}/") for lang, url in urls.items()},
            texts={
                lang: " ".join(part for part in (plain_text(t.description), t.label) if part)
                for lang, t in texts.items()
            },
            keywords=[obj.inventory_number, obj.dating, obj.inscriptions],
            facets=facets,
            year_start=obj.earliest_year,
            year_end=obj.latest_year,
            date_label=obj.dating,
            meta=obj.inventory_number,
        )

    def dependencies(self):
        def via(field):
            return lambda term: _object_pks(ObjectRecord.objects.filter(**{field: term}))

        return {
            ObjectRecord: lambda obj: [obj.pk],
            ObjectText: lambda text: [text.object_id],
            ObjectPlace: lambda place: [place.object_id],
            Lender: lambda lender: _object_pks(lender.held_objects.all()),
            # A loan's status decides whether its objects are visible at all.
            LoanAgreement: lambda loan: _object_pks(ObjectRecord.objects.filter(loans=loan)),
            Culture: via("cultures"),
            Material: via("materials"),
            Maker: via("makers"),
            Place: via("places__place"),
        }

    def m2m_dependencies(self):
        def objects(instance, action, pk_set):
            if isinstance(instance, ObjectRecord):
                return [instance.pk]
            return pk_set

        def loan_objects(instance, action, pk_set):
            if isinstance(instance, LoanAgreement):
                if action == "pre_clear":
                    return _object_pks(ObjectRecord.objects.filter(loans=instance))
                return pk_set
            return [instance.pk]

        return {
            ObjectRecord.materials.through: objects,
            ObjectRecord.cultures.through: objects,
            ObjectRecord.makers.through: objects,
            LoanAgreement.loaned_objects.through: loan_objects,
        }
