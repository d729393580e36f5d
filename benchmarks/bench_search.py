"""Benchmark: the search service on 100,000 real museum records, beside bare tantivy.

Records: the Walters Art Museum sample (6,091, English), the Tate sample (2,873, English)
and the Skokloster LIDO sample (300, Swedish) in ../shared/data, repeated with a suffix on
the inventory number until there are 100,000. Search documents are built directly (no
database rows); a quarter of them are loans from five fictional lenders.

Measured, in one run, on the same documents and 50 queries:
- the embedded backend of the search service: index build, and queries as the search page
  asks them (every facet, the date histogram, highlighted snippets, top 20 with a count);
- the same backend asked for hits and a count only;
- a bare tantivy index (one title and one body field with the built-in English stemmer, one
  keyword facet), asked for the top 20 with a count and that one facet: the floor;
- Elasticsearch too when ELASTICSEARCH_URL is set.
Prints figures, asserts nothing.
"""

import html
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
RECORDS = 100_000
LENDERS = [
    "Fictional City Museum",
    "Private collection",
    "Imagined Maritime Museum",
    "Invented University Collection",
    "Made-up Folk Museum",
]

# 50 queries as visitors type them: words, phrases, Swedish, typos, with and without facets.
QUERIES: list[dict] = [
    {"text": "bowl"},
    {"text": "portrait of a woman"},
    {"text": "ivory"},
    {"text": "gold ring"},
    {"text": "Egyptian"},
    {"text": "manuscript"},
    {"text": "bronze statue"},
    {"text": "Koran"},
    {"text": "landscape"},
    {"text": "silver", "filters": {"ownership": ("loan",)}},
    {"text": '"book of hours"'},
    {"text": "enamel plaque"},
    {"text": "saint", "sort": "oldest"},
    {"text": "armor"},
    {"text": "Roman coin"},
    {"text": "vase", "filters": {"culture": ("Greek",)}},
    {"text": "jade"},
    {"text": "sword"},
    {"text": "Buddha"},
    {"text": "Madonna and child"},
    {"text": "still life"},
    {"text": "oil paint on canvas"},
    {"text": "sea", "year_from": 1800, "year_to": 1899},
    {"text": "mask"},
    {"text": "tapestry"},
    {"text": "porcelain", "filters": {"culture": ("Chinese",)}},
    {"text": "clock"},
    {"text": "mirror"},
    {"text": "ceremonial"},
    {"text": "looted"},
    {"text": "skål"},
    {"text": "silver", "language": "sv"},
    {"text": "porträtt"},
    {"text": "glas"},
    {"text": "stol"},
    {"text": "snäcka"},
    {"text": "förgyllt silver"},
    {"text": "bägare"},
    {"text": "vapen"},
    {"text": "dosa"},
    {"text": "portait"},
    {"text": "manuscirpt"},
    {"text": "brnoze"},
    {"text": "ceramic", "sort": "newest"},
    {"text": "jewelry", "filters": {"ownership": ("own",)}},
    {"text": "", "filters": {"lender": ("Private collection",)}},
    {"text": "", "year_from": -500, "year_to": 0},
    {"text": "figure", "page": 3},
    {"text": "head"},
    {"text": "drawing"},
]

TAG_RE = re.compile(r"<[^>]*>")


def clean(value) -> str:
    if not value or not isinstance(value, str):
        return ""
    return " ".join(html.unescape(TAG_RE.sub(" ", value)).split())


def walters(record: dict) -> dict:
    places = [g.get("GeographyTerm") or "" for g in record.get("Geographies") or []]
    return {
        "number": record.get("ObjectNumber") or str(record.get("ObjectID")),
        "language": "en",
        "title": clean(record.get("Title")) or clean(record.get("ObjectName")) or "Untitled",
        "text": clean(record.get("Description")),
        "type": clean(record.get("ObjectName")),
        "culture": [clean(record.get("Culture"))] if record.get("Culture") else [],
        "material": [clean(record.get("Medium"))[:100]] if record.get("Medium") else [],
        "maker": [clean(c.get("ConcatDisplayName")) for c in record.get("Creators") or []],
        "place": [p for p in places if p],
        "dating": clean(record.get("DateText")),
        "start": record.get("DateBeginYear"),
        "end": record.get("DateEndYear"),
    }


def tate_subjects(node, found):
    for child in node.get("children", []) if isinstance(node, dict) else []:
        if "children" in child:
            tate_subjects(child, found)
        elif child.get("name"):
            found.append(child["name"])
    return found


