"""Fixtures of the search tests: a backend per engine, and a small fictional corpus.

The behavioural suite runs against every backend: the embedded one always, Elasticsearch
when ``ELASTICSEARCH_URL`` names a cluster (otherwise that parametrisation is skipped).
"""

import os
import uuid

import pytest

from search.backends.elasticsearch import ElasticsearchBackend
from search.backends.embedded import EmbeddedBackend
from search.documents import SearchDocument

LANGUAGES = ["sv", "en"]


def make_backend(engine: str, tmp_path):
    if engine == "embedded":
        return EmbeddedBackend(tmp_path / "index", LANGUAGES)
    url = os.environ.get("ELASTICSEARCH_URL")
    if not url:
        pytest.skip("ELASTICSEARCH_URL is not set: no Elasticsearch cluster to test against")
    return ElasticsearchBackend(url, f"test-{uuid.uuid4().hex[:8]}", LANGUAGES)


@pytest.fixture(params=["embedded", "elasticsearch"])
def backend(request, tmp_path):
    backend = make_backend(request.param, tmp_path)
    yield backend
    from visibility.channels import WEB

    backend.drop(WEB)


def doc(pk, titles, texts=None, **kwargs) -> SearchDocument:
    return SearchDocument(
        kind=kwargs.pop("kind", "object"),
        pk=str(pk),
        titles=titles,
        urls={lang: f"/{'' if lang == 'sv' else lang + '/'}collection/{pk}/" for lang in titles},
        texts=texts or {},
        **kwargs,
    )


def corpus() -> list[SearchDocument]:
    """Fictional documents (demo-style), Swedish and English."""
    return [
        doc(
            1,
            {"sv": "Skål med lock", "en": "Lidded bowl"},
            {
                "sv": "En skål som berättar om människohandeln i Östersjön.",
                "en": "A lidded bowl that tells of trafficking across the Baltic.",
            },
            keywords=["DEMO-001"],
            facets={
                "ownership": ["own"],
                "culture": ["Svensk"],
                "material": ["Lergods", "Tenn"],
                "object_type": ["skål"],
            },
            year_start=1640,
            year_end=1660,
            date_label="c. 1650",
            meta="DEMO-001",
        ),
        doc(
            2,
            {"sv": "Kedja"},
            {"sv": "Människohandel förekom längs kusten. Flickorna fördes bort."},
            keywords=["DEMO-002"],
            facets={"ownership": ["loan"], "lender": ["Private collection"], "culture": ["Finsk"]},
            year_start=1850,
            year_end=1870,
            meta="DEMO-002",
        ),
        doc(
            3,
            {"en": "Bowl, lidded at a later date"},
            {"en": "The bowl was lidded later; a story of loss and looting."},
            keywords=["DEMO-003"],
            facets={"ownership": ["loan"], "lender": ["Fictional Museum"], "culture": ["Finsk"]},
            year_start=-200,
            year_end=-100,
            meta="DEMO-003",
        ),
        doc(
            4,
            {"sv": "Sjal", "en": "Shawl"},
            {"sv": "En vävd sjal.", "en": "A woven shawl <script>alert('x')</script> & more."},
            keywords=["DEMO-004"],
            facets={"ownership": ["own"], "culture": ["Svensk"], "material": ["Ull"]},
            meta="DEMO-004",
        ),
    ]
