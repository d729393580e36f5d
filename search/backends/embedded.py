"""The embedded backend: a tantivy index on disk per channel, no server.

Layout under the index folder, per channel (``web``, ``venue-goteborg``)::

    web/.lock            held (flock) by whoever writes: one writer at a time, any process
    web/CURRENT          JSON: which generation folder readers use, and the schema's fingerprint
    web/g-<timestamp>/   the tantivy index of that generation, and ``values.json``: the
                         facet values by the number the index holds for each

A facet is indexed as numbers, not as strings: each value as a hash of its text (see
:func:`facet_id`). Counting numbers is what tantivy's aggregations do fastest (a string facet
costs time in proportion to how many distinct values it has, whatever the query matches),
and a filter on a value is a term query for its number. ``values.json`` turns the counted
numbers back into the values shown; it only ever grows (a value no document has any more is
never counted, so it does no harm).

A rebuild writes a new generation and then replaces ``CURRENT`` atomically, so readers
(other gunicorn workers included) keep answering from the old one until the new one is
complete; then the old folder is removed. Incremental updates wait for a running rebuild
and apply to the generation it produced.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import heapq
import json
import logging
import os
import shutil
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
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
from search.compounds import COMPOUND_PART_BOOST, compound_parts
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

SCHEMA_VERSION = 3
FACET_SIZE = 20
MISSING_YEAR = 1_000_000
LOCK_TIMEOUT_SECONDS = 120
WRITER_HEAP = 64_000_000
# A rebuild writes with one indexing thread, whose heap holds 100,000 records, so it ends
# as one segment: every aggregation, the facets above all, costs per segment, and there is
# no merge call in the bindings. (On two cores a second indexing thread only competes with
# the Python thread that prepares the documents.)
REBUILD_HEAP = 256_000_000
REBUILD_THREADS = 1
VALUES_FILE = "values.json"
# Facet numbers reach Python as JSON numbers in aggregation answers: keep them exact there.
_ID_MASK = (1 << 53) - 1
_QUERY_CACHE_SIZE = 512
# A snippet is looked for in this much of a long text, around the first place a word of the
# query appears in it: the snippet generator analyses (stems) all the text it is given.
SNIPPET_SCAN_CHARS = 2_000
# With ``threads`` above 1, facets are counted in parallel (tantivy lets go of the GIL while
# it aggregates) when a query matches at least this many documents; below it, handing work
# to threads costs more than it saves. Measured on a 2-vCPU virtual machine, a query asked
# again and again gained 15-30 % (12 to 10 ms for all 100,000 documents), but a mix of
# queries lost as much (a vCPU left idle between queries is slow to wake): so one thread is
# the default, and SEARCH_THREADS turns this on where cores are real and requests few.
# Counting is split into groups of about equal cost, by these estimates (measured on the
# benchmark's records: a facet with several values per document costs about three times
# one with one value; a facet with a handful of values, a third).
PARALLEL_FACETS_FROM = 10_000
FACET_COST = {"place": 3.0, "maker": 3.0, "_years": 1.5}
SMALL_FACETS = frozenset({"kind", "ownership", "language", "lender", "voice_role", "venue"})
# Facet counts of this many recent searches are kept per state of an index (per process):
# the next page of a search, another sort order, or the same search asked of the API counts
# nothing again. An entry is a few kilobytes (at most 13 facets of 20 values and a histogram).
FACET_CACHE_SIZE = 128
_display_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def facet_id(value: str) -> int:
    """The number a facet value is indexed as: stable across processes and rebuilds."""
    digest = hashlib.blake2b(value.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") & _ID_MASK


def _analyzer(stemmer: str | None) -> tantivy.TextAnalyzer:
    builder = TextAnalyzerBuilder(Tokenizer.simple()).filter(Filter.remove_long(40))
    builder = builder.filter(Filter.lowercase())
    # No ASCII folding: in Swedish å, ä and ö are letters of their own ("skål" is not "skal").
    if stemmer:
        with contextlib.suppress(ValueError):
            builder = builder.filter(Filter.stopword(stemmer))
        builder = builder.filter(Filter.stemmer(stemmer))
    return builder.build()


def snippet_window(body: str, needles: Iterable[str]) -> str:
    """``body``, or of a long one the part of :data:`SNIPPET_SCAN_CHARS` that begins a little
    before the first of ``needles`` (query words, as written and as stemmed) it contains."""
    if len(body) <= SNIPPET_SCAN_CHARS:
        return body
    lowered = body.lower()
    first = min((i for n in needles if (i := lowered.find(n)) >= 0), default=0)
    start = max(0, first - SNIPPET_CHARS)
    if start:
        space = body.find(" ", start, first)
        start = space + 1 if space >= 0 else start
    return body[start : start + SNIPPET_SCAN_CHARS]


def _read_values(folder: Path) -> dict[int, str]:
    try:
        return {int(k): v for k, v in json.loads((folder / VALUES_FILE).read_text()).items()}
    except (OSError, ValueError):
        return {}


def _write_values(folder: Path, values: dict[int, str]) -> None:
    temporary = folder / (VALUES_FILE + ".tmp")
    temporary.write_text(json.dumps({str(k): v for k, v in values.items()}, ensure_ascii=False))
    os.replace(temporary, folder / VALUES_FILE)


def default_threads() -> int:
    """Threads a query may count facets in: the cores this process may use, at most 4."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(4, cores))