def tate(record: dict) -> dict:
    dates = record.get("dateRange") or {}
    return {
        "number": record.get("acno") or str(record.get("id")),
        "language": "en",
        "title": clean(record.get("title")) or "Untitled",
        "text": " ".join(
            p
            for p in (
                clean(record.get("medium")),
                ", ".join(tate_subjects(record.get("subjects") or {}, [])),
            )
            if p
        ),
        "type": clean(record.get("classification")),
        "culture": ["British"],
        "material": [clean(record.get("medium"))[:100]] if record.get("medium") else [],
        "maker": [clean(record.get("all_artists"))] if record.get("all_artists") else [],
        "place": [],
        "dating": clean(record.get("dateText")),
        "start": dates.get("startYear"),
        "end": dates.get("endYear"),
    }


def skokloster(folder: Path) -> list[dict]:
    from collection.importers.lido import parse_lido
    from collection.importers.records import ParsedRecord

    found = []
    for path in sorted(folder.glob("*.xml")):
        for item in parse_lido(path, "sv"):
            if isinstance(item, ParsedRecord) and item.title:
                found.append(
                    {
                        "number": item.inventory_number,
                        "language": "sv",
                        "title": item.title,
                        "text": clean(item.description) + " " + clean(item.inscriptions),
                        "type": item.object_type,
                        "culture": item.cultures,
                        "material": item.materials,
                        "maker": item.makers,
                        "place": item.places_made,
                        "dating": item.dating,
                        "start": item.earliest_year,
                        "end": item.latest_year,
                    }
                )
    return found


def load_records() -> list[dict]:
    with (DATA / "walters_objects_sample.jsonl").open(encoding="utf-8") as handle:
        records = [walters(json.loads(line)) for line in handle if line.strip()]
    with (DATA / "tate_artworks_sample.jsonl").open(encoding="utf-8") as handle:
        records += [tate(json.loads(line)) for line in handle if line.strip()]
    records += skokloster(DATA / "lido_skokloster_sample")
    return records


def documents(records: list[dict], count: int):
    from search.documents import SearchDocument

    built = []
    repeat = 0
    while len(built) < count:
        for record in records:
            if len(built) == count:
                break
            pk = len(built) + 1
            lang = record["language"]
            loan = pk % 4 == 0
            start, end = year(record["start"]), year(record["end"])
            if start is not None and end is not None and start > end:
                start, end = end, start
            facets = {
                "ownership": ["loan" if loan else "own"],
                "culture": record["culture"],
                "material": record["material"],
                "maker": record["maker"],
                "place": record["place"],
                "object_type": [record["type"]] if record["type"] else [],
            }
            if loan:
                facets["lender"] = [LENDERS[pk % len(LENDERS)]]
            number = record["number"] + (f"-r{repeat}" if repeat else "")
            built.append(
                SearchDocument(
                    kind="object",
                    pk=str(pk),
                    titles={lang: record["title"]},
                    urls={"sv": f"/collection/{pk}/", "en": f"/en/collection/{pk}/"},
                    texts={lang: record["text"]},
                    keywords=[number, record["dating"]],
                    facets=facets,
                    year_start=start,
                    year_end=end,
                    date_label=record["dating"],
                    meta=number,
                )
            )
        repeat += 1
    return built


