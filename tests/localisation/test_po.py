"""PO export and import: a round trip, and files that must change nothing or only part."""

import datetime

from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import translation

from wagtail.models import Locale

import polib
import pytest

from exhibition.models import PlacementText, RoomText
from localisation.completeness import NOTE_AWAITING_REVIEW, missing_for_venue
from localisation.po import POImportError, export_po, import_po
from stories.models import TestimonyText as TextOfTestimony
from tests.localisation.builders import build_tour

pytestmark = pytest.mark.django_db

ON = datetime.date(2027, 12, 1)


@pytest.fixture
def tour(home_page):
    return build_tour()


def exported(tour, language="en") -> polib.POFile:
    return export_po(tour["vilnius"], language, on=ON)


def as_bytes(po: polib.POFile) -> bytes:
    return str(po).encode("utf-8")


def entry(po, key) -> polib.POEntry:
    return next(e for e in po if e.msgctxt == key)


def en():
    return Locale.objects.get(language_code="en")


def snapshot():
    """Every text row, to show that a refused file changed nothing."""
    return (
        sorted(RoomText.objects.values_list("room_id", "locale_id", "name")),
        sorted(PlacementText.objects.values_list("placement_id", "locale_id", "kind", "text")),
        sorted(TextOfTestimony.objects.values_list("testimony_id", "locale_id", "title", "body")),
    )


def test_export_lists_the_venues_source_texts(tour):
    po = exported(tour)
    room, placement, shown = tour["vilnius_room"], tour["vilnius_placement"], tour["shown"]
    assert po.metadata["Language"] == "en"
    assert po.metadata["X-Venue"] == "vilnius"
    assert po.metadata["X-Source-Language"] == "sv"
    keys = {e.msgctxt for e in po}
    assert keys == {
        f"room:{room.pk}:name",
        f"label:{placement.pk}:object",
        f"label:{placement.pk}:wall",
        f"object:{placement.object_id}:title",
        f"testimony:{shown.pk}:title",
        f"testimony:{shown.pk}:body",
        f"testimony:{shown.pk}:easy_read_summary",
    }
    assert entry(po, f"room:{room.pk}:name").msgid == "Hallen"
    assert entry(po, f"room:{room.pk}:name").msgstr == ""
    # An existing translation is filled in.
    assert entry(po, f"label:{placement.pk}:object").msgstr == "A bowl (test)."
    # Nothing of the other venue, nor testimonies Vilnius may not show.
    assert not any(str(tour["home_room"].pk) == k.split(":")[1] for k in keys if "room" in k)
    assert f"testimony:{tour['not_in_lithuania'].pk}:title" not in keys
    assert f"testimony:{tour['draft'].pk}:title" not in keys


def test_round_trip_updates_texts_and_testimonies_become_drafts(tour, django_user_model):
    translator = django_user_model.objects.create_user(username="translator", password="x" * 12)
    translator.groups.add(Group.objects.get(name="Translators"))
    room, placement, shown = tour["vilnius_room"], tour["vilnius_placement"], tour["shown"]
    po = exported(tour)
    entry(po, f"room:{room.pk}:name").msgstr = "Hall"
    entry(po, f"label:{placement.pk}:wall").msgstr = "A wall text about the journey (test)."
    entry(po, f"label:{placement.pk}:object").msgstr = "A bowl, revised (test)."
    entry(po, f"testimony:{shown.pk}:title").msgstr = "The journey (test)"
    entry(po, f"testimony:{shown.pk}:body").msgstr = "<p>We went north (test).</p>"

    result = import_po(as_bytes(po), user=translator, language="en", on=ON)

    assert result.applied and not result.issues
    assert RoomText.objects.get(room=room, locale=en()).name == "Hall"
    labels = {
        t.kind: t.text for t in PlacementText.objects.filter(placement=placement, locale=en())
    }
    assert labels == {
        "object": "A bowl, revised (test).",
        "wall": "A wall text about the journey (test).",
    }
    assert (result.created, result.updated) == (2 + 2, 1)
    # The testimony's live texts are untouched: the translation waits for ethics review.
    assert not TextOfTestimony.objects.filter(testimony=shown, locale=en()).exists()
    shown.refresh_from_db()
    assert shown.live and shown.has_unpublished_changes
    draft = shown.get_latest_revision_as_object()
    draft_en = next(t for t in draft.texts.all() if t.locale_id == en().pk)
    assert draft_en.title == "The journey (test)"
    assert result.drafts == 1
    # The completeness report still counts it missing, and says why.
    report = missing_for_venue(tour["vilnius"], on=ON).for_language("en")
    assert report.counts()["room"] == 0
    assert report.counts()["label"] == 0
    item = next(i for i in report.missing if i.key == f"testimony:{shown.pk}")
    assert item.note == NOTE_AWAITING_REVIEW


