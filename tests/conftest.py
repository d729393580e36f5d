from wagtail.models import Locale, Site

import pytest

from exhibition.models import HomePage


@pytest.fixture
def home_page(db) -> HomePage:
    """The Swedish home page created by the migrations, live."""
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture
def english_home(home_page) -> HomePage:
    page = home_page.copy_for_translation(Locale.objects.get(language_code="en"))
    page.title = "Trafficking (en)"
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture(scope="session")
def running_site(tmp_path_factory) -> str:
    """The base URL of a demo site served by gunicorn for this test session."""
    from tests.site_server import demo_server

    with demo_server(tmp_path_factory.mktemp("running-site")) as url:
        yield url


@pytest.fixture(autouse=True)
def _own_search_index(settings, tmp_path_factory):
    """Each test gets an empty search index: rolled-back rows must not linger in an index
    that a rebuild (e.g. by load_demo) wrote during an earlier test."""
    settings.SEARCH_INDEX_DIR = tmp_path_factory.mktemp("search-index")


@pytest.fixture(autouse=True)
def _clear_caches():
    """Rolled-back tests reuse primary keys; cached renditions must not outlive their rows."""
    from django.core.cache import caches

    yield
    for cache in caches.all():
        cache.clear()
