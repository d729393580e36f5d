"""Filters for the collection's admin listings: the questions a registrar asks of the records."""

from django import forms
from django.apps import apps
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.widgets import AdminDateInput, BooleanRadioSelect

import django_filters

from collection.models import Lender, LoanAgreement, ObjectImage, ObjectRecord, ObjectText


def sensitive_not_cleared_q() -> Q:
    """Sensitive objects a curator has not yet cleared: they stay off every public channel."""
    return (Q(contains_human_remains=True) | Q(restricted_by_community=True)) & Q(
        sensitivity_cleared=False
    )


def content_language_choices():
    # Read at form time rather than import time so test settings and venues' extra
    # languages (CONTENT_LANGUAGES) are honoured.
    return list(settings.WAGTAIL_CONTENT_LANGUAGES)


class ObjectRecordFilterSet(WagtailFilterSet):
    """Filters for the object listing: holding, loans, and what is still missing."""

    holding = django_filters.ChoiceFilter(
        label=_("Own or loan"),
        choices=[("own", _("own collection")), ("loan", _("on loan"))],
        method="filter_holding",
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )
    lender = django_filters.ModelChoiceFilter(
        label=_("Lender"),
        queryset=Lender.objects.all(),
        empty_label=_("Any lender"),
    )
    loan_status = django_filters.ChoiceFilter(
        label=_("Loan status"),
        choices=LoanAgreement.Status.choices,
        method="filter_loan_status",
        empty_label=_("All"),
        widget=forms.RadioSelect,
        help_text=_("Objects with at least one loan agreement in this status."),
    )
    missing_image = django_filters.BooleanFilter(
        label=_("Missing image"), method="filter_missing_image", widget=BooleanRadioSelect
    )
    missing_rights = django_filters.BooleanFilter(
        label=_("Missing rights statement"),
        method="filter_missing_rights",
        widget=BooleanRadioSelect,
    )
    missing_translation = django_filters.ChoiceFilter(
        label=_("Missing text in language"),
        choices=content_language_choices,
        method="filter_missing_translation",
        empty_label=_("Any"),
        widget=forms.RadioSelect,
    )
    sensitive_not_cleared = django_filters.BooleanFilter(
        label=_("Sensitive, not cleared"),
        method="filter_sensitive_not_cleared",
        widget=BooleanRadioSelect,
    )

    class Meta:
        model = ObjectRecord
        fields = ["is_published"]

    def filter_holding(self, queryset, name, value):
        if value == "own":
            return queryset.own()
        if value == "loan":
            return queryset.on_loan()
        return queryset

    def filter_loan_status(self, queryset, name, value):
        if not value:
            return queryset
        # Exists rather than a join: an object in two loans must not appear twice.
        loans = LoanAgreement.objects.filter(loaned_objects=OuterRef("pk"), status=value)
        return queryset.filter(Exists(loans))

    def filter_missing_image(self, queryset, name, value):
        if value is None:
            return queryset
        has_image = Exists(ObjectImage.objects.filter(object=OuterRef("pk")))
        return queryset.filter(~has_image if value else has_image)

    def filter_missing_rights(self, queryset, name, value):
        if value is None:
            return queryset
        missing = Q(rights_statement="")
        return queryset.filter(missing if value else ~missing)

    def filter_missing_translation(self, queryset, name, value):
        if not value:
            return queryset
        texts = ObjectText.objects.filter(object=OuterRef("pk"), locale__language_code=value)
        return queryset.filter(~Exists(texts))

    def filter_sensitive_not_cleared(self, queryset, name, value):
        if value is None:
            return queryset
        q = sensitive_not_cleared_q()
        return queryset.filter(q if value else ~q)


class LoanAgreementFilterSet(WagtailFilterSet):
    """Filters for the loan listing: status, lender, and loans ending before a date."""

    lender = django_filters.ModelChoiceFilter(
        label=_("Lender"), queryset=Lender.objects.all(), empty_label=_("Any lender")
    )
    ends_before = django_filters.DateFilter(
        label=_("Ends before"), field_name="ends_on", lookup_expr="lt", widget=AdminDateInput
    )

    class Meta:
        model = LoanAgreement
        fields = ["status", "all_venues"]


def venues():
    # By model name: collection must not import exhibition (DESIGN.md).
    return apps.get_model("exhibition", "Venue").objects.all()


class LoanCoverageFilterSet(WagtailFilterSet):
    """Narrows the loan coverage report to one venue; it filters venues, not report rows."""

    venue = django_filters.ModelChoiceFilter(
        label=_("Venue"),
        queryset=lambda request: venues(),
        method="filter_venue",
        empty_label=_("All venues"),
    )

    def filter_venue(self, queryset, name, value):
        return queryset.filter(pk=value.pk) if value else queryset
