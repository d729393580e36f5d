"""The collection in the Wagtail admin: objects, lenders, loans and vocabularies for
registrars and curators, bulk publishing, and the loan coverage report.

Panels live on the viewsets rather than the models, so the admin layout can change
without a migration.
"""

from django import forms
from django.db.models import BooleanField, ExpressionWrapper
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.permissions import policy_registry
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from collection.admin_views import (
    LoanCoverageReportView,
    ObjectRecordIndexView,
    PublishObjectsBulkAction,
    UnpublishObjectsBulkAction,
)
from collection.filters import LoanAgreementFilterSet, ObjectRecordFilterSet
from collection.models import (
    Culture,
    Lender,
    LoanAgreement,
    Maker,
    Material,
    ObjectRecord,
    Place,
)
from collection.models.objects import published_q

# --- Objects --------------------------------------------------------------------------


def holding_label(obj: ObjectRecord) -> str:
    # The admin may name an anonymous lender; public output uses Lender.public_name.
    return obj.lender.name if obj.lender_id else str(_("own collection"))


def publication_status(obj: ObjectRecord) -> str:
    # ``is_live`` is annotated from published_q() (get_queryset), the one rule for it.
    if obj.is_live:
        return str(_("published"))
    if obj.is_published:
        return str(_("awaiting clearance"))
    return str(_("draft"))


class ObjectRecordViewSet(SnippetViewSet):
    """Object records: the listing a registrar works from, and the tabbed edit form."""

    model = ObjectRecord
    icon = "doc-full-inverse"
    menu_label = _("Objects")
    index_view_class = ObjectRecordIndexView
    list_per_page = 50
    ordering = ["inventory_number"]
    filterset_class = ObjectRecordFilterSet
    list_display = [
        "inventory_number",
        Column("title", label=_("Title")),
        "object_type",
        Column("holding", label=_("Own or loan"), accessor=holding_label, sort_key="lender__name"),
        StatusTagColumn(
            "publication",
            label=_("Published"),
            accessor=publication_status,
            primary=lambda obj: obj.is_live,
            sort_key="is_published",
        ),
    ]
    list_export = ["inventory_number", "title", "object_type", "lender", "is_published"]
    export_headings = {
        "inventory_number": _("Inventory number"),
        "title": _("Title"),
        "object_type": _("Object type"),
        "lender": _("Lender"),
        "is_published": _("Published"),
    }

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    InlinePanel(
                        "texts",
                        heading=_("Texts"),
                        label=_("Text"),
                        min_num=1,
                        panels=[
                            FieldPanel("locale"),
                            FieldPanel("title"),
                            FieldPanel("description"),
                            FieldPanel("label"),
                            FieldPanel("credit_line"),
                        ],
                        help_text=_("One text per language; translators add the others."),
                    ),
                ],
                heading=_("Texts"),
            ),
            ObjectList(
                [
                    MultiFieldPanel(
                        [
                            FieldRowPanel([FieldPanel("inventory_number"), FieldPanel("lender")]),
                            FieldPanel("object_type"),
                        ],
                        heading=_("Identification"),
                    ),
                    MultiFieldPanel(
                        [
                            FieldPanel("dating"),
                            FieldRowPanel([FieldPanel("earliest_year"), FieldPanel("latest_year")]),
                        ],
                        heading=_("Dating"),
                    ),
                    MultiFieldPanel(
                        [
                            FieldPanel("makers", widget=forms.CheckboxSelectMultiple),
                            FieldPanel("cultures", widget=forms.CheckboxSelectMultiple),
                            FieldPanel("materials", widget=forms.CheckboxSelectMultiple),
                            FieldPanel("dimensions_text"),
                            FieldPanel("inscriptions"),
                        ],
                        heading=_("Description"),
                    ),
                    InlinePanel(
                        "dimensions",
                        heading=_("Dimensions"),
                        label=_("Dimension"),
                        panels=[
                            FieldRowPanel(
                                [FieldPanel("kind"), FieldPanel("value"), FieldPanel("unit")]
                            ),
                            FieldPanel("note"),
                        ],
                    ),
                    MultiFieldPanel(
                        [FieldPanel("rights_statement"), FieldPanel("is_published")],
                        heading=_("Rights and publication"),
                    ),
                ],
                heading=_("Object data"),
            ),
            ObjectList(
                [
                    InlinePanel(
                        "places",
                        label=_("Place"),
                        panels=[FieldPanel("place"), FieldPanel("role")],
                    )
                ],
                heading=_("Places"),
            ),
            ObjectList(
                [
                    InlinePanel(
                        "images",
                        label=_("Image"),
                        panels=[FieldPanel("image"), FieldPanel("caption")],
                    )
                ],
                heading=_("Images"),
            ),
            ObjectList(
                [
                    InlinePanel(
                        "provenance",
                        label=_("Provenance event"),
                        help_text=_("In the order the events happened; drag to reorder."),
                        panels=[
                            FieldPanel("kind"),
                            FieldRowPanel(
                                [
                                    FieldPanel("date_text"),
                                    FieldPanel("earliest_year"),
                                    FieldPanel("latest_year"),
                                ]
                            ),
                            FieldPanel("parties"),
                            FieldPanel("place"),
                            FieldPanel("source"),
                            FieldPanel("note"),
                        ],
                    )
                ],
                heading=_("Provenance"),
            ),
            ObjectList(
                [
                    FieldPanel("contains_human_remains"),
                    FieldPanel("restricted_by_community"),
                    FieldPanel(
                        "sensitivity_cleared", permission="collection.clear_sensitive_object"
                    ),
                    FieldPanel("sensitivity_note"),
                ],
                heading=_("Sensitivity"),
                help_text=_(
                    "A sensitive object stays off every public channel, even when published, "
                    "until a curator clears it."
                ),
            ),
        ]
    )

    def get_queryset(self, request):
        # Titles and the holding column read texts and lender on every row.
        return (
            ObjectRecord.objects.select_related("lender")
            .prefetch_related("texts__locale")
            .annotate(is_live=ExpressionWrapper(published_q(), output_field=BooleanField()))
        )


