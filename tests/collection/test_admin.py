"""The collection admin as registrars use it: listings, filters, forms, bulk publishing and
the loan coverage report."""

import datetime
import io

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wagtail.models import Locale
from wagtail.test.utils.form_data import querydict_from_html
from wagtail.users.models import UserProfile

import pytest
from PIL import Image as PILImage

from collection.factories import LenderFactory, LoanAgreementFactory, ObjectRecordFactory
from collection.models import LoanAgreement, MuseumImage, ObjectImage, ObjectRecord, ObjectText
from exhibition.factories import VenueFactory

pytestmark = pytest.mark.django_db

REPORT_URL_NAME = "collection_loan_coverage"


@pytest.fixture(autouse=True)
def english_admin(admin_user):
    """The admin speaks English, so messages built in the request are predictable."""
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"
    profile.save()
    return admin_user


def url(model, view, *args) -> str:
    return reverse(model.snippet_viewset.get_url_name(view), args=args)


def listed(client, **params) -> set[str]:
    response = client.get(url(ObjectRecord, "list"), params)
    assert response.status_code == 200
    return {obj.inventory_number for obj in response.context["object_list"]}


def staff_user(username: str):
    """A member of staff who may use the admin but has no model permissions."""
    user = get_user_model().objects.create_user(username, password="a long test password 1")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def museum_image() -> MuseumImage:
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), "firebrick").save(buffer, "PNG")
    return MuseumImage.objects.create(
        title="photo", file=SimpleUploadedFile("photo.png", buffer.getvalue())
    )


# --- Object listing -------------------------------------------------------------------


@pytest.fixture
def registry():
    """A small collection with one of each thing a registrar looks for."""
    english = Locale.objects.get(language_code="en")
    lender_a = LenderFactory(name="Lender A")
    lender_b = LenderFactory(name="Lender B")
    objects = {
        "own": ObjectRecordFactory(inventory_number="OWN-1", title="Bronze bowl"),
        "loan_a": ObjectRecordFactory(inventory_number="LOAN-A", lender=lender_a),
        "loan_b": ObjectRecordFactory(inventory_number="LOAN-B", lender=lender_b),
        "no_rights": ObjectRecordFactory(inventory_number="OWN-2", rights_statement=""),
        "remains": ObjectRecordFactory(inventory_number="OWN-3", contains_human_remains=True),
        "cleared": ObjectRecordFactory(
            inventory_number="OWN-4", restricted_by_community=True, sensitivity_cleared=True
        ),
    }
    LoanAgreementFactory(
        lender=lender_a, status=LoanAgreement.Status.REQUESTED, loaned_objects=[objects["loan_a"]]
    )
    LoanAgreementFactory(
        lender=lender_b, status=LoanAgreement.Status.ON_DISPLAY, loaned_objects=[objects["loan_b"]]
    )
    ObjectImage.objects.create(object=objects["own"], image=museum_image())
    for key in ("own", "loan_a"):
        ObjectText.objects.create(object=objects[key], locale=english, title=f"{key} in English")
    return {"lender_a": lender_a, "lender_b": lender_b, **objects}


ALL = {"OWN-1", "OWN-2", "OWN-3", "OWN-4", "LOAN-A", "LOAN-B"}


def test_object_listing_loads_with_every_object(admin_client, registry):
    assert listed(admin_client) == ALL


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"holding": "own"}, {"OWN-1", "OWN-2", "OWN-3", "OWN-4"}),
        ({"holding": "loan"}, {"LOAN-A", "LOAN-B"}),
        ({"loan_status": "requested"}, {"LOAN-A"}),
        ({"loan_status": "on_display"}, {"LOAN-B"}),
        ({"loan_status": "returned"}, set()),
        ({"missing_image": "true"}, ALL - {"OWN-1"}),
        ({"missing_image": "false"}, {"OWN-1"}),
        ({"missing_rights": "true"}, {"OWN-2"}),
        ({"missing_translation": "en"}, ALL - {"OWN-1", "LOAN-A"}),
        ({"missing_translation": "sv"}, set()),
        ({"sensitive_not_cleared": "true"}, {"OWN-3"}),
    ],
)
def test_each_filter_narrows_the_object_listing(admin_client, registry, params, expected):
    assert listed(admin_client, **params) == expected


