"""The Linked Art export: valid against the official 1.0 schemas, and public fields only."""

import io
import json
import os
import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

from django.conf.urls.i18n import i18n_patterns
from django.core.files.images import ImageFile
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.urls import include, path
from django.utils import translation

from wagtail.models import Locale

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from PIL import Image as PILImage
from referencing import Registry, Resource

from collection.factories import LenderFactory, LoanAgreementFactory, ObjectRecordFactory
from collection.linked_art import (
    LINKED_ART_CONTENT_TYPE,
    iso_year_end,
    iso_year_start,
    object_to_linked_art,
    provenance_to_linked_art,
    render_linked_art,
    visual_item_to_linked_art,
)
from collection.models import (
    Lender,
    LoanAgreement,
    LoanCreditLine,
    Maker,
    Material,
    MuseumImage,
    ObjectDimension,
    ObjectImage,
    ObjectPlace,
    ObjectText,
    Place,
    ProvenanceEvent,
)

pytestmark = pytest.mark.django_db

DATA_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data"
LINKED_ART_DIR = DATA_DIR / "linked_art"
BASE_URL = "https://museum.example"


# The public object page is not in the project's urls yet: this module is the urlconf, with
# the same names and language prefixes (/collection/<pk>/, /en/collection/<pk>/).
def _object_page(request, pk):
    return HttpResponse()


urlpatterns = i18n_patterns(
    path("", include(([path("collection/<int:pk>/", _object_page, name="object")], "collection"))),
    prefix_default_language=False,
)


@pytest.fixture(autouse=True)
def object_urls(settings):
    settings.ROOT_URLCONF = __name__


# xsd:dateTime, which Linked Art uses: unlike RFC 3339 it allows BCE years ("-0499-…").
XSD_DATETIME_RE = re.compile(
    r"^-?(?:[1-9]\d{4,}|\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
    r"T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
)
format_checker = FormatChecker(formats=())


@format_checker.checks("date-time")
def is_xsd_datetime(value) -> bool:
    return not isinstance(value, str) or bool(XSD_DATETIME_RE.match(value))


@format_checker.checks("uri")
def is_absolute_uri(value) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme) and (bool(parts.netloc) or parts.scheme == "urn")


@pytest.fixture(scope="session")
def linked_art_data() -> Path:
    if not LINKED_ART_DIR.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"The Linked Art schemas and examples are missing from {LINKED_ART_DIR}.")
        pytest.skip(f"No Linked Art schemas at {LINKED_ART_DIR}.")
    return LINKED_ART_DIR


@pytest.fixture(scope="session")
def validator_for(linked_art_data):
    """A validator for one schema file, with every other schema file resolvable by its $id."""
    schemas = {
        file.name: json.loads(file.read_text(encoding="utf-8"))
        for file in sorted((linked_art_data / "schema_1.0").glob("*.json"))
    }
    registry = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in schemas.values()
    )

    def validator(name: str) -> Draft202012Validator:
        return Draft202012Validator(schemas[name], registry=registry, format_checker=format_checker)

    return validator


def example(linked_art_data: Path, name: str) -> dict:
    return json.loads((linked_art_data / "examples" / name).read_text(encoding="utf-8"))


def assert_valid(validator: Draft202012Validator, document: dict) -> None:
    errors = sorted(validator.iter_errors(document), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def png_file(name: str, size=(40, 30)) -> ImageFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, "teal").save(buffer, "PNG")
    return ImageFile(buffer, name=name)


def add_image(obj, *, may_publish_online: bool, **fields) -> MuseumImage:
    image = MuseumImage.objects.create(
        title=f"Photo of {obj.inventory_number}",
        file=png_file(f"{obj.inventory_number}.png"),
        may_publish_online=may_publish_online,
        **fields,
    )
    ObjectImage.objects.create(object=obj, image=image, caption="Front view")
    return image


def locale(code: str) -> Locale:
    return Locale.objects.get(language_code=code)


