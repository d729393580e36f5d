"""Admin views for the collection: the object listing's search, bulk publishing, and the
registrar's loan coverage report."""

import datetime
from dataclasses import dataclass

from django.db import connections
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.db.models.expressions import RawSQL
from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.log_actions import log
from wagtail.permissions import policy_registry
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView

from collection.filters import LoanCoverageFilterSet, ObjectRecordFilterSet, venues
from collection.models import LoanAgreement, ObjectRecord, ObjectText
from collection.models.loans import confirmed_loan_q, covers_venue_q
from visibility.channels import VenueRef

# --- Object listing -------------------------------------------------------------------


class ObjectRecordIndexView(SnippetIndexView):
    """The object listing, searching inventory numbers and titles in the database.

    The admin's backend search autocompletes only ``AutocompleteField``s, which titles
    are not, and the index follows edits through a background task; the ORM matches part
    of a title or inventory number at once, which is what a registrar types.
    """

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return search_objects(queryset, self.search_query)


# Longer search text than this is cut: nobody types a longer number or title.
MAX_SEARCH_CHARS = 200


def search_objects(queryset, term: str):
    """Objects whose inventory number or title in any language contains ``term``.

    Searched with the trigram indexes of migration ``collection.0009`` rather than a scan
    of every row: at 100,000 objects the count and first page of most searches take a few
    milliseconds instead of 50 to 110.

    - SQLite: a term of three characters or more is one quoted FTS5 phrase (a double quote
      in it doubled; nothing else in it is syntax) over the FTS5 trigram tables, which
      match any substring and fold case for all of Unicode ("TENNSKÅL" finds "Tennskål",
      which SQLite's LIKE does not). A shorter term holds no trigram: it is matched with
      ``icontains``, a scan, which folds case only for ASCII.
    - PostgreSQL: ``icontains``, which pg_trgm's GIN indexes on ``UPPER(column::text)``
      serve from three characters (shorter terms are a scan there too); numbers and
      titles then meet in one ``pk IN (… UNION …)``, as "number LIKE … OR pk IN (…)"
      would make PostgreSQL test every object.

    Numbers and titles are matched in one pass each, never in a subquery per object. A NUL
    character, which PostgreSQL refuses in a query and no number or title contains,
    matches nothing. The result is a filter of ``queryset``: it combines with the
    listing's filters, ordering and pagination."""
    if "\x00" in term:
        return queryset.none()
    term = term[:MAX_SEARCH_CHARS]
    vendor = connections[queryset.db].vendor
    if vendor == "sqlite" and len(term) >= 3:
        phrase = '"' + term.replace('"', '""') + '"'
        # The FTS5 tables of migration collection.0009; rowid is the source row's id.
        numbers = RawSQL(  # noqa: S611 (fixed SQL; the term is a parameter)
            "SELECT rowid FROM collection_objectrecord_trigram"
            " WHERE collection_objectrecord_trigram MATCH %s",
            [phrase],
        )
        texts = RawSQL(  # noqa: S611 (fixed SQL; the term is a parameter)
            "SELECT rowid FROM collection_objecttext_trigram"
            " WHERE collection_objecttext_trigram MATCH %s",
            [phrase],
        )
        titles = ObjectText.objects.filter(pk__in=texts).values("object_id")
        # SQLite fetches each side's objects by primary key (a "MULTI-INDEX OR").
        return queryset.filter(Q(pk__in=numbers) | Q(pk__in=titles))
    titles = ObjectText.objects.filter(title__icontains=term).order_by().values("object_id")
    if vendor == "postgresql" and len(term) >= 3:  # each side a scan of its trigram index
        numbers = ObjectRecord.objects.filter(inventory_number__icontains=term)
        return queryset.filter(pk__in=numbers.order_by().values("pk").union(titles))
    return queryset.filter(Q(inventory_number__icontains=term) | Q(pk__in=titles))


# --- Bulk publish / unpublish ---------------------------------------------------------


