"""What goes into a package: only what VENUE(v) shows, allow-listed, signed and reproducible."""

import hashlib
import json

import pytest

from stories.models import RevokedItem
from tests.touring.builders import (
    CONTACT_MARKER,
    INSURANCE_MARKER,
    archive_bytes,
    build_touring_show,
    read_zip,
)
from touring import signing
from touring.builder import build_package
from touring.models import PackageVersion, package_storage

pytestmark = pytest.mark.django_db

FORBIDDEN = [
    CONTACT_MARKER.encode(),
    b"contact-7f3a@venue.invalid",
    INSURANCE_MARKER.encode(),
    b"TILLBAKADRAGEN-TITEL",  # the withdrawn testimony
    b"Ingrid (test)",  # its voice, whose only consent was withdrawn
    b"HEMLIGT-UTKAST",  # an unpublished object
    b"UTKAST-ETIKETT",
    b"KORT-LAN-FOREMAL",  # an object whose loan ends before the venue closes
    b"KORT-LAN-ETIKETT",
    b"BARA-HEMMA-TITEL",  # consent for the home show only, not for touring
    b"Nora (test)",
    b"Mirjam Realname",  # a voice span in the transcript's source
    b"interviewed by Anna",  # an editor's NOTE in the transcript's source
]


@pytest.fixture
def show():
    return build_touring_show()


def test_only_what_the_venue_may_show_goes_in(show):
    version = build_package(show["venue"])
    assert version.status == PackageVersion.Status.READY
    files = read_zip(archive_bytes(version))
    for name, data in files.items():
        for marker in FORBIDDEN:
            assert marker not in data, f"{marker!r} leaked into {name}"
    objects = json.loads(files["data/objects.json"])
    assert {o["inventory_number"] for o in objects} == {
        show["own"].inventory_number,
        show["covered"].inventory_number,
    }
    stories = json.loads(files["data/stories.json"])
    assert [t["slug"] for t in stories["testimonies"]] == [show["told"].slug]
    assert f"media/testimonies/{show['told'].pk}.mp3" in files
    assert f"media/testimonies/{show['withdrawn'].pk}.mp3" not in files
    assert files[f"media/testimonies/{show['told'].pk}.sv.captions.vtt"].startswith(b"WEBVTT")
    # The excluded objects are named in the report with their reasons.
    reasons = {item["object"]: item["reason"] for item in version.report["excluded"]}
    assert reasons == {
        show["unpublished"].inventory_number: "not_public",
        show["uncovered"].inventory_number: "dates_not_covered",
    }
    manifest = json.loads(files["manifest.json"])
    assert manifest["venue"] == {
        "slug": "tour-stop",
        "name": "Turnémuseet (test)",
        "city": "Göteborg",
        "country": "SE",
        "languages": ["sv", "en"],
        "time_zone": "Europe/Stockholm",
    }


