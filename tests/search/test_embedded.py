"""What only the embedded backend does: facets as numbers, several processes on one index,
snippets of long texts, phrases with stop words."""

import pytest

from search.backends import embedded
from search.backends.embedded import (
    SNIPPET_SCAN_CHARS,
    EmbeddedBackend,
    facet_id,
    snippet_window,
    split_by_cost,
)
from search.query import SearchQuery
from tests.search.conftest import LANGUAGES, corpus, doc
from visibility.channels import WEB


@pytest.fixture
def backend(tmp_path):
    backend = EmbeddedBackend(tmp_path / "index", LANGUAGES)
    backend.rebuild(WEB, corpus())
    return backend


def facets(results, name) -> dict[str, int]:
    return {v.value: v.count for v in results.facets.get(name, [])}


def test_facet_numbers_are_stable_and_exact_as_json_numbers():
    assert facet_id("Svensk") == facet_id("Svensk")
    assert facet_id("Svensk") != facet_id("svensk")
    assert 0 <= facet_id("Private collection") < 2**53


def test_facet_values_added_by_an_update_are_counted_and_filter(backend):
    backend.update(WEB, [doc(7, {"sv": "Kanna"}, facets={"culture": ["Dansk"]})])
    results = backend.search(WEB, SearchQuery())
    assert facets(results, "culture") == {"Svensk": 2, "Finsk": 2, "Dansk": 1}
    only = backend.search(WEB, SearchQuery(filters={"culture": ("Dansk",)}))
    assert [hit.pk for hit in only.hits] == ["7"]


def test_another_process_sees_updates_and_rebuilds(tmp_path):
    reader = EmbeddedBackend(tmp_path / "index", LANGUAGES)
    writer = EmbeddedBackend(tmp_path / "index", LANGUAGES)  # as another process would
    writer.rebuild(WEB, corpus())
    assert reader.search(WEB, SearchQuery(text="sjal")).total == 1
    writer.update(WEB, [doc(8, {"sv": "Spegel"}, facets={"material": ["Glas"]})])
    results = reader.search(WEB, SearchQuery())
    assert results.total == 5
    assert facets(results, "material")["Glas"] == 1  # a value the reader had not loaded
    writer.rebuild(WEB, [doc(9, {"sv": "Ny"}, facets={"culture": ["Norsk"]})])
    results = reader.search(WEB, SearchQuery())
    assert [hit.pk for hit in results.hits] == ["9"]
    assert facets(results, "culture") == {"Norsk": 1}


def test_facet_values_with_equal_counts_are_in_alphabetical_order(backend):
    results = backend.search(WEB, SearchQuery())
    assert [v.value for v in results.facets["material"]] == ["Lergods", "Tenn", "Ull"]


def test_a_phrase_with_a_stop_word_is_found(tmp_path):
    backend = EmbeddedBackend(tmp_path / "index", LANGUAGES)
    backend.rebuild(
        WEB,
        [
            doc(1, {"en": "A book of hours"}, {"en": "Prayers for the hours of the day."}),
            doc(2, {"en": "Hours book"}, {"en": "A book; hours later."}),
        ],
    )
    results = backend.search(WEB, SearchQuery(text='"book of hours"', language="en"))
    assert [hit.pk for hit in results.hits] == ["1"]
    assert not results.fuzzy


