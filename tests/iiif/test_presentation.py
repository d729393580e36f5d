"""IIIF Presentation 3 manifests and the objects collection: schema, content, privacy, visibility.

Every document the tests fetch is validated against the official Presentation 3 JSON Schema
in ../shared/iiif/, after proving that the validation agrees with the official validator's
own fixtures.
"""

import io
import json
import os
from pathlib import Path

from django.core.files.images import ImageFile

from wagtail.models import Locale

import jsonschema
import pytest
from PIL import Image as PILImage

from collection.factories import LenderFactory, LoanAgreementFactory, ObjectRecordFactory
from collection.models import (
    Lender,
    LoanAgreement,
    LoanCreditLine,
    Material,
    MuseumImage,
    ObjectImage,
    ObjectText,
)

pytestmark = pytest.mark.django_db

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
IIIF = SHARED / "iiif"
CONTENT_TYPE = 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'
BASE = "http://testserver"


def shared_or_skip() -> Path:
    """The shared IIIF folder; outside CI a checkout without it skips, in CI it fails."""
    if not IIIF.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{IIIF} is missing; CI must have the shared IIIF reference files.")
        pytest.skip(f"{IIIF} is not available in this checkout.")
    return IIIF


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    """The schema validator as the official presentation validator uses it (draft-07)."""
    schema = json.loads((shared_or_skip() / "iiif_3_0.json").read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def assert_valid(validator, document: dict) -> None:
    errors = [
        f"{error.json_path}: {error.message[:200]}" for error in validator.iter_errors(document)
    ]
    assert not errors, errors


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IIIF_CACHE_DIR = tmp_path / "iiif-cache"


def make_image(obj, *, online=True, max_size=None, size=(800, 600), caption="", order=0):
    """Attach a PNG of ``size`` to ``obj``; ``online`` and ``max_size`` are the web limits."""
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (120, 60, 30)).save(buffer, "PNG")
    image = MuseumImage.objects.create(
        title=f"Image of {obj.inventory_number}",
        file=ImageFile(buffer, name="object.png"),
        may_publish_online=online,
        max_online_size=max_size,
        rights_statement="http://creativecommons.org/licenses/by/4.0/",
    )
    return ObjectImage.objects.create(object=obj, image=image, caption=caption, sort_order=order)


def add_english(obj, **fields) -> ObjectText:
    return ObjectText.objects.create(
        object=obj, locale=Locale.objects.get(language_code="en"), **fields
    )


def manifest_url(obj) -> str:
    return f"/iiif/presentation/objects/{obj.pk}/manifest"


def get_manifest(client, validator, obj) -> dict:
    response = client.get(manifest_url(obj))
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == CONTENT_TYPE
    document = response.json()
    assert_valid(validator, document)
    return document


def metadata(document: dict) -> dict:
    """Metadata by English label."""
    return {pair["label"]["en"][0]: pair for pair in document["metadata"]}


# --- the validator itself ------------------------------------------------------------------


def test_validation_agrees_with_the_official_fixtures(validator):
    expected = json.loads((IIIF / "fixtures_v3_expected.json").read_text())
    fixtures = {path.name: path for path in (IIIF / "fixtures_v3").glob("*.json")}
    assert set(expected["expected_valid"]) | set(expected["expected_invalid"]) <= set(fixtures)
    disagreements = []
    for name in expected["expected_valid"]:
        if not validator.is_valid(json.loads(fixtures[name].read_text())):
            disagreements.append(f"{name}: expected valid")
    for name in expected["expected_invalid"]:
        if validator.is_valid(json.loads(fixtures[name].read_text())):
            disagreements.append(f"{name}: expected invalid")
    assert not disagreements
    assert len(expected["expected_valid"]) + len(expected["expected_invalid"]) == 31


