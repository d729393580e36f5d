import re
from io import StringIO

from django.apps import apps
from django.core.management import call_command

from wagtail.models import Revision

import pytest

from exhibition.models import HomePage, Venue
from tests.crawler import Crawler, client_fetcher

pytestmark = pytest.mark.django_db

QUEUE_MODELS = {"django_tasks_db.DBTaskResult"}


def snapshot():
    counts = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.label not in QUEUE_MODELS
    }
    return counts, list(Revision.objects.order_by("pk").values_list("pk", flat=True))


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_load_demo_is_idempotent(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    first_output = load_demo()
    first = snapshot()
    second_output = load_demo()
    assert snapshot() == first
    password = re.search(r"admin account: admin / (\S+)", first_output).group(1)
    assert f"admin / {password}" in second_output


def test_demo_has_the_home_museum_and_both_languages(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    load_demo()
    home = Venue.objects.get(is_home_museum=True)
    assert (home.city, home.floor_area_m2) == ("Göteborg", 250)
    assert set(HomePage.objects.live().values_list("locale__language_code", flat=True)) == {
        "sv",
        "en",
    }


def test_demo_is_marked_fictional(settings, tmp_path, client):
    settings.VAR_DIR = tmp_path
    load_demo()
    assert "påhittat" in client.get("/").text
    assert "fictional" in client.get("/en/").text


def test_demo_admin_can_log_in(settings, tmp_path, client):
    settings.VAR_DIR = tmp_path
    password = re.search(r"admin / (\S+)", load_demo()).group(1)
    assert client.login(username="admin", password=password)
    assert client.get("/admin/").status_code == 200


def test_whole_demo_site_crawls_cleanly(settings, tmp_path, client):
    settings.VAR_DIR = tmp_path
    settings.WAGTAILADMIN_BASE_URL = "http://testserver"
    load_demo()
    crawler = Crawler(client_fetcher(client))
    pages = crawler.crawl()
    assert len(pages) >= 8
    assert crawler.failures(pages) == {}
    assert crawler.external_resources(pages) == []