# The process's pool for counting facets: (process id, threads, pool).
_pool: tuple[int, int, ThreadPoolExecutor] | None = None
_pool_lock = threading.Lock()


def _facet_pool(threads: int) -> ThreadPoolExecutor:
    """The process's pool for counting facets, of at least ``threads`` threads; a new one
    after a fork (gunicorn's workers inherit no running threads)."""
    global _pool
    with _pool_lock:
        if _pool is None or _pool[0] != os.getpid() or _pool[1] < threads:
            if _pool is not None and _pool[0] == os.getpid():
                _pool[2].shutdown(wait=False)  # its threads end when their work is done
            pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="search-facets")
            _pool = (os.getpid(), threads, pool)
        return _pool[2]


def _facet_cost(name: str) -> float:
    return FACET_COST.get(name, 0.3 if name in SMALL_FACETS else 1.0)


def split_by_cost(aggregations: dict, parts: int) -> list[dict]:
    """``aggregations`` in at most ``parts`` groups of about equal estimated cost."""
    groups: list[tuple[float, int, dict]] = [(0.0, n, {}) for n in range(max(1, parts))]
    for name in sorted(aggregations, key=lambda n: (-_facet_cost(n), n)):
        cost, number, group = heapq.heappop(groups)
        group[name] = aggregations[name]
        heapq.heappush(groups, (cost + _facet_cost(name), number, group))
    return [group for _cost, _number, group in sorted(groups, key=lambda g: g[1]) if group]


@dataclass
class _Open:
    """An opened generation in one state of its files: a reload makes a new one, so that
    what a search reads through it (searcher, values, kept counts) is of one state."""

    folder: Path
    generation: str
    index: tantivy.Index
    meta_stamp: tuple[int, int]
    searcher: tantivy.Searcher
    # Facet values by their numbers (``values.json``).
    values: dict[int, str]
    # Facets some document fills (objects have no voice roles): only these are counted.
    facets_present: list[str] | None = None
    # Counts over every document of this state of the index (the search page before a
    # search, a facet or the dates counted without the only filter), by what was counted.
    whole: dict[str, dict] = dataclasses.field(default_factory=dict)
    # Facet counts of recent searches, least recently used first (see FACET_CACHE_SIZE):
    # by (words, fuzzy or not) and (filters, years), what _read_facets read.
    counts: OrderedDict = dataclasses.field(default_factory=OrderedDict)


def _aggregate(searcher: tantivy.Searcher, query: Query, counted: dict) -> dict:
    """The buckets tantivy counts for ``counted`` as (key, count) pairs, empty ones left
    out: kept in caches, so smaller than tantivy's answer."""
    return {
        name: tuple(
            (int(b["key"]), int(b["doc_count"])) for b in value.get("buckets", ()) if b["doc_count"]
        )
        for name, value in searcher.aggregate(query, counted).items()
    }