def test_lender_filter(admin_client, registry):
    assert listed(admin_client, lender=registry["lender_b"].pk) == {"LOAN-B"}


def test_filters_combine(admin_client, registry):
    assert listed(admin_client, holding="own", missing_translation="en") == {
        "OWN-2",
        "OWN-3",
        "OWN-4",
    }


def test_an_object_in_two_loans_is_listed_once(admin_client, registry):
    LoanAgreementFactory(
        lender=registry["lender_b"],
        status=LoanAgreement.Status.ON_DISPLAY,
        loaned_objects=[registry["loan_b"]],
    )
    response = admin_client.get(url(ObjectRecord, "list"), {"loan_status": "on_display"})
    assert [obj.inventory_number for obj in response.context["object_list"]] == ["LOAN-B"]


def test_search_by_inventory_number_and_title(admin_client, registry):
    assert listed(admin_client, q="LOAN-A") == {"LOAN-A"}
    assert listed(admin_client, q="own-") == {"OWN-1", "OWN-2", "OWN-3", "OWN-4"}
    assert listed(admin_client, q="bronze") == {"OWN-1"}
    assert listed(admin_client, q="in English") == {"OWN-1", "LOAN-A"}


def test_the_listing_shows_holding_state_and_bulk_actions(admin_client, registry):
    response = admin_client.get(url(ObjectRecord, "list"))
    content = response.content.decode()
    assert "Lender A" in content
    assert bulk_url("publish").rstrip("?") in content
    assert bulk_url("unpublish").rstrip("?") in content
    # Published but not cleared is not the same as live.
    row = next(obj for obj in response.context["object_list"] if obj.inventory_number == "OWN-3")
    assert row.is_published and not row.is_live


def test_the_object_listing_downloads_as_csv(admin_client, registry):
    response = admin_client.get(url(ObjectRecord, "list"), {"holding": "loan", "export": "csv"})

    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 3  # heading and the two borrowed objects
    assert any(line.startswith("LOAN-A,") and "Lender A" in line for line in lines)


# --- Object add form ------------------------------------------------------------------


def add_form_data(client):
    """The add form as the browser would submit it, before the registrar types."""
    response = client.get(url(ObjectRecord, "add"))
    assert response.status_code == 200
    return querydict_from_html(response.content.decode(), form_id="w-editor-form")


def test_creating_an_object_with_a_text(admin_client):
    data = add_form_data(admin_client)
    data["inventory_number"] = "NEW-1"
    data["object_type"] = "mask"
    data["earliest_year"] = "1850"
    data["latest_year"] = "1900"
    data["texts-0-locale"] = str(Locale.objects.get(language_code="sv").pk)
    data["texts-0-title"] = "Mask"

    response = admin_client.post(url(ObjectRecord, "add"), data)

    assert response.status_code == 302, response.context["form"].errors
    obj = ObjectRecord.objects.get(inventory_number="NEW-1")
    assert [text.title for text in obj.texts.all()] == ["Mask"]
    assert obj.lender is None and not obj.is_published


def test_a_reversed_year_range_is_refused_and_nothing_saved(admin_client):
    data = add_form_data(admin_client)
    data["inventory_number"] = "NEW-2"
    data["earliest_year"] = "1900"
    data["latest_year"] = "1850"
    data["texts-0-locale"] = str(Locale.objects.get(language_code="sv").pk)
    data["texts-0-title"] = "Mask"

    response = admin_client.post(url(ObjectRecord, "add"), data)

    assert response.status_code == 200
    assert "latest_year" in response.context["form"].errors
    assert not ObjectRecord.objects.filter(inventory_number="NEW-2").exists()
    assert not ObjectText.objects.filter(title="Mask").exists()