def year(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def percentiles(timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


class BareTantivy:
    """The floor: tantivy with one stemmed title and body field and one keyword facet."""

    def __init__(self, path: Path):
        import tantivy

        self.tantivy = tantivy
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        builder.add_text_field("title", stored=True, tokenizer_name="en_stem")
        builder.add_text_field("body", stored=True, tokenizer_name="en_stem")
        builder.add_text_field("culture", tokenizer_name="raw", fast=True)
        self.schema = builder.build()
        path.mkdir(parents=True)
        self.index = tantivy.Index(self.schema, path=str(path))

    def build(self, docs) -> None:
        writer = self.index.writer(256_000_000, min(4, os.cpu_count() or 1))
        for doc in docs:
            lang = next(iter(doc.titles))
            writer.add_document(
                self.tantivy.Document(
                    id=doc.id,
                    title=doc.titles[lang],
                    body=doc.texts.get(lang, ""),
                    culture=doc.facets.get("culture", []),
                )
            )
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()

    def search(self, text: str):
        searcher = self.index.searcher()
        words = re.sub(r"[^\w\s]", " ", text).strip()
        query = (
            self.index.parse_query(words, ["title", "body"], conjunction_by_default=True)
            if words
            else self.tantivy.Query.all_query()
        )
        result = searcher.search(query, 20, count=True)
        hits = [searcher.doc(address)["id"] for _score, address in result.hits]
        facet = searcher.aggregate(query, {"c": {"terms": {"field": "culture", "size": 20}}})
        return result.count, hits, facet


def time_queries(run, rounds: int = 3) -> list[float]:
    for spec in QUERIES:  # warm-up: the first touch of each term reads it from disk
        run(spec)
    timings = []
    for _round in range(rounds):
        for spec in QUERIES:
            started = time.perf_counter()
            run(spec)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def service_query(spec: dict, **overrides):
    from search.query import SearchQuery

    return SearchQuery(
        text=spec.get("text", ""),
        language=spec.get("language", "en"),
        filters=spec.get("filters", {}),
        year_from=spec.get("year_from"),
        year_to=spec.get("year_to"),
        sort=spec.get("sort", "relevance"),
        page=spec.get("page", 1),
        **overrides,
    )


def row(label: str, build_s: float | None, timings: list[float]) -> None:
    p50, p95 = percentiles(timings)
    build = f"{build_s:>9.1f}" if build_s is not None else f"{'':>9}"
    print(f"{label:<44}{build}{p50:>9.2f}{p95:>9.2f}{max(timings):>9.2f}", flush=True)


def run(index_dir: Path | None = None) -> Path | None:
    """Print the figures. With ``index_dir``, the service's 100,000-record WEB index is left
    there (for measuring the search page over it) and its folder returned."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ.setdefault("DEBUG", "false")
    sys.path.insert(0, str(ROOT))
    django.setup()
    from search.backends.embedded import EmbeddedBackend
    from visibility.channels import WEB

    if not DATA.exists():
        raise SystemExit(f"{DATA} is missing: the benchmark reads the shared sample data.")
    started = time.monotonic()
    records = load_records()
    docs = documents(records, RECORDS)
    print(
        f"{len(records)} real records (Walters, Tate, Skokloster) replicated to {len(docs)} "
        f"documents in {time.monotonic() - started:.1f} s; {len(QUERIES)} queries, 3 timed rounds",
        flush=True,
    )
    print(f"{'':<44}{'build s':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    with tempfile.TemporaryDirectory(prefix="bench-search-") as folder:
        bare = BareTantivy(Path(folder) / "bare")
        started = time.monotonic()
        bare.build(docs)
        bare_build = time.monotonic() - started
        row(
            "bare tantivy (top 20, count, 1 facet)",
            bare_build,
            time_queries(lambda s: bare.search(s.get("text", ""))),
        )

        path = index_dir or Path(folder) / "service"
        backend = EmbeddedBackend(path, ["sv", "en"])
        started = time.monotonic()
        backend.rebuild(WEB, docs)
        build = time.monotonic() - started
        row(
            "service, embedded (13 facets, years, snippets)",
            build,
            time_queries(lambda s: backend.search(WEB, service_query(s))),
        )
        row(
            "service, embedded (hits and count only)",
            None,
            time_queries(
                lambda s: backend.search(WEB, service_query(s, facets=False, highlight=False))
            ),
        )
        row(
            "service, embedded suggestions (prefix)",
            None,
            time_queries(lambda s: backend.suggest(WEB, (s.get("text") or "ab")[:4], "en")),
        )
        if os.environ.get("ELASTICSEARCH_URL"):
            from search.backends.elasticsearch import ElasticsearchBackend

            es = ElasticsearchBackend(os.environ["ELASTICSEARCH_URL"], "bench", ["sv", "en"])
            started = time.monotonic()
            es.rebuild(WEB, docs)
            es_build = time.monotonic() - started
            row(
                "service, Elasticsearch (13 facets, snippets)",
                es_build,
                time_queries(lambda s: es.search(WEB, service_query(s))),
            )
            es.drop(WEB)
        else:
            print("Elasticsearch: not measured (ELASTICSEARCH_URL is not set)")
    return index_dir


if __name__ == "__main__":
    run()


# Pages over the 100,000-record index: the same queries through the page and the JSON API.
PAGE_URLS = [
    ("search page, word", "/en/sok/?q=bowl"),
    ("search page, facets", "/en/sok/?q=silver&ownership=loan"),
    ("search page, phrase", "/en/sok/?q=%22book+of+hours%22"),
    ("search page, Swedish", "/sok/?q=f%C3%B6rgyllt+silver"),
    ("search API", "/api/search/?q=bowl&lang=en"),
    ("suggestions", "/en/sok/forslag/?q=portr"),
]


def measure_pages(env: dict, index_dir: Path, seconds: int, connections: int, workers: int) -> None:
    """The search page and API under gunicorn over ``index_dir``, measured with wrk."""
    import subprocess

    from benchmarks.run import PYTHON, free_port, run_wrk, wait_until_up

    port = free_port()
    server_env = {**env, "SEARCH_INDEX_DIR": str(index_dir), "SITE_URL": f"http://127.0.0.1:{port}"}
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--no-control-socket", "--log-level", "warning"],
        cwd=ROOT,
        env=server_env,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/en/sok/")
        print(f"{'page':<24}{'req/s':>10}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'errors':>8}")
        for label, path in PAGE_URLS:
            run_wrk(base + path, 2, connections, 2)
            r = run_wrk(base + path, seconds, connections, 2)
            print(
                f"{label:<24}{r['rps']:>10.0f}{r['p50_ms']:>10.1f}{r['p95_ms']:>10.1f}"
                f"{r['p99_ms']:>10.1f}{r['errors']:>8}",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=15)
