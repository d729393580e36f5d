"""What a visitor notices of search, run against every backend (see conftest.py)."""

import pytest

from search.query import SearchQuery
from tests.search.conftest import corpus, doc
from visibility.channels import WEB


@pytest.fixture
def indexed(backend):
    assert backend.rebuild(WEB, corpus()) == 4
    return backend


def pks(results) -> list[str]:
    return [hit.pk for hit in results.hits]


def search(backend, text="", **kwargs):
    return backend.search(WEB, SearchQuery(text=text, **kwargs))


def test_swedish_stemming_joins_definite_and_indefinite_forms(indexed):
    assert set(pks(search(indexed, "människohandel"))) == {"1", "2"}
    assert set(pks(search(indexed, "människohandeln"))) == {"1", "2"}
    assert pks(search(indexed, "flicka")) == ["2"]  # "flickorna"


def test_a_part_of_a_swedish_compound_finds_it(indexed):
    # "människohandeln" (1) and "Människohandel" (2) are compounds of människa + handel.
    assert set(pks(search(indexed, "handel", language="sv"))) == {"1", "2"}
    assert set(pks(search(indexed, "människa", language="sv"))) == {"1", "2"}
    assert pks(search(indexed, '"människa handel"')) == []  # not as a phrase


def test_english_stemming(indexed):
    assert set(pks(search(indexed, "bowls"))) == {"1", "3"}
    assert pks(search(indexed, "telling")) == ["1"]  # "tells"
    assert pks(search(indexed, "losses")) == ["3"]  # "loss"
    assert search(indexed, "trafficked").total == 1


def test_typo_tolerance_finds_close_spellings_and_says_so(indexed):
    exact = search(indexed, "människohandel")
    assert not exact.fuzzy
    typo = search(indexed, "manniskohandel")
    assert typo.fuzzy
    assert set(pks(typo)) == {"1", "2"}
    assert pks(search(indexed, "shwal")) == ["4"]


def test_phrase_query_needs_the_words_together(indexed):
    assert set(pks(search(indexed, "lidded bowl"))) == {"1", "3"}
    assert pks(search(indexed, '"lidded bowl"')) == ["1"]


def test_every_word_must_match_except_stop_words(indexed):
    assert pks(search(indexed, "bowl Baltic")) == ["1"]
    assert pks(search(indexed, "the shawl")) == ["4"]


def test_inventory_numbers_and_names_are_found(indexed):
    assert pks(search(indexed, "DEMO-003")) == ["3"]
    assert set(pks(search(indexed, "finsk"))) == {"2", "3"}


def test_titles_rank_above_texts(indexed):
    results = search(indexed, "bowl", language="en")
    assert pks(results)[0] in {"1", "3"}
    assert "4" not in pks(results)


def test_results_are_in_the_visitors_language_with_fallback(indexed):
    english = {hit.pk: hit for hit in search(indexed, "", language="en", page_size=10).hits}
    assert english["1"].title == "Lidded bowl"
    assert english["1"].url == "/en/collection/1/"
    assert english["2"].title == "Kedja"  # no English title: the Swedish one
    assert english["2"].title_language == "sv"
    swedish = {hit.pk: hit for hit in search(indexed, "", language="sv", page_size=10).hits}
    assert swedish["1"].title == "Skål med lock"


def test_snippets_mark_matches_and_escape_the_text(indexed):
    hit = search(indexed, "människohandeln", language="sv").hits
    snippets = {h.pk: h.snippet_html for h in hit}
    assert "<mark>människohandeln</mark>" in snippets["1"]
    shawl = search(indexed, "woven shawl", language="en").hits[0]
    assert "<script>" not in shawl.snippet_html
    assert "&lt;script&gt;" in shawl.snippet_html or "&lt;script" in shawl.snippet_html
    assert "<mark>" in shawl.snippet_html


def test_facet_counts(indexed):
    results = search(indexed)
    assert results.total == 4
    facets = {name: {v.value: v.count for v in values} for name, values in results.facets.items()}
    assert facets["ownership"] == {"own": 2, "loan": 2}
    assert facets["culture"] == {"Svensk": 2, "Finsk": 2}
    assert facets["lender"] == {"Private collection": 1, "Fictional Museum": 1}
    assert facets["material"] == {"Lergods": 1, "Tenn": 1, "Ull": 1}
    assert facets["kind"] == {"object": 4}
    assert facets["language"] == {"sv": 3, "en": 3}


def test_facet_filters_combine_and_a_selected_facet_keeps_its_other_values(indexed):
    results = search(indexed, filters={"culture": ("Finsk",)})
    assert set(pks(results)) == {"2", "3"}
    cultures = {v.value: v.count for v in results.facets["culture"]}
    assert cultures == {"Svensk": 2, "Finsk": 2}  # counted without the culture filter
    ownership = {v.value: v.count for v in results.facets["ownership"]}
    assert ownership == {"loan": 2}
    both = search(indexed, filters={"culture": ("Finsk", "Svensk")})
    assert both.total == 4
    narrowed = search(indexed, filters={"culture": ("Finsk",), "lender": ("Fictional Museum",)})
    assert pks(narrowed) == ["3"]
    assert search(indexed, filters={"culture": ("No such culture",)}).total == 0


