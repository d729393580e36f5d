"""import_objects: CSV and LIDO object records, re-imports, dry runs and refusals."""

import csv
import os
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from wagtail.search.backends import get_search_backend

import pytest

from collection.factories import LenderFactory
from collection.importers import clean_inventory_number
from collection.importers.writer import ObjectRecordWriter
from collection.models import (
    Culture,
    Maker,
    Material,
    ObjectPlace,
    ObjectRecord,
    ObjectText,
    Place,
    ProvenanceEvent,
)

pytestmark = pytest.mark.django_db

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"
HEADER = [
    "inventory_number",
    "lender_slug",
    "language",
    "title",
    "description",
    "label",
    "credit_line",
    "object_type",
    "materials",
    "cultures",
    "makers",
    "place_made",
    "place_collected",
    "dating",
    "earliest_year",
    "latest_year",
    "dimensions",
    "inscriptions",
    "rights_statement",
    "published",
]


def row(**values) -> dict[str, str]:
    """A complete, valid CSV row for an object of the own collection; override any column."""
    defaults = {
        "inventory_number": "T-1",
        "lender_slug": "",
        "language": "sv",
        "title": "Skål med lock",
        "description": "Drejad skål.",
        "label": "En skål.",
        "credit_line": "Museets samling",
        "object_type": "skål",
        "materials": "lergods|glasyr",
        "cultures": "svensk",
        "makers": "Okänd krukmakare",
        "place_made": "Stockholm",
        "place_collected": "",
        "dating": "ca 1650",
        "earliest_year": "1640",
        "latest_year": "1660",
        "dimensions": "Höjd 12 cm",
        "inscriptions": "",
        "rights_statement": CC0,
        "published": "true",
    }
    return {**defaults, **values}