def test_two_texts_in_one_language_are_refused(admin_client):
    swedish = str(Locale.objects.get(language_code="sv").pk)
    data = add_form_data(admin_client)
    data["inventory_number"] = "NEW-3"
    data["texts-TOTAL_FORMS"] = "2"
    for index, title in enumerate(["Mask", "Mask igen"]):
        data[f"texts-{index}-locale"] = swedish
        data[f"texts-{index}-title"] = title
        data[f"texts-{index}-description"] = data["texts-0-description"]

    response = admin_client.post(url(ObjectRecord, "add"), data)

    assert response.status_code == 200
    assert response.context["form"].formsets["texts"].non_form_errors()
    assert not ObjectRecord.objects.filter(inventory_number="NEW-3").exists()


# --- Loan form ------------------------------------------------------------------------


def edit_loan(client, loan, **changes):
    response = client.get(url(LoanAgreement, "edit", loan.pk))
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="w-editor-form")
    for name, value in changes.items():
        if isinstance(value, list):
            data.setlist(name, value)
        else:
            data[name] = value
    return client.post(url(LoanAgreement, "edit", loan.pk), data)


def test_the_loan_form_saves_a_valid_change(admin_client):
    obj = ObjectRecordFactory(lender=LenderFactory())
    loan = LoanAgreementFactory(lender=obj.lender, loaned_objects=[obj])

    response = edit_loan(admin_client, loan, ends_on="2029-06-30")

    assert response.status_code == 302
    loan.refresh_from_db()
    assert loan.ends_on == datetime.date(2029, 6, 30)
    assert list(loan.loaned_objects.all()) == [obj]


def test_the_loan_form_rejects_an_end_before_the_start(admin_client):
    loan = LoanAgreementFactory()

    response = edit_loan(admin_client, loan, ends_on="2026-12-31")

    assert response.status_code == 200
    assert "ends_on" in response.context["form"].errors
    loan.refresh_from_db()
    assert loan.ends_on == datetime.date(2028, 12, 31)


def test_the_loan_form_refuses_another_lenders_object(admin_client):
    loan = LoanAgreementFactory()
    elsewhere = ObjectRecordFactory(lender=LenderFactory())

    response = edit_loan(admin_client, loan, loaned_objects=[str(elsewhere.pk)])

    assert response.status_code == 200
    assert "loaned_objects" in response.context["form"].errors
    assert not loan.loaned_objects.exists()


def test_loan_listing_filters(admin_client):
    lender = LenderFactory()
    early = LoanAgreementFactory(
        number="L-EARLY", lender=lender, ends_on=datetime.date(2027, 6, 30)
    )
    LoanAgreementFactory(number="L-LATE", status=LoanAgreement.Status.REQUESTED)

    def numbers(**params):
        response = admin_client.get(url(LoanAgreement, "list"), params)
        assert response.status_code == 200
        return {loan.number for loan in response.context["object_list"]}

    assert numbers() == {"L-EARLY", "L-LATE"}
    assert numbers(status="requested") == {"L-LATE"}
    assert numbers(lender=lender.pk) == {early.number}
    assert numbers(ends_before="2028-01-01") == {"L-EARLY"}
    assert numbers(q="L-LATE") == {"L-LATE"}


@pytest.mark.parametrize("model_name", ["lender", "place", "culture", "material", "maker"])
def test_the_other_listings_and_add_forms_load(admin_client, model_name):
    model = apps.get_model("collection", model_name)
    assert admin_client.get(url(model, "list")).status_code == 200
    assert admin_client.get(url(model, "add")).status_code == 200


def test_the_lender_form_marks_contact_details_confidential(admin_client):
    lender = LenderFactory()
    response = admin_client.get(url(lender.__class__, "edit", lender.pk))
    assert response.status_code == 200
    assert "Confidential" in response.content.decode()


# --- Bulk publish ---------------------------------------------------------------------


