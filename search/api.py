"""The JSON API of the search: the same queries as the page, for programs.

``GET /api/search/`` takes the page's parameters (``q``, facet names such as ``culture``
or ``ownership``, each repeatable, ``from``, ``to``, ``sort``, ``page``, ``size``) plus
``lang`` (default: the site's first language); ``GET /api/search/suggest?q=…`` completes a
title. The OpenAPI description is at ``/api/search/openapi.json``.
"""

from django.conf import settings

from ninja import NinjaAPI, Schema

from search import service
from search.documents import FACETS
from search.query import MAX_QUERY_CHARS, parse_params

# No Swagger page: it loads its code from a CDN, which this site never does.
api = NinjaAPI(
    title="Trafficking search",
    version="1",
    urls_namespace="search_api",
    docs_url=None,
    description="Full-text search over what the public site shows, with facets.",
)


class HitOut(Schema):
    id: str
    kind: str
    title: str
    title_language: str
    url: str
    snippet_html: str
    date_label: str
    meta: str


class FacetValueOut(Schema):
    value: str
    count: int


class BucketOut(Schema):
    start: int
    count: int


class SearchOut(Schema):
    total: int
    page: int
    page_size: int
    fuzzy: bool
    degraded: bool
    messages: list[str]
    hits: list[HitOut]
    facets: dict[str, list[FacetValueOut]]
    years: list[BucketOut]


class SuggestionOut(Schema):
    title: str
    url: str
    language: str


def _language(value: str) -> str:
    codes = [code for code, _name in settings.LANGUAGES]
    return value if value in codes else codes[0]


@api.get("/", response=SearchOut, summary="Search", url_name="search")
def search(request, q: str = "", lang: str = "", sort: str = "", page: str = "", size: str = ""):
    """Search. Facet filters (``kind``, ``ownership``, ``lender``, ``culture``, ``material``,
    ``object_type``, ``place``, ``maker``, ``language``, …) repeat, e.g.
    ``?culture=A&culture=B``; ``from`` and ``to`` limit the dating (negative years are BCE).
    Invalid values are dropped and reported in ``messages``; nothing here answers 4xx."""
    query, messages = parse_params(request.GET, _language(request.GET.get("lang", "")))
    results = service.search(query)
    return {
        "total": results.total,
        "page": query.page,
        "page_size": query.page_size,
        "fuzzy": results.fuzzy,
        "degraded": results.degraded,
        "messages": messages,
        "hits": [hit.__dict__ for hit in results.hits],
        "facets": {
            name: [v.__dict__ for v in results.facets.get(name, [])]
            for name in FACETS
            if results.facets.get(name)
        },
        "years": [{"start": start, "count": count} for start, count in results.histogram],
    }


@api.get("/suggest", response=list[SuggestionOut], summary="Complete a title", url_name="suggest")
def suggest(request, q: str = "", lang: str = ""):
    return [s.__dict__ for s in service.suggest(q[:MAX_QUERY_CHARS], _language(lang))]
