import json

import pytest

from tests.crawler import Crawler, Fetched, extract_links, http_fetcher


def page(url, body, content_type="text/html", headers=None):
    return Fetched(url, 200, content_type, body.encode(), headers or {})


def test_extracts_links_from_html_sitemap_json_and_headers():
    html = page(
        "/",
        '<a href="/a/">a</a><img src="/i.png" srcset="/i-1.png 1x, /i-2.png 2x"><link href="/s.css">',
    )
    assert extract_links(html) == ["/a/", "/i.png", "/i-1.png", "/i-2.png", "/s.css"]
    xml = page(
        "/sitemap.xml",
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://testserver/x/</loc></url></urlset>',
        "application/xml",
    )
    assert extract_links(xml) == ["http://testserver/x/"]
    manifest = {
        "id": "http://testserver/iiif/m.json",
        "items": [{"id": "/iiif/c1"}],
        "label": {"sv": ["ord"]},
    }
    assert extract_links(page("/m", json.dumps(manifest), "application/ld+json")) == [
        "http://testserver/iiif/m.json",
        "/iiif/c1",
    ]
    assert extract_links(page("/", "", headers={"link": '</next>; rel="next"'})) == ["/next"]
    forms = page(
        "/",
        '<form action="/search/"></form><form method="GET" action="/find/"></form>'
        '<form method="post" action="/show/"></form>',
    )
    assert extract_links(forms) == ["/search/", "/find/"]


def test_crawls_same_origin_only_and_skips_admin():
    site = {
        "/": page(
            "/",
            '<a href="/a/">a</a><a href="https://elsewhere.example/x">x</a><a href="/admin/">admin</a>'
            '<link rel="license" href="http://creativecommons.org/licenses/by/4.0/">'
            '<link rel="stylesheet" href="https://cdn.example/s.css"><img src="https://img.example/i.png">',
        ),
        "/sitemap.xml": page("/sitemap.xml", "<urlset/>", "application/xml"),
        "/a/": page("/a/", '<a href="/a/#top">self</a><a href="b/">b</a>'),
        "/a/b/": page("/a/b/", "end"),
    }
    requested = []

    def fetch(path):
        requested.append(path)
        return site[path]

    crawler = Crawler(fetch)
    pages = crawler.crawl()
    assert set(pages) == {"/", "/sitemap.xml", "/a/", "/a/b/"}
    assert sorted(requested) == sorted(set(requested))
    assert pages["/a/b/"].found_on == "/a/"
    # Loads from other hosts are reported; links and licence relations are not loads.
    assert crawler.external_resources(pages) == [
        ("/", "https://cdn.example/s.css"),
        ("/", "https://img.example/i.png"),
    ]


def test_stops_at_max_pages():
    def fetch(path):
        number = int(path.strip("/") or 0)
        return page(path, f'<a href="/{number + 1}/">next</a>')

    with pytest.raises(RuntimeError, match="max_pages"):
        Crawler(fetch, start=["/"], max_pages=5).crawl()


def test_failures_accept_only_redirects_to_a_page_that_answered():
    def fetched(path, status, location=None):
        headers = {"location": location} if location else {}
        return Fetched(path, status, "text/plain", b"", headers)

    pages = {
        "/ok/": fetched("/ok/", 200),
        "/to-ok": fetched("/to-ok", 303, "http://testserver/ok/"),
        "/to-missing": fetched("/to-missing", 302, "/missing/"),
        "/missing/": fetched("/missing/", 404),
        "/to-nowhere": fetched("/to-nowhere", 301, "/never-crawled/"),
        "/bare-redirect": fetched("/bare-redirect", 302),
        "/error": fetched("/error", 500),
    }
    assert Crawler(lambda path: None).failures(pages) == {
        "/to-missing": 302,
        "/missing/": 404,
        "/to-nowhere": 301,
        "/bare-redirect": 302,
        "/error": 500,
    }


def test_crawls_a_running_site_over_http(running_site):
    crawler = Crawler(http_fetcher(running_site), origins=[running_site])
    pages = crawler.crawl()
    assert {"/", "/en/", "/tour/", "/en/tour/", "/sitemap.xml"} <= set(pages)
    assert any(path.startswith("/static/css/site.") for path in pages)  # hashed name
    assert crawler.failures(pages) == {}
    assert crawler.external_resources(pages) == []