def test_a_long_text_gets_a_snippet_around_its_match(tmp_path):
    filler = "Lorem ipsum dolor sit amet. " * (SNIPPET_SCAN_CHARS // 10)
    text = filler + "Here the ferryman crossed the river. " + filler
    backend = EmbeddedBackend(tmp_path / "index", LANGUAGES)
    backend.rebuild(WEB, [doc(1, {"en": "Long text"}, {"en": text})])
    hit = backend.search(WEB, SearchQuery(text="crossing", language="en")).hits[0]
    assert "<mark>crossed</mark>" in hit.snippet_html


def test_snippet_window():
    short = "A short text about a bowl."
    assert snippet_window(short, ["bowl"]) is short
    text = "x " * SNIPPET_SCAN_CHARS + "the bowl " + "y " * SNIPPET_SCAN_CHARS
    window = snippet_window(text, ["bowl"])
    assert "bowl" in window
    assert len(window) == SNIPPET_SCAN_CHARS
    assert snippet_window(text, ["absent"]) == text[:SNIPPET_SCAN_CHARS]


def test_the_same_text_query_is_built_once(backend):
    first = backend.search(WEB, SearchQuery(text="skål"))
    assert len(backend._text_queries) == 1
    again = backend.search(WEB, SearchQuery(text="skål", filters={"culture": ("Svensk",)}))
    assert len(backend._text_queries) == 1
    assert [h.pk for h in again.hits] == [h.pk for h in first.hits]


def test_facets_count_what_a_query_with_stop_words_finds(backend):
    results = backend.search(WEB, SearchQuery(text="the bowl", language="en"))
    assert sorted(hit.pk for hit in results.hits) == ["1", "3"]
    assert facets(results, "kind") == {"object": 2}
    assert facets(results, "culture") == {"Svensk": 1, "Finsk": 1}
    only_stop_words = backend.search(WEB, SearchQuery(text="the of", language="en"))
    assert sum(facets(only_stop_words, "kind").values()) == only_stop_words.total


@pytest.mark.parametrize(
    "query",
    [
        SearchQuery(text="skål"),
        SearchQuery(text="skål", filters={"culture": ("Svensk",)}),
        SearchQuery(filters={"ownership": ("loan",)}),
        SearchQuery(filters={"culture": ("Finsk",)}, year_from=1700),
        SearchQuery(text="bowl", language="en", year_to=1700, filters={"ownership": ("own",)}),
    ],
)
def test_facets_counted_in_threads_are_the_facets_counted_in_turn(tmp_path, monkeypatch, query):
    one = EmbeddedBackend(tmp_path / "index", LANGUAGES, threads=1)
    one.rebuild(WEB, corpus())
    serial = one.search(WEB, query)
    monkeypatch.setattr(embedded, "PARALLEL_FACETS_FROM", 1)
    calls = []
    pool = embedded._facet_pool(3)
    monkeypatch.setattr(pool, "submit", lambda *a: calls.append(a) or type(pool).submit(pool, *a))
    threaded = EmbeddedBackend(tmp_path / "index", LANGUAGES, threads=3).search(WEB, query)
    assert calls, "the facets were not counted in the pool"
    assert threaded.total == serial.total and threaded.total > 0
    assert threaded.facets == serial.facets and serial.facets
    assert threaded.histogram == serial.histogram
    assert [h.pk for h in threaded.hits] == [h.pk for h in serial.hits]


def test_no_threads_for_few_matches_or_with_one_thread(tmp_path, monkeypatch):
    calls = []
    pool = embedded._facet_pool(2)
    monkeypatch.setattr(pool, "submit", lambda *a: calls.append(a) or type(pool).submit(pool, *a))
    two = EmbeddedBackend(tmp_path / "index", LANGUAGES, threads=2, facet_cache=0)
    two.rebuild(WEB, corpus())
    assert two.search(WEB, SearchQuery(text="skål")).facets  # far below the threshold
    assert calls == []
    monkeypatch.setattr(embedded, "PARALLEL_FACETS_FROM", 1)
    one = EmbeddedBackend(tmp_path / "index", LANGUAGES)  # the default: one thread
    assert one.threads == 1
    assert one.search(WEB, SearchQuery(text="skål")).facets
    assert calls == []
    assert two.search(WEB, SearchQuery(text="skål")).facets
    assert calls  # the same search, in threads


def test_facet_groups_are_of_about_equal_cost():
    names = ["kind", "ownership", "culture", "material", "place", "maker", "language", "_years"]
    groups = split_by_cost({name: {} for name in names}, 2)
    assert sorted(n for g in groups for n in g) == sorted(names)  # each counted once
    assert len(groups) == 2
    costs = [sum(embedded._facet_cost(n) for n in g) for g in groups]
    assert abs(costs[0] - costs[1]) <= 1.0
    assert {"place", "maker"} - set(groups[0]) and {"place", "maker"} - set(groups[1])
    assert split_by_cost({"kind": {}}, 4) == [{"kind": {}}]
    assert split_by_cost({}, 2) == []


def test_the_facet_pool_is_new_in_a_forked_process(monkeypatch):
    pool = embedded._facet_pool(2)
    assert embedded._facet_pool(2) is pool
    monkeypatch.setattr(embedded.os, "getpid", lambda: -1)
    assert embedded._facet_pool(2) is not pool


def test_the_thread_setting_reaches_the_service_backend(settings, tmp_path):
    from search import service

    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    assert service.embedded_backend().threads == 1  # the default
    settings.SEARCH_THREADS = 3
    assert service.embedded_backend().threads == 3
    settings.SEARCH_THREADS = 0  # the cores available, at most 4
    assert service.embedded_backend().threads == embedded.default_threads()
    assert 1 <= embedded.default_threads() <= 4
    assert service.embedded_backend().facet_cache == embedded.FACET_CACHE_SIZE
    settings.SEARCH_FACET_CACHE = 0
    assert service.embedded_backend().facet_cache == 0


def test_counts_over_every_document_are_counted_once_per_state_of_the_index(tmp_path):
    reader = EmbeddedBackend(tmp_path / "index", LANGUAGES)
    writer = EmbeddedBackend(tmp_path / "index", LANGUAGES)  # as another process would
    writer.rebuild(WEB, corpus())
    assert facets(reader.search(WEB, SearchQuery()), "culture") == {"Svensk": 2, "Finsk": 2}
    opened = reader._index(WEB)
    assert opened.whole  # kept for the next search page before a search
    # A lone filter: its own facet is counted over every document (kept), the rest within it.
    lone = reader.search(WEB, SearchQuery(filters={"culture": ("Finsk",)}))
    assert facets(lone, "culture") == {"Svensk": 2, "Finsk": 2}
    assert facets(lone, "ownership") == {"loan": 2}
    dated = reader.search(WEB, SearchQuery(year_from=1700))
    assert [h.pk for h in dated.hits] == ["2"]
    assert len(dated.histogram) == 3  # the dates of every document, beside the selection
    writer.update(WEB, [doc(7, {"sv": "Kanna"}, facets={"culture": ["Dansk"]}, year_start=1900)])
    results = reader.search(WEB, SearchQuery())
    assert facets(results, "culture") == {"Svensk": 2, "Finsk": 2, "Dansk": 1}
    assert facets(reader.search(WEB, SearchQuery(filters={"culture": ("Finsk",)})), "culture") == {
        "Svensk": 2,
        "Finsk": 2,
        "Dansk": 1,
    }
    assert len(reader.search(WEB, SearchQuery(year_from=1700)).histogram) == 4


@pytest.fixture
def aggregations(monkeypatch):
    """Every aggregation the embedded backend asks tantivy for, as (query, counted)."""
    asked = []
    real = embedded._aggregate

    def spy(searcher, query, counted):
        asked.append((query, tuple(sorted(counted))))
        return real(searcher, query, counted)

    monkeypatch.setattr(embedded, "_aggregate", spy)
    return asked


def test_another_page_or_sort_order_of_a_search_counts_nothing_again(backend, aggregations):
    first = backend.search(WEB, SearchQuery(text="bowl", language="en", page_size=1))
    assert first.total == 2 and aggregations
    counted = len(aggregations)
    for again in (
        SearchQuery(text="bowl", language="en", page_size=1, page=2),
        SearchQuery(text="bowl", language="en", page_size=1, sort="oldest"),
        SearchQuery(text="bowl", language="sv", page_size=20),  # the same words
    ):
        results = backend.search(WEB, again)
        assert results.facets == first.facets and results.histogram == first.histogram
        assert results.total == first.total
    assert len(aggregations) == counted
    two = backend.search(WEB, SearchQuery(text="bowl", language="en", page=2, page_size=1))
    assert [h.pk for h in two.hits] != [h.pk for h in first.hits] and len(two.hits) == 1


@pytest.mark.parametrize(
    "other",
    [
        SearchQuery(text="skål", filters={"culture": ("Svensk",)}),
        SearchQuery(text="skål", filters={"ownership": ("loan",)}),
        SearchQuery(text="skål", year_from=1700),
        SearchQuery(text="skål", year_to=1700),
        SearchQuery(text="kedja"),
        SearchQuery(text="skal"),  # found by close spelling only: counted as such
    ],
)
def test_counts_are_kept_per_words_filters_and_years(tmp_path, other):
    kept = EmbeddedBackend(tmp_path / "index", LANGUAGES)
    kept.rebuild(WEB, corpus())
    kept.search(WEB, SearchQuery(text="skål"))
    kept.search(WEB, SearchQuery(text="skål", filters={"material": ("Tenn",)}))
    fresh = EmbeddedBackend(tmp_path / "index", LANGUAGES, facet_cache=0)
    expected, results = fresh.search(WEB, other), kept.search(WEB, other)
    assert (results.total, results.facets, results.histogram) == (
        expected.total,
        expected.facets,
        expected.histogram,
    )
    assert kept.search(WEB, other).facets == expected.facets  # now from the cache


def test_filters_in_another_order_are_the_same_selection(backend, aggregations):
    one = backend.search(
        WEB, SearchQuery(filters={"culture": ("Svensk", "Finsk"), "kind": ("object",)})
    )
    counted = len(aggregations)
    two = backend.search(
        WEB, SearchQuery(filters={"kind": ("object",), "culture": ("Finsk", "Svensk")})
    )
    assert two.facets == one.facets and len(aggregations) == counted


def test_kept_counts_end_with_the_state_of_the_index(tmp_path, aggregations):
    reader = EmbeddedBackend(tmp_path / "index", LANGUAGES)
    writer = EmbeddedBackend(tmp_path / "index", LANGUAGES)  # as another process would
    writer.rebuild(WEB, corpus())
    query = SearchQuery(text="skål")
    assert facets(reader.search(WEB, query), "culture") == {"Svensk": 1}
    writer.update(WEB, [doc(7, {"sv": "Skål"}, facets={"culture": ["Dansk"]})])
    results = reader.search(WEB, query)
    assert results.total == 2
    assert facets(results, "culture") == {"Svensk": 1, "Dansk": 1}
    writer.update(WEB, [], delete_ids=["object:7"])  # unpublished, or consent withdrawn
    results = reader.search(WEB, query)
    assert results.total == 1 and facets(results, "culture") == {"Svensk": 1}


def test_the_least_recently_used_counts_go_first(tmp_path, aggregations):
    backend = EmbeddedBackend(tmp_path / "index", LANGUAGES, facet_cache=2)
    backend.rebuild(WEB, corpus())
    for text in ("skål", "kedja", "skål", "bowl"):  # "kedja" is the least recently used
        backend.search(WEB, SearchQuery(text=text))
    assert len(backend._index(WEB).counts) == 2
    counted = len(aggregations)
    backend.search(WEB, SearchQuery(text="skål"))
    assert len(aggregations) == counted  # kept
    backend.search(WEB, SearchQuery(text="kedja"))
    assert len(aggregations) > counted  # counted again


def test_no_counts_are_kept_when_the_cache_is_off(tmp_path, aggregations):
    backend = EmbeddedBackend(tmp_path / "index", LANGUAGES, facet_cache=0)
    backend.rebuild(WEB, corpus())
    backend.search(WEB, SearchQuery(text="skål"))
    counted = len(aggregations)
    backend.search(WEB, SearchQuery(text="skål", page=2))
    assert len(aggregations) == 2 * counted
    assert not backend._index(WEB).counts


def test_counts_made_in_threads_are_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(embedded, "PARALLEL_FACETS_FROM", 1)
    calls = []
    pool = embedded._facet_pool(2)
    monkeypatch.setattr(pool, "submit", lambda *a: calls.append(a) or type(pool).submit(pool, *a))
    backend = EmbeddedBackend(tmp_path / "index", LANGUAGES, threads=2)
    backend.rebuild(WEB, corpus())
    first = backend.search(WEB, SearchQuery(text="skål"))
    assert calls
    calls.clear()
    again = backend.search(WEB, SearchQuery(text="skål", sort="newest"))
    assert calls == [] and again.facets == first.facets and again.histogram == first.histogram


def test_counts_made_while_the_index_changes_are_not_kept_for_the_new_state(tmp_path, monkeypatch):
    reader = EmbeddedBackend(tmp_path / "index", LANGUAGES)
    writer = EmbeddedBackend(tmp_path / "index", LANGUAGES)  # the task worker's process
    writer.rebuild(WEB, corpus())
    query = SearchQuery(text="skål")
    assert reader.search(WEB, SearchQuery(text="kedja")).total == 1
    changed = []

    def change_while_counting(aggs, parts):
        # This search counts in the old state; another request thread of this process now
        # finds the index changed by the task worker, and reloads it.
        if not changed:
            changed.append(True)
            writer.update(WEB, [doc(7, {"sv": "Skål"}, facets={"culture": ["Dansk"]})])
            reader._index(WEB)
        return split(aggs, parts)

    split = embedded.split_by_cost
    monkeypatch.setattr(embedded, "split_by_cost", change_while_counting)
    assert facets(reader.search(WEB, query), "culture") == {"Svensk": 1}  # the old state
    assert changed
    monkeypatch.setattr(embedded, "split_by_cost", split)
    results = reader.search(WEB, query)
    assert results.total == 2
    assert facets(results, "culture") == {"Svensk": 1, "Dansk": 1}


def test_the_cache_size_is_a_number_of_searches(tmp_path, aggregations):
    backend = EmbeddedBackend(tmp_path / "index", LANGUAGES, facet_cache=2)
    backend.rebuild(WEB, corpus())
    # Each of these counts in several parts: a selected facet without its own filter, and
    # the dates without the year range.
    first = SearchQuery(text="bowl", filters={"culture": ("Finsk",)}, year_from=-1000)
    second = SearchQuery(text="bowl", filters={"ownership": ("own",)}, year_to=1900)
    backend.search(WEB, first)
    assert len(aggregations) >= 3
    backend.search(WEB, second)
    counted = len(aggregations)
    backend.search(WEB, SearchQuery(**{**first.__dict__, "page": 2}))
    backend.search(WEB, SearchQuery(**{**second.__dict__, "sort": "oldest"}))
    assert len(aggregations) == counted
    assert len(backend._index(WEB).counts) == 2