def test_validation_agrees_with_the_cookbook_catalog(validator):
    """The cookbook catalogue records which recipes pass this schema: a second wiring check."""
    catalog = json.loads((IIIF / "cookbook" / "catalog.json").read_text())
    disagreements, checked = [], 0
    for entry in catalog:
        path = IIIF / "cookbook" / "rendered" / entry["recipe"] / entry["file"]
        if "schema_valid_iiif_3_0" not in entry or not path.is_file():
            continue
        checked += 1
        valid = validator.is_valid(json.loads(path.read_text()))
        if valid != entry["schema_valid_iiif_3_0"]:
            disagreements.append(entry["recipe"])
    assert not disagreements
    assert checked > 50  # the rendered recipes are really there (99 today)


# --- manifests -----------------------------------------------------------------------------


def test_own_object_with_two_images_shows_only_the_one_allowed_online(client, validator):
    obj = ObjectRecordFactory(
        title="Skål av lera",
        dating="ca 1850",
        dimensions_text="12 x 30 cm",
        rights_statement="http://rightsstatements.org/vocab/InC/1.0/",
    )
    obj.materials.add(Material.objects.create(name="lera"))
    obj.save()
    sv = obj.texts.get()
    sv.label = "En skål <b>bränd</b> i ugn."
    sv.credit_line = "Museets samling"
    sv.save()
    add_english(
        obj, title="Clay bowl", description="<p>A bowl &amp; its lid.</p>", credit_line="Museum"
    )
    shown = make_image(obj, caption="Framsida", order=0)
    make_image(obj, online=False, order=1)

    document = get_manifest(client, validator, obj)

    assert document["@context"] == "http://iiif.io/api/presentation/3/context.json"
    assert document["id"] == f"{BASE}/iiif/presentation/objects/{obj.pk}/manifest"
    assert document["label"] == {"en": ["Clay bowl"], "sv": ["Skål av lera"]}
    assert document["summary"] == {"en": ["A bowl & its lid."], "sv": ["En skål bränd i ugn."]}
    facts = metadata(document)
    assert facts["Inventory number"]["label"]["sv"] == ["Inventarienummer"]
    assert facts["Inventory number"]["value"] == {"none": [obj.inventory_number]}
    assert facts["Dating"]["value"] == {"none": ["ca 1850"]}
    assert facts["Materials and techniques"]["value"] == {"none": ["lera"]}
    assert facts["Dimensions"]["value"] == {"none": ["12 x 30 cm"]}
    assert document["requiredStatement"]["value"] == {"en": ["Museum"], "sv": ["Museets samling"]}
    assert document["rights"] == "http://rightsstatements.org/vocab/InC/1.0/"
    assert {page["id"] for page in document["homepage"]} == {
        f"{BASE}/collection/{obj.pk}/",
        f"{BASE}/en/collection/{obj.pk}/",
    }
    assert all(page["format"] == "text/html" for page in document["homepage"])
    assert document["seeAlso"] == [
        {
            "id": f"{BASE}/collection/{obj.pk}.jsonld",
            "type": "Dataset",
            "label": {"sv": ["Posten som Linked Art"], "en": ["The record as Linked Art"]},
            "format": "application/ld+json",
            "profile": "https://linked.art/ns/v1/linked-art.json",
        }
    ]

    [canvas] = document["items"]
    assert (canvas["width"], canvas["height"]) == (800, 600)
    assert canvas["label"] == {"none": ["Framsida"]}
    [page] = canvas["items"]
    [annotation] = page["items"]
    assert annotation["motivation"] == "painting"
    assert annotation["target"] == canvas["id"]
    service_id = f"{BASE}/iiif/3/{shown.image.pk}"
    assert annotation["body"]["id"] == f"{service_id}/full/max/0/default.jpg"
    assert annotation["body"]["service"] == [
        {"id": service_id, "type": "ImageService3", "profile": "level2"}
    ]
    assert document["thumbnail"] == canvas["thumbnail"]

    # The URLs in the manifest are ones the image server really answers.
    for url in (annotation["body"]["id"], canvas["thumbnail"][0]["id"]):
        image = client.get(url.removeprefix(BASE))
        assert image.status_code == 200, url
        # Read, not close(): closing a response sends request_finished, which would close
        # the database connection holding the test's transaction on PostgreSQL.
        assert b"".join(image.streaming_content) if image.streaming else image.content