def test_date_histogram_and_year_range(indexed):
    results = search(indexed)
    assert results.histogram == [(-200, 1), (1600, 1), (1800, 1)]
    assert pks(search(indexed, year_from=1600, year_to=1699)) == ["1"]
    # Overlapping ranges count: 1850–1870 overlaps 1860–2000.
    assert pks(search(indexed, year_from=1860)) == ["2"]
    assert pks(search(indexed, year_to=0)) == ["3"]


def test_sort_by_date(indexed):
    assert pks(search(indexed, sort="oldest"))[:3] == ["3", "1", "2"]
    assert pks(search(indexed, sort="newest"))[:3] == ["2", "1", "3"]
    # Undated documents come last either way.
    assert pks(search(indexed, sort="oldest"))[-1] == "4"
    assert pks(search(indexed, sort="newest"))[-1] == "4"


def test_pagination_and_counts(indexed):
    first = search(indexed, page=1, page_size=3, sort="oldest")
    second = search(indexed, page=2, page_size=3, sort="oldest")
    assert first.total == second.total == 4
    assert len(first.hits) == 3
    assert len(second.hits) == 1
    assert not set(pks(first)) & set(pks(second))
    assert search(indexed, page=50, page_size=20).hits == []


def test_a_page_of_no_hits_gives_the_count_and_facets(indexed):
    counted = search(indexed, page_size=0)
    assert counted.total == 4
    assert counted.hits == []
    assert counted.facets["ownership"]
    assert search(indexed, text="skål", page_size=0).total == 1
    assert indexed.suggest(WEB, "skå", "sv", limit=0) == []


def test_prefix_suggestions(indexed):
    titles = [s.title for s in indexed.suggest(WEB, "skå", "sv")]
    assert titles == ["Skål med lock"]
    english = indexed.suggest(WEB, "lidd", "en")
    assert {s.title for s in english} == {"Lidded bowl", "Bowl, lidded at a later date"}
    assert indexed.suggest(WEB, "bowl lid", "en")
    assert indexed.suggest(WEB, "x", "en") == []
    assert indexed.suggest(WEB, "zzzz", "en") == []


def test_update_replaces_and_delete_removes(indexed):
    indexed.update(WEB, [doc(2, {"sv": "Kedja av järn"}, {"sv": "Ny text om smide."})])
    assert pks(search(indexed, "smide")) == ["2"]
    assert "2" not in pks(search(indexed, "flickorna"))
    assert search(indexed).total == 4
    indexed.update(WEB, [], delete_ids=["object:2"])
    assert search(indexed, "smide").total == 0
    assert indexed.count(WEB) == 3
    indexed.update(WEB, [], delete_ids=["object:999"])  # deleting what is absent is fine
    assert indexed.count(WEB) == 3


def test_rebuild_replaces_the_whole_index(indexed):
    indexed.rebuild(WEB, [doc(9, {"sv": "Ny"}, {"sv": "Helt nytt innehåll."})])
    assert indexed.count(WEB) == 1
    assert search(indexed, "skål").total == 0
    assert pks(search(indexed, "nytt")) == ["9"]


def test_an_empty_or_missing_index_answers_nothing(backend):
    assert search(backend, "skål").total == 0
    assert backend.suggest(WEB, "skå", "sv") == []
    assert backend.count(WEB) == 0


def test_updates_before_any_rebuild_create_the_index(backend):
    backend.update(WEB, [doc(5, {"sv": "Spegel"}, {"sv": "En spegel."})])
    assert pks(search(backend, "spegeln")) == ["5"]


@pytest.mark.parametrize(
    "text",
    [
        'title:"x" OR 1=1',
        "(skål",
        "skål)",
        "*:*",
        "skå*",
        "field:value^10",
        "skål~2",
        "[1 TO 5]",
        "\\",
        '"',
        '""',
        "''",
        "-",
        "AND OR NOT",
        "/regex.*/",
        "{!lucene}",
        "<script>",
        "\u0000\u0001",
        "ø" * 500,
        "skål " * 100,
        "a" * 5000,
    ],
)
def test_query_syntax_is_just_text(indexed, text):
    results = search(indexed, text)
    assert results.total >= 0
    indexed.suggest(WEB, text, "sv")


def test_query_syntax_does_not_widen_a_search(indexed):
    assert search(indexed, "*").total == 0
    assert search(indexed, "*:*").total == 0
    assert pks(search(indexed, "skål OR kedja")) == []  # OR is a word here, not an operator
