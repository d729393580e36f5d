"""The public search page and its search-as-you-type suggestions.

The page is a GET form: every search and filter is a shareable URL and works without
JavaScript; ``static/search/suggest.js`` only adds suggestions under the search box.
"""

from html import escape
from urllib.parse import urlencode

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.formats import localize
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from search import registry, service
from search.query import HISTOGRAM_INTERVAL, MAX_QUERY_CHARS, parse_params

# Facets shown on the page, in this order, with their legends.
FACET_LABELS = {
    "kind": lambda: _("Kind"),
    "ownership": lambda: _("Own or on loan"),
    "lender": lambda: _("Lender"),
    "object_type": lambda: _("Object type"),
    "culture": lambda: _("Culture or people"),
    "material": lambda: _("Material"),
    "maker": lambda: _("Maker"),
    "place": lambda: _("Place"),
    "room": lambda: _("Room"),
    "theme": lambda: _("Theme"),
    "voice_role": lambda: _("Voice"),
    "venue": lambda: _("Venue"),
    "language": lambda: _("Language"),
}
FACET_VALUES_SHOWN = 12


def value_label(facet: str, value: str) -> str:
    """How a facet value reads to a visitor in the active language."""
    if facet == "kind":
        source = registry.get_source(value)
        return str(source.label) if source else value
    if facet == "ownership":
        return {"own": _("The museum's own"), "loan": _("On loan")}.get(value, value)
    if facet == "language":
        return dict(settings.LANGUAGES).get(value, value)
    if facet == "lender":
        return _(value)  # "Private collection" is stored untranslated
    return value


def century_label(start: int) -> str:
    end = start + HISTOGRAM_INTERVAL - 1
    if end < 0:
        return _("%(start)d–%(end)d BCE") % {"start": -start, "end": -end}
    if start < 0:
        return _("%(start)d BCE–%(end)d CE") % {"start": -start, "end": end}
    return f"{start}–{end}"


def _url(params: dict) -> str:
    pairs = [(k, v) for k, values in params.items() for v in values if v not in ("", None)]
    return "?" + urlencode(pairs) if pairs else "?"


# A page shows up to a few hundred facet values and histogram bars: written out here, not
# by the template language, which costs a few microseconds per value printed. Every value
# from the index is escaped with ``html.escape`` (the same five characters as Django's
# ``escape``, without its lazy-string wrapper, which cost more than the rest of the page's
# facets together).
_OPTION = (
    '<li><input type="checkbox" id="f-{0}-{1}" name="{0}" value="{2}"{3}>\n'
    '<label for="f-{0}-{1}">{4} <span class="search-facet__count">({5})</span></label></li>'
)
_BUCKET = '<li><a href="{0}">{1}</a> <span class="search-facet__count">({2})</span></li>'


def _count_format():
    """How a count is written: as ``localize`` would, without its cost per number when no
    thousand separator is used."""
    return localize if settings.USE_THOUSAND_SEPARATOR else str


def _options_html(name: str, options: list[dict]) -> str:
    count, field = _count_format(), escape(name)
    return mark_safe(  # noqa: S308 (every value below is escaped)
        "\n".join(
            _OPTION.format(
                field,
                number,
                escape(o["value"]),
                " checked" if o["checked"] else "",
                escape(str(o["label"])),
                escape(count(o["count"])),
            )
            for number, o in enumerate(options, 1)
        )
    )


def results_context(request, query, messages, results) -> dict:
    count = _count_format()
    base = {k: request.GET.getlist(k) for k in request.GET if k != "page"}
    facets = []
    for name, label in FACET_LABELS.items():
        values = results.facets.get(name, [])
        selected = set(query.filters.get(name, ()))
        # A selected value stays visible (to untick) even if it no longer has results.
        shown = [v for v in values if v.count][: max(FACET_VALUES_SHOWN, len(selected))]
        present = {v.value for v in shown}
        options = [
            {
                "value": v.value,
                "label": value_label(name, v.value),
                "count": v.count,
                "checked": v.value in selected,
            }
            for v in shown
        ] + [
            {"value": v, "label": value_label(name, v), "count": 0, "checked": True}
            for v in sorted(selected - present)
        ]
        # A facet narrows the results only if some value covers fewer than all of them.
        if selected or len(options) > 1 or (options and options[0]["count"] < results.total):
            facets.append(
                {"name": name, "label": label(), "options_html": _options_html(name, options)}
            )
    histogram = [
        {
            "label": century_label(start),
            "count": count,
            "url": _url(
                {**base, "from": [str(start)], "to": [str(start + HISTOGRAM_INTERVAL - 1)]}
            ),
        }
        for start, count in results.histogram
    ]
    page_count = max(1, -(-min(results.total, 2_000) // query.page_size))
    pages = {}
    if query.page > 1:
        pages["previous"] = _url({**base, "page": [str(query.page - 1)]})
    if query.page < page_count:
        pages["next"] = _url({**base, "page": [str(query.page + 1)]})
    hits = [
        {**hit.__dict__, "snippet": mark_safe(hit.snippet_html)}  # noqa: S308 (escaped by the backend)
        for hit in results.hits
    ]
    active = [
        {
            "label": f"{FACET_LABELS[name]()}: {value_label(name, value)}",
            "remove": _url({**base, name: [v for v in base.get(name, []) if v != value]}),
        }
        for name, values in query.filters.items()
        for value in values
    ]
    if query.year_from is not None or query.year_to is not None:
        active.append(
            {
                "label": _("Years %(from)s to %(to)s")
                % {
                    "from": query.year_from if query.year_from is not None else "…",
                    "to": query.year_to if query.year_to is not None else "…",
                },
                "remove": _url({k: v for k, v in base.items() if k not in ("from", "to")}),
            }
        )
    return {
        "query": query,
        "messages_list": messages,
        "results": results,
        "hits": hits,
        "facets": facets,
        "histogram": histogram,
        "histogram_html": mark_safe(  # noqa: S308 (every value below is escaped)
            "".join(
                _BUCKET.format(escape(b["url"]), escape(str(b["label"])), escape(count(b["count"])))
                for b in histogram
            )
        ),
        "active_filters": active,
        "page_count": page_count,
        "pages": pages,
        "max_query_chars": MAX_QUERY_CHARS,
        "sorts": [
            ("relevance", _("Relevance")),
            ("oldest", _("Oldest first")),
            ("newest", _("Newest first")),
        ],
        "clear_url": _url({"q": [query.text]} if query.text else {}),
    }


@require_safe
def search_page(request):
    query, messages = parse_params(request.GET, get_language())
    results = service.search(query)
    context = results_context(request, query, messages, results)
    context["title"] = (
        _("Search") if not query.text else _("Search: %(query)s") % {"query": query.text}
    )
    response = render(request, "search/search.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def suggest(request):
    """Titles completing the typed text, as JSON for the search box."""
    text = request.GET.get("q", "")[:MAX_QUERY_CHARS]
    suggestions = service.suggest(text, get_language()) if len(text.strip()) >= 2 else []
    return JsonResponse(
        {
            "suggestions": [
                {"title": s.title, "url": s.url, "language": s.language} for s in suggestions
            ]
        }
    )