def test_canvas_is_capped_at_the_largest_size_allowed_online(client, validator):
    obj = ObjectRecordFactory()
    make_image(obj, size=(1600, 1200), max_size=400)
    document = get_manifest(client, validator, obj)
    [canvas] = document["items"]
    assert (canvas["width"], canvas["height"]) == (400, 300)
    body = canvas["items"][0]["items"][0]["body"]
    assert (body["width"], body["height"]) == (400, 300)
    response = client.get(body["id"].removeprefix(BASE))
    assert response.status_code == 200
    picture = PILImage.open(io.BytesIO(b"".join(response.streaming_content)))
    assert picture.size == (400, 300)


def test_anonymous_lender_leaves_no_trace(client, validator):
    lender = LenderFactory(
        name="Greta Hemligsson",
        kind=Lender.Kind.PRIVATE,
        is_anonymous=True,
        contact_name="Kalle Kontakt",
        contact_email="greta@hemlig.invalid",
        contact_phone="+46 70 123 45 67",
        address="Hemliga gatan 1",
        notes="Vill inte synas.",
    )
    obj = ObjectRecordFactory(lender=lender, inventory_number="LÅN-1")
    add_english(obj, title="Borrowed bowl")
    LoanAgreementFactory(
        lender=lender,
        number="L-HEMLIG-77",
        loaned_objects=[obj],
        online_publication_allowed=True,
        insurance_value=987654321,
    )
    make_image(obj)

    response = client.get(manifest_url(obj))
    document = response.json()
    assert_valid(validator, document)
    text = response.content.decode()
    for secret in (
        "Greta",
        "Hemligsson",
        "Kalle",
        "hemlig.invalid",
        "123 45 67",
        "Hemliga gatan",
        "Vill inte",
        "L-HEMLIG-77",
        "987654321",
        "987 654 321",
    ):
        assert secret not in text
    assert document["requiredStatement"]["value"]["en"] == ["On loan from Private collection"]
    assert document["requiredStatement"]["label"] == {"sv": ["Erkännande"], "en": ["Attribution"]}


def test_agreed_credit_line_of_a_named_loan(client, validator):
    lender = LenderFactory(name="Etnografiska museet")
    obj = ObjectRecordFactory(lender=lender)
    loan = LoanAgreementFactory(
        lender=lender, loaned_objects=[obj], online_publication_allowed=True
    )
    LoanCreditLine.objects.create(
        loan=loan, locale=Locale.objects.get(language_code="sv"), text="Lån från EM, inv. 1"
    )
    make_image(obj)
    value = get_manifest(client, validator, obj)["requiredStatement"]["value"]
    assert value["sv"] == ["Lån från EM, inv. 1"]
    assert value["en"] == ["On loan from Etnografiska museet"]


@pytest.mark.parametrize(
    "overrides",
    [
        {"is_published": False},
        {"contains_human_remains": True},
        {"restricted_by_community": True},
    ],
)
def test_hidden_objects_have_no_manifest(client, overrides):
    obj = ObjectRecordFactory(**overrides)
    make_image(obj)
    response = client.get(manifest_url(obj))
    assert response.status_code == 404
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "no-store"


def test_cleared_sensitive_object_has_a_manifest(client, validator):
    obj = ObjectRecordFactory(contains_human_remains=True, sensitivity_cleared=True)
    make_image(obj)
    get_manifest(client, validator, obj)


def test_requested_loan_has_no_manifest(client):
    lender = LenderFactory()
    obj = ObjectRecordFactory(lender=lender)
    LoanAgreementFactory(
        lender=lender,
        loaned_objects=[obj],
        status=LoanAgreement.Status.REQUESTED,
        online_publication_allowed=True,
    )
    make_image(obj)
    assert client.get(manifest_url(obj)).status_code == 404


def test_object_without_a_web_image_has_no_manifest(client):
    """A Manifest needs at least one Canvas (Presentation 3, §3.3 items)."""
    obj = ObjectRecordFactory()
    make_image(obj, online=False)
    assert client.get(manifest_url(obj)).status_code == 404
    assert client.get("/iiif/presentation/objects/999999/manifest").status_code == 404