def test_importing_again_changes_nothing(tour):
    po = exported(tour)
    result = import_po(as_bytes(po), on=ON)
    assert result.changed == 0
    assert result.unchanged == 1  # the existing English object label
    assert result.untranslated == 6


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00binary",
        b"just some words\nthat are not a PO file\n",
        b'msgid "open string\nmsgstr ""\n',
        b"",
        b'msgid "Hallen"\nmsgstr "Hall"\n',  # no header at all
    ],
)
def test_not_a_po_file_changes_nothing(tour, content):
    before = snapshot()
    with pytest.raises(POImportError):
        import_po(content, on=ON)
    assert snapshot() == before


def test_upload_is_never_read_as_a_path(tour, tmp_path):
    secret = tmp_path / "secret.po"
    secret.write_text(str(exported(tour)), encoding="utf-8")
    with pytest.raises(POImportError):
        import_po(str(secret).encode(), on=ON)


def test_wrong_language_is_refused(tour):
    po = exported(tour)
    room = tour["vilnius_room"]
    entry(po, f"room:{room.pk}:name").msgstr = "Hall"
    before = snapshot()
    with translation.override("en"), pytest.raises(POImportError, match="not lt"):
        import_po(as_bytes(po), language="lt", on=ON)
    po.metadata["Language"] = "de"  # not a language of Vilnius
    with translation.override("en"), pytest.raises(POImportError, match="not one of"):
        import_po(as_bytes(po), on=ON)
    po.metadata["Language"] = "sv"  # the source language itself
    with pytest.raises(POImportError):
        import_po(as_bytes(po), on=ON)
    del po.metadata["Language"]
    with pytest.raises(POImportError):
        import_po(as_bytes(po), on=ON)
    assert snapshot() == before


def test_language_without_locale_is_refused_with_a_hint(tour):
    po = export_po(tour["vilnius"], "lt", on=ON)
    po[0].msgstr = "Salė"
    with translation.override("en"), pytest.raises(POImportError, match="CONTENT_LANGUAGES"):
        import_po(as_bytes(po), on=ON)


def test_wrong_or_unknown_venue_is_refused(tour):
    po = exported(tour)
    with pytest.raises(POImportError):
        import_po(as_bytes(po), venue=tour["home"], on=ON)
    po.metadata["X-Venue"] = "nowhere"
    with pytest.raises(POImportError):
        import_po(as_bytes(po), on=ON)


def test_tampered_msgid_is_a_conflict_and_the_rest_applies(tour):
    room, placement = tour["vilnius_room"], tour["vilnius_placement"]
    po = exported(tour)
    tampered = entry(po, f"label:{placement.pk}:wall")
    tampered.msgid = "Something the museum never wrote."
    tampered.msgstr = "Injected text."
    entry(po, f"room:{room.pk}:name").msgstr = "Hall"
    result = import_po(as_bytes(po), on=ON)
    assert [(i.key, i.problem) for i in result.issues] == [
        (f"label:{placement.pk}:wall", "conflict")
    ]
    assert not PlacementText.objects.filter(placement=placement, locale=en(), kind="wall").exists()
    assert RoomText.objects.get(room=room, locale=en()).name == "Hall"


def test_source_changed_since_export_is_a_conflict(tour):
    room = tour["vilnius_room"]
    po = exported(tour)
    entry(po, f"room:{room.pk}:name").msgstr = "Hall"
    RoomText.objects.filter(room=room, locale__language_code="sv").update(name="Stora hallen")
    result = import_po(as_bytes(po), on=ON)
    assert [i.problem for i in result.issues] == ["conflict"]
    assert not RoomText.objects.filter(room=room, locale=en()).exists()


def test_unknown_and_stale_keys_are_reported(tour):
    po = exported(tour)
    home_room = tour["home_room"]
    po.append(polib.POEntry(msgctxt="objects:1:title", msgid="x", msgstr="y"))
    po.append(polib.POEntry(msgctxt="room:999999:name", msgid="Gone", msgstr="Gone"))
    # Another venue's room: not this venue's text, so it cannot be changed through this file.
    po.append(polib.POEntry(msgctxt=f"room:{home_room.pk}:name", msgid="Entré", msgstr="Hacked"))
    po.append(polib.POEntry(msgid="no context", msgstr="none"))
    result = import_po(as_bytes(po), on=ON)
    problems = {i.key: i.problem for i in result.issues}
    assert problems == {
        "objects:1:title": "unknown",
        "room:999999:name": "stale",
        f"room:{home_room.pk}:name": "stale",
        "": "unknown",
    }
    assert RoomText.objects.get(room=home_room, locale=en()).name == "Entrance"


def test_over_long_label_is_refused_by_the_models_word_limit(tour):
    placement = tour["vilnius_placement"]
    po = exported(tour)
    entry(po, f"label:{placement.pk}:object").msgstr = " ".join(["word"] * 61)
    entry(po, f"label:{placement.pk}:wall").msgstr = "A short wall text (test)."
    with translation.override("en"):
        result = import_po(as_bytes(po), on=ON)
    assert len(result.issues) == 1
    issue = result.issues[0]
    assert (issue.key, issue.problem) == (f"label:{placement.pk}:object", "invalid")
    assert "60 words" in issue.message
    assert PlacementText.objects.get(placement=placement, locale=en(), kind="object").text == (
        "A bowl (test)."
    )
    assert PlacementText.objects.filter(placement=placement, locale=en(), kind="wall").exists()