class EmbeddedBackend(SearchBackend):
    name = "embedded"

    def __init__(
        self,
        path: Path | str,
        languages: Iterable[str],
        threads: int = 1,
        facet_cache: int = FACET_CACHE_SIZE,
    ):
        super().__init__(languages)
        self.path = Path(path)
        # Searches whose facet counts are kept (0: count every time).
        self.facet_cache = max(0, facet_cache)
        # Threads one query may count facets in; 0: the cores available, at most 4.
        self.threads = threads if threads > 0 else default_threads()
        self.analyzers = {
            lang: _analyzer(STEMMERS.get(lang.split("-")[0].lower())) for lang in self.languages
        }
        self.plain = _analyzer(None)
        self.schema = self._schema()
        self._text_fields = [(lang, f"title_{lang}", f"body_{lang}") for lang in self.languages]
        self._facet_fields = {name: f"f_{name}" for name in FACETS}
        self.fingerprint = hashlib.sha256(
            json.dumps([SCHEMA_VERSION, self.languages, FACETS]).encode()
        ).hexdigest()[:16]
        self._open: dict[str, _Open] = {}
        # CURRENT as last read per folder, with the stat it was read at.
        self._currents: dict[Path, tuple[tuple[int, int, int], dict | None]] = {}
        # Text queries built from parsed text: the same words build the same query objects.
        self._text_queries: dict[tuple[ParsedText, bool], tuple[Query | None, Query | None]] = {}
        self._thread_lock = threading.RLock()
        # Guards the kept facet counts only (the lock above is held through whole writes).
        self._counts_lock = threading.Lock()

    # --- schema and files ---------------------------------------------------------------
    def _schema(self) -> tantivy.Schema:
        builder = tantivy.SchemaBuilder()
        # What a hit shows is stored once, in ``display``; bodies are stored for snippets.
        builder.add_text_field("id", tokenizer_name="raw")
        for lang in self.languages:
            builder.add_text_field(f"title_{lang}", tokenizer_name=f"lang_{lang}")
            builder.add_text_field(f"body_{lang}", stored=True, tokenizer_name=f"lang_{lang}")
        builder.add_text_field("names", tokenizer_name="plain")
        if "sv" in self.languages:
            # The parts of Swedish compound words (search/compounds.py), stemmed.
            builder.add_text_field("parts_sv", tokenizer_name="lang_sv", index_option="freq")
        # Suggestions match words and prefixes, never phrases: no positions.
        builder.add_text_field("suggest", tokenizer_name="plain", index_option="freq")
        for facet in FACETS:
            # Numbers (see facet_id): indexed for filters, fast for counting.
            builder.add_unsigned_field(f"f_{facet}", indexed=True, fast=True)
        # Only what is used is built: year ranges filter through the index, the histogram
        # counts ``year_start``, and the sort fields only order.
        builder.add_integer_field("year_start", indexed=True, fast=True)
        builder.add_integer_field("year_end", indexed=True)
        for name in ("sort_asc", "sort_desc"):
            builder.add_integer_field(name, fast=True)
        builder.add_bytes_field("display", stored=True)
        return builder.build()

    def _register(self, index: tantivy.Index) -> None:
        for lang, analyzer in self.analyzers.items():
            index.register_tokenizer(f"lang_{lang}", analyzer)
        index.register_tokenizer("plain", self.plain)

    def _folder(self, channel: Channel) -> Path:
        return self.path / channel.key.replace(":", "-")

    def _current(self, folder: Path) -> dict | None:
        # Read once per change of the file (a rebuild replaces it: a new inode), not per query.
        try:
            stat = (folder / "CURRENT").stat()
            stamp = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        except OSError:
            return None
        cached = self._currents.get(folder)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        try:
            current = json.loads((folder / "CURRENT").read_text())
        except (OSError, ValueError):
            return None
        if current.get("fingerprint") != self.fingerprint:
            current = None
        self._currents[folder] = (stamp, current)
        if current is None:
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
                opened = self._open[channel.key] = _Open(
                    folder / generation,
                    generation,
                    index,
                    stamp,
                    index.searcher(),
                    _read_values(folder / generation),
                )
            elif opened.meta_stamp != stamp:
                # A new state: searches still running keep the old one, and what they count
                # is kept there, never beside the new state's counts.
                opened.index.reload()
                opened = self._open[channel.key] = _Open(
                    opened.folder,
                    generation,
                    opened.index,
                    stamp,
                    opened.index.searcher(),
                    _read_values(opened.folder),
                )
            return opened

    # --- writing ------------------------------------------------------------------------
    def _document(self, doc: SearchDocument, ids: dict) -> tantivy.Document:
        """The tantivy document of ``doc``; ``ids`` collects the facet values it numbers
        (value -> number), and remembers lists of values already cleaned and numbered.

        Called once per document on a rebuild, so written for speed: one dict handed to
        tantivy at once, each distinct list of facet values cleaned and numbered once."""
        kind, pk, titles, texts = doc.kind, doc.pk, doc.titles, doc.texts
        fields: dict = {"id": f"{kind}:{pk}"}
        for lang, title_field, body_field in self._text_fields:
            title = titles.get(lang)
            if title:
                fields[title_field] = title
            text = texts.get(lang)
            if text:
                fields[body_field] = text[:MAX_TEXT_CHARS]
        if "sv" in texts or "sv" in titles:
            parts = compound_parts(f"{titles.get('sv', '')} {texts.get('sv', '')[:MAX_TEXT_CHARS]}")
            if parts and "sv" in self.languages:
                fields["parts_sv"] = parts
        names = [k for k in doc.keywords if k]
        number, facet_fields = self._number, self._facet_fields
        for name, values in doc.facets.items():
            cleaned, numbers = number(values, ids)
            if cleaned:
                fields[facet_fields[name]] = numbers
                if name in NAME_FACETS:
                    names += cleaned
        fields["f_kind"] = number((kind,), ids)[1]
        fields["f_language"] = number(doc.languages, ids)[1]
        # Titles in languages without a field of their own are still found as words.
        languages = self.languages
        if len(titles) > 1 or next(iter(titles)) not in languages:
            names += [t for lang, t in titles.items() if lang not in languages]
        if names:
            fields["names"] = " ".join(names)
        fields["suggest"] = " ".join(titles.values())
        start = doc.year_start if doc.year_start is not None else doc.year_end
        end = doc.year_end if doc.year_end is not None else doc.year_start
        if start is not None:
            fields["year_start"] = start = int(start)
            fields["year_end"] = end = int(end)
            fields["sort_asc"] = start
            fields["sort_desc"] = end
        else:
            fields["sort_asc"] = MISSING_YEAR
            fields["sort_desc"] = -MISSING_YEAR
        fields["display"] = _display_json(doc.display()).encode()
        return tantivy.Document.from_dict(fields, self.schema)

    @staticmethod
    def _number(values, ids: dict) -> tuple[list[str], list[int]]:
        """``values`` cleaned, and their numbers; remembered per distinct list."""
        key = (*values,)
        known = ids.get(key)
        if known is not None:
            return known
        cleaned = [v.strip()[:MAX_FACET_CHARS] for v in values if v and not v.isspace()]
        numbers = []
        for value in cleaned:
            number = ids.get(value)
            if number is None:
                number = ids[value] = facet_id(value)
            numbers.append(number)
        known = ids[key] = (cleaned, numbers)
        return known

    @staticmethod
    def _values(ids: dict) -> dict[int, str]:
        return {number: value for value, number in ids.items() if isinstance(value, str)}

    def rebuild(self, channel, documents, progress: Progress | None = None) -> int:
        folder = self._folder(channel)
        with self._write_lock(folder):
            generation, index = self._new_generation(folder)
            writer = index.writer(REBUILD_HEAP, REBUILD_THREADS)
            count = 0
            ids: dict = {}
            try:
                document, add = self._document, writer.add_document
                for doc in documents:
                    add(document(doc, ids))
                    count += 1
                    if progress and count % 500 == 0:
                        progress(500)
                _write_values(folder / generation, self._values(ids))
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
                generation = current["generation"]
                index = tantivy.Index.open(str(folder / generation))
                self._register(index)
            writer = index.writer(WRITER_HEAP, 1)
            for doc_id in delete_ids:
                writer.delete_documents_by_term("id", doc_id)
            ids: dict = {}
            for doc in documents:
                writer.add_document(self._document(doc, ids))
            values, added = _read_values(folder / generation), self._values(ids)
            if any(n not in values for n in added):
                # Before the commit, so that a reader that sees the documents knows the values.
                values.update(added)
                _write_values(folder / generation, values)
            writer.commit()
            writer.wait_merging_threads()

    def drop(self, channel) -> None:
        folder = self._folder(channel)
        with self._thread_lock:
            self._open.pop(channel.key, None)
        shutil.rmtree(folder, ignore_errors=True)

    def count(self, channel) -> int:
        opened = self._index(channel)
        return opened.searcher.num_docs if opened else 0

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
        tokens = self.plain.analyze(text)
        for lang in self.languages:
            analyzer = self.analyzers[lang]
            if len(tokens) > 1:
                # Each word at its place in the phrase: a stop word the analyzer drops
                # ("book of hours") leaves a gap in the index, and so in the phrase.
                positions = [
                    (place, stemmed[0])
                    for place, token in enumerate(tokens)
                    if (stemmed := analyzer.analyze(token))
                ]
            else:
                positions = [(0, t) for t in analyzer.analyze(text)]
            fields = [(f"title_{lang}", 3.0), (f"body_{lang}", 1.0)]
            if lang == "sv":
                fields.append(("parts_sv", COMPOUND_PART_BOOST))  # single words only, below
            for field, boost in fields:
                if len(positions) > 1 and field == "parts_sv":
                    continue
                if len(positions) == 1:
                    for variant in VARIANTS.get(lang, lambda t: [t])(positions[0][1]):
                        clauses.append(self._term(field, variant, boost, fuzzy))
                elif len(positions) > 1:
                    phrase = Query.phrase_query(self.schema, field, positions)
                    clauses.append(Query.boost_query(phrase, boost))
        if len(tokens) == 1:
            clauses.append(self._term("names", tokens[0], 2.0, fuzzy))
        elif len(tokens) > 1:
            clauses.append(Query.boost_query(Query.phrase_query(self.schema, "names", tokens), 2.0))
        return clauses

    def _text_query(self, parsed: ParsedText, fuzzy: bool) -> Query | None:
        """Every word and phrase must match somewhere; ``None`` when nothing is searchable."""
        return self._text_queries_of(parsed, fuzzy)[0]

    def _text_queries_of(self, parsed: ParsedText, fuzzy: bool):
        """The text query, and one that matches the same documents for counting them.

        Built once per distinct text (query objects are immutable and reusable): building
        one analyses each word in every language, which costs more than running it."""
        key = (parsed, fuzzy)
        try:
            return self._text_queries[key]
        except KeyError:
            pass
        built = self._build_text_query(parsed, fuzzy)
        if len(self._text_queries) >= _QUERY_CACHE_SIZE:
            self._text_queries.clear()
        self._text_queries[key] = built
        return built

    def _build_text_query(self, parsed: ParsedText, fuzzy: bool):
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
            return None, None
        query = Query.boolean_query(parts)
        # Stop words only add to the score when another word is required: aggregations,
        # which count without scoring, need not evaluate them.
        required = [part for part in parts if part[0] == Occur.Must]
        if required and len(required) < len(parts):
            return query, Query.boolean_query(required)
        return query, query

    def _filter_queries(self, query: SearchQuery) -> list[Query]:
        filters = []
        for name, values in query.filters.items():
            if name not in FACETS:
                continue
            terms = [
                Query.term_query(self.schema, f"f_{name}", facet_id(value)) for value in values
            ]
            filters.append(Query.boolean_query([(Occur.Should, t) for t in terms]))
        # Year ranges through the inverted index: the fast-field range scan reads every
        # document's year, and costs several times more when the range is wide.
        integer = tantivy.FieldType.Integer
        if query.year_from is not None:
            filters.append(
                Query.range_query(
                    self.schema,
                    "year_end",
                    integer,
                    lower_bound=query.year_from,
                    use_inverted_index=True,
                )
            )
        if query.year_to is not None:
            filters.append(
                Query.range_query(
                    self.schema,
                    "year_start",
                    integer,
                    upper_bound=query.year_to,
                    use_inverted_index=True,
                )
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
        searcher = opened.searcher
        parsed = query.parsed
        fuzzy = False
        text_query, matching = self._text_queries_of(parsed, fuzzy=False)
        if not parsed.is_empty and text_query is None:
            return SearchResults(total=0, hits=[], backend=self.name)
        full = self._full_query(text_query, query)
        kwargs = {}
        if query.sort == "oldest":
            kwargs = {"order_by_field": "sort_asc", "order": tantivy.Order.Asc}
        elif query.sort == "newest":
            kwargs = {"order_by_field": "sort_desc", "order": tantivy.Order.Desc}
        # A page of no hits asks for the count only (tantivy refuses a limit of 0).
        limit, offset = max(1, query.page_size), max(0, query.offset)
        result = searcher.search(full, limit=limit, offset=offset, count=True, **kwargs)
        if result.count == 0 and text_query is not None:
            # Nothing matches as typed: try close spellings before giving up.
            fuzzy_query, matching = self._text_queries_of(parsed, fuzzy=True)
            full = self._full_query(fuzzy_query, query)
            result = searcher.search(full, limit=limit, offset=offset, count=True, **kwargs)
            fuzzy, text_query = True, fuzzy_query
        counts_key = ((parsed, fuzzy), self._selection_key(query))
        counting = self._count_facets(opened, matching, query, result.count, counts_key)
        found = result.hits[: max(0, query.page_size)]
        hits = self._hits(searcher, found, text_query, query, sorted_by_field=bool(kwargs))
        results = SearchResults(total=result.count, hits=hits, fuzzy=fuzzy, backend=self.name)
        if counting is not None:
            answers, counted_now = counting
            read = self._read_facets(opened, answers, results)
            if counted_now and self.facet_cache:
                self._remember(opened, counts_key, read)
        return results

    def _needles(self, parsed: ParsedText) -> set[str]:
        """The query's words as written and as each language stems them (lower case)."""
        text = " ".join((*parsed.phrases, *parsed.words))
        needles = set(self.plain.analyze(text))
        for analyzer in self.analyzers.values():
            needles.update(analyzer.analyze(text))
        return {n for n in needles if len(n) > 1}

    def _hits(self, searcher, hits, text_query, query: SearchQuery, sorted_by_field: bool):
        # One snippet generator per body language, made for this query when first needed.
        generators: dict[str, tantivy.SnippetGenerator] = {}
        needles: set[str] | None = None
        highlight = query.highlight and text_query is not None
        found = []
        for score, address in hits:
            doc = searcher.doc(address)
            display = json.loads(bytes(doc.get_first("display")))
            title, title_language = self.pick(display["titles"], query.language)
            url, _ = self.pick(display["urls"], query.language)
            bodies = {lang: doc.get_first(body) for lang, _title, body in self._text_fields}
            body, body_language = self.pick(bodies, query.language)
            snippet = ""
            if body and query.highlight:
                if highlight:
                    field = f"body_{body_language}"
                    generator = generators.get(body_language)
                    if generator is None:
                        generator = tantivy.SnippetGenerator.create(
                            searcher, text_query, self.schema, field
                        )
                        generator.set_max_num_chars(SNIPPET_CHARS)
                        generators[body_language] = generator
                    source = doc
                    if len(body) > SNIPPET_SCAN_CHARS:
                        if needles is None:
                            needles = self._needles(query.parsed)
                        window = snippet_window(body, needles)
                        source = tantivy.Document.from_dict({field: window}, self.schema)
                    piece = generator.snippet_from_doc(source)
                    ranges = [(r.start, r.end) for r in piece.highlighted()]
                    if ranges and piece.fragment():
                        snippet = highlight_html(piece.fragment(), ranges)
                snippet = snippet or opening(body)
            found.append(
                Hit(
                    id=f"{display['kind']}:{display['pk']}",
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

    def _count_facets(
        self, opened: _Open, text_query, query: SearchQuery, total: int, key: tuple
    ) -> tuple[list[Future | dict], bool] | None:
        """Start counting the facets and the date histogram of ``query``'s matches.

        When many documents match, the counting runs in threads (split into groups of
        about equal cost) while the caller builds the hits; the answers, or futures of them,
        are read by :meth:`_read_facets`. ``None`` when no facets are asked for; otherwise
        the answers, and whether they were counted now (not kept from an earlier search
        with the same ``key``: words, fuzzy or not, filters and years)."""
        if not query.facets:
            return None
        if self.facet_cache:
            with self._counts_lock:
                kept = opened.counts.get(key)
                if kept is not None:
                    opened.counts.move_to_end(key)
            if kept is not None:
                return list(kept), False
        searcher = opened.searcher
        if opened.facets_present is None:
            opened.facets_present = [
                name
                for name in FACETS
                if searcher.search(Query.exists_query(f"f_{name}"), limit=1, count=False).hits
            ]
        if total == 0:
            return [], False

        def terms(name):
            return {"terms": {"field": f"f_{name}", "size": FACET_SIZE}}

        histogram = {
            "histogram": {"field": "year_start", "interval": HISTOGRAM_INTERVAL, "min_doc_count": 1}
        }
        # Facets without a selection count within every filter; a facet with a selection
        # counts without its own filter, so its other values stay visible and choosable.
        aggs = {name: terms(name) for name in opened.facets_present if name not in query.filters}
        if query.year_from is None and query.year_to is None:
            aggs["_years"] = histogram
        parallel = self.threads > 1 and total >= PARALLEL_FACETS_FROM
        groups = split_by_cost(aggs, self.threads if parallel else 1)
        requests = [(text_query, query, group) for group in groups]
        for name in query.filters:
            if name in FACETS:
                requests.append((text_query, query.without(name), {name: terms(name)}))
        if "_years" not in aggs:
            unbounded = SearchQuery(**{**query.__dict__, "year_from": None, "year_to": None})
            requests.append((text_query, unbounded, {"_years": histogram}))
        answers: list[Future | dict] = []
        pool = _facet_pool(self.threads) if parallel else None
        for text, within, counted in requests:
            if text is None and self._is_everything(within):
                answers.append(self._count_everything(opened, counted))
            elif pool is not None:
                answers.append(
                    pool.submit(_aggregate, searcher, self._full_query(text, within), counted)
                )
            else:
                answers.append(_aggregate(searcher, self._full_query(text, within), counted))
        return answers, True

    @staticmethod
    def _selection_key(query: SearchQuery) -> tuple:
        """What of ``query`` narrows the documents counted, as a key: its facet filters
        (in any order) and its years."""
        filters = tuple(
            sorted((name, tuple(sorted(set(values)))) for name, values in query.filters.items())
        )
        return (filters, query.year_from, query.year_to)

    def _remember(self, opened: _Open, key: tuple, answers: tuple[dict, ...]) -> None:
        with self._counts_lock:
            opened.counts[key] = answers
            opened.counts.move_to_end(key)
            while len(opened.counts) > self.facet_cache:
                opened.counts.popitem(last=False)

    @staticmethod
    def _is_everything(query: SearchQuery) -> bool:
        """Whether ``query``, without text, selects every document."""
        return (
            query.year_from is None
            and query.year_to is None
            and not any(name in FACETS for name in query.filters)
        )

    @staticmethod
    def _count_everything(opened: _Open, counted: dict) -> dict:
        """``counted`` over every document, counted once per state of the index: what the
        search page shows before a search (12 ms at 100,000 documents), and the counts a
        lone facet filter or year range shows beside its own selection."""
        key = json.dumps(counted, sort_keys=True)
        answer = opened.whole.get(key)
        if answer is None:
            answer = opened.whole[key] = _aggregate(opened.searcher, Query.all_query(), counted)
        return answer

    def _read_facets(
        self, opened: _Open, answers: list, results: SearchResults
    ) -> tuple[dict, ...]:
        """Put ``answers`` (waited for where counted in threads) into ``results``; returns
        them, every one counted."""
        values = opened.values
        read = []
        for answer in answers:
            if isinstance(answer, Future):
                answer = answer.result()
            read.append(answer)
            for name, buckets in answer.items():
                if name == "_years":
                    results.histogram = list(buckets)
                    continue
                if any(n not in values for n, _count in buckets):
                    # Written by another process since this one last loaded the values.
                    values = opened.values = _read_values(opened.folder)
                counted = [FacetValue(values[n], count) for n, count in buckets if n in values]
                counted.sort(key=lambda v: (-v.count, v.value))
                results.facets[name] = counted
        return tuple(read)

    def suggest(self, channel, text, language, limit=8) -> list[Suggestion]:
        opened = self._index(channel)
        tokens = self.plain.analyze(text[:100])
        if opened is None or not tokens or len(tokens[-1]) < 2 or limit < 1:
            return []
        parts = [(Occur.Must, Query.term_query(self.schema, "suggest", t)) for t in tokens[:-1]]
        prefix = Query.fuzzy_term_query(self.schema, "suggest", tokens[-1], distance=0, prefix=True)
        parts.append((Occur.Must, prefix))
        searcher = opened.searcher
        result = searcher.search(Query.boolean_query(parts), limit=limit, count=False)
        suggestions = []
        for _score, address in result.hits:
            display = json.loads(bytes(searcher.doc(address).get_first("display")))
            title, title_language = self.pick(display["titles"], language)
            url, _ = self.pick(display["urls"], language)
            suggestions.append(Suggestion(title=title, url=url, language=title_language))
        return suggestions