def test_headers_cors_once_and_conditional_get(client, validator):
    obj = ObjectRecordFactory()
    make_image(obj)
    response = client.get(manifest_url(obj))
    cors = [name for name, _ in response.items() if name.lower() == "access-control-allow-origin"]
    assert cors == ["Access-Control-Allow-Origin"]
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
    again = client.get(manifest_url(obj), headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304
    head = client.head(manifest_url(obj))
    assert head.status_code == 200 and head.content == b""
    assert head["Content-Length"] == str(len(response.content))
    assert client.options(manifest_url(obj)).status_code == 204
    assert client.post(manifest_url(obj)).status_code == 405


def test_image_api_routes_still_work(client):
    obj = ObjectRecordFactory()
    object_image = make_image(obj)
    assert client.get(f"/iiif/3/{object_image.image.pk}/info.json").status_code == 200
    assert client.get("/iiif/presentation/objects/abc/manifest").status_code == 404


# --- the collection ------------------------------------------------------------------------


def test_collection_lists_only_objects_with_web_images(client, validator):
    shown = ObjectRecordFactory(title="Synlig")
    add_english(shown, title="Visible")
    make_image(shown)
    hidden = ObjectRecordFactory(is_published=False)
    make_image(hidden)
    no_web_image = ObjectRecordFactory()
    make_image(no_web_image, online=False)
    lender = LenderFactory()
    requested = ObjectRecordFactory(lender=lender)
    LoanAgreementFactory(
        lender=lender,
        loaned_objects=[requested],
        status=LoanAgreement.Status.REQUESTED,
        online_publication_allowed=True,
    )
    make_image(requested)

    response = client.get("/iiif/presentation/collections/objects")
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["Access-Control-Allow-Origin"] == "*"
    document = response.json()
    assert_valid(validator, document)
    assert document["type"] == "Collection"
    assert document["label"] == {"sv": ["Samlingen"], "en": ["The collection"]}
    assert document["items"] == [
        {
            "id": f"{BASE}/iiif/presentation/objects/{shown.pk}/manifest",
            "type": "Manifest",
            "label": {"en": ["Visible"], "sv": ["Synlig"]},
        }
    ]
    # Every listed manifest resolves and validates too.
    for item in document["items"]:
        assert_valid(validator, client.get(item["id"].removeprefix(BASE)).json())


# --- the object page -----------------------------------------------------------------------


def test_object_page_links_the_manifest_only_when_there_is_an_image(client):
    with_image, without = ObjectRecordFactory(), ObjectRecordFactory()
    make_image(with_image)
    make_image(without, online=False)
    page = client.get(f"/collection/{with_image.pk}/").text
    assert f'href="/iiif/presentation/objects/{with_image.pk}/manifest"' in page
    assert "IIIF" in page
    assert "/iiif/presentation/" not in client.get(f"/collection/{without.pk}/").text


def test_every_part_of_a_manifest_is_dereferenceable(client):
    """Canvas, annotation page and annotation ids answer with that part, and nothing else."""
    obj = ObjectRecordFactory()
    make_image(obj)
    hidden = make_image(obj, online=False, order=1)
    manifest = client.get(manifest_url(obj)).json()
    canvas = manifest["items"][0]
    page = canvas["items"][0]
    annotation = page["items"][0]
    for part in (canvas, page, annotation):
        path = part["id"].removeprefix(BASE)
        response = client.get(path)
        assert response.status_code == 200, path
        document = response.json()
        assert document["@context"] == "http://iiif.io/api/presentation/3/context.json"
        assert document["id"] == part["id"]
        assert document["type"] == part["type"]
    # A part the manifest does not have, and the metadata (not a part) are 404s.
    base = manifest["id"].removeprefix(BASE).rsplit("/", 1)[0]
    assert client.get(f"{base}/canvas/999999").status_code == 404
    # The image not allowed online has no canvas to dereference either.
    assert client.get(f"{base}/canvas/{hidden.pk}").status_code == 404
    assert client.get(f"{base}/metadata").status_code == 404
    assert client.get("/iiif/presentation/nothing/here").status_code == 404
