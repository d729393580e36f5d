"""A build names exactly what is missing in each venue language instead of silently
shipping another language."""

import json

import pytest

from tests.touring.builders import archive_bytes, build_touring_show, read_zip
from touring.builder import build_package

pytestmark = pytest.mark.django_db


def test_missing_translations_are_named_per_language_and_marked_in_the_data(settings):
    settings.TOURING_FALLBACK_LANGUAGE = "en"
    show = build_touring_show(languages="de, en")
    version = build_package(show["venue"])
    report = version.report
    assert report["languages"] == ["de", "en"]
    assert report["fallback_language"] == "en"
    own, covered = show["own"].inventory_number, show["covered"].inventory_number
    missing_de = {(item["kind"], item["id"], item["what"]) for item in report["untranslated"]["de"]}
    assert ("room", "hall", "name") in missing_de
    assert ("object", own, "title") in missing_de
    assert ("label", own, "object label") in missing_de
    assert ("testimony", show["told"].slug, "title") in missing_de
    # English lacks only what was written in Swedish alone.
    missing_en = {(item["kind"], item["id"], item["what"]) for item in report["untranslated"]["en"]}
    assert missing_en == {
        ("object", covered, "title"),
        ("label", covered, "object label"),
    }
    files = read_zip(archive_bytes(version))
    objects = {o["id"]: o for o in json.loads(files["data/objects.json"])}
    # The German slot holds the English text and says it is English.
    assert objects[show["own"].pk]["title"]["de"] == {"text": "Own bowl", "lang": "en"}
    # Without English, the fallback is the text's own (Swedish) language, marked as such.
    assert objects[show["covered"].pk]["title"]["en"] == {"text": "Lånad mask", "lang": "sv"}
    labels = json.loads(files["data/labels.json"])
    own_label = next(label for label in labels if label["placement"] == show["own_placement"].pk)
    assert own_label["text"] == {
        "de": {"text": "A bowl.", "lang": "en"},
        "en": {"text": "A bowl.", "lang": "en"},
    }
    # Only the venue's languages are printed: no German labels exist, so no German PDF.
    assert "labels/en-A6.pdf" in files and "labels/de-A6.pdf" not in files
