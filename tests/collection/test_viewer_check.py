from unittest import mock

from collection.checks import VIEWER_FILES, viewer_files_check


def test_no_warning_when_the_viewers_are_built():
    # `make test` runs `make viewers` first, so the files are there.
    assert viewer_files_check(None) == []


def test_warns_with_a_hint_when_the_viewers_are_missing():
    with mock.patch("django.contrib.staticfiles.finders.find", return_value=None):
        warnings = viewer_files_check(None)
    assert [w.id for w in warnings] == ["collection.W001"] * len(VIEWER_FILES)
    assert all("make viewers" in w.hint for w in warnings)