class SetPublishedBulkAction(SnippetBulkAction):
    """Publish or unpublish the selected objects, after a confirmation page.

    Each object is saved (not ``update()``-d) so that search indexing and other
    ``post_save`` listeners see the change, and each change is logged for its history.
    """

    models = [ObjectRecord]
    template_name = "collection/admin/confirm_bulk_set_published.html"
    publish = True

    def check_perm(self, obj):
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", obj
        )

    def get_all_objects_in_listing_query(self, parent_id):
        # "Select all in listing" sends the listing's filters and search along with
        # id=all; Wagtail's default would ignore them and act on the whole collection.
        queryset = ObjectRecord.objects.all()
        filters = ObjectRecordFilterSet(self.request.GET, queryset=queryset, request=self.request)
        if filters.is_valid():  # as the listing does, which ignores invalid filters
            queryset = filters.qs
        if term := self.request.GET.get("q", "").strip():
            queryset = search_objects(queryset, term)
        return queryset.values_list("pk", flat=True)

    def get_execution_context(self):
        return {**super().get_execution_context(), "user": self.request.user}

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        changed = 0
        for obj in objects:
            if obj.is_published == cls.publish:
                continue
            obj.is_published = cls.publish
            obj.save(update_fields=["is_published", "updated_at"])
            log(obj, "wagtail.publish" if cls.publish else "wagtail.unpublish", user=user)
            changed += 1
        return changed, 0

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["publish"] = self.publish
        context["action_title"] = self.display_name
        if self.publish:
            # Publishing does not clear sensitivity: say which objects will stay hidden.
            context["held_back"] = [
                entry["item"]
                for entry in context["items"]
                if entry["item"].is_sensitive and not entry["item"].sensitivity_cleared
            ]
        return context


class PublishObjectsBulkAction(SetPublishedBulkAction):
    """Publish the selected objects (sensitive ones still wait for clearance)."""

    display_name = _("Publish")
    action_type = "publish"
    aria_label = _("Publish selected objects")
    action_priority = 10
    publish = True

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d object published.", "%(count)d objects published.", num_parent_objects
        ) % {"count": num_parent_objects}


class UnpublishObjectsBulkAction(SetPublishedBulkAction):
    """Take the selected objects off every public channel."""

    display_name = _("Unpublish")
    action_type = "unpublish"
    aria_label = _("Unpublish selected objects")
    action_priority = 20
    publish = False

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d object unpublished.", "%(count)d objects unpublished.", num_parent_objects
        ) % {"count": num_parent_objects}


# --- Loan coverage report -------------------------------------------------------------


@dataclass(frozen=True)
class CoverageGap:
    """One loaned object that cannot be shown at one venue, and why."""

    venue: object
    object: ObjectRecord | None
    loans: tuple[LoanAgreement, ...]
    reason: str

    @property
    def venue_name(self) -> str:
        return str(self.venue)

    @property
    def venue_dates(self) -> str:
        opens, closes = self.venue.opens_on, self.venue.closes_on
        if opens is None or closes is None:
            return ""
        return f"{opens.isoformat()} – {closes.isoformat()}"

    @property
    def inventory_number(self) -> str:
        return self.object.inventory_number if self.object else ""

    @property
    def object_title(self) -> str:
        return self.object.title if self.object else ""

    @property
    def lender_name(self) -> str:
        return self.object.lender.name if self.object and self.object.lender else ""

    @property
    def loan_numbers(self) -> str:
        return ", ".join(loan.number for loan in self.loans)


def _explain(loan: LoanAgreement, venue: VenueRef) -> str:
    """Why ``loan`` does not cover ``venue``, in words a registrar can act on.

    Whether a loan covers a venue is decided by ``covers_venue_q`` alone; this only
    describes the parts that fail, for loans that query already found wanting.
    """
    problems = []
    if not (loan.all_venues or any(v.pk == venue.pk for v in loan.venues.all())):
        problems.append(gettext("not named"))
    if loan.starts_on > venue.opens_on:
        problems.append(
            gettext("starts %(starts)s, after the venue opens on %(opens)s")
            % {"starts": loan.starts_on.isoformat(), "opens": venue.opens_on.isoformat()}
        )
    if loan.ends_on < venue.closes_on:
        problems.append(
            gettext("ends %(ends)s, before the venue closes on %(closes)s")
            % {"ends": loan.ends_on.isoformat(), "closes": venue.closes_on.isoformat()}
        )
    return "; ".join(problems) or gettext("does not cover the venue")