# --- Lenders --------------------------------------------------------------------------


class LenderViewSet(SnippetViewSet):
    """Lenders, with their contact details kept in a panel marked confidential."""

    model = Lender
    icon = "group"
    menu_label = _("Lenders")
    list_display = ["name", "kind", "is_anonymous"]
    list_filter = ["kind", "is_anonymous"]
    search_fields = ["name"]
    search_backend_name = None
    ordering = ["name"]

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("slug"),
                FieldRowPanel([FieldPanel("kind"), FieldPanel("is_anonymous")]),
            ],
            heading=_("Lender"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("contact_name"),
                FieldRowPanel([FieldPanel("contact_email"), FieldPanel("contact_phone")]),
                FieldPanel("address"),
                FieldPanel("notes"),
            ],
            heading=_("Confidential"),
            help_text=_("Never shown outside the admin."),
            permission="collection.view_lender_contact",
        ),
    ]


# --- Loans ----------------------------------------------------------------------------


class LoanAgreementForm(WagtailAdminModelForm):
    """The loan form: only borrowed objects can be chosen, and only the lender's own."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("loaned_objects")
        if field is not None:
            field.queryset = (
                ObjectRecord.objects.on_loan()
                .select_related("lender")
                .prefetch_related("texts__locale")
                .order_by("lender__name", "inventory_number")
            )
            field.label_from_instance = lambda obj: f"{obj} ({obj.lender.name})"

    def clean(self):
        cleaned_data = super().clean()
        lender = cleaned_data.get("lender")
        objects = cleaned_data.get("loaned_objects")
        if lender is not None and objects:
            foreign = [str(obj) for obj in objects if obj.lender_id != lender.pk]
            if foreign:
                self.add_error(
                    "loaned_objects",
                    _("Held by another lender: %(objects)s.") % {"objects": ", ".join(foreign)},
                )
        return cleaned_data


def loan_period(loan: LoanAgreement) -> str:
    return f"{loan.starts_on.isoformat()} – {loan.ends_on.isoformat()}"


def loan_venues(loan: LoanAgreement) -> str:
    if loan.all_venues:
        return str(_("all venues"))
    return ", ".join(venue.institution for venue in loan.venues.all())


class LoanAgreementViewSet(SnippetViewSet):
    """Loan agreements; the insurance panel is marked confidential."""

    model = LoanAgreement
    icon = "clipboard-list"
    menu_label = _("Loans")
    list_per_page = 50
    ordering = ["starts_on", "number"]
    filterset_class = LoanAgreementFilterSet
    search_fields = ["number", "lender__name"]
    search_backend_name = None
    list_display = [
        "number",
        "lender",
        Column("period", label=_("Period"), accessor=loan_period, sort_key="starts_on"),
        "status",
        Column("venues", label=_("Venues"), accessor=loan_venues),
    ]

    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [FieldRowPanel([FieldPanel("number"), FieldPanel("lender")])],
                heading=_("Agreement"),
            ),
            FieldPanel("loaned_objects", widget=forms.CheckboxSelectMultiple),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
                    FieldPanel("all_venues"),
                    FieldPanel("venues", widget=forms.CheckboxSelectMultiple),
                ],
                heading=_("Period and venues"),
                help_text=_(
                    "An object appears at a venue only if the loan names it (or all venues) "
                    "and runs from its opening to its closing."
                ),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("status"),
                    FieldRowPanel([FieldPanel("requested_on"), FieldPanel("agreed_on")]),
                    FieldRowPanel(
                        [
                            FieldPanel("shipped_on"),
                            FieldPanel("on_display_from"),
                            FieldPanel("returned_on"),
                        ]
                    ),
                ],
                heading=_("Status"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("max_lux"),
                    FieldRowPanel([FieldPanel("humidity_min"), FieldPanel("humidity_max")]),
                    FieldRowPanel([FieldPanel("temperature_min"), FieldPanel("temperature_max")]),
                    FieldPanel("security"),
                    FieldPanel("mounting"),
                ],
                heading=_("Display conditions"),
            ),
            MultiFieldPanel(
                [FieldRowPanel([FieldPanel("insurance_value"), FieldPanel("insurance_currency")])],
                heading=_("Insurance (confidential)"),
                help_text=_("Never shown outside the admin."),
                permission="collection.view_insurance",
            ),
            MultiFieldPanel(
                [FieldPanel("photography_allowed"), FieldPanel("online_publication_allowed")],
                heading=_("Permissions"),
            ),
            InlinePanel(
                "credit_lines",
                heading=_("Credit lines"),
                label=_("Credit line"),
                panels=[FieldPanel("locale"), FieldPanel("text")],
            ),
            FieldPanel("notes"),
        ],
        base_form_class=LoanAgreementForm,
    )

    def get_queryset(self, request):
        return LoanAgreement.objects.select_related("lender").prefetch_related("venues")


# --- Vocabularies ---------------------------------------------------------------------


class VocabularyViewSet(SnippetViewSet):
    """A shared vocabulary term: a name and an authority URI, searched by name."""

    icon = "tag"
    list_display = ["name", "uri"]
    search_fields = ["name"]
    search_backend_name = None
    ordering = ["name"]
    panels = [FieldPanel("name"), FieldPanel("uri")]


class PlaceViewSet(VocabularyViewSet):
    """Places, with country and coordinates for maps."""

    model = Place
    icon = "globe"
    menu_label = _("Places")
    list_display = ["name", "country", "uri"]
    list_filter = ["country"]
    panels = [
        FieldPanel("name"),
        FieldPanel("uri"),
        FieldPanel("country"),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
    ]


class CultureViewSet(VocabularyViewSet):
    """Cultures and peoples."""

    model = Culture
    menu_label = _("Cultures and peoples")


class MaterialViewSet(VocabularyViewSet):
    """Materials and techniques."""

    model = Material
    menu_label = _("Materials and techniques")


class MakerViewSet(VocabularyViewSet):
    """Makers, with their life dates."""

    model = Maker
    icon = "user"
    menu_label = _("Makers")
    list_display = ["name", "life_dates", "uri"]
    panels = [FieldPanel("name"), FieldPanel("life_dates"), FieldPanel("uri")]


class CollectionViewSetGroup(SnippetViewSetGroup):
    """The "Collection" menu: records first, then the vocabularies they draw on."""

    menu_label = _("Collection")
    menu_icon = "folder-open-inverse"
    menu_order = 200
    items = (
        ObjectRecordViewSet,
        LenderViewSet,
        LoanAgreementViewSet,
        PlaceViewSet,
        CultureViewSet,
        MaterialViewSet,
        MakerViewSet,
    )


register_snippet(CollectionViewSetGroup)

hooks.register("register_bulk_action", PublishObjectsBulkAction)
hooks.register("register_bulk_action", UnpublishObjectsBulkAction)


# --- Reports --------------------------------------------------------------------------


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path(
            "collection/reports/loan-coverage/",
            LoanCoverageReportView.as_view(),
            name="collection_loan_coverage",
        ),
        path(
            "collection/reports/loan-coverage/results/",
            LoanCoverageReportView.as_view(results_only=True),
            name="collection_loan_coverage_results",
        ),
    ]


class LoanCoverageMenuItem(MenuItem):
    """Shown to those who may open the report: anyone with a permission on loans."""

    def is_shown(self, request):
        return policy_registry.get_by_type(LoanAgreement).user_has_any_permission(
            request.user, LoanCoverageReportView.any_permission_required
        )


@hooks.register("register_reports_menu_item")
def register_loan_coverage_menu_item():
    return LoanCoverageMenuItem(
        _("Loan coverage"),
        reverse("collection_loan_coverage"),
        name="loan-coverage",
        icon_name="clipboard-list",
        order=1300,
    )
