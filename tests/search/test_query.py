"""Reading a query from visitor input never fails, whatever the input."""

import atexit
import shutil
import tempfile
from pathlib import Path

from django.http import QueryDict
from django.utils import translation

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.backends.embedded import EmbeddedBackend
from search.query import MAX_QUERY_CHARS, MAX_TERMS, parse_params, split_text
from tests.search.conftest import LANGUAGES, corpus
from visibility.channels import WEB


def test_phrases_and_words_are_split():
    parsed = split_text('lidded "book of hours" bowl "')
    assert parsed.phrases == ("book of hours",)
    assert parsed.words == ("lidded", "bowl")
    assert len(split_text("a " * 100).words) == MAX_TERMS


def test_parameters_are_read_and_corrected():
    params = QueryDict(
        "q=sk%C3%A5l&culture=Finsk&culture=Finsk&culture=&from=1700&to=1600&sort=newest&page=2"
    )
    query, messages = parse_params(params, "sv")
    assert query.text == "skål"
    assert query.filters == {"culture": ("Finsk",)}
    assert (query.year_from, query.year_to) == (1600, 1700)
    assert (query.sort, query.page) == ("newest", 2)
    assert messages == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "x" * 300}, "shortened"),
        ({"page": "zero"}, "page number"),
        ({"from": "1e9"}, "whole number"),
        ({"sort": "price"}, "sort"),
        ({"culture": "x" * 300}, "filters"),
        ({"page": "1000"}, "no further"),
    ],
)
def test_each_correction_is_explained(params, expected):
    with translation.override("en"):
        query, messages = parse_params(params, "en")
    assert len(messages) == 1
    assert expected in messages[0]
    assert len(query.text) <= MAX_QUERY_CHARS
    assert query.page >= 1


@given(
    st.dictionaries(
        st.sampled_from(["q", "page", "size", "from", "to", "sort", "culture", "kind", "x"]),
        st.text(max_size=400),
    )
)
def test_any_parameters_give_a_valid_query(params):
    query, _messages = parse_params(params, "sv")
    assert len(query.text) <= MAX_QUERY_CHARS
    assert 1 <= query.page_size <= 50
    assert query.page >= 1


_folder = Path(tempfile.mkdtemp(prefix="test-search-hypothesis-"))
atexit.register(shutil.rmtree, _folder, ignore_errors=True)
_backend = EmbeddedBackend(_folder, LANGUAGES)
_backend.rebuild(WEB, corpus())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=MAX_QUERY_CHARS))
def test_any_text_searches_and_suggests_without_error(text):
    query, _messages = parse_params({"q": text}, "sv")
    results = _backend.search(WEB, query)
    assert results.total >= 0
    _backend.suggest(WEB, text, "sv")