def test_the_manifest_lists_every_file_and_the_signature_verifies(show):
    version = build_package(show["venue"])
    files = read_zip(archive_bytes(version))
    manifest_bytes = files.pop("manifest.json")
    signature = files.pop("manifest.sig")
    public_key = signing.museum_public_key()
    signing.verify(public_key, manifest_bytes, signature)
    with pytest.raises(signing.SignatureError):
        signing.verify(
            public_key, manifest_bytes.replace(b'"version":1', b'"version":9'), signature
        )
    manifest = json.loads(manifest_bytes)
    assert (
        manifest_bytes
        == json.dumps(manifest, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    )
    assert manifest["format"] == "trafficking-package/1"
    assert manifest["key_id"] == signing.key_id(public_key)
    assert manifest["version"] == 1 and manifest["parent_version"] is None
    assert manifest["valid_until"] == "2028-02-28"  # the venue's closing day
    assert [f["path"] for f in manifest["files"]] == sorted(files)
    for entry in manifest["files"]:
        data = files[entry["path"]]
        assert entry["size"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert {"data/stories.json", "media/testimonies/"} <= set(manifest["consent_bound"])
    revoked = [{"kind": i.kind, "id": i.public_id} for i in RevokedItem.objects.all()]
    assert revoked, "withdrawing consent puts ids on the revocation list"
    assert [{"kind": i["kind"], "id": i["id"]} for i in manifest["revoked"]] == sorted(
        revoked, key=lambda i: (i["kind"], i["id"])
    )
    # Stored as recorded.
    assert version.sha256 == hashlib.sha256(archive_bytes(version)).hexdigest()
    assert version.size == len(archive_bytes(version))
    assert version.manifest == manifest
    # A level-0 image: info.json and the tiles it promises.
    info = json.loads(files[f"images/{show['own'].images.get().image_id}/info.json"])
    assert info["profile"] == "level0" and max(info["width"], info["height"]) <= 512
    iiif = json.loads(files[f"iiif/objects/{show['own'].pk}/manifest.json"])
    assert iiif["id"] == f"iiif/objects/{show['own'].pk}/manifest.json"
    body = iiif["items"][0]["items"][0]["items"][0]["body"]
    assert body["id"] in files
    assert body["service"][0]["id"] == f"images/{show['own'].images.get().image_id}"


def test_the_same_content_gives_the_same_zip(show):
    first = build_package(show["venue"])
    first_bytes = archive_bytes(first)
    second = build_package(show["venue"])
    assert (second.number, second.parent) == (2, first)
    first_files, second_files = read_zip(first_bytes), read_zip(archive_bytes(second))
    assert json.loads(second_files["manifest.json"])["parent_version"] == 1
    for name in first_files.keys() - {"manifest.json", "manifest.sig"}:
        assert first_files[name] == second_files[name], name
    # Version 1 built again from the same content is the same zip, byte for byte.
    package_storage().delete(first.archive.name)
    second.delete()
    first.delete()
    again = build_package(show["venue"])
    assert again.number == 1
    assert archive_bytes(again) == first_bytes


def test_help_lines_of_the_venues_country_go_in_for_every_language(show):
    from wagtail.models import Locale

    from stories.models import SupportResource

    sv, en = (Locale.objects.get(language_code=code) for code in ("sv", "en"))
    home = SupportResource.objects.create(
        locale=sv, name="Stödlinjen (test)", kind="helpline", country="SE", phone="020-00 00 00"
    )
    english = home.copy_for_translation(en)
    english.name = "The support line (test)"
    english.save()
    SupportResource.objects.create(
        locale=sv, name="Utländsk linje (test)", kind="helpline", country="LT", phone="8 800"
    )
    SupportResource.objects.create(
        locale=sv, name="Nedlagd linje (test)", kind="helpline", country="SE", is_active=False
    )
    files = read_zip(archive_bytes(build_package(show["venue"])))
    support = json.loads(files["data/support.json"])
    assert [r["name"] for r in support["sv"]] == ["Stödlinjen (test)"]
    assert [r["name"] for r in support["en"]] == ["The support line (test)"]
    assert support["sv"][0]["phone"] == "020-00 00 00"
    assert set(support["sv"][0]) == {
        "name",
        "kind",
        "kind_label",
        "language",
        "service_languages",
        "phone",
        "url",
        "hours",
        "description",
    }
    kiosk = files["kiosk/data/support.js"].decode()
    assert "Stödlinjen (test)" in kiosk and "Utländsk linje" not in kiosk


def test_another_venues_local_voices_stay_out_and_its_own_go_in(show):
    from exhibition.factories import VenueFactory
    from stories.factories import consented_voice, published_testimony

    elsewhere = VenueFactory(slug="elsewhere")
    theirs = published_testimony(
        voice=consented_voice(local_venue=elsewhere, display_name="DERAS-LOKALA (test)")
    )
    ours = published_testimony(
        voice=consented_voice(local_venue=show["venue"], display_name="VAR-LOKALA (test)")
    )
    files = read_zip(archive_bytes(build_package(show["venue"])))
    stories = json.loads(files["data/stories.json"])
    slugs = {t["slug"] for t in stories["testimonies"]}
    assert ours.slug in slugs and theirs.slug not in slugs
    assert all(b"DERAS-LOKALA" not in data for data in files.values())
    assert b"VAR-LOKALA" in files["data/stories.json"]