def write_csv(path: Path, rows: list[dict], header=HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def run_import(*paths, **options) -> str:
    stdout, stderr = StringIO(), StringIO()
    call_command("import_objects", *map(str, paths), stdout=stdout, stderr=stderr, **options)
    return stdout.getvalue()


def summary(output: str) -> str:
    return output.strip().splitlines()[-1]


@pytest.fixture
def skokloster_files() -> list[Path]:
    folder = SHARED_DATA / "lido_skokloster_sample"
    if not folder.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{folder} is missing: CI must provide ../shared/data")
        pytest.skip(f"{folder} is missing (outside CI)")
    return sorted(folder.glob("*.xml"))[:20]


# --- CSV ------------------------------------------------------------------------------


def test_good_csv_creates_objects_with_texts_and_vocabularies(tmp_path):
    lender = LenderFactory(slug="hallwyl")
    path = write_csv(
        tmp_path / "objects.csv",
        [
            row(description="Drejad skål.\n\nLocket är <b>lagat</b> & limmat."),
            row(
                inventory_number="HWY 12",
                lender_slug="hallwyl",
                language="en",
                title="Bowl",
                materials="Lergods",
                place_made="",
                place_collected="Kyoto|Osaka",
                published="false",
            ),
        ],
    )

    output = run_import(path)

    assert summary(output) == "created 2, changed 0, unchanged 0, refused 0"
    own = ObjectRecord.objects.get(inventory_number="T-1", lender=None)
    assert own.object_type == "skål"
    assert (own.earliest_year, own.latest_year, own.dating) == (1640, 1660, "ca 1650")
    assert own.dimensions_text == "Höjd 12 cm"
    assert own.rights_statement == CC0
    assert own.is_published is True
    text = own.texts.get()
    assert text.locale.language_code == "sv"
    assert text.title == "Skål med lock"
    # Plain text with blank lines becomes paragraphs; markup is dropped, "&" escaped.
    assert text.description == "<p>Drejad skål.</p><p>Locket är lagat &amp; limmat.</p>"
    assert (text.label, text.credit_line) == ("En skål.", "Museets samling")
    assert sorted(own.materials.values_list("name", flat=True)) == ["glasyr", "lergods"]
    assert list(own.cultures.values_list("name", flat=True)) == ["svensk"]
    assert list(own.makers.values_list("name", flat=True)) == ["Okänd krukmakare"]
    assert [(p.role, p.place.name) for p in own.places.all()] == [("made", "Stockholm")]

    loaned = ObjectRecord.objects.get(inventory_number="HWY 12")
    assert loaned.lender == lender
    assert loaned.is_published is False
    assert loaned.texts.get().locale.language_code == "en"
    # "Lergods" is the term "lergods" already created by the first row.
    assert Material.objects.filter(name__iexact="lergods").count() == 1
    assert [(p.role, p.place.name) for p in loaned.places.order_by("sort_order")] == [
        ("collected", "Kyoto"),
        ("collected", "Osaka"),
    ]


def test_reimport_leaves_everything_unchanged_and_writes_nothing(tmp_path):
    path = write_csv(tmp_path / "objects.csv", [row(), row(inventory_number="T-2")])
    run_import(path)
    before = {obj.pk: obj.updated_at for obj in ObjectRecord.objects.all()}

    with CaptureQueriesContext(connection) as queries:
        output = run_import(path)

    assert summary(output) == "created 0, changed 0, unchanged 2, refused 0"
    assert {obj.pk: obj.updated_at for obj in ObjectRecord.objects.all()} == before
    assert ObjectText.objects.count() == 2
    writes = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []


def test_changed_values_update_the_object_in_place(tmp_path):
    run_import(write_csv(tmp_path / "first.csv", [row()]))
    obj = ObjectRecord.objects.get()
    ObjectPlace.objects.create(object=obj, place=Place.objects.create(name="Uppsala"), role="used")

    output = run_import(
        write_csv(
            tmp_path / "second.csv",
            [row(title="Skål utan lock", materials="lergods", latest_year="1670", published="")],
        ),
        verbosity=2,
    )

    assert summary(output) == "created 0, changed 1, unchanged 0, refused 0"
    assert "changed" in output and "latest_year" in output and "title (sv)" in output
    obj = ObjectRecord.objects.get()
    assert obj.latest_year == 1670
    assert obj.is_published is False  # an empty published cell means false
    assert obj.texts.get().title == "Skål utan lock"
    assert list(obj.materials.values_list("name", flat=True)) == ["lergods"]
    # A place with a role the file does not state is a curator's: it stays.
    assert sorted(obj.places.values_list("role", "place__name")) == [
        ("made", "Stockholm"),
        ("used", "Uppsala"),
    ]


def test_columns_left_out_leave_fields_as_they_are(tmp_path):
    run_import(write_csv(tmp_path / "full.csv", [row()]))
    partial = write_csv(
        tmp_path / "partial.csv",
        [{"inventory_number": "T-1", "title": "Skål med lock", "object_type": "terrin"}],
        header=["inventory_number", "title", "object_type"],
    )

    output = run_import(partial)

    assert summary(output) == "created 0, changed 1, unchanged 0, refused 0"
    obj = ObjectRecord.objects.get()
    assert obj.object_type == "terrin"
    assert obj.is_published is True
    assert obj.materials.count() == 2
    assert obj.texts.get().label == "En skål."


def test_a_second_language_row_adds_a_text_to_the_same_object(tmp_path):
    path = write_csv(
        tmp_path / "objects.csv",
        [row(), row(language="en", title="Lidded bowl", object_type="bowl", materials="")],
    )

    output = run_import(path)

    assert summary(output) == "created 1, changed 1, unchanged 0, refused 0"
    obj = ObjectRecord.objects.get()
    assert sorted(obj.texts.values_list("locale__language_code", "title")) == [
        ("en", "Lidded bowl"),
        ("sv", "Skål med lock"),
    ]
    # The structured fields come from the object's first row only.
    assert obj.object_type == "skål"
    assert obj.materials.count() == 2
    assert summary(run_import(path)) == "created 0, changed 0, unchanged 2, refused 0"


def test_dry_run_reports_and_writes_nothing(tmp_path):
    path = write_csv(
        tmp_path / "objects.csv",
        [row(), row(inventory_number="T-2", materials="brons"), row(inventory_number="")],
    )

    output = run_import(path, dry_run=True)

    assert f"would create {path} line 2 [T-1]" in output
    assert f"would create {path} line 3 [T-2]" in output
    assert f"refused {path} line 4: missing inventory number" in output
    assert (
        summary(output) == "dry run, nothing written: created 2, changed 0, unchanged 0, refused 1"
    )
    assert ObjectRecord.objects.count() == 0
    assert Material.objects.count() == Maker.objects.count() == Place.objects.count() == 0

    run_import(path)
    changed = write_csv(tmp_path / "changed.csv", [row(title="Ny titel")])
    output = run_import(changed, dry_run=True)
    assert f"would change {changed} line 2 [T-1]: title (sv)" in output
    assert ObjectText.objects.get(object__inventory_number="T-1").title == "Skål med lock"


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"inventory_number": " "}, "missing inventory number"),
        ({"title": ""}, "missing title"),
        ({"lender_slug": "nobody"}, "unknown lender slug 'nobody'"),
        ({"earliest_year": "ca 1650"}, "bad year 'ca 1650' in earliest_year"),
        ({"latest_year": "16x0"}, "bad year '16x0' in latest_year"),
        ({"earliest_year": "1700", "latest_year": "1650"}, "earliest year 1700 is after"),
        ({"rights_statement": "http://example.com/free"}, "invalid rights URI"),
        ({"language": "xx"}, "unknown language code 'xx'"),
        ({"published": "kanske"}, "published must be true or false"),
        # Django's own message, in the site's language: only the field is certain.
        ({"dimensions": "x" * 1001}, "dimensions: "),
        ({"materials": "m" * 300}, "materials: 'mmmm"),
    ],
)
def test_a_refused_row_is_reported_with_its_line_and_reason(tmp_path, values, reason):
    path = write_csv(
        tmp_path / "objects.csv",
        [row(inventory_number="OK-1"), row(**{"inventory_number": "BAD-1", **values}), row()],
    )

    output = run_import(path)

    refusals = [line for line in output.splitlines() if line.startswith("refused")]
    assert len(refusals) == 1
    assert refusals[0].startswith(f"refused {path} line 3")
    assert reason in refusals[0]
    assert summary(output) == "created 2, changed 0, unchanged 0, refused 1"
    assert not ObjectRecord.objects.filter(inventory_number="BAD-1").exists()