def bulk_url(action: str, *objects) -> str:
    ids = "&".join(f"id={obj.pk}" for obj in objects)
    path = reverse("wagtail_bulk_action", args=("collection", "objectrecord", action))
    return f"{path}?{ids}"


def test_bulk_publish_asks_first_then_publishes_the_selection(admin_client):
    drafts = ObjectRecordFactory.create_batch(2, is_published=False)
    untouched = ObjectRecordFactory(is_published=False)

    confirmation = admin_client.get(bulk_url("publish", *drafts))
    assert confirmation.status_code == 200
    assert {entry["item"] for entry in confirmation.context["items"]} == set(drafts)
    assert not ObjectRecord.objects.filter(is_published=True).exists()

    response = admin_client.post(bulk_url("publish", *drafts))

    assert response.status_code == 302
    assert set(ObjectRecord.objects.filter(is_published=True)) == set(drafts)
    untouched.refresh_from_db()
    assert not untouched.is_published


def test_bulk_publish_of_all_in_a_filtered_listing_keeps_to_the_filter(admin_client):
    own = ObjectRecordFactory(is_published=False, inventory_number="OWN-9")
    borrowed = ObjectRecordFactory(is_published=False, lender=LenderFactory())
    path = reverse("wagtail_bulk_action", args=("collection", "objectrecord", "publish"))

    admin_client.post(f"{path}?holding=own&q=own-&id=all")

    own.refresh_from_db()
    borrowed.refresh_from_db()
    assert own.is_published and not borrowed.is_published


def test_bulk_publish_warns_about_uncleared_sensitive_objects(admin_client):
    sensitive = ObjectRecordFactory(is_published=False, contains_human_remains=True)
    plain = ObjectRecordFactory(is_published=False)

    confirmation = admin_client.get(bulk_url("publish", sensitive, plain))

    assert confirmation.context["held_back"] == [sensitive]


def test_bulk_unpublish(admin_client):
    published = ObjectRecordFactory.create_batch(2)

    admin_client.post(bulk_url("unpublish", *published))

    assert not ObjectRecord.objects.filter(is_published=True).exists()


def test_bulk_publish_needs_the_change_permission(client):
    draft = ObjectRecordFactory(is_published=False)
    user = staff_user("reader")
    user.user_permissions.add(Permission.objects.get(codename="view_objectrecord"))
    client.force_login(user)

    confirmation = client.get(bulk_url("publish", draft))
    assert confirmation.status_code == 200
    assert confirmation.context["items"] == []
    assert confirmation.context["items_with_no_access"] == [draft]

    client.post(bulk_url("publish", draft))

    draft.refresh_from_db()
    assert not draft.is_published


def test_bulk_publish_with_the_change_permission(client):
    draft = ObjectRecordFactory(is_published=False)
    user = staff_user("registrar")
    user.user_permissions.add(Permission.objects.get(codename="change_objectrecord"))
    client.force_login(user)

    client.post(bulk_url("publish", draft))

    draft.refresh_from_db()
    assert draft.is_published


# --- Loan coverage report -------------------------------------------------------------


@pytest.fixture
def coverage():
    """A venue open 2027-03-01 – 2027-09-30 and borrowed objects covered in different ways."""
    venue = VenueFactory(institution="Världskulturmuseet")
    other_venue = VenueFactory(institution="Elsewhere")
    covered = ObjectRecordFactory(inventory_number="COVERED", lender=LenderFactory())
    LoanAgreementFactory(lender=covered.lender, loaned_objects=[covered])
    short = ObjectRecordFactory(inventory_number="SHORT", lender=LenderFactory())
    LoanAgreementFactory(
        lender=short.lender, ends_on=datetime.date(2027, 8, 31), loaned_objects=[short]
    )
    unnamed = ObjectRecordFactory(inventory_number="UNNAMED", lender=LenderFactory())
    unnamed_loan = LoanAgreementFactory(
        lender=unnamed.lender, all_venues=False, loaned_objects=[unnamed]
    )
    unnamed_loan.venues.set([other_venue])
    unnamed_loan.save()  # a ParentalManyToManyField is written on save
    requested = ObjectRecordFactory(inventory_number="REQUESTED", lender=LenderFactory())
    LoanAgreementFactory(
        lender=requested.lender,
        status=LoanAgreement.Status.REQUESTED,
        loaned_objects=[requested],
    )
    ObjectRecordFactory(inventory_number="OWN")
    return venue


