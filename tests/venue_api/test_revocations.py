"""How venue_sync removes revoked content from an unpacked package (no server needed)."""

import json

from venue_api.sync import apply_revocations, unsafe_path

STORIES = {
    "voices": [{"id": 3, "display_name": "A (fictional)"}, {"id": 4, "display_name": "B"}],
    "testimonies": [
        {"id": 12, "voice": 3, "media": "media/testimonies/12.mp3"},
        {"id": 13, "voice": 4, "media": "media/testimonies/13.mp3"},
    ],
    "perspectives": [{"id": 1, "positions": [{"voice": 3}, {"voice": 4}]}],
}


def write(folder, files):
    for path, text in files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)


def kiosk_js(name, data):
    body = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return f"window.KIOSK_DATA = window.KIOSK_DATA || {{}};\nwindow.KIOSK_DATA.{name} = {body};\n"


def test_a_revoked_voice_takes_its_files_records_and_positions(tmp_path):
    write(
        tmp_path,
        {
            "data/stories.json": json.dumps(STORIES, indent=1),
            "kiosk/data/stories.js": kiosk_js("stories", STORIES),
            "media/testimonies/12.mp3": "a",
            "media/testimonies/12.sv.captions.vtt": "WEBVTT",
            "media/testimonies/13.mp3": "b",
            "images/portraits/3.jpg": "p",
            "images/portraits/4.jpg": "q",
            "images/tiles/3/full.jpg": "an object image, not a portrait",
        },
    )
    removed = apply_revocations(
        tmp_path,
        [
            {"kind": "voice", "id": "3", "since": "2026-11-01"},
            {"kind": "testimony", "id": "12", "since": "2026-11-01"},
        ],
    )
    assert sorted(removed) == [
        "data/stories.json",
        "images/portraits/3.jpg",
        "kiosk/data/stories.js",
        "media/testimonies/12.mp3",
        "media/testimonies/12.sv.captions.vtt",
    ]
    stories = json.loads((tmp_path / "data/stories.json").read_text())
    assert [v["id"] for v in stories["voices"]] == [4]
    assert [t["id"] for t in stories["testimonies"]] == [13]
    assert stories["perspectives"][0]["positions"] == [{"voice": 4}]
    script = (tmp_path / "kiosk/data/stories.js").read_text()
    assert script.startswith("window.KIOSK_DATA = window.KIOSK_DATA || {};\n")
    data = json.loads(script.splitlines()[1].removeprefix("window.KIOSK_DATA.stories = ")[:-1])
    assert data == stories
    assert (tmp_path / "media/testimonies/13.mp3").exists()
    assert (tmp_path / "images/tiles/3/full.jpg").exists()


def test_nothing_revoked_changes_nothing(tmp_path):
    write(tmp_path, {"data/stories.json": json.dumps(STORIES)})
    assert apply_revocations(tmp_path, [{"kind": "testimony", "id": "77", "since": "x"}]) == []


def test_unsafe_paths():
    for name in ("../x", "a/../../x", "/etc/passwd", "C:/x", "a\\b", "dir/", "a//b", "./a"):
        assert unsafe_path(name), name
    for name in ("data/objects.json", "media/testimonies/12.sv.captions.vtt", "a..b/c"):
        assert not unsafe_path(name), name


def test_a_dry_run_names_the_changes_and_touches_nothing(tmp_path):
    write(tmp_path, {"data/stories.json": json.dumps(STORIES), "media/testimonies/12.mp3": "a"})
    before = (tmp_path / "data/stories.json").read_text()
    found = apply_revocations(tmp_path, [{"kind": "testimony", "id": "12"}], dry_run=True)
    assert sorted(found) == ["data/stories.json", "media/testimonies/12.mp3"]
    assert (tmp_path / "media/testimonies/12.mp3").exists()
    assert (tmp_path / "data/stories.json").read_text() == before
