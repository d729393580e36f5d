"""Admin views: the translation completeness report per venue, and PO export and import.

Staff need ``localisation.view_translation_report`` for the reports and
``localisation.exchange_po_files`` for PO files. Venue staff see only their own venues.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from exhibition.models import Venue
from localisation.completeness import KINDS, missing_for_venue
from localisation.po import MAX_PO_BYTES, POImportError, export_po, import_po, source_language
from localisation.venue_staff import staff_venue_ids

REPORT_PERMISSION = "localisation.view_translation_report"
PO_PERMISSION = "localisation.exchange_po_files"

KIND_LABELS = {
    "page": gettext_lazy("Pages"),
    "room": gettext_lazy("Room names"),
    "label": gettext_lazy("Labels"),
    "object": gettext_lazy("Objects"),
    "testimony": gettext_lazy("Testimonies"),
}
NOTE_LABELS = {
    "draft_translation": gettext_lazy("draft translation, not live"),
    "no_locale": gettext_lazy("the language has no locale yet"),
    "awaiting_review": gettext_lazy("translation awaiting ethics review"),
}


def _require(request, permission):
    if not request.user.has_perm(permission):
        raise PermissionDenied


def user_venues(user):
    """The venues ``user`` may see reports for: their own for venue staff, else all."""
    venues = Venue.objects.all()
    ids = staff_venue_ids(user)
    return venues if ids is None else venues.filter(pk__in=ids)


def _venue(request, venue_id):
    return get_object_or_404(user_venues(request.user), pk=venue_id)


def index(request):
    """Every venue with, per language, how many items are untranslated."""
    _require(request, REPORT_PERMISSION)
    rows = [
        {"venue": venue, "report": missing_for_venue(venue, user=request.user)}
        for venue in user_venues(request.user).order_by("opens_on", "institution")
    ]
    return TemplateResponse(
        request,
        "localisation/admin/index.html",
        {"rows": rows, "title": _("Translations")},
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Translated PO file"))
    dry_run = forms.BooleanField(label=gettext_lazy("Only check, change nothing"), required=False)

    def __init__(self, *args, languages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"] = forms.ChoiceField(
            label=gettext_lazy("Language of the file"),
            choices=[(code, code) for code in languages],
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_PO_BYTES:
            raise forms.ValidationError(_("The file is too large to be a translation file."))
        return upload


def venue_report(request, venue_id: int):
    """Languages × kinds of a venue, and (``?language=…&kind=…``) the missing items."""
    _require(request, REPORT_PERMISSION)
    venue = _venue(request, venue_id)
    report = missing_for_venue(venue, user=request.user)
    language = request.GET.get("language")
    kind = request.GET.get("kind")
    selected = report.for_language(language) if language else None
    if language and selected is None:
        raise Http404
    items = []
    if selected is not None:
        items = [item for item in selected.missing if not kind or item.kind == kind]
    return TemplateResponse(
        request,
        "localisation/admin/venue.html",
        {
            "title": _("Translations for %(venue)s") % {"venue": venue},
            "venue": venue,
            "report": report,
            "kinds": [(code, KIND_LABELS[code]) for code in KINDS],
            "selected": selected,
            "kind": kind,
            "items": items,
            "note_labels": NOTE_LABELS,
            "kind_labels": KIND_LABELS,
            "can_exchange": request.user.has_perm(PO_PERMISSION),
            "report_source": source_language(),
            "import_form": ImportForm(languages=_targets(venue)),
        },
    )


def _targets(venue):
    return [code for code in venue.languages if code != source_language()]


def export(request, venue_id: int, language: str):
    """Download the venue's PO file for ``language``."""
    _require(request, PO_PERMISSION)
    venue = _venue(request, venue_id)
    try:
        po = export_po(venue, language)
    except POImportError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(str(po), content_type="text/x-gettext-translation; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{venue.slug}-{language}.po"'
    return response


@require_POST
def import_file(request, venue_id: int):
    """Import an uploaded PO file for the venue and show what happened."""
    _require(request, PO_PERMISSION)
    venue = _venue(request, venue_id)
    form = ImportForm(request.POST, request.FILES, languages=_targets(venue))
    result = error = None
    if form.is_valid():
        try:
            result = import_po(
                form.cleaned_data["file"].read(),
                user=request.user,
                venue=venue,
                language=form.cleaned_data["language"],
                dry_run=form.cleaned_data["dry_run"],
            )
        except POImportError as problem:
            error = str(problem)
    return TemplateResponse(
        request,
        "localisation/admin/import_result.html",
        {
            "title": _("Import for %(venue)s") % {"venue": venue},
            "venue": venue,
            "form": form,
            "result": result,
            "error": error,
        },
        status=200 if result else 400,
    )