def walk(node):
    """Every dict in a document, depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def classified(node: dict, aat_number: str) -> bool:
    return any(c["id"].endswith(f"/aat/{aat_number}") for c in node.get("classified_as", []))


def statements(document: dict, aat_number: str) -> list[dict]:
    return [s for s in document.get("referred_to_by", []) if classified(s, aat_number)]


# --- the validator itself --------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "object__nightwatch__1.json",
        "object__spring__5.json",
        "object__spring__11.json",
        "object__okeeffe-yuag__1.json",
        "object__washday__1.json",
    ],
)
def test_official_object_examples_validate(validator_for, linked_art_data, name):
    assert_valid(validator_for("object.json"), example(linked_art_data, name))


def test_official_provenance_and_visual_examples_validate(validator_for, linked_art_data):
    assert_valid(
        validator_for("provenance.json"),
        example(linked_art_data, "provenance__manet_proust__1.json"),
    )
    assert_valid(
        validator_for("image.json"), example(linked_art_data, "visual__nightwatch__2.json")
    )


@pytest.mark.parametrize(
    "break_it",
    [
        pytest.param(lambda d: d.pop("type"), id="missing type"),
        pytest.param(lambda d: d.update(type="Person"), id="wrong type"),
        pytest.param(lambda d: d.pop("_label"), id="missing label"),
        pytest.param(lambda d: d.update(insurance_value=100), id="unknown property"),
        pytest.param(
            lambda d: d["identified_by"][0].update(content=None), id="name without content"
        ),
        pytest.param(lambda d: d.update(id="not a uri"), id="id not a URI"),
        pytest.param(
            lambda d: d.update(
                produced_by={
                    "type": "Production",
                    "timespan": {"type": "TimeSpan", "begin_of_the_begin": "500 BC"},
                }
            ),
            id="date not xsd:dateTime",
        ),
    ],
)
def test_broken_documents_fail(validator_for, linked_art_data, break_it):
    document = example(linked_art_data, "object__nightwatch__1.json")
    break_it(document)
    assert not validator_for("object.json").is_valid(document)


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "start", "end"),
    [
        (1650, "1650-01-01T00:00:00Z", "1650-12-31T23:59:59Z"),
        (5, "0005-01-01T00:00:00Z", "0005-12-31T23:59:59Z"),
        # Historical years have no year 0; ISO 8601 counts 1 BCE as 0000, 2 BCE as -0001.
        (-1, "0000-01-01T00:00:00Z", "0000-12-31T23:59:59Z"),
        (-2, "-0001-01-01T00:00:00Z", "-0001-12-31T23:59:59Z"),
        (-500, "-0499-01-01T00:00:00Z", "-0499-12-31T23:59:59Z"),
        (-12000, "-11999-01-01T00:00:00Z", "-11999-12-31T23:59:59Z"),
    ],
)
def test_years_become_xsd_datetimes(year, start, end):
    assert iso_year_start(year) == start
    assert iso_year_end(year) == end
    assert XSD_DATETIME_RE.match(start)
    assert XSD_DATETIME_RE.match(end)


# --- object documents -----------------------------------------------------------------------


@pytest.fixture
def full_object():
    """An own object with every public field filled, and some confidential ones."""
    obj = ObjectRecordFactory(
        inventory_number="VKM-1897.1",
        title="Skål med lock",
        object_type="skål",
        dating="c. 1650–1700",
        earliest_year=1650,
        latest_year=1700,
        dimensions_text="H 12 cm, Ø 20 cm",
        rights_statement="http://rightsstatements.org/vocab/NoC-NC/1.0/",
        sensitivity_note="Internal: ask the source community before display.",
    )
    sv_text = obj.texts.get()
    sv_text.description = "<p>En <b>skål</b> av lera.</p><p>Andra stycket.</p>"
    sv_text.label = "Skålen användes vid fester."
    sv_text.credit_line = "Förvärvad 1920"
    sv_text.save()
    ObjectText.objects.create(
        object=obj,
        locale=locale("en"),
        title="Lidded bowl",
        description="<p>A clay <i>bowl</i>.</p>",
        label="The bowl was used at feasts.",
        credit_line="Acquired 1920",
    )
    clay = Material.objects.create(name="clay", uri="https://authority.invalid/material/clay")
    maker = Maker.objects.create(name="Unknown potter")
    made_in = Place.objects.create(name="Benin City", uri="https://authority.invalid/place/benin")
    found_in = Place.objects.create(name="Liverpool")
    obj.materials.set([clay])
    obj.makers.set([maker])
    obj.save()
    ObjectPlace.objects.create(object=obj, place=made_in, role=ObjectPlace.Role.MADE)
    ObjectPlace.objects.create(object=obj, place=found_in, role=ObjectPlace.Role.FOUND)
    ObjectDimension.objects.create(object=obj, kind="height", value=12, unit="cm", sort_order=0)
    ObjectDimension.objects.create(object=obj, kind="weight", value="0.85", unit="kg", sort_order=1)
    ProvenanceEvent.objects.create(
        object=obj,
        kind=ProvenanceEvent.Kind.LOOTED,
        date_text="1897",
        earliest_year=1897,
        latest_year=1897,
        parties="British punitive expedition",
        place=made_in,
        note="Internal: check the archive box 12.",
        sort_order=0,
    )
    ProvenanceEvent.objects.create(
        object=obj,
        kind=ProvenanceEvent.Kind.SOLD,
        earliest_year=1920,
        latest_year=1920,
        parties="Dealer W. D. Webster to the museum",
        sort_order=1,
    )
    add_image(
        obj,
        may_publish_online=True,
        max_online_size=20,
        credit_line="Photo: Museum",
        rights_statement="http://creativecommons.org/licenses/by/4.0/",
    )
    return obj


def test_own_object_with_every_field(validator_for, full_object):
    obj = full_object
    document = object_to_linked_art(obj, base_url=BASE_URL, language="en")
    assert_valid(validator_for("object.json"), document)

    assert document["@context"] == "https://linked.art/ns/v1/linked-art.json"
    assert document["id"] == f"{BASE_URL}/collection/{obj.pk}/"
    assert document["type"] == "HumanMadeObject"
    assert document["_label"] == "Lidded bowl"

    names = [n for n in document["identified_by"] if n["type"] == "Name"]
    assert {(n["content"], n["language"][0]["_label"]) for n in names} == {
        ("Skål med lock", "Swedish"),
        ("Lidded bowl", "English"),
    }
    assert all(classified(n, "300404670") for n in names)
    [identifier] = [i for i in document["identified_by"] if i["type"] == "Identifier"]
    assert identifier["content"] == "VKM-1897.1"
    assert classified(identifier, "300312355")

    [object_type] = document["classified_as"]
    assert object_type["_label"] == "skål"

    height, weight = document["dimension"]
    assert (height["value"], height["unit"]["_label"]) == (12.0, "centimetres")
    assert classified(height, "300055644")
    assert (weight["value"], weight["unit"]["_label"]) == (0.85, "kilograms")

    descriptions = statements(document, "300435416")
    assert [d["content"] for d in descriptions] == [
        "En skål av lera. Andra stycket.",
        "A clay bowl.",
    ]
    assert {s["content"] for s in statements(document, "300048722")} == {
        "Skålen användes vid fester.",
        "The bowl was used at feasts.",
    }
    assert {s["content"] for s in statements(document, "300026687")} == {
        "Förvärvad 1920",
        "Acquired 1920",
    }
    assert statements(document, "300435430")[0]["content"] == "H 12 cm, Ø 20 cm"
    assert statements(document, "300435434")[0]["content"] == (
        "No Copyright - Non-Commercial Use Only"
    )
    [provenance] = statements(document, "300444174")
    assert provenance["content"] == (
        "1897: looted or stolen, British punitive expedition, Benin City; "
        "1920: sold, Dealer W. D. Webster to the museum"
    )

    production = document["produced_by"]
    assert production["timespan"]["begin_of_the_begin"] == "1650-01-01T00:00:00Z"
    assert production["timespan"]["end_of_the_end"] == "1700-12-31T23:59:59Z"
    assert production["timespan"]["identified_by"][0]["content"] == "c. 1650–1700"
    # Only the place the object was made in, not where it was found.
    assert [p["_label"] for p in production["took_place_at"]] == ["Benin City"]
    assert production["took_place_at"][0]["equivalent"][0]["id"] == (
        "https://authority.invalid/place/benin"
    )
    assert [(p["type"], p["_label"]) for p in production["carried_out_by"]] == [
        ("Person", "Unknown potter")
    ]
    assert [(m["type"], m["_label"]) for m in document["made_of"]] == [("Material", "clay")]

    [owner] = document["current_owner"]
    assert (owner["type"], owner["_label"]) == ("Group", "Världskulturmuseet")
    assert "current_custodian" not in document

    [representation] = document["representation"]
    [shown_by] = representation["digitally_shown_by"]
    image_url = shown_by["access_point"][0]["id"]
    assert image_url.startswith(f"{BASE_URL}/")
    # The rendition keeps to the largest size the rights holder allows online.
    rendition = obj.images.get().image.renditions.get()
    assert max(rendition.width, rendition.height) <= 20
    assert image_url.endswith(rendition.url)
    assert obj.images.get().image.file.url not in image_url

    pages = [
        page["digitally_carried_by"][0]["access_point"][0]["id"] for page in document["subject_of"]
    ]
    assert pages == [f"{BASE_URL}/collection/{obj.pk}/", f"{BASE_URL}/en/collection/{obj.pk}/"]

    text = json.dumps(document, ensure_ascii=False)
    assert "Internal" not in text
    assert "archive box" not in text


def test_the_id_does_not_depend_on_the_language(full_object):
    swedish = object_to_linked_art(full_object, base_url=BASE_URL + "/", language="sv")
    english = object_to_linked_art(full_object, base_url=BASE_URL, language="en")
    assert swedish["id"] == english["id"] == f"{BASE_URL}/collection/{full_object.pk}/"
    assert swedish["_label"] == "Skål med lock"


def test_visual_item_carries_the_rights_uri(validator_for, full_object):
    document = object_to_linked_art(full_object, base_url=BASE_URL, language="en")
    visual = visual_item_to_linked_art(full_object, base_url=BASE_URL, language="en")
    assert_valid(validator_for("image.json"), visual)
    assert document["shows"][0]["id"] == visual["id"]
    [right] = visual["subject_to"]
    assert right["type"] == "Right"
    assert right["classified_as"][0]["id"] == "http://rightsstatements.org/vocab/NoC-NC/1.0/"


def test_provenance_activities(validator_for, full_object):
    activities = provenance_to_linked_art(full_object, base_url=BASE_URL, language="en")
    for activity in activities:
        assert_valid(validator_for("provenance.json"), activity)
    looted, sold = activities
    object_id = f"{BASE_URL}/collection/{full_object.pk}/"
    # A looting moved the object; it did not make anyone its owner.
    assert [part["type"] for part in looted["part"]] == ["TransferOfCustody"]
    assert looted["part"][0]["transferred_custody_of"][0]["id"] == object_id
    assert looted["timespan"]["begin_of_the_begin"] == "1897-01-01T00:00:00Z"
    assert looted["took_place_at"][0]["_label"] == "Benin City"
    assert sold["timespan"]["end_of_the_end"] == "1920-12-31T23:59:59Z"
    assert [part["type"] for part in sold["part"]] == ["Acquisition"]
    assert sold["part"][0]["transferred_title_of"][0]["id"] == object_id
    assert "Internal" not in json.dumps(activities)


@pytest.fixture
def anonymous_loan():
    lender = LenderFactory(
        name="Henrietta Hemligsson",
        slug="henrietta-hemligsson",
        kind=Lender.Kind.PRIVATE,
        is_anonymous=True,
        contact_name="Henrietta Hemligsson",
        contact_email="henrietta@hemlig.invalid",
        contact_phone="+46 70 111 22 33",
        address="Hemliga gatan 1, Stockholm",
        notes="Prefers to be called after 18:00.",
    )
    obj = ObjectRecordFactory(lender=lender, inventory_number="P-17", title="Mask")
    loan = LoanAgreementFactory(
        lender=lender,
        number="L-CONFIDENTIAL-77",
        loaned_objects=[obj],
        status=LoanAgreement.Status.ON_DISPLAY,
        insurance_value=Decimal("9876543.21"),
        insurance_currency="SEK",
        online_publication_allowed=True,
        notes="Courier arrives by the night train.",
    )
    LoanCreditLine.objects.create(loan=loan, locale=locale("sv"), text="Privat samling")
    ProvenanceEvent.objects.create(
        object=obj,
        kind=ProvenanceEvent.Kind.LENT,
        earliest_year=2027,
        parties="Lent by Henrietta Hemligsson",
    )
    add_image(obj, may_publish_online=True)
    return obj


CONFIDENTIAL = [
    "Hemligsson",
    "henrietta",
    "hemlig.invalid",
    "+46 70 111 22 33",
    "Hemliga gatan",
    "18:00",
    "L-CONFIDENTIAL-77",
    "9876543",
    "9 876 543",
    "night train",
]


def assert_nothing_confidential(text: str) -> None:
    for secret in CONFIDENTIAL:
        assert secret.lower() not in text.lower(), secret


def test_loan_from_an_anonymous_lender(validator_for, anonymous_loan):
    obj = anonymous_loan
    document = object_to_linked_art(obj, base_url=BASE_URL, language="en")
    assert_valid(validator_for("object.json"), document)

    [owner] = document["current_owner"]
    assert owner["_label"] == "Private collection"
    assert owner["type"] == "Group"
    # The museum holds the object while it is on display.
    assert document["current_custodian"][0]["_label"] == "Världskulturmuseet"
    assert statements(document, "300026687")[0]["content"] == "Privat samling"
    assert statements(document, "300444174")[0]["content"] == (
        "2027–: lent, Lent by Private collection"
    )
    assert len(document["representation"]) == 1

    provenance = provenance_to_linked_art(obj, base_url=BASE_URL, language="en")
    visual = visual_item_to_linked_art(obj, base_url=BASE_URL, language="en")
    for output in (document, provenance, visual):
        assert_nothing_confidential(json.dumps(output, ensure_ascii=False))
    with translation.override("sv"):
        swedish = object_to_linked_art(obj, base_url=BASE_URL, language="sv")
    assert_nothing_confidential(json.dumps(swedish, ensure_ascii=False))


def test_a_named_private_lender_is_a_person_and_leaves_custody_on_return(anonymous_loan):
    lender = anonymous_loan.lender
    lender.is_anonymous = False
    lender.save()
    anonymous_loan.loans.update(status=LoanAgreement.Status.RETURNED)
    document = object_to_linked_art(anonymous_loan, base_url=BASE_URL, language="en")
    [owner] = document["current_owner"]
    assert (owner["type"], owner["_label"]) == ("Person", "Henrietta Hemligsson")
    assert "current_custodian" not in document


def test_object_with_bce_dates(validator_for):
    obj = ObjectRecordFactory(earliest_year=-500, latest_year=-400, dating="500–400 BCE")
    document = object_to_linked_art(obj, base_url=BASE_URL, language="sv")
    assert_valid(validator_for("object.json"), document)
    timespan = document["produced_by"]["timespan"]
    assert timespan["begin_of_the_begin"] == "-0499-01-01T00:00:00Z"
    assert timespan["end_of_the_end"] == "-0399-12-31T23:59:59Z"


def test_open_ended_dates_state_only_what_is_known(validator_for):
    obj = ObjectRecordFactory(earliest_year=1650)
    document = object_to_linked_art(obj, base_url=BASE_URL, language="sv")
    assert_valid(validator_for("object.json"), document)
    assert document["produced_by"]["timespan"] == {
        "type": "TimeSpan",
        "begin_of_the_begin": "1650-01-01T00:00:00Z",
    }


def test_an_image_not_allowed_online_is_left_out(validator_for):
    obj = ObjectRecordFactory()
    add_image(obj, may_publish_online=False)
    document = object_to_linked_art(obj, base_url=BASE_URL, language="sv")
    assert_valid(validator_for("object.json"), document)
    assert "representation" not in document
    assert not any(
        node.get("type") == "VisualItem" and "digitally_shown_by" in node for node in walk(document)
    )
    assert MuseumImage.objects.get().file.name.rsplit("/", 1)[-1] not in json.dumps(document)


def test_an_image_of_a_loan_without_online_permission_is_left_out():
    obj = ObjectRecordFactory(lender=LenderFactory())
    LoanAgreementFactory(lender=obj.lender, loaned_objects=[obj], online_publication_allowed=False)
    add_image(obj, may_publish_online=True)
    document = object_to_linked_art(obj, base_url=BASE_URL, language="sv")
    assert "representation" not in document


def test_minimal_object(validator_for):
    obj = ObjectRecordFactory(
        inventory_number="MIN-1", title="Föremål", object_type="", rights_statement=""
    )
    document = object_to_linked_art(obj, base_url=BASE_URL, language="en")
    assert_valid(validator_for("object.json"), document)
    assert set(document) == {
        "@context",
        "id",
        "type",
        "_label",
        "identified_by",
        "subject_of",
        "current_owner",
    }
    # No English title: the label falls back to the one there is.
    assert document["_label"] == "Föremål"
    assert [i["content"] for i in document["identified_by"]] == ["Föremål", "MIN-1"]
    assert visual_item_to_linked_art(obj, base_url=BASE_URL, language="en") is None
    assert provenance_to_linked_art(obj, base_url=BASE_URL, language="en") == []


def test_object_without_texts_is_labelled_by_its_inventory_number(validator_for):
    obj = ObjectRecordFactory(inventory_number="BARE-1")
    obj.texts.all().delete()
    document = object_to_linked_art(obj, base_url=BASE_URL, language="sv")
    assert_valid(validator_for("object.json"), document)
    assert document["_label"] == "BARE-1"


# --- the response -----------------------------------------------------------------------------


def test_render_linked_art(settings, anonymous_loan):
    settings.ALLOWED_HOSTS = ["museum.example"]
    request = RequestFactory().get(
        f"/en/collection/{anonymous_loan.pk}/", HTTP_HOST="museum.example"
    )
    with translation.override("en"):
        response = render_linked_art(anonymous_loan, request)
    assert response.status_code == 200
    assert response["Content-Type"] == LINKED_ART_CONTENT_TYPE
    assert response["Content-Type"] == (
        'application/ld+json;profile="https://linked.art/ns/v1/linked-art.json"'
    )
    document = json.loads(response.content)
    assert document["id"] == f"http://museum.example/collection/{anonymous_loan.pk}/"
    assert document["_label"] == "Mask"
    assert_nothing_confidential(response.content.decode())


@pytest.mark.parametrize(
    "hide",
    [
        pytest.param(lambda obj: setattr(obj, "is_published", False), id="draft"),
        pytest.param(
            lambda obj: setattr(obj, "contains_human_remains", True), id="sensitive, not cleared"
        ),
    ],
)
def test_render_refuses_an_object_not_public_on_the_web(hide):
    obj = ObjectRecordFactory()
    hide(obj)
    obj.save()
    request = RequestFactory().get(f"/collection/{obj.pk}/")
    with pytest.raises(Http404):
        render_linked_art(obj, request)


def test_render_refuses_a_loan_that_is_only_requested():
    obj = ObjectRecordFactory(lender=LenderFactory())
    LoanAgreementFactory(
        lender=obj.lender,
        loaned_objects=[obj],
        status=LoanAgreement.Status.REQUESTED,
    )
    with pytest.raises(Http404):
        render_linked_art(obj, RequestFactory().get(f"/collection/{obj.pk}/"))
