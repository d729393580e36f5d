"""The Elasticsearch backend, built with ``elasticsearch.dsl``.

Per channel, an alias (``<prefix>-web``) points at one concrete index
(``<prefix>-web-<timestamp>``). A rebuild creates a new index with the current mapping,
bulk-loads it (with retries on overload), and then moves the alias in one atomic
``update_aliases`` call, so queries never see a half-built index; the old index is then
deleted. While a rebuild runs, a second alias (``<prefix>-web-next``) points at the new
index and incremental updates are written to both, so none is lost by the swap.

Text is analysed per language (Snowball stemmers with stop words; Swedish also folds the
definite "-eln" onto "-el", which Snowball leaves apart). Every query is built from parsed
words and phrases as DSL objects: no visitor text is ever read as query syntax.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError
from elasticsearch.dsl import (
    Index,
    Integer,
    Keyword,
    Mapping,
    Object,
    Q,
    Search,
    SearchAsYouType,
    Text,
    analyzer,
    token_filter,
)
from elasticsearch.helpers import BulkIndexError, streaming_bulk

from search.backends.base import (
    NAME_FACETS,
    SNIPPET_CHARS,
    STEMMERS,
    Progress,
    SearchBackend,
    SearchUnavailable,
    highlight_html,
    is_stop_word,
    opening,
)
from search.compounds import COMPOUND_PART_BOOST, compound_parts
from search.documents import FACETS, SearchDocument
from search.query import (
    HISTOGRAM_INTERVAL,
    FacetValue,
    Hit,
    SearchQuery,
    SearchResults,
    Suggestion,
)
from visibility.channels import Channel

logger = logging.getLogger(__name__)

FACET_SIZE = 20
MISSING_YEAR = 1_000_000
# Private-use characters mark highlights; the text around them is escaped here, not by ES.
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
# After a failed connection, queries go straight to the fallback for this long.
RETRY_AFTER_SECONDS = 30


def language_analyzer(lang: str):
    """The analyzer of one language's text fields."""
    stemmer = STEMMERS.get(lang.split("-")[0].lower())
    filters = ["lowercase"]
    if stemmer:
        filters.append(token_filter(f"{lang}_stop", type="stop", stopwords=f"_{stemmer}_"))
        if stemmer == "swedish":
            filters.append(
                token_filter(
                    "sv_definite_el",
                    type="pattern_replace",
                    pattern=r"^(\p{L}{2,})eln$",
                    replacement="$1el",
                )
            )
        if stemmer == "english":
            filters.append(
                token_filter("en_possessive", type="stemmer", language="possessive_english")
            )
        filters.append(token_filter(f"{lang}_stem", type="stemmer", language=stemmer))
    return analyzer(f"lang_{lang}", tokenizer="standard", filter=filters)


