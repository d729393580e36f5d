"""The Elasticsearch backend's generated mappings, queries and rebuild steps.

No cluster is needed: these assert on what would be sent. The behavioural suite
(test_behaviour.py) runs against a real cluster when ELASTICSEARCH_URL is set.
"""

import json
from unittest import mock

import pytest

from search.backends.elasticsearch import MARK_CLOSE, MARK_OPEN, ElasticsearchBackend
from search.documents import FACETS
from search.query import SearchQuery
from tests.search.conftest import corpus
from visibility.channels import WEB, Channel, ChannelKind, VenueRef


@pytest.fixture
def es():
    return ElasticsearchBackend("http://127.0.0.1:9", "museum", ["sv", "en"])


def test_an_analyzer_per_language(es):
    body = es.index_body("museum-web-1")
    analysis = body["settings"]["analysis"]
    sv = analysis["analyzer"]["lang_sv"]
    en = analysis["analyzer"]["lang_en"]
    assert sv["filter"] == ["lowercase", "sv_stop", "sv_definite_el", "sv_stem"]
    assert analysis["filter"]["sv_stem"] == {"type": "stemmer", "language": "swedish"}
    assert analysis["filter"]["sv_stop"]["stopwords"] == "_swedish_"
    assert analysis["filter"]["sv_definite_el"]["type"] == "pattern_replace"
    assert analysis["filter"]["en_stem"] == {"type": "stemmer", "language": "english"}
    assert "en_possessive" in en["filter"]
    properties = body["mappings"]["properties"]
    assert properties["title_sv"] == {"type": "text", "analyzer": "lang_sv"}
    assert properties["body_en"]["analyzer"] == "lang_en"
    assert properties["suggest"]["type"] == "search_as_you_type"
    assert properties["parts_sv"] == {
        "type": "text",
        "analyzer": "lang_sv",
        "index_options": "freqs",
    }
    assert properties["display"] == {"type": "object", "enabled": False}
    for facet in FACETS:
        assert properties[f"f_{facet}"] == {"type": "keyword"}
    assert properties["year_start"] == {"type": "integer"}


def test_swedish_definite_rule_matches_what_the_embedded_backend_does(es):
    import re

    rule = es.index_body()["settings"]["analysis"]["filter"]["sv_definite_el"]
    pattern = rule["pattern"].replace(r"\p{L}", r"[^\W\d_]")
    assert re.sub(pattern, rule["replacement"].replace("$1", r"\1"), "människohandeln") == (
        "människohandel"
    )


def test_an_index_per_channel_behind_an_alias(es):
    venue = Channel(ChannelKind.VENUE, VenueRef(pk=1, slug="goteborg", country="SE"))
    assert es.alias(WEB) == "museum-web"
    assert es.alias(venue) == "museum-venue-goteborg"


def test_documents_carry_only_their_public_fields(es):
    source = es.source(corpus()[1])
    assert set(source) == {
        "id", "pk", "title_sv", "body_sv", "names", "suggest", "f_ownership", "f_lender",
        "f_culture", "f_kind", "f_language", "year_start", "year_end", "sort_asc", "sort_desc",
        "display", "parts_sv",
    }  # fmt: skip
    assert source["parts_sv"] == "människa handel"  # from "Människohandel"
    assert source["f_lender"] == ["Private collection"]
    assert source["display"]["urls"] == {"sv": "/collection/2/"}


def query_dict(es, **kwargs) -> dict:
    return es.build_search("museum-web", SearchQuery(**kwargs)).to_dict()


def test_words_and_phrases_become_structured_clauses(es):
    body = query_dict(es, text='bowl "lidded bowl" the')
    text = body["query"]["bool"]
    phrase, word = text["must"]
    assert phrase["multi_match"]["type"] == "phrase"
    assert phrase["multi_match"]["query"] == "lidded bowl"
    assert word["multi_match"]["query"] == "bowl"
    assert word["multi_match"]["operator"] == "and"
    assert "title_sv^3" in word["multi_match"]["fields"]
    assert "names^2" in word["multi_match"]["fields"]
    assert "parts_sv^0.5" in word["multi_match"]["fields"]  # a word may be part of a compound
    assert not any(f.startswith("parts_sv") for f in phrase["multi_match"]["fields"])
    assert text["should"][0]["multi_match"]["query"] == "the"  # a stop word is optional
    assert "fuzziness" not in json.dumps(body)


def test_fuzzy_retry_adds_fuzziness(es):
    body = es.build_search("museum-web", SearchQuery(text="manniskohandel"), fuzzy=True).to_dict()
    assert body["query"]["bool"]["must"][0]["multi_match"]["fuzziness"] == "AUTO:4,8"


@pytest.mark.parametrize("text", ["title:x OR *:*", "(a AND b)^3", "{!lucene}", "/.*/", "\\"])
def test_visitor_text_never_becomes_query_syntax(es, text):
    body = json.dumps(query_dict(es, text=text))
    assert "query_string" not in body
    assert "simple_query_string" not in body
    assert "regexp" not in body and "wildcard" not in body


