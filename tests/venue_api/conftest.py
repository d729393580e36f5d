import pytest

from exhibition.factories import VenueFactory
from touring.models import PackageVersion
from venue_api.models import VenueApiToken


@pytest.fixture(autouse=True)
def package_root(settings, tmp_path, monkeypatch):
    """Packages and deltas of each test in a folder of its own (not the project's var/)."""
    from django.core.files.storage import FileSystemStorage

    root = tmp_path / "packages"
    root.mkdir()
    settings.PACKAGE_ROOT = root
    # The archive field's storage was built when the model loaded: point it here too.
    field = PackageVersion._meta.get_field("archive")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=root, base_url=None))
    return root


@pytest.fixture
def venue(db):
    return VenueFactory(slug="goteborg", institution="Fictional Art Hall", city="Göteborg")


@pytest.fixture
def other_venue(db):
    return VenueFactory(slug="vilnius", city="Vilnius", country="LT", language_codes="lt, en")


@pytest.fixture
def token(venue):
    return VenueApiToken.issue(venue, "kiosk server")[1]


@pytest.fixture
def other_token(other_venue):
    return VenueApiToken.issue(other_venue, "their kiosk")[1]


def bearer(token: str) -> dict:
    """Headers of a venue's request; in English, so messages can be compared."""
    return {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": "en"}
