from urllib.parse import urlsplit

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from csp.decorators import csp_update

from collection.models import Culture, Material, ObjectRecord
from collection.public import to_card, to_public, web_object_cards, web_objects
from config.csp import DEEP_ZOOM_PAGE_CSP, MIRADOR_PAGE_CSP
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
@csp_update(DEEP_ZOOM_PAGE_CSP)
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


# What the viewer may open: this site's own IIIF manifests and collections, nothing else.
VIEWABLE = {"iiif:object_manifest", "iiif:objects_collection"}


def _own_manifest(request, value: str) -> tuple[str, int | None] | None:
    """The view name and object number of the manifest ``value`` names on this site, or None.

    ``value`` is a path (``/iiif/presentation/...``) or an absolute URL on this very host;
    any other origin, a query, a fragment or a path that is not a manifest is refused, so the
    page can be neither an open redirect nor a window onto another site's content.
    """
    if not value or len(value) > 500:
        return None
    parts = urlsplit(value)
    if parts.query or parts.fragment or not parts.path.startswith("/"):
        return None
    if (parts.scheme or parts.netloc) and (
        parts.scheme != request.scheme or parts.netloc != request.get_host()
    ):
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.view_name not in VIEWABLE:
        return None
    return match.view_name, match.kwargs.get("pk")


@require_safe
@csp_update(MIRADOR_PAGE_CSP)
def viewer(request):
    """Mirador on one of this site's manifests (``?manifest=``), for comparing and zooming."""
    own = _own_manifest(request, request.GET.get("manifest", ""))
    if own is None:
        context = {
            "title": _("IIIF viewer"),
            "error": _("The viewer opens this site's own IIIF manifests only."),
        }
        return render(request, "collection/viewer.html", context, status=400)
    view_name, pk = own
    if view_name == "iiif:object_manifest":
        obj = web_objects(ObjectRecord.objects.filter(pk=pk)).first()
        public = to_public(obj) if obj is not None else None
        if public is None or not public.manifest_url:
            raise Http404(_("No such object is published."))
        context = {"title": public.title, "object": public, "manifest_path": public.manifest_url}
    else:
        context = {"title": _("The collection"), "manifest_path": reverse(view_name)}
    # The manifest is named by our own reverse(), never by echoing the request.
    context["manifest_url"] = request.build_absolute_uri(context["manifest_path"])
    return render(request, "collection/viewer.html", context)