def test_fuzzy_and_duplicate_entries_are_left_out(tour):
    room, placement = tour["vilnius_room"], tour["vilnius_placement"]
    po = exported(tour)
    fuzzy = entry(po, f"room:{room.pk}:name")
    fuzzy.msgstr = "Hall?"
    fuzzy.flags.append("fuzzy")
    wall = entry(po, f"label:{placement.pk}:wall")
    wall.msgstr = "One wall text (test)."
    po.append(polib.POEntry(msgctxt=wall.msgctxt, msgid=wall.msgid, msgstr="Another (test)."))
    result = import_po(as_bytes(po), on=ON)
    assert {(i.key, i.problem) for i in result.issues} == {
        (fuzzy.msgctxt, "fuzzy"),
        (wall.msgctxt, "duplicate"),
    }
    assert result.changed == 0


def test_object_texts_are_translated_directly(tour):
    record = tour["vilnius_placement"].object
    po = exported(tour)
    entry(po, f"object:{record.pk}:title").msgstr = "A bowl (test object)"
    result = import_po(as_bytes(po), on=ON)
    assert not result.issues
    assert record.texts.get(locale=en()).title == "A bowl (test object)"


def test_who_may_import_shared_and_reviewed_texts(tour, django_user_model):
    from localisation.models import VenueStaff

    record, room, shown = tour["vilnius_placement"].object, tour["vilnius_room"], tour["shown"]
    po = exported(tour)
    entry(po, f"object:{record.pk}:title").msgstr = "A bowl (test object)"
    entry(po, f"room:{room.pk}:name").msgstr = "Hall"
    entry(po, f"testimony:{shown.pk}:title").msgstr = "The journey (test)"
    entry(po, f"testimony:{shown.pk}:body").msgstr = "<p>We went north (test).</p>"
    # Vilnius staff with translator rights: the room, but neither the object texts (shared
    # by every venue) nor, without the testimony permission, the testimony.
    staff = django_user_model.objects.create_user(username="vilnius", password="x" * 12)
    VenueStaff.objects.create(user=staff, venue=tour["vilnius"])
    result = import_po(as_bytes(po), user=staff, on=ON)
    assert {(i.key, i.problem) for i in result.issues} == {
        (f"object:{record.pk}:title", "forbidden"),
        (f"testimony:{shown.pk}:title", "forbidden"),
        (f"testimony:{shown.pk}:body", "forbidden"),
    }
    assert RoomText.objects.get(room=room, locale=en()).name == "Hall"
    assert not record.texts.filter(locale=en()).exists()
    shown.refresh_from_db()
    assert not shown.has_unpublished_changes


def test_new_testimony_translation_needs_title_and_text(tour):
    shown = tour["shown"]
    po = exported(tour)
    entry(po, f"testimony:{shown.pk}:title").msgstr = "Only a title (test)"
    with translation.override("en"):
        result = import_po(as_bytes(po), on=ON)
    assert {i.problem for i in result.issues} == {"invalid"}
    shown.refresh_from_db()
    assert not shown.has_unpublished_changes


def test_dry_run_changes_nothing(tour):
    room = tour["vilnius_room"]
    po = exported(tour)
    entry(po, f"room:{room.pk}:name").msgstr = "Hall"
    result = import_po(as_bytes(po), dry_run=True, on=ON)
    assert result.created == 1 and not result.applied
    assert not RoomText.objects.filter(room=room, locale=en()).exists()


def test_commands_round_trip(tour, tmp_path, capsys):
    path = tmp_path / "vilnius-en.po"
    call_command("export_po", venue="vilnius", language="en", output=str(path))
    po = polib.pofile(str(path))
    room = tour["vilnius_room"]
    entry(po, f"room:{room.pk}:name").msgstr = "Hall"
    po.save(str(path))
    call_command("import_po", str(path))
    assert RoomText.objects.get(room=room, locale=en()).name == "Hall"
    assert "changed 1 texts" in capsys.readouterr().out


def test_commands_report_bad_input(tour, tmp_path):
    with pytest.raises(CommandError, match="No venue"):
        call_command("export_po", venue="nowhere", language="en", output=str(tmp_path / "x.po"))
    with pytest.raises(CommandError):
        call_command("export_po", venue="vilnius", language="fr", output=str(tmp_path / "x.po"))
    bad = tmp_path / "bad.po"
    bad.write_bytes(b"not a po file\n")
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("import_po", str(bad))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_po", str(tmp_path / "missing.po"))


def test_oversized_file_and_wrong_source_language_are_refused(tour):
    with pytest.raises(POImportError):
        import_po(b"#" * (5 * 1024 * 1024 + 1), on=ON)
    po = exported(tour)
    po.metadata["X-Source-Language"] = "en"
    with pytest.raises(POImportError):
        import_po(as_bytes(po), on=ON)
