"""Crawl every public URL of a site and hand back what it served.

Starts from ``/`` and ``/sitemap.xml`` and follows every same-origin link it finds: ``href``
and ``src`` (and ``srcset``) in HTML, ``<loc>`` in sitemaps, ``Link`` headers, and any string
in a JSON body that is a same-origin URL or an absolute path (JSON API and IIIF ``id``
links). Later tests use it to assert that something never appears in public output.

Two ways to fetch: :func:`client_fetcher` wraps Django's test client (no server needed) and
:func:`http_fetcher` talks to a running site over HTTP.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit
from xml.etree import ElementTree  # noqa: S405 (parses our own sitemap)

DEFAULT_START = ("/", "/sitemap.xml")
# Not public: the admin and its login; the neutral quick-exit page is public but links nowhere.
DEFAULT_EXCLUDE = ("/admin/", "/django-admin/")


@dataclass
class Fetched:
    url: str
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    found_on: str | None = None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


Fetcher = Callable[[str], Fetched]


def client_fetcher(client) -> Fetcher:
    """Fetch through a Django test client. Follows no redirects itself; the crawler does."""

    def fetch(path: str) -> Fetched:
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return Fetched(
            url=path,
            status=response.status_code,
            content_type=response.get("Content-Type", ""),
            body=body,
            headers={key.lower(): value for key, value in response.items()},
        )

    return fetch


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def http_fetcher(base_url: str, timeout: float = 10) -> Fetcher:
    """Fetch from a running site, e.g. ``http://127.0.0.1:8000``."""
    opener = urllib.request.build_opener(_NoRedirect)

    def fetch(path: str) -> Fetched:
        try:
            response = opener.open(urljoin(base_url, path), timeout=timeout)
        except urllib.error.HTTPError as error:  # 3xx, 4xx, 5xx still have a body
            response = error
        with response:
            return Fetched(
                url=path,
                status=response.status,
                content_type=response.headers.get("Content-Type", ""),
                body=response.read(),
                headers={key.lower(): value for key, value in response.headers.items()},
            )

    return fetch


class _LinkParser(HTMLParser):
    LINK_ATTRS = {"href", "src", "action", "poster", "data"}
    # Attributes that make the browser fetch something when the page loads (not links).
    LOAD_ATTRS = {"src", "poster", "data", "srcset", "imagesrcset"}
    # <link rel=…> values that only name a relation; every other <link href> is loaded.
    NON_LOADING_RELS = {
        "alternate",
        "license",
        "canonical",
        "author",
        "help",
        "next",
        "prev",
        "search",
    }

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.loads: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if not value:
                continue
            urls = [value]
            if name in {"srcset", "imagesrcset"}:
                urls = [part.strip().split(" ")[0] for part in value.split(",")]
            elif name not in self.LINK_ATTRS:
                continue
            if (
                tag == "form"
                and name == "action"
                and (attributes.get("method") or "get").lower() != "get"
            ):
                continue  # a POST target is not a page to GET
            self.links.extend(urls)
            rels = set((attributes.get("rel") or "").lower().split())
            if name in self.LOAD_ATTRS or (
                tag == "link" and name == "href" and not rels <= self.NON_LOADING_RELS
            ):
                self.loads.extend(urls)


def _json_strings(value) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


LINK_HEADER_RE = re.compile(r"<([^>]+)>")


def extract_links(fetched: Fetched) -> list[str]:
    """Every URL-ish reference in one response, unresolved."""
    links = LINK_HEADER_RE.findall(fetched.headers.get("link", ""))
    if location := fetched.headers.get("location"):
        links.append(location)
    kind = fetched.content_type.split(";")[0].strip()
    if kind in {"text/html", "application/xhtml+xml"}:
        parser = _LinkParser()
        parser.feed(fetched.text)
        links += parser.links
    elif kind.endswith("xml"):
        try:
            root = ElementTree.fromstring(fetched.body)  # noqa: S314 (our own sitemap)
        except ElementTree.ParseError:
            return links
        links += [el.text.strip() for el in root.iter() if el.tag.endswith("}loc") and el.text]
    elif kind.endswith("json"):
        try:
            data = json.loads(fetched.body)
        except ValueError:
            return links
        links += [s for s in _json_strings(data) if s.startswith(("/", "http://", "https://"))]
    return links


class Crawler:
    """Breadth-first crawl of one origin. ``crawl()`` returns ``{path: Fetched}``."""

    def __init__(
        self,
        fetch: Fetcher,
        *,
        origins: Iterable[str] = ("http://testserver", "http://localhost", "http://127.0.0.1"),
        start: Iterable[str] = DEFAULT_START,
        exclude: Iterable[str] = DEFAULT_EXCLUDE,
        max_pages: int = 5000,
    ):
        self.fetch = fetch
        self.origins = {o.rstrip("/") for o in origins}
        self.start = list(start)
        self.exclude = tuple(exclude)
        self.max_pages = max_pages

    def to_path(self, link: str, base: str) -> str | None:
        """The same-origin path for ``link`` found on ``base``, or None to skip it."""
        if link.startswith(("mailto:", "tel:", "javascript:", "data:", "blob:", "#")):
            return None
        absolute, _fragment = urldefrag(urljoin("http://testserver" + base, link))
        parts = urlsplit(absolute)
        if f"{parts.scheme}://{parts.netloc}" not in self.origins and parts.netloc != "testserver":
            return None
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path.startswith(self.exclude):
            return None
        return path

    def crawl(self) -> dict[str, Fetched]:
        seen: dict[str, Fetched] = {}
        queue = deque((path, None) for path in self.start)
        queued = set(self.start)
        while queue:
            if len(seen) >= self.max_pages:
                raise RuntimeError(f"Crawl stopped after {self.max_pages} URLs; raise max_pages.")
            path, found_on = queue.popleft()
            fetched = self.fetch(path)
            fetched.url, fetched.found_on = path, found_on
            seen[path] = fetched
            for link in extract_links(fetched):
                target = self.to_path(link, path)
                if target is not None and target not in queued:
                    queued.add(target)
                    queue.append((target, path))
        return seen

    def failures(self, pages: dict[str, Fetched]) -> dict[str, int]:
        """``{path: status}`` of every response that is not a 200, except a redirect whose
        target was crawled and answered 200 (the IIIF image service id answers 303 to its
        info.json, as the Image API asks)."""
        failed = {}
        for path, fetched in pages.items():
            if fetched.status == 200:
                continue
            if 300 <= fetched.status < 400 and "location" in fetched.headers:
                target = self.to_path(fetched.headers["location"], path)
                if target in pages and pages[target].status == 200:
                    continue
            failed[path] = fetched.status
        return failed

    def external_resources(self, pages: dict[str, Fetched]) -> list[tuple[str, str]]:
        """(page, URL) pairs where an HTML page would make the browser load something from
        another host (scripts, styles, images, media, frames). None are allowed: visitors may
        be people at risk. Links and identifiers (rights URIs, Getty ids) are not loads."""
        found = []
        for path, fetched in pages.items():
            if not fetched.content_type.startswith("text/html"):
                continue
            parser = _LinkParser()
            parser.feed(fetched.text)
            for url in parser.loads:
                parts = urlsplit(url)
                if parts.netloc and f"{parts.scheme}://{parts.netloc}" not in self.origins:
                    found.append((path, url))
        return found