def test_line_numbers_count_lines_of_multi_line_cells(tmp_path):
    path = write_csv(
        tmp_path / "objects.csv",
        [row(description="one\n\ntwo\nthree"), row(inventory_number="T-2", earliest_year="x")],
    )

    output = run_import(path)

    # The first row spans lines 2-5, so the second starts on line 6.
    assert f"refused {path} line 6 [T-2]: bad year 'x'" in output


def test_a_repeated_row_is_refused(tmp_path):
    path = write_csv(tmp_path / "objects.csv", [row(), row(title="Annan titel")])

    output = run_import(path)

    assert f"refused {path} line 3 [T-1]: repeats line 2" in output
    assert ObjectText.objects.get().title == "Skål med lock"


def test_a_row_failing_mid_write_leaves_no_partial_object(tmp_path, monkeypatch):
    original = ObjectRecordWriter.term_rows

    def fail_for_broken(self, obj, name, names, created):
        if obj.inventory_number == "BROKEN":
            raise IntegrityError("simulated failure after the object was saved")
        return original(self, obj, name, names, created)

    monkeypatch.setattr(ObjectRecordWriter, "term_rows", fail_for_broken)
    path = write_csv(
        tmp_path / "objects.csv",
        [row(inventory_number="BROKEN", materials="nytt material"), row(inventory_number="T-2")],
    )

    output = run_import(path)

    assert f"refused {path} line 2 [BROKEN]: the database refused it" in output
    assert summary(output) == "created 1, changed 0, unchanged 0, refused 1"
    assert list(ObjectRecord.objects.values_list("inventory_number", flat=True)) == ["T-2"]
    assert ObjectText.objects.count() == 1
    # The term created for the failed row went with its savepoint.
    assert not Material.objects.filter(name="nytt material").exists()