def loan_coverage_gaps(venue_queryset) -> list[CoverageGap]:
    """Loaned objects that no confirmed loan lets appear at each venue, venue by venue.

    Borrowed objects with only a requested loan (or none) are listed too: they are just
    as absent from the venue. A venue without dates gets one row, as nothing can be
    checked against it.
    """
    confirmed = LoanAgreement.objects.filter(confirmed_loan_q())
    confirmed_loans = Prefetch(
        "loans",
        queryset=confirmed.prefetch_related("venues").order_by("starts_on", "number"),
        to_attr="confirmed_loans",
    )
    gaps = []
    for venue in venue_queryset:
        ref = VenueRef.of(venue)
        if ref.opens_on is None or ref.closes_on is None:
            reason = gettext("The venue has no opening or closing date; no loan can be checked.")
            gaps.append(CoverageGap(venue, None, (), reason))
            continue
        covering = confirmed.filter(covers_venue_q(ref), loaned_objects=OuterRef("pk"))
        uncovered = (
            ObjectRecord.objects.on_loan()
            .filter(~Exists(covering))
            .select_related("lender")
            .prefetch_related("texts__locale", confirmed_loans)
            .order_by("inventory_number")
        )
        for obj in uncovered:
            loans = tuple(obj.confirmed_loans)
            if loans:
                reason = " | ".join(f"{loan.number}: {_explain(loan, ref)}" for loan in loans)
            else:
                reason = gettext("No confirmed loan agreement.")
            gaps.append(CoverageGap(venue, obj, loans, reason))
    return gaps


class LoanCoverageReportView(ReportView):
    """Registrar report: borrowed objects that a venue cannot show, with the reason."""

    page_title = _("Loan coverage")
    header_icon = "clipboard-list"
    index_url_name = "collection_loan_coverage"
    index_results_url_name = "collection_loan_coverage_results"
    filterset_class = LoanCoverageFilterSet
    any_permission_required = ["add", "change", "delete", "view"]
    list_export = [
        "venue_name",
        "venue_dates",
        "inventory_number",
        "object_title",
        "lender_name",
        "loan_numbers",
        "reason",
    ]
    export_headings = {
        "venue_name": _("Venue"),
        "venue_dates": _("Venue dates"),
        "inventory_number": _("Inventory number"),
        "object_title": _("Title"),
        "lender_name": _("Lender"),
        "loan_numbers": _("Loans"),
        "reason": _("Reason"),
    }

    @cached_property
    def permission_policy(self):
        # Whoever may work with loan agreements may read which ones fall short.
        return policy_registry.get_by_type(LoanAgreement)

    @cached_property
    def columns(self):
        finder = AdminURLFinder(self.request.user)
        return [
            Column("venue_name", label=_("Venue")),
            Column("venue_dates", label=_("Venue dates")),
            TitleColumn(
                "inventory_number",
                label=_("Inventory number"),
                get_url=lambda gap: gap.object and finder.get_edit_url(gap.object),
            ),
            Column("object_title", label=_("Title")),
            Column("lender_name", label=_("Lender")),
            Column("reason", label=_("Reason")),
        ]

    def get_filename(self):
        return f"loan-coverage-{datetime.date.today().isoformat()}"

    def get_filterset_kwargs(self):
        # The filter narrows the venues; without a queryset the filter set would look
        # for a model of its own.
        return {**super().get_filterset_kwargs(), "queryset": venues()}

    def get_queryset(self):
        venue_queryset = venues()
        if self.filters and self.filters.is_valid():
            venue_queryset = self.filters.filter_queryset(venue_queryset)
        return loan_coverage_gaps(venue_queryset)

    def filter_queryset(self, queryset):
        # Rows are built from the already filtered venues (get_queryset).
        return queryset
