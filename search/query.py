"""What a visitor asks and what a backend answers, independent of the engine.

:func:`parse_params` reads a query from GET parameters (the page and the JSON API share it)
and never fails: overlong text is shortened, bad facet values and page numbers are dropped,
and each correction is reported as a message the page shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from search.documents import FACETS, MAX_FACET_CHARS

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
MAX_FILTER_VALUES = 20
PAGE_SIZE = 20
MAX_PAGE_SIZE = 50
# Beyond this many results nobody pages; deep offsets only cost the engine.
MAX_RESULT_WINDOW = 2_000
YEAR_LIMIT = 10_000
SORTS = ("relevance", "oldest", "newest")
# Facets a visitor may filter by (``language`` too: texts in that language).
FILTER_FACETS = FACETS
HISTOGRAM_INTERVAL = 100

_PHRASE_RE = re.compile(r'"([^"]*)"')
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class ParsedText:
    """The query text split into quoted phrases and loose words (raw, not yet analysed)."""

    words: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.words and not self.phrases


def split_text(text: str) -> ParsedText:
    """Quoted phrases and the words around them. No other syntax exists: characters that
    mean something to an engine's query language (``+ - : * ( ) [ ] ^ ~ \\``) are just text
    here, and the backends build their queries from these parts, never from the raw string."""
    phrases = tuple(p.strip() for p in _PHRASE_RE.findall(text) if p.strip())
    rest = _PHRASE_RE.sub(" ", text).replace('"', " ")
    words = tuple(w for w in rest.split() if w)
    return ParsedText(words=words[:MAX_TERMS], phrases=phrases[:MAX_TERMS])


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    language: str = "sv"
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    year_from: int | None = None
    year_to: int | None = None
    sort: str = "relevance"
    page: int = 1
    page_size: int = PAGE_SIZE
    facets: bool = True
    highlight: bool = True

    @property
    def parsed(self) -> ParsedText:
        return split_text(self.text)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    def without(self, facet: str) -> SearchQuery:
        """The same query without the filter on ``facet`` (for that facet's counts)."""
        filters = {name: values for name, values in self.filters.items() if name != facet}
        return SearchQuery(**{**self.__dict__, "filters": filters})


@dataclass
class Hit:
    id: str
    kind: str
    pk: str
    title: str
    title_language: str
    url: str
    snippet_html: str = ""  # escaped text with <mark> around matches; safe to render
    date_label: str = ""
    meta: str = ""
    score: float = 0.0


@dataclass
class Suggestion:
    title: str
    url: str
    language: str


@dataclass
class FacetValue:
    value: str
    count: int


@dataclass
class SearchResults:
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    # Century buckets: (first year, count), non-empty only.
    histogram: list[tuple[int, int]] = field(default_factory=list)
    # True when no exact match was found and the hits are close (typo-tolerant) matches.
    fuzzy: bool = False
    # Set by the service when it answered from the embedded index instead of Elasticsearch.
    degraded: bool = False
    backend: str = ""


def _int(value: str | None, minimum: int, maximum: int) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(value.strip())
    except (TypeError, ValueError):
        return None
    return number if minimum <= number <= maximum else None


def parse_params(params, language: str) -> tuple[SearchQuery, list[str]]:
    """A :class:`SearchQuery` from a QueryDict (or dict of lists), and messages about what
    had to be corrected. Never raises on visitor input."""
    messages: list[str] = []

    def get(name: str) -> str:
        value = params.get(name, "")
        return value if isinstance(value, str) else ""

    def getlist(name: str) -> list[str]:
        if hasattr(params, "getlist"):
            return [v for v in params.getlist(name) if isinstance(v, str)]
        value = params.get(name, [])
        return [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)]

    text = _CONTROL_RE.sub(" ", get("q")).strip()
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        messages.append(
            _("Your search was shortened to its first %(count)d characters.")
            % {"count": MAX_QUERY_CHARS}
        )
    filters: dict[str, tuple[str, ...]] = {}
    dropped = False
    for name in FILTER_FACETS:
        values = []
        for value in getlist(name):
            value = _CONTROL_RE.sub("", value).strip()
            if not value:
                continue
            if len(value) > MAX_FACET_CHARS or len(values) >= MAX_FILTER_VALUES:
                dropped = True
                continue
            if value not in values:
                values.append(value)
        if values:
            filters[name] = tuple(values)
    if dropped:
        messages.append(_("Some filters were not valid and were left out."))

    year_from = _int(get("from"), -YEAR_LIMIT, YEAR_LIMIT)
    year_to = _int(get("to"), -YEAR_LIMIT, YEAR_LIMIT)
    if (get("from") and year_from is None) or (get("to") and year_to is None):
        messages.append(_("A year must be a whole number, negative for BCE; it was left out."))
    if year_from is not None and year_to is not None and year_from > year_to:
        year_from, year_to = year_to, year_from

    sort = get("sort") or "relevance"
    if sort not in SORTS:
        sort = "relevance"
        messages.append(_("Unknown sort order; results are sorted by relevance."))

    page_size = _int(get("size"), 1, MAX_PAGE_SIZE) or PAGE_SIZE
    page = 1
    if get("page"):
        requested = _int(get("page"), 1, 10**9)
        if requested is None:
            messages.append(_("That page number is not valid; showing the first page."))
        elif requested * page_size > MAX_RESULT_WINDOW + page_size:
            page = max(1, MAX_RESULT_WINDOW // page_size)
            messages.append(_("Results go no further than this page; narrow your search."))
        else:
            page = requested
    query = SearchQuery(
        text=text,
        language=language,
        filters=filters,
        year_from=year_from,
        year_to=year_to,
        sort=sort,
        page=page,
        page_size=page_size,
    )
    return query, messages
