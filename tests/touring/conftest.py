import pytest


@pytest.fixture(autouse=True)
def package_files(settings, tmp_path):
    """Packages, media and tiles of each test in its own folder; small images keep it quick."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PACKAGE_ROOT = tmp_path / "packages"
    settings.TOURING_IMAGE_MAX_SIZE = 512
    settings.TOURING_DERIVATIVE_SIZES = (200,)
    settings.TOURING_FALLBACK_LANGUAGE = "en"
    settings.TOURING_CACHE_DIR = tmp_path / "touring-cache"