def report_rows(client, **params):
    response = client.get(reverse(REPORT_URL_NAME), params)
    assert response.status_code == 200
    return {
        (str(gap.venue.institution), gap.inventory_number): gap.reason
        for gap in response.context["object_list"]
    }


def test_the_coverage_report_lists_what_a_venue_cannot_show(admin_client, coverage):
    rows = report_rows(admin_client, venue=coverage.pk)

    assert set(rows) == {
        ("Världskulturmuseet", "SHORT"),
        ("Världskulturmuseet", "UNNAMED"),
        ("Världskulturmuseet", "REQUESTED"),
    }
    assert (
        "ends 2027-08-31, before the venue closes on 2027-09-30"
        in rows[("Världskulturmuseet", "SHORT")]
    )
    assert "not named" in rows[("Världskulturmuseet", "UNNAMED")]
    assert "not named" not in rows[("Världskulturmuseet", "SHORT")]


def test_the_coverage_report_covers_every_venue(admin_client, coverage):
    rows = report_rows(admin_client)

    # At the other venue the unnamed loan is named, so only the other two fall short.
    assert {number for venue, number in rows if venue == "Elsewhere"} == {"SHORT", "REQUESTED"}


def test_a_loan_starting_after_opening_is_reported(admin_client, coverage):
    late = ObjectRecordFactory(inventory_number="LATE", lender=LenderFactory())
    LoanAgreementFactory(
        lender=late.lender, starts_on=datetime.date(2027, 4, 1), loaned_objects=[late]
    )

    rows = report_rows(admin_client, venue=coverage.pk)

    assert (
        "starts 2027-04-01, after the venue opens on 2027-03-01"
        in rows[("Världskulturmuseet", "LATE")]
    )


def test_a_venue_without_dates_gets_one_row(admin_client):
    venue = VenueFactory(opens_on=None, closes_on=None)
    ObjectRecordFactory(lender=LenderFactory())

    rows = report_rows(admin_client, venue=venue.pk)

    assert list(rows) == [(venue.institution, "")]


def test_the_coverage_report_refreshes_its_results_alone(admin_client, coverage):
    response = admin_client.get(reverse(f"{REPORT_URL_NAME}_results"), {"venue": coverage.pk})

    assert response.status_code == 200
    assert {gap.inventory_number for gap in response.context["object_list"]} == {
        "SHORT",
        "UNNAMED",
        "REQUESTED",
    }


def test_the_coverage_report_downloads_as_csv(admin_client, coverage):
    response = admin_client.get(reverse(REPORT_URL_NAME), {"venue": coverage.pk, "export": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content).decode()
    assert "SHORT" in content and "UNNAMED" in content and "COVERED" not in content
    # Confidential loan terms stay out of the export.
    assert "1234567" not in content


def test_the_report_is_in_the_reports_menu(admin_client):
    response = admin_client.get(reverse("wagtailadmin_home"))
    assert reverse(REPORT_URL_NAME) in response.content.decode()


# --- Access ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        lambda: reverse(REPORT_URL_NAME),
        lambda: url(ObjectRecord, "list"),
        lambda: bulk_url("publish"),
    ],
)
def test_a_user_without_admin_access_is_redirected(client, target):
    user = get_user_model().objects.create_user("visitor", password="a long test password 1")
    client.force_login(user)

    response = client.get(target())

    assert response.status_code == 302


def test_a_registrar_without_loan_permissions_cannot_read_the_report(client, coverage):
    client.force_login(staff_user("newcomer"))

    response = client.get(reverse(REPORT_URL_NAME))

    assert response.status_code == 302