# No ASCII folding: in Swedish å, ä and ö are letters of their own ("skål" is not "skal").
PLAIN = analyzer("plain", tokenizer="standard", filter=["lowercase"])


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, url: str, prefix: str, languages: Iterable[str], client=None):
        super().__init__(languages)
        self.url = url
        self.prefix = prefix
        self._client = client
        self._down_until = 0.0

    # --- connection ---------------------------------------------------------------------
    @property
    def client(self) -> Elasticsearch:
        if self._client is None:
            self._client = Elasticsearch(
                self.url, request_timeout=5, max_retries=2, retry_on_timeout=True
            )
        return self._client

    def _call(self, function, *args, **kwargs):
        """Run one request; a connection failure becomes :class:`SearchUnavailable`."""
        if time.monotonic() < self._down_until:
            raise SearchUnavailable(f"Elasticsearch at {self.url} was unreachable moments ago")
        try:
            return function(*args, **kwargs)
        except NotFoundError:
            raise
        except (TransportError, ApiError, BulkIndexError) as error:
            if isinstance(error, TransportError):
                self._down_until = time.monotonic() + RETRY_AFTER_SECONDS
            raise SearchUnavailable(f"Elasticsearch at {self.url}: {error}") from error

    # --- names and mapping --------------------------------------------------------------
    def alias(self, channel: Channel) -> str:
        return f"{self.prefix}-{channel.key.replace(':', '-')}".lower()

    def index_definition(self, name: str) -> Index:
        """Settings, analyzers and mapping of one channel index."""
        mapping = Mapping()
        mapping.field("id", Keyword())
        mapping.field("pk", Keyword())
        for lang in self.languages:
            lang_analyzer = language_analyzer(lang)
            mapping.field(f"title_{lang}", Text(analyzer=lang_analyzer))
            mapping.field(
                f"body_{lang}", Text(analyzer=lang_analyzer, term_vector="with_positions_offsets")
            )
        mapping.field("names", Text(analyzer=PLAIN))
        if "sv" in self.languages:
            # The parts of Swedish compound words (search/compounds.py), as the embedded
            # backend indexes them: the same dictionary, no word list on the cluster.
            mapping.field("parts_sv", Text(analyzer=language_analyzer("sv"), index_options="freqs"))
        mapping.field("suggest", SearchAsYouType(analyzer=PLAIN))
        for facet in FACETS:
            mapping.field(f"f_{facet}", Keyword())
        for name in ("year_start", "year_end", "sort_asc", "sort_desc"):
            mapping.field(name, Integer())
        # Shown with a hit, never searched.
        mapping.field("display", Object(enabled=False))
        index = Index(name)
        index.settings(number_of_shards=1, number_of_replicas=0, max_result_window=10_000)
        index.mapping(mapping)
        return index

    def index_body(self, name: str = "x") -> dict:
        return self.index_definition(name).to_dict()

    # --- writing ------------------------------------------------------------------------
    def source(self, doc: SearchDocument) -> dict:
        """The indexed form of ``doc`` (the same fields as the embedded backend)."""
        body: dict = {"id": doc.id, "pk": str(doc.pk)}
        for lang in self.languages:
            if doc.titles.get(lang):
                body[f"title_{lang}"] = doc.titles[lang]
            if doc.text(lang):
                body[f"body_{lang}"] = doc.text(lang).replace(MARK_OPEN, "").replace(MARK_CLOSE, "")
        if "sv" in self.languages and (
            parts := compound_parts(f"{doc.titles.get('sv', '')} {doc.text('sv')}")
        ):
            body["parts_sv"] = parts
        facets = doc.facet_values()
        names = [*doc.keywords, *(v for name in NAME_FACETS for v in facets.get(name, ()))]
        names += [t for lang, t in doc.titles.items() if lang not in self.languages]
        body["names"] = " ".join(n for n in names if n)
        body["suggest"] = " ".join(doc.titles.values())
        for name, values in facets.items():
            body[f"f_{name}"] = values
        start = doc.year_start if doc.year_start is not None else doc.year_end
        end = doc.year_end if doc.year_end is not None else doc.year_start
        if start is not None:
            body["year_start"], body["year_end"] = start, end
        body["sort_asc"] = start if start is not None else MISSING_YEAR
        body["sort_desc"] = end if end is not None else -MISSING_YEAR
        body["display"] = doc.display()
        return body

    def _bulk(self, index: str, actions, progress: Progress | None = None) -> int:
        count = 0
        for _ok, _item in streaming_bulk(
            self.client,
            actions,
            index=index,
            chunk_size=500,
            max_retries=3,
            initial_backoff=1,
            raise_on_error=True,
        ):
            count += 1
            if progress and count % 500 == 0:
                progress(500)
        if progress and count % 500:
            progress(count % 500)
        return count

    def _indices_of(self, alias: str) -> list[str]:
        try:
            return list(self.client.indices.get_alias(name=alias).keys())
        except NotFoundError:
            return []

    def rebuild(self, channel, documents, progress=None) -> int:
        alias = self.alias(channel)
        name = f"{alias}-{time.strftime('%Y%m%d%H%M%S')}-{time.time_ns() % 1_000_000:06d}"

        def run():
            definition = self.index_definition(name)
            definition.settings(refresh_interval="-1")
            definition.create(using=self.client)
            self.client.indices.put_alias(index=name, name=f"{alias}-next")
            try:
                count = self._bulk(
                    name,
                    ({"_id": doc.id, "_source": self.source(doc)} for doc in documents),
                    progress,
                )
                self.client.indices.put_settings(index=name, settings={"refresh_interval": "1s"})
                self.client.indices.refresh(index=name)
            except BaseException:
                self.client.indices.delete(index=name, ignore_unavailable=True)
                raise
            old = self._indices_of(alias)
            actions = [{"remove": {"index": index, "alias": alias}} for index in old]
            actions += [
                {"add": {"index": name, "alias": alias}},
                {"remove": {"index": name, "alias": f"{alias}-next"}},
            ]
            self.client.indices.update_aliases(actions=actions)
            for index in old:
                self.client.indices.delete(index=index, ignore_unavailable=True)
            return count

        return self._call(run)

    def _ensure(self, alias: str) -> None:
        if not self.client.indices.exists_alias(name=alias):
            name = f"{alias}-{time.strftime('%Y%m%d%H%M%S')}"
            self.index_definition(name).create(using=self.client)
            self.client.indices.put_alias(index=name, name=alias)

    def update(self, channel, documents, delete_ids=()) -> None:
        documents = list(documents)
        ids = set(delete_ids) - {doc.id for doc in documents}
        alias = self.alias(channel)

        def run():
            self._ensure(alias)
            targets = [alias] + (
                [f"{alias}-next"] if self.client.indices.exists_alias(name=f"{alias}-next") else []
            )
            for target in targets:
                actions = [{"_id": doc.id, "_source": self.source(doc)} for doc in documents]
                actions += [{"_op_type": "delete", "_id": doc_id} for doc_id in ids]
                if actions:
                    for _ok, _item in streaming_bulk(
                        self.client,
                        actions,
                        index=target,
                        max_retries=3,
                        raise_on_error=False,  # deleting what is not there is fine
                        refresh="wait_for",
                    ):
                        pass

        self._call(run)

    def drop(self, channel) -> None:
        alias = self.alias(channel)

        def run():
            for name in self._indices_of(alias) + self._indices_of(f"{alias}-next"):
                self.client.indices.delete(index=name, ignore_unavailable=True)

        self._call(run)

    def count(self, channel) -> int:
        try:
            return int(self._call(self.client.count, index=self.alias(channel))["count"])
        except NotFoundError:
            return 0

    # --- querying -----------------------------------------------------------------------
    def _text_fields(self, words: bool = False) -> list[str]:
        """The fields a phrase matches in, or with ``words`` a single word (which may also
        be part of a Swedish compound)."""
        fields = []
        for lang in self.languages:
            fields += [f"title_{lang}^3", f"body_{lang}"]
        if words and "sv" in self.languages:
            fields.append(f"parts_sv^{COMPOUND_PART_BOOST}")
        return [*fields, "names^2"]

    def text_query(self, query: SearchQuery, fuzzy: bool = False):
        """Each word and phrase must match in some field (stop words may); ``None`` for
        an empty query."""
        parsed = query.parsed
        musts, shoulds = [], []
        for phrase in parsed.phrases:
            musts.append(Q("multi_match", query=phrase, type="phrase", fields=self._text_fields()))
        for word in parsed.words:
            options = {"fuzziness": "AUTO:4,8", "prefix_length": 1} if fuzzy else {}
            clause = Q(
                "multi_match",
                query=word,
                type="best_fields",
                fields=self._text_fields(words=True),
                operator="and",
                **options,
            )
            (shoulds if is_stop_word(word, self.languages) else musts).append(clause)
        if not musts and not shoulds:
            return None
        return Q("bool", must=musts, should=shoulds)

    def facet_filters(self, query: SearchQuery) -> dict[str, Q]:
        filters = {
            name: Q("terms", **{f"f_{name}": list(values)})
            for name, values in query.filters.items()
            if name in FACETS
        }
        if query.year_from is not None:
            filters["_from"] = Q("range", year_end={"gte": query.year_from})
        if query.year_to is not None:
            filters["_to"] = Q("range", year_start={"lte": query.year_to})
        return filters

    def build_search(self, alias: str, query: SearchQuery, fuzzy: bool = False) -> Search:
        """The whole request: text query, facet filters as a post filter (so each facet
        counts without its own selection), aggregations, highlight, sort and page."""
        search = Search(using=self._client, index=alias).extra(track_total_hits=True)
        text = self.text_query(query, fuzzy)
        search = search.query(text if text is not None else Q("match_all"))
        filters = self.facet_filters(query)
        if filters:
            search = search.post_filter(Q("bool", filter=list(filters.values())))
        if query.facets:
            for name in FACETS:
                others = [q for key, q in filters.items() if key != name]
                search.aggs.bucket(name, "filter", filter=Q("bool", filter=others)).bucket(
                    "values", "terms", field=f"f_{name}", size=FACET_SIZE
                )
            facet_only = [q for key, q in filters.items() if key not in ("_from", "_to")]
            search.aggs.bucket("_years", "filter", filter=Q("bool", filter=facet_only)).bucket(
                "values",
                "histogram",
                field="year_start",
                interval=HISTOGRAM_INTERVAL,
                min_doc_count=1,
            )
        if query.highlight and text is not None:
            search = search.highlight_options(
                fragment_size=SNIPPET_CHARS,
                number_of_fragments=1,
                pre_tags=[MARK_OPEN],
                post_tags=[MARK_CLOSE],
            ).highlight(*[f"body_{lang}" for lang in self.languages])
        if query.sort == "oldest":
            search = search.sort({"sort_asc": {"order": "asc"}}, "id")
        elif query.sort == "newest":
            search = search.sort({"sort_desc": {"order": "desc"}}, "id")
        search = search.source(["display", *[f"body_{lang}" for lang in self.languages]])
        return search[query.offset : query.offset + query.page_size]

    def search(self, channel, query: SearchQuery) -> SearchResults:
        alias = self.alias(channel)
        try:
            response = self._call(self.build_search(alias, query).using(self.client).execute)
            fuzzy = False
            if response.hits.total.value == 0 and self.text_query(query) is not None:
                response = self._call(
                    self.build_search(alias, query, fuzzy=True).using(self.client).execute
                )
                fuzzy = True
        except NotFoundError:
            return SearchResults(total=0, hits=[], backend=self.name)
        results = SearchResults(
            total=response.hits.total.value, hits=[], fuzzy=fuzzy, backend=self.name
        )
        for hit in response.hits:
            source = hit.to_dict()
            display = source.get("display", {})
            title, title_language = self.pick(display.get("titles", {}), query.language)
            url, _ = self.pick(display.get("urls", {}), query.language)
            bodies = {lang: source.get(f"body_{lang}", "") for lang in self.languages}
            body, body_language = self.pick(bodies, query.language)
            snippet = ""
            highlight = getattr(hit.meta, "highlight", None)
            fragments = highlight.to_dict().get(f"body_{body_language}") if highlight else None
            if fragments:
                snippet = self.marked_html(fragments[0])
            elif body and query.highlight:
                snippet = opening(body)
            results.hits.append(
                Hit(
                    id=hit.meta.id,
                    kind=display.get("kind", ""),
                    pk=display.get("pk", ""),
                    title=title,
                    title_language=title_language,
                    url=url,
                    snippet_html=snippet,
                    date_label=display.get("date_label", ""),
                    meta=display.get("meta", ""),
                    score=float(hit.meta.score or 0.0),
                )
            )
        aggregations = response.aggregations.to_dict() if query.facets else {}
        for name, value in aggregations.items():
            buckets = value.get("values", {}).get("buckets", [])
            if name == "_years":
                results.histogram = [(int(b["key"]), int(b["doc_count"])) for b in buckets]
            else:
                results.facets[name] = [
                    FacetValue(str(b["key"]), int(b["doc_count"])) for b in buckets
                ]
        return results

    @staticmethod
    def marked_html(fragment: str) -> str:
        """A highlighted fragment as escaped HTML with ``<mark>``."""
        data = fragment.encode("utf-8")
        ranges, clean, position = [], bytearray(), 0
        opener, closer = MARK_OPEN.encode(), MARK_CLOSE.encode()
        while position < len(data):
            if data.startswith(opener, position):
                start = len(clean)
                position += len(opener)
                end_at = data.find(closer, position)
                end_at = len(data) if end_at < 0 else end_at
                clean += data[position:end_at]
                ranges.append((start, len(clean)))
                position = end_at + len(closer)
            else:
                clean.append(data[position])
                position += 1
        return highlight_html(clean.decode("utf-8", "replace"), ranges)

    def build_suggest(self, alias: str, text: str, limit: int) -> Search:
        return (
            Search(using=self._client, index=alias)
            .query(
                Q(
                    "multi_match",
                    query=text[:100],
                    type="bool_prefix",
                    fields=["suggest", "suggest._2gram", "suggest._3gram"],
                )
            )
            .source(["display"])[:limit]
        )

    def suggest(self, channel, text, language, limit=8) -> list[Suggestion]:
        if len(text.strip()) < 2:
            return []
        try:
            response = self._call(
                self.build_suggest(self.alias(channel), text, limit).using(self.client).execute
            )
        except NotFoundError:
            return []
        suggestions = []
        for hit in response.hits:
            display = hit.to_dict().get("display", {})
            title, title_language = self.pick(display.get("titles", {}), language)
            url, _ = self.pick(display.get("urls", {}), language)
            suggestions.append(Suggestion(title=title, url=url, language=title_language))
        return suggestions
