"""The official IIIF Image API validator (3.0, level 2) against a live server on 127.0.0.1."""

import http.client
import os
from pathlib import Path

import pytest

from tests.iiif.live_validator import TEST_IMAGE, iiif_server, run_validator

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


@pytest.fixture(scope="module")
def iiif_live(tmp_path_factory):
    if not SHARED.is_dir() and os.environ.get("CI") != "true":
        pytest.skip(f"{SHARED} (with the validator's test image) is not on this machine")
    assert TEST_IMAGE.is_file(), f"missing {TEST_IMAGE}"
    with iiif_server(tmp_path_factory.mktemp("iiif-live")) as server:
        yield server


def test_official_validator_passes_every_level_2_test(iiif_live):
    run = run_validator(*iiif_live)
    assert run.tests >= 33, run.output  # 33 tests at 3.0 level 2 in iiif-validator 1.0.5
    assert (run.returncode, run.failures) == (0, 0), run.output


@pytest.mark.parametrize(
    "path", ["{id}/info.json", "{id}/full/max/0/default.jpg", "{id}", "999999/info.json"]
)
def test_cors_header_is_sent_exactly_once(iiif_live, path):
    server, identifier = iiif_live
    host, port = server.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", "/iiif/3/" + path.format(id=identifier))
    response = connection.getresponse()
    response.read()
    connection.close()
    values = [v for k, v in response.getheaders() if k.lower() == "access-control-allow-origin"]
    assert values == ["*"]
