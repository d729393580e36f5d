from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from collection.models import Culture, Material, ObjectRecord
from collection.public import to_card, to_public, web_object_cards, web_objects
from visibility.channels import WEB

PAGE_SIZE = 24
LINKED_ART_TYPES = ("application/ld+json", "application/json")


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@require_safe
def browse(request):
    """The collection, own objects and loans alike, with filters that work without JavaScript."""
    visible = ObjectRecord.objects.visible_in(WEB)
    filters = {
        "kind": request.GET.get("kind") if request.GET.get("kind") in ("own", "loan") else "",
        "culture": _int_or_none(request.GET.get("culture")),
        "material": _int_or_none(request.GET.get("material")),
        "type": request.GET.get("type", "")[:255],
    }
    selected = visible
    if filters["kind"] == "own":
        selected = selected.own()
    elif filters["kind"] == "loan":
        selected = selected.on_loan()
    if filters["culture"]:
        selected = selected.filter(cultures=filters["culture"])
    if filters["material"]:
        selected = selected.filter(materials=filters["material"])
    if filters["type"]:
        selected = selected.filter(object_type=filters["type"])
    page = Paginator(web_object_cards(selected.distinct()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "title": _("Collection"),
        "objects": [to_card(obj) for obj in page],
        "page_obj": page,
        "filters": filters,
        "query_string": query.urlencode(),
        # Options come from what the web may show, so no filter reveals a hidden object.
        "cultures": Culture.objects.filter(objectrecord__in=visible)
        .distinct()
        .values_list("pk", "name"),
        "materials": Material.objects.filter(objectrecord__in=visible)
        .distinct()
        .values_list("pk", "name"),
        "types": visible.exclude(object_type="")
        .order_by("object_type")
        .values_list("object_type", flat=True)
        .distinct(),
        "total": visible.count(),
    }
    return render(request, "collection/browse.html", context)


@require_safe
@vary_on_headers("Accept")
def object_detail(request, pk: int, as_linked_art: bool = False):
    """An object's public page, or its Linked Art JSON-LD (``.jsonld`` or by Accept header)."""
    obj = web_objects(ObjectRecord.objects.filter(pk=pk)).first()
    if obj is None:
        raise Http404(_("No such object is published."))
    accept = request.headers.get("Accept", "")
    if as_linked_art or (accept.split(",")[0].split(";")[0].strip() in LINKED_ART_TYPES):
        from collection.linked_art import render_linked_art

        return render_linked_art(obj, request)
    public = to_public(obj)
    return render(request, "collection/object.html", {"object": public, "title": public.title})
