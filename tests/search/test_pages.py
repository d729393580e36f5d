"""The search page, its suggestions and the JSON API: what a visitor and a program see."""

import logging
import socket

from wagtail.models import Locale

import pytest

from collection.factories import LenderFactory, LoanAgreementFactory, ObjectRecordFactory
from collection.models import Culture, ObjectText
from search import service

pytestmark = pytest.mark.django_db


def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def indexed(settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "search-index"
    settings.ELASTICSEARCH_URL = None
    bowl = ObjectRecordFactory(
        title="Skål med lock", inventory_number="DEMO-001", earliest_year=1640, latest_year=1660
    )
    ObjectText.objects.filter(object=bowl).update(
        description="<p>En skål om människohandeln. &lt;script&gt;alert(1)&lt;/script&gt;</p>"
    )
    ObjectText.objects.create(
        object=bowl,
        locale=Locale.objects.get(language_code="en"),
        title="Lidded bowl",
        description="<p>A bowl about trafficking.</p>",
    )
    finnish = Culture.objects.create(name="Finsk")
    lender = LenderFactory(name="Fiktiva museet")
    chain = ObjectRecordFactory(title="Kedja", lender=lender)
    chain.cultures.add(finnish)
    chain.save()
    LoanAgreementFactory(lender=lender, loaned_objects=[chain])
    for n in range(25):
        ObjectRecordFactory(title=f"Skärva {n}", earliest_year=1000 + n)
    service.rebuild()
    return {"bowl": bowl, "chain": chain}


def test_search_page_in_swedish_and_english(client, indexed):
    response = client.get("/sok/", {"q": "människohandel"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="sv">' in html
    assert "1 träff" in html or "1 result" in html
    assert f'href="/collection/{indexed["bowl"].pk}/"' in html
    assert "<mark>människohandeln</mark>" in html
    english = client.get("/en/sok/", {"q": "trafficking"}).content.decode()
    assert '<html lang="en">' in english
    assert "Lidded bowl" in english
    assert f'href="/en/collection/{indexed["bowl"].pk}/"' in english


def test_header_links_to_search(client, indexed):
    assert 'href="/sok/"' in client.get("/sok/").content.decode()
    assert 'href="/en/sok/"' in client.get("/en/collection/").content.decode()


def test_text_from_records_is_escaped(client, indexed):
    html = client.get("/sok/", {"q": "skål"}).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)" in html  # the text as written, shown as text


def test_facets_are_a_get_form_with_counts_and_shareable_urls(client, indexed):
    html = client.get("/sok/", {"q": "", "ownership": "loan"}).content.decode()
    assert 'method="get"' in html
    assert 'name="ownership" value="loan" checked' in html
    assert 'name="ownership" value="own"' in html  # counted without its own filter
    everything = client.get("/sok/").content.decode()
    assert 'name="lender" value="Fiktiva museet"' in everything
    assert 'name="culture" value="Finsk"' in everything
    assert "(1)" in everything
    # The histogram links to a year range; following it filters.
    assert "from=1600&amp;to=1699" in everything
    dated = client.get("/sok/", {"from": "1600", "to": "1699"})
    assert dated.context["results"].total == 1


def test_pagination_keeps_the_query(client, indexed):
    first = client.get("/sok/", {"q": "skärva"})
    assert first.context["results"].total == 25
    assert first.context["pages"]["next"] == "?q=sk%C3%A4rva&page=2"
    second = client.get("/sok/" + first.context["pages"]["next"])
    assert len(second.context["hits"]) == 5


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 5000},
        {"q": 'title:"x" OR (a AND b)^3 ~ * \\'},
        {"q": "skål", "page": "abc"},
        {"q": "skål", "page": "-1"},
        {"q": "skål", "page": "99999999999999999999"},
        {"q": "skål", "size": "100000"},
        {"culture": "x" * 1000},
        {"culture": ["a"] * 100},
        {"ownership": "<script>"},
        {"from": "abc", "to": "1e9"},
        {"from": "2000", "to": "1000"},
        {"sort": "drop table"},
        {"nonsense": "1"},
        {"q": "\x00\x1f"},
    ],
)
def test_hostile_input_gets_a_page_never_an_error(client, indexed, params):
    response = client.get("/sok/", params)
    assert response.status_code == 200
    api = client.get("/api/search/", params)
    assert api.status_code == 200
    assert api.json()["total"] >= 0


def test_hostile_input_is_explained(client, indexed):
    html = client.get("/sok/", {"q": "x" * 500, "page": "abc"}).content.decode()
    assert "200" in html  # "shortened to its first 200 characters"
    response = client.get("/api/search/", {"q": "skål", "page": "abc", "culture": "y" * 300})
    assert len(response.json()["messages"]) == 2


def test_json_api_answers_the_same_query(client, indexed):
    data = client.get("/api/search/", {"q": "skål", "lang": "en"}).json()
    assert data["total"] == 1
    (hit,) = data["hits"]
    assert hit["title"] == "Lidded bowl"
    assert hit["url"] == f"/en/collection/{indexed['bowl'].pk}/"
    assert "<mark>" in hit["snippet_html"] or hit["snippet_html"]
    assert {"value": "own", "count": 1} in data["facets"]["ownership"]
    loans = client.get("/api/search/?ownership=loan&culture=Finsk").json()
    assert loans["total"] == 1
    assert client.get("/api/search/openapi.json").status_code == 200


def test_suggestions(client, indexed):
    data = client.get("/sok/forslag/", {"q": "skå"}).json()
    assert data["suggestions"][0]["title"] == "Skål med lock"
    assert client.get("/en/sok/forslag/", {"q": "lidd"}).json()["suggestions"][0]["url"] == (
        f"/en/collection/{indexed['bowl'].pk}/"
    )
    assert client.get("/sok/forslag/", {"q": "s"}).json() == {"suggestions": []}
    assert client.get("/api/search/suggest", {"q": "kedj"}).json()[0]["title"] == "Kedja"


def test_unreachable_elasticsearch_falls_back_with_a_notice(client, indexed, settings, caplog):
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{unused_port()}"
    with caplog.at_level(logging.WARNING, logger="search.service"):
        response = client.get("/sok/", {"q": "människohandel"})
    assert response.status_code == 200
    assert response.context["results"].degraded
    assert response.context["results"].total == 1
    assert (
        "reducerat läge" in response.content.decode() or "reduced mode" in response.content.decode()
    )
    assert any("Elasticsearch unavailable" in r.getMessage() for r in caplog.records)
    api = client.get("/api/search/", {"q": "människohandel"}).json()
    assert api["degraded"] is True
    assert api["total"] == 1
    assert client.get("/sok/forslag/", {"q": "skå"}).json()["suggestions"]