def test_unknown_lender_option_is_refused_before_importing(tmp_path):
    path = write_csv(tmp_path / "objects.csv", [row()])

    with pytest.raises(CommandError, match="unknown lender slug 'nobody'"):
        run_import(path, lender="nobody")
    assert ObjectRecord.objects.count() == 0


def test_lender_option_applies_to_rows_without_a_lender(tmp_path):
    lender = LenderFactory(slug="skokloster")
    path = write_csv(tmp_path / "objects.csv", [row()])

    run_import(path, lender="skokloster")

    assert ObjectRecord.objects.get().lender == lender


def test_a_file_that_is_not_utf8_is_refused_whole(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("inventory_number,title\nT-1,Skål\nT-2,Kanna\n".encode("latin-1"))

    with pytest.raises(CommandError, match="not UTF-8") as error:
        run_import(path)

    assert "line 2" in str(error.value)
    assert ObjectRecord.objects.count() == 0


def test_a_file_without_required_columns_is_refused_whole(tmp_path):
    path = write_csv(tmp_path / "objects.csv", [row()], header=["inventory_number", "object_type"])

    with pytest.raises(CommandError, match="missing required columns: title"):
        run_import(path)
    assert ObjectRecord.objects.count() == 0


def test_a_refused_file_does_not_stop_the_others(tmp_path):
    bad = write_csv(tmp_path / "bad.csv", [row()], header=["inventory_number"])
    good = write_csv(tmp_path / "good.csv", [row()])

    with pytest.raises(CommandError, match="1 file"):
        run_import(bad, good)
    assert ObjectRecord.objects.count() == 1


def test_semicolon_separated_files_and_unknown_columns(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_text("\ufeffinventory_number;title;colour\nT-1;Skål;blå\n", encoding="utf-8")

    output = run_import(path)

    assert "ignored unknown columns: colour" in output
    assert ObjectText.objects.get().title == "Skål"


def test_the_format_must_be_known(tmp_path):
    path = tmp_path / "objects.txt"
    path.write_text("inventory_number,title\n")

    with pytest.raises(CommandError, match="give --format"):
        run_import(path)
    assert summary(run_import(path, format="csv")).startswith("created 0")


def test_long_imports_show_a_progress_bar_on_stderr(tmp_path):
    path = write_csv(tmp_path / "many.csv", [row(inventory_number=f"T-{n}") for n in range(201)])
    stderr = StringIO()

    call_command("import_objects", str(path), stdout=StringIO(), stderr=stderr)

    assert "100% 201/201" in stderr.getvalue()
    assert ObjectRecord.objects.count() == 201


def test_imported_objects_are_searchable(tmp_path):
    run_import(write_csv(tmp_path / "objects.csv", [row(title="Turbopokal av snäcka")]))

    results = get_search_backend().search("Turbopokal", ObjectRecord)

    assert [obj.inventory_number for obj in results] == ["T-1"]


# --- LIDO -----------------------------------------------------------------------------


LIDO_11 = """<?xml version="1.0" encoding="UTF-8"?>
<lido:lidoWrap xmlns:lido="http://www.lido-schema.org"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.lido-schema.org http://lido-schema.org/schema/v1.1/lido-v1.1.xsd">
  <lido:lido>
    <lido:lidoRecID lido:type="local">example-1</lido:lidoRecID>
    <lido:category><lido:term>Man-Made Object</lido:term></lido:category>
    <lido:descriptiveMetadata xml:lang="en">
      <lido:objectClassificationWrap>
        <lido:objectWorkTypeWrap>
          <lido:objectWorkType><lido:term>painting</lido:term></lido:objectWorkType>
        </lido:objectWorkTypeWrap>
      </lido:objectClassificationWrap>
      <lido:objectIdentificationWrap>
        <lido:titleWrap>
          <lido:titleSet><lido:appellationValue lido:pref="preferred">Portrait of a Lady</lido:appellationValue></lido:titleSet>
        </lido:titleWrap>
        <lido:inscriptionsWrap>
          <lido:inscriptions><lido:inscriptionTranscription>D.K.E. 1661</lido:inscriptionTranscription></lido:inscriptions>
        </lido:inscriptionsWrap>
        <lido:repositoryWrap>
          <lido:repositorySet lido:type="current">
            <lido:workID lido:type="inventory number"> NM 1234 </lido:workID>
          </lido:repositorySet>
        </lido:repositoryWrap>
        <lido:objectDescriptionWrap>
          <lido:objectDescriptionSet><lido:descriptiveNoteValue>A half-length portrait &lt;i&gt;in oil&lt;/i&gt;.</lido:descriptiveNoteValue></lido:objectDescriptionSet>
        </lido:objectDescriptionWrap>
        <lido:objectMeasurementsWrap>
          <lido:objectMeasurementsSet><lido:displayObjectMeasurements>72 x 58 cm</lido:displayObjectMeasurements></lido:objectMeasurementsSet>
        </lido:objectMeasurementsWrap>
      </lido:objectIdentificationWrap>
      <lido:eventWrap>
        <lido:eventSet>
          <lido:event>
            <lido:eventType>
              <lido:conceptID lido:type="URI">http://terminology.lido-schema.org/lido00007</lido:conceptID>
              <lido:term>Production</lido:term>
            </lido:eventType>
            <lido:eventActor>
              <lido:displayActorInRole>David Klöcker Ehrenstrahl (painter)</lido:displayActorInRole>
              <lido:actorInRole><lido:actor><lido:nameActorSet>
                <lido:appellationValue>David Klöcker Ehrenstrahl</lido:appellationValue>
              </lido:nameActorSet></lido:actor></lido:actorInRole>
            </lido:eventActor>
            <lido:culture><lido:term>Swedish</lido:term></lido:culture>
            <lido:eventDate>
              <lido:displayDate>c. 1661</lido:displayDate>
              <lido:date><lido:earliestDate>1660</lido:earliestDate><lido:latestDate>1662-12-31</lido:latestDate></lido:date>
            </lido:eventDate>
            <lido:eventPlace><lido:place><lido:namePlaceSet><lido:appellationValue>Stockholm</lido:appellationValue></lido:namePlaceSet></lido:place></lido:eventPlace>
            <lido:eventMaterialsTech>
              <lido:materialsTech>
                <lido:termMaterialsTech lido:type="material"><lido:term>oil paint</lido:term></lido:termMaterialsTech>
                <lido:termMaterialsTech lido:type="material"><lido:term>canvas</lido:term></lido:termMaterialsTech>
              </lido:materialsTech>
            </lido:eventMaterialsTech>
          </lido:event>
        </lido:eventSet>
        <lido:eventSet>
          <lido:event>
            <lido:eventType><lido:term>Acquisition</lido:term></lido:eventType>
            <lido:eventActor><lido:displayActorInRole>Nationalmuseum</lido:displayActorInRole></lido:eventActor>
            <lido:eventDate><lido:displayDate>1866</lido:displayDate></lido:eventDate>
          </lido:event>
        </lido:eventSet>
      </lido:eventWrap>
    </lido:descriptiveMetadata>
    <lido:descriptiveMetadata xml:lang="sv">
      <lido:objectIdentificationWrap>
        <lido:titleWrap><lido:titleSet><lido:appellationValue>Porträtt av en dam</lido:appellationValue></lido:titleSet></lido:titleWrap>
      </lido:objectIdentificationWrap>
    </lido:descriptiveMetadata>
    <lido:administrativeMetadata xml:lang="en">
      <lido:rightsWorkWrap>
        <lido:rightsWorkSet><lido:rightsType>
          <lido:conceptID lido:type="URI">https://creativecommons.org/publicdomain/mark/1.0/</lido:conceptID>
        </lido:rightsType></lido:rightsWorkSet>
      </lido:rightsWorkWrap>
      <lido:recordWrap><lido:recordID lido:type="local">rec-1</lido:recordID></lido:recordWrap>
    </lido:administrativeMetadata>
  </lido:lido>
  <lido:lido>
    <lido:lidoRecID lido:type="local">example-2</lido:lidoRecID>
    <lido:descriptiveMetadata xml:lang="en">
      <lido:objectIdentificationWrap>
        <lido:titleWrap><lido:titleSet><lido:appellationValue>No number</lido:appellationValue></lido:titleSet></lido:titleWrap>
      </lido:objectIdentificationWrap>
    </lido:descriptiveMetadata>
  </lido:lido>
  <lido:lido>
    <lido:lidoRecID lido:type="local">example-3</lido:lidoRecID>
    <lido:descriptiveMetadata xml:lang="en">
      <lido:objectIdentificationWrap>
        <lido:titleWrap><lido:titleSet><lido:appellationValue>Only a record id</lido:appellationValue></lido:titleSet></lido:titleWrap>
      </lido:objectIdentificationWrap>
    </lido:descriptiveMetadata>
    <lido:administrativeMetadata xml:lang="en">
      <lido:recordWrap><lido:recordID lido:type="local">rec-3</lido:recordID></lido:recordWrap>
    </lido:administrativeMetadata>
  </lido:lido>
</lido:lidoWrap>
"""


def test_lido_11_record_maps_to_an_object(tmp_path):
    path = tmp_path / "example.xml"
    path.write_text(LIDO_11, encoding="utf-8")

    output = run_import(path)

    assert f"refused {path} record 2: missing inventory number" in output
    assert summary(output) == "created 2, changed 1, unchanged 0, refused 1"
    obj = ObjectRecord.objects.get(inventory_number="NM 1234")
    assert obj.object_type == "painting"
    assert obj.inscriptions == "D.K.E. 1661"
    assert obj.dimensions_text == "72 x 58 cm"
    assert (obj.dating, obj.earliest_year, obj.latest_year) == ("c. 1661", 1660, 1662)
    assert obj.rights_statement == "http://creativecommons.org/publicdomain/mark/1.0/"
    assert obj.is_published is False
    assert list(obj.makers.values_list("name", flat=True)) == ["David Klöcker Ehrenstrahl"]
    assert list(obj.cultures.values_list("name", flat=True)) == ["Swedish"]
    assert sorted(obj.materials.values_list("name", flat=True)) == ["canvas", "oil paint"]
    assert [(p.role, p.place.name) for p in obj.places.all()] == [("made", "Stockholm")]
    texts = {text.locale.language_code: text for text in obj.texts.all()}
    assert texts["en"].title == "Portrait of a Lady"
    assert texts["en"].description == "<p>A half-length portrait in oil.</p>"
    assert texts["sv"].title == "Porträtt av en dam"
    event = ProvenanceEvent.objects.get(object=obj)
    assert (event.kind, event.parties, event.date_text) == ("acquired", "Nationalmuseum", "1866")
    assert (event.earliest_year, event.latest_year) == (1866, 1866)
    # Without a workID the record id is the inventory number.
    assert ObjectRecord.objects.filter(inventory_number="rec-3").exists()

    assert summary(run_import(path)) == "created 0, changed 0, unchanged 3, refused 1"


def test_a_lido_record_with_a_bad_date_is_refused(tmp_path):
    path = tmp_path / "example.xml"
    path.write_text(
        LIDO_11.replace("<lido:earliestDate>1660", "<lido:earliestDate>omkring 1660"),
        encoding="utf-8",
    )

    output = run_import(path)

    assert f"refused {path} record 1 [NM 1234]: bad year 'omkring 1660' in earliestDate" in output
    assert not ObjectRecord.objects.filter(inventory_number="NM 1234").exists()


def test_a_single_lido_record_without_wrap_and_publish_option(tmp_path):
    record = LIDO_11.split("<lido:lido>")[1].split("</lido:lido>")[0]
    path = tmp_path / "single.xml"
    path.write_text(
        f'<lido:lido xmlns:lido="http://www.lido-schema.org">{record}</lido:lido>',
        encoding="utf-8",
    )

    output = run_import(path, publish=True)

    assert summary(output) == "created 1, changed 1, unchanged 0, refused 0"
    assert ObjectRecord.objects.get().is_published is True


def test_malformed_xml_is_refused_whole(tmp_path):
    path = tmp_path / "broken.xml"
    path.write_text(LIDO_11.replace("</lido:titleWrap>", "", 1), encoding="utf-8")

    with pytest.raises(CommandError, match="malformed XML at line"):
        run_import(path)
    assert ObjectRecord.objects.count() == 0


def test_xml_entities_are_refused(tmp_path):
    path = tmp_path / "entities.xml"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE lido [<!ENTITY a "aaaa">]>'
        '<lido:lido xmlns:lido="http://www.lido-schema.org">&a;</lido:lido>',
        encoding="utf-8",
    )

    with pytest.raises(CommandError, match="unsafe XML"):
        run_import(path)


def test_xml_that_is_not_lido_is_refused(tmp_path):
    path = tmp_path / "other.xml"
    path.write_text("<records><record/></records>", encoding="utf-8")

    with pytest.raises(CommandError, match="not LIDO"):
        run_import(path)


def test_skokloster_sample_imports_and_reimports(skokloster_files):
    output = run_import(*skokloster_files)

    assert summary(output) == "created 20, changed 0, unchanged 0, refused 0"
    assert ObjectRecord.objects.count() == 20
    numbers = set(ObjectRecord.objects.values_list("inventory_number", flat=True))
    # " (Inv. nr. 12)" in the workID is inventory number 12.
    assert "12" in numbers
    assert all(number.isdigit() for number in numbers)
    text = ObjectText.objects.get(object__inventory_number="12")
    assert text.locale.language_code == "sv"
    assert text.title == (
        "Stor osymmetrisk, starkt profilerad snäcka med grönskiftande läpp. Turbopokal."
    )
    obj = text.object
    assert obj.object_type == "Pokal"
    assert (obj.dating, obj.earliest_year, obj.latest_year) == ("1798", 1798, 1798)
    assert list(obj.makers.values_list("name", flat=True)) == ["Pehr Zethelius"]
    assert obj.rights_statement == "http://creativecommons.org/licenses/by-sa/3.0/"
    assert not ObjectRecord.objects.filter(is_published=True).exists()
    assert Culture.objects.count() == 0

    output = run_import(*skokloster_files)

    assert summary(output) == "created 0, changed 0, unchanged 20, refused 0"
    assert ObjectRecord.objects.count() == 20


def test_a_folder_of_lido_files_is_accepted(tmp_path, skokloster_files):
    for source in skokloster_files[:3]:
        (tmp_path / source.name).write_bytes(source.read_bytes())
    (tmp_path / "notes.txt").write_text("not imported")

    output = run_import(tmp_path)

    assert summary(output) == "created 3, changed 0, unchanged 0, refused 0"


@pytest.mark.parametrize(
    ("work_id", "number"),
    [
        (" (Inv. nr. 12)", "12"),
        ("(Inv.nr. 12:3)", "12:3"),
        ("  NM 1234 ", "NM 1234"),
        ("(12)", "12"),
        ("LSH 123 (a)", "LSH 123 (a)"),
        ("Inv. nr.", "Inv. nr."),
        ("Invid 7", "Invid 7"),
    ],
)
def test_clean_inventory_number(work_id, number):
    assert clean_inventory_number(work_id) == number
