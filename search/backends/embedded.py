"""The embedded backend: a tantivy index on disk per channel, no server.

Layout under the index folder, per channel (``web``, ``venue-goteborg``)::

    web/.lock            held (flock) by whoever writes: one writer at a time, any process
    web/CURRENT          JSON: which generation folder readers use, and the schema's fingerprint
    web/g-<timestamp>/   the tantivy index of that generation

A rebuild writes a new generation and then replaces ``CURRENT`` atomically, so readers
(other gunicorn workers included) keep answering from the old one until the new one is
complete; then the old folder is removed. Incremental updates wait for a running rebuild
and apply to the generation it produced.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import tantivy
from tantivy import Filter, Occur, Query, TextAnalyzerBuilder, Tokenizer

from search.backends.base import (
    NAME_FACETS,
    SNIPPET_CHARS,
    STEMMERS,
    VARIANTS,
    Progress,
    SearchBackend,
    highlight_html,
    is_stop_word,
    opening,
)
from search.documents import FACETS, MAX_FACET_CHARS, MAX_TEXT_CHARS, SearchDocument
from search.query import (
    HISTOGRAM_INTERVAL,
    FacetValue,
    Hit,
    ParsedText,
    SearchQuery,
    SearchResults,
    Suggestion,
)
from visibility.channels import Channel

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 1
FACET_SIZE = 20
MISSING_YEAR = 1_000_000
LOCK_TIMEOUT_SECONDS = 120
WRITER_HEAP = 64_000_000
REBUILD_HEAP = 256_000_000


def _analyzer(stemmer: str | None) -> tantivy.TextAnalyzer:
    builder = TextAnalyzerBuilder(Tokenizer.simple()).filter(Filter.remove_long(40))
    builder = builder.filter(Filter.lowercase())
    # No ASCII folding: in Swedish å, ä and ö are letters of their own ("skål" is not "skal").
    if stemmer:
        with contextlib.suppress(ValueError):
            builder = builder.filter(Filter.stopword(stemmer))
        builder = builder.filter(Filter.stemmer(stemmer))
    return builder.build()


@dataclass
class _Open:
    """An opened generation and the state of its files when last (re)loaded."""

    generation: str
    index: tantivy.Index
    meta_stamp: tuple[int, int]
    # Facets some document fills (objects have no voice roles): only these are counted.
    facets_present: list[str] | None = None


class EmbeddedBackend(SearchBackend):
    name = "embedded"

    def __init__(self, path: Path | str, languages: Iterable[str]):
        super().__init__(languages)
        self.path = Path(path)
        self.analyzers = {
            lang: _analyzer(STEMMERS.get(lang.split("-")[0].lower())) for lang in self.languages
        }
        self.plain = _analyzer(None)
        self.schema = self._schema()
        self.fingerprint = hashlib.sha256(
            json.dumps([SCHEMA_VERSION, self.languages, FACETS]).encode()
        ).hexdigest()[:16]
        self._open: dict[str, _Open] = {}
        self._thread_lock = threading.RLock()

    # --- schema and files ---------------------------------------------------------------
    def _schema(self) -> tantivy.Schema:
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw", fast=True)
        builder.add_text_field("pk", stored=True, tokenizer_name="raw")
        for lang in self.languages:
            builder.add_text_field(f"title_{lang}", stored=True, tokenizer_name=f"lang_{lang}")
            builder.add_text_field(f"body_{lang}", stored=True, tokenizer_name=f"lang_{lang}")
        builder.add_text_field("names", tokenizer_name="plain")
        builder.add_text_field("suggest", tokenizer_name="plain")
        for facet in FACETS:
            builder.add_text_field(f"f_{facet}", tokenizer_name="raw", fast=True)
        for name in ("year_start", "year_end", "sort_asc", "sort_desc"):
            builder.add_integer_field(name, indexed=True, fast=True)
        builder.add_bytes_field("display", stored=True)
        return builder.build()

    def _register(self, index: tantivy.Index) -> None:
        for lang, analyzer in self.analyzers.items():
            index.register_tokenizer(f"lang_{lang}", analyzer)
        index.register_tokenizer("plain", self.plain)

    def _folder(self, channel: Channel) -> Path:
        return self.path / channel.key.replace(":", "-")

    def _current(self, folder: Path) -> dict | None:
        try:
            current = json.loads((folder / "CURRENT").read_text())
        except (OSError, ValueError):
            return None
        if current.get("fingerprint") != self.fingerprint:
            logger.warning(
                "Search index %s was built with another schema or languages; "
                "run `manage.py rebuild_search_index`.",
                folder,
            )
            return None
        return current

    @contextlib.contextmanager
    def _write_lock(self, folder: Path):
        """One writer per channel across threads and processes (tantivy allows one)."""
        folder.mkdir(parents=True, exist_ok=True)
        with self._thread_lock, open(folder / ".lock", "a+") as handle:
            deadline = time.monotonic() + LOCK_TIMEOUT_SECONDS
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"search index {folder} stayed locked") from None
                    time.sleep(0.05)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _new_generation(self, folder: Path) -> tuple[str, tantivy.Index]:
        generation = f"g-{time.time_ns()}"
        (folder / generation).mkdir(parents=True)
        index = tantivy.Index(self.schema, path=str(folder / generation), reuse=False)
        self._register(index)
        return generation, index

    def _publish(self, folder: Path, generation: str) -> None:
        temporary = folder / "CURRENT.tmp"
        temporary.write_text(
            json.dumps({"generation": generation, "fingerprint": self.fingerprint})
        )
        os.replace(temporary, folder / "CURRENT")
        for old in folder.glob("g-*"):
            if old.name != generation:
                shutil.rmtree(old, ignore_errors=True)

    def _meta_stamp(self, folder: Path, generation: str) -> tuple[int, int]:
        try:
            stat = (folder / generation / "meta.json").stat()
        except OSError:
            return (0, 0)
        return (stat.st_mtime_ns, stat.st_size)

    def _index(self, channel: Channel) -> _Open | None:
        """The channel's current generation, reloaded if another process committed."""
        folder = self._folder(channel)
        current = self._current(folder)
        if current is None:
            return None
        generation = current["generation"]
        with self._thread_lock:
            opened = self._open.get(channel.key)
            stamp = self._meta_stamp(folder, generation)
            if opened is None or opened.generation != generation:
                try:
                    index = tantivy.Index.open(str(folder / generation))
                except ValueError:
                    logger.exception("Search index %s/%s cannot be opened.", folder, generation)
                    return None
                self._register(index)
                index.config_reader(reload_policy="manual")
                opened = self._open[channel.key] = _Open(generation, index, stamp)
            elif opened.meta_stamp != stamp:
                opened.index.reload()
                opened.meta_stamp = stamp
                opened.facets_present = None
            return opened

    # --- writing ------------------------------------------------------------------------
    def _document(self, doc: SearchDocument) -> tantivy.Document:
        # Called once per document on a rebuild, so written for speed (no intermediate
        # structures beyond what tantivy needs).
        fields: dict = {"id": doc.id, "pk": doc.pk}
        titles, languages = doc.titles, self.languages
        for lang in languages:
            if titles.get(lang):
                fields[f"title_{lang}"] = titles[lang]
            text = doc.texts.get(lang)
            if text:
                fields[f"body_{lang}"] = text[:MAX_TEXT_CHARS]
        names = [k for k in doc.keywords if k]
        for name, values in doc.facets.items():
            values = [v.strip()[:MAX_FACET_CHARS] for v in values if v and not v.isspace()]
            if values:
                fields[f"f_{name}"] = values
                if name in NAME_FACETS:
                    names += values
        fields["f_kind"] = doc.kind
        fields["f_language"] = doc.languages
        # Titles in languages without a field of their own are still found as words.
        names += [t for lang, t in titles.items() if lang not in languages]
        if names:
            fields["names"] = " ".join(names)
        fields["suggest"] = " ".join(titles.values())
        start = doc.year_start if doc.year_start is not None else doc.year_end
        end = doc.year_end if doc.year_end is not None else doc.year_start
        if start is not None:
            fields["year_start"] = int(start)
            fields["year_end"] = int(end)
        fields["sort_asc"] = int(start) if start is not None else MISSING_YEAR
        fields["sort_desc"] = int(end) if end is not None else -MISSING_YEAR
        fields["display"] = json.dumps(
            doc.display(), ensure_ascii=False, separators=(",", ":")
        ).encode()
        return tantivy.Document.from_dict(fields, self.schema)

    def rebuild(self, channel, documents, progress: Progress | None = None) -> int:
        folder = self._folder(channel)
        with self._write_lock(folder):
            generation, index = self._new_generation(folder)
            writer = index.writer(REBUILD_HEAP, min(4, os.cpu_count() or 1))
            count = 0
            try:
                for doc in documents:
                    writer.add_document(self._document(doc))
                    count += 1
                    if progress and count % 500 == 0:
                        progress(500)
                writer.commit()
                writer.wait_merging_threads()
            except BaseException:
                shutil.rmtree(folder / generation, ignore_errors=True)
                raise
            if progress and count % 500:
                progress(count % 500)
            self._publish(folder, generation)
        return count

    def update(self, channel, documents, delete_ids=()) -> None:
        documents = list(documents)
        delete_ids = set(delete_ids) | {doc.id for doc in documents}
        if not delete_ids:
            return
        folder = self._folder(channel)
        with self._write_lock(folder):
            current = self._current(folder)
            if current is None:
                # No index yet (or one of an older schema): start an empty one to add to.
                generation, index = self._new_generation(folder)
                self._publish(folder, generation)
            else:
                index = tantivy.Index.open(str(folder / current["generation"]))
                self._register(index)
            writer = index.writer(WRITER_HEAP, 1)
            for doc_id in delete_ids:
                writer.delete_documents_by_term("id", doc_id)
            for doc in documents:
                writer.add_document(self._document(doc))
            writer.commit()
            writer.wait_merging_threads()

    def drop(self, channel) -> None:
        folder = self._folder(channel)
        with self._thread_lock:
            self._open.pop(channel.key, None)
        shutil.rmtree(folder, ignore_errors=True)

    def count(self, channel) -> int:
        opened = self._index(channel)
        return opened.index.searcher().num_docs if opened else 0

    # --- querying -----------------------------------------------------------------------
    def _term(self, field: str, token: str, boost: float, fuzzy: bool) -> Query:
        query = Query.term_query(self.schema, field, token)
        if boost != 1:
            query = Query.boost_query(query, boost)
        if fuzzy and len(token) >= 4:
            distance = 2 if len(token) >= 8 else 1
            close = Query.fuzzy_term_query(self.schema, field, token, distance=distance)
            query = Query.boolean_query(
                [(Occur.Should, query), (Occur.Should, Query.boost_query(close, boost * 0.5))]
            )
        return query

    def _clauses(self, text: str, fuzzy: bool) -> list[Query]:
        """Ways one word or phrase can match: title and body in each language, or names."""
        clauses = []
        fields = [(lang, self.analyzers[lang]) for lang in self.languages]
        for lang, analyzer in fields:
            tokens = analyzer.analyze(text)
            for field, boost in ((f"title_{lang}", 3.0), (f"body_{lang}", 1.0)):
                if len(tokens) == 1:
                    for variant in VARIANTS.get(lang, lambda t: [t])(tokens[0]):
                        clauses.append(self._term(field, variant, boost, fuzzy))
                elif len(tokens) > 1:
                    phrase = Query.phrase_query(self.schema, field, tokens)
                    clauses.append(Query.boost_query(phrase, boost))
        tokens = self.plain.analyze(text)
        if len(tokens) == 1:
            clauses.append(self._term("names", tokens[0], 2.0, fuzzy))
        elif len(tokens) > 1:
            clauses.append(Query.boost_query(Query.phrase_query(self.schema, "names", tokens), 2.0))
        return clauses

    def _text_query(self, parsed: ParsedText, fuzzy: bool) -> Query | None:
        """Every word and phrase must match somewhere; ``None`` when nothing is searchable."""
        parts = []
        for part, is_phrase in (
            *((p, True) for p in parsed.phrases),
            *((w, False) for w in parsed.words),
        ):
            clauses = self._clauses(part, fuzzy)
            if clauses:
                required = is_phrase or not is_stop_word(part, self.languages)
                occur = Occur.Must if required else Occur.Should
                parts.append((occur, Query.boolean_query([(Occur.Should, c) for c in clauses])))
        if not parts:
            return None
        return Query.boolean_query(parts)

    def _filter_queries(self, query: SearchQuery) -> list[Query]:
        filters = []
        for name, values in query.filters.items():
            if name not in FACETS:
                continue
            terms = [Query.term_query(self.schema, f"f_{name}", value) for value in values]
            filters.append(Query.boolean_query([(Occur.Should, t) for t in terms]))
        integer = tantivy.FieldType.Integer
        if query.year_from is not None:
            filters.append(
                Query.range_query(self.schema, "year_end", integer, lower_bound=query.year_from)
            )
        if query.year_to is not None:
            filters.append(
                Query.range_query(self.schema, "year_start", integer, upper_bound=query.year_to)
            )
        return filters

    def _full_query(self, text_query: Query | None, query: SearchQuery) -> Query:
        parts = [(Occur.Must, text_query or Query.all_query())]
        parts += [(Occur.Must, f) for f in self._filter_queries(query)]
        return parts[0][1] if len(parts) == 1 else Query.boolean_query(parts)

    def search(self, channel, query: SearchQuery) -> SearchResults:
        opened = self._index(channel)
        if opened is None:
            return SearchResults(total=0, hits=[], backend=self.name)
        searcher = opened.index.searcher()
        parsed = query.parsed
        fuzzy = False
        text_query = self._text_query(parsed, fuzzy=False)
        if not parsed.is_empty and text_query is None:
            return SearchResults(total=0, hits=[], backend=self.name)
        full = self._full_query(text_query, query)
        kwargs = {}
        if query.sort == "oldest":
            kwargs = {"order_by_field": "sort_asc", "order": tantivy.Order.Asc}
        elif query.sort == "newest":
            kwargs = {"order_by_field": "sort_desc", "order": tantivy.Order.Desc}
        result = searcher.search(
            full, limit=query.page_size, offset=query.offset, count=True, **kwargs
        )
        if result.count == 0 and text_query is not None:
            # Nothing matches as typed: try close spellings before giving up.
            fuzzy_query = self._text_query(parsed, fuzzy=True)
            full = self._full_query(fuzzy_query, query)
            result = searcher.search(
                full, limit=query.page_size, offset=query.offset, count=True, **kwargs
            )
            fuzzy, text_query = True, fuzzy_query
        hits = self._hits(searcher, result.hits, text_query, query, sorted_by_field=bool(kwargs))
        results = SearchResults(total=result.count, hits=hits, fuzzy=fuzzy, backend=self.name)
        if query.facets:
            if opened.facets_present is None:
                opened.facets_present = [
                    name
                    for name in FACETS
                    if searcher.search(Query.exists_query(f"f_{name}"), limit=1, count=False).hits
                ]
            self._facets(searcher, text_query, query, results, opened.facets_present)
        return results

    def _hits(self, searcher, hits, text_query, query: SearchQuery, sorted_by_field: bool):
        generators: dict[str, tantivy.SnippetGenerator] = {}
        found = []
        for score, address in hits:
            doc = searcher.doc(address)
            display = json.loads(bytes(doc.get_first("display")))
            title, title_language = self.pick(display["titles"], query.language)
            url, _ = self.pick(display["urls"], query.language)
            bodies = {lang: doc.get_first(f"body_{lang}") for lang in self.languages}
            body, body_language = self.pick(bodies, query.language)
            snippet = ""
            if body and query.highlight:
                if text_query is not None:
                    if body_language not in generators:
                        generator = tantivy.SnippetGenerator.create(
                            searcher, text_query, self.schema, f"body_{body_language}"
                        )
                        generator.set_max_num_chars(SNIPPET_CHARS)
                        generators[body_language] = generator
                    piece = generators[body_language].snippet_from_doc(doc)
                    ranges = [(r.start, r.end) for r in piece.highlighted()]
                    if piece.fragment() and ranges:
                        snippet = highlight_html(piece.fragment(), ranges)
                snippet = snippet or opening(body)
            found.append(
                Hit(
                    id=doc.get_first("id"),
                    kind=display["kind"],
                    pk=display["pk"],
                    title=title,
                    title_language=title_language,
                    url=url,
                    snippet_html=snippet,
                    date_label=display.get("date_label", ""),
                    meta=display.get("meta", ""),
                    score=0.0 if sorted_by_field else float(score),
                )
            )
        return found

    def _facets(self, searcher, text_query, query, results: SearchResults, present) -> None:
        def aggregations(names):
            aggs = {name: {"terms": {"field": f"f_{name}", "size": FACET_SIZE}} for name in names}
            return aggs

        histogram = {
            "histogram": {"field": "year_start", "interval": HISTOGRAM_INTERVAL, "min_doc_count": 1}
        }
        # Facets without a selection count within every filter; a facet with a selection
        # counts without its own filter, so its other values stay visible and choosable.
        unselected = [name for name in present if name not in query.filters]
        aggs = aggregations(unselected)
        if query.year_from is None and query.year_to is None:
            aggs["_years"] = histogram
        answers = [searcher.aggregate(self._full_query(text_query, query), aggs)]
        for name in query.filters:
            if name in FACETS:
                answers.append(
                    searcher.aggregate(
                        self._full_query(text_query, query.without(name)), aggregations([name])
                    )
                )
        if "_years" not in aggs:
            unbounded = SearchQuery(**{**query.__dict__, "year_from": None, "year_to": None})
            answers.append(
                searcher.aggregate(self._full_query(text_query, unbounded), {"_years": histogram})
            )
        for answer in answers:
            for name, value in answer.items():
                if name == "_years":
                    results.histogram = [
                        (int(b["key"]), int(b["doc_count"]))
                        for b in value.get("buckets", [])
                        if b["doc_count"]
                    ]
                else:
                    results.facets[name] = [
                        FacetValue(str(b["key"]), int(b["doc_count"]))
                        for b in value.get("buckets", [])
                        if b["doc_count"]
                    ]

    def suggest(self, channel, text, language, limit=8) -> list[Suggestion]:
        opened = self._index(channel)
        tokens = self.plain.analyze(text[:100])
        if opened is None or not tokens or len(tokens[-1]) < 2:
            return []
        parts = [(Occur.Must, Query.term_query(self.schema, "suggest", t)) for t in tokens[:-1]]
        prefix = Query.fuzzy_term_query(self.schema, "suggest", tokens[-1], distance=0, prefix=True)
        parts.append((Occur.Must, prefix))
        searcher = opened.index.searcher()
        result = searcher.search(Query.boolean_query(parts), limit=limit, count=False)
        suggestions = []
        for _score, address in result.hits:
            display = json.loads(bytes(searcher.doc(address).get_first("display")))
            title, title_language = self.pick(display["titles"], language)
            url, _ = self.pick(display["urls"], language)
            suggestions.append(Suggestion(title=title, url=url, language=title_language))
        return suggestions