def test_facets_filter_after_counting(es):
    body = query_dict(
        es, filters={"culture": ("Finsk", "Svensk"), "ownership": ("loan",)}, year_from=1600
    )
    post = body["post_filter"]["bool"]["filter"]
    assert {"terms": {"f_culture": ["Finsk", "Svensk"]}} in post
    assert {"terms": {"f_ownership": ["loan"]}} in post
    assert {"range": {"year_end": {"gte": 1600}}} in post
    culture = body["aggs"]["culture"]
    assert {"terms": {"f_culture": ["Finsk", "Svensk"]}} not in culture["filter"]["bool"]["filter"]
    assert {"terms": {"f_ownership": ["loan"]}} in culture["filter"]["bool"]["filter"]
    assert culture["aggs"]["values"]["terms"] == {"field": "f_culture", "size": 20}
    years = body["aggs"]["_years"]
    assert years["aggs"]["values"]["histogram"] == {
        "field": "year_start", "interval": 100, "min_doc_count": 1,
    }  # fmt: skip
    assert {"range": {"year_end": {"gte": 1600}}} not in years["filter"]["bool"]["filter"]
    assert body["track_total_hits"] is True


def test_highlight_sort_and_page(es):
    body = query_dict(es, text="skål", sort="oldest", page=3, page_size=20)
    assert body["from"] == 40 and body["size"] == 20
    assert body["sort"] == [{"sort_asc": {"order": "asc"}}, "id"]
    assert body["highlight"]["pre_tags"] == [MARK_OPEN]
    assert set(body["highlight"]["fields"]) == {"body_sv", "body_en"}
    assert query_dict(es, text="", sort="newest")["sort"][0] == {"sort_desc": {"order": "desc"}}
    assert "highlight" not in query_dict(es, text="")


def test_highlighted_fragments_are_escaped_here(es):
    fragment = f"a <b>bowl</b> & {MARK_OPEN}människohandeln{MARK_CLOSE} <script>"
    assert es.marked_html(fragment) == (
        "a &lt;b&gt;bowl&lt;/b&gt; &amp; <mark>människohandeln</mark> &lt;script&gt;"
    )


def test_suggestions_use_search_as_you_type(es):
    body = es.build_suggest("museum-web", "skå", 8).to_dict()
    assert body["query"]["multi_match"]["type"] == "bool_prefix"
    assert body["size"] == 8


def test_rebuild_loads_a_new_index_and_swaps_the_alias(es):
    client = mock.MagicMock()
    client.indices.get_alias.return_value = {"museum-web-old": {}}
    es._client = client
    sent = []

    def fake_bulk(client, actions, index, **kwargs):
        for action in actions:
            sent.append((index, action))
            yield True, {}

    with (
        mock.patch("search.backends.elasticsearch.streaming_bulk", fake_bulk),
        mock.patch("elasticsearch.dsl.Index.create") as create,
    ):
        assert es.rebuild(WEB, corpus()) == 4
    create.assert_called_once()
    new = sent[0][0]
    assert new.startswith("museum-web-") and new != "museum-web-old"
    assert {action["_id"] for _index, action in sent} == {f"object:{n}" for n in range(1, 5)}
    client.indices.put_alias.assert_called_once_with(index=new, name="museum-web-next")
    (swap,) = client.indices.update_aliases.call_args_list
    actions = swap.kwargs["actions"]
    assert actions[0] == {"remove": {"index": "museum-web-old", "alias": "museum-web"}}
    assert {"add": {"index": new, "alias": "museum-web"}} in actions
    client.indices.delete.assert_called_with(index="museum-web-old", ignore_unavailable=True)


def test_a_failed_load_leaves_the_alias_alone(es):
    client = mock.MagicMock()
    es._client = client

    def failing_bulk(*args, **kwargs):
        raise RuntimeError("disk full")
        yield

    with (
        mock.patch("search.backends.elasticsearch.streaming_bulk", failing_bulk),
        mock.patch("elasticsearch.dsl.Index.create"),
        pytest.raises(RuntimeError),
    ):
        es.rebuild(WEB, corpus())
    client.indices.update_aliases.assert_not_called()
    client.indices.delete.assert_called_once()


def test_unreachable_cluster_raises_a_typed_error_quickly():
    import socket

    from search.backends.base import SearchUnavailable

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    es = ElasticsearchBackend(f"http://127.0.0.1:{port}", "museum", ["sv", "en"])
    with pytest.raises(SearchUnavailable):
        es.search(WEB, SearchQuery(text="skål"))
    # Within the retry pause it does not even try again.
    with pytest.raises(SearchUnavailable, match="moments ago"):
        es.search(WEB, SearchQuery(text="skål"))
