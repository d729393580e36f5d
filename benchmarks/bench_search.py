"""Benchmark: the search service on 100,000 real museum records, beside bare tantivy.

Records: the Walters Art Museum sample (6,091, English), the Tate sample (2,873, English)
and the Skokloster LIDO sample (300, Swedish) in ../shared/data, repeated with a suffix on
the inventory number until there are 100,000. Search documents are built directly (no
database rows); a quarter of them are loans from five fictional lenders.

Measured, in one run, on the same documents and 50 queries:
- the embedded backend of the search service: index build, and queries as the search page
  asks them (every facet, the date histogram, highlighted snippets, top 20 with a count),
  each counted as if asked for the first time (its cache of facet counts off);
- the next page of each of those searches, with the cache on: the hits searched, the
  facet counts kept from the first page;
- the same backend asked for hits and a count only;
- a bare tantivy index (one title and one body field with the built-in English stemmer, one
  keyword facet), asked for the top 20 with a count and that one facet: the floor;
- a bare tantivy index that also counts the 9 facets these records fill and the date
  histogram, as the service does: tantivy's own cost of what the search page asks for;
- Elasticsearch too when ELASTICSEARCH_URL is set;
- run as ``python -m benchmarks.bench_search`` (not with ``--no-admin``): the Wagtail admin's
  object listing searched over 100,000 object rows, in a throwaway SQLite database, then in
  a throwaway PostgreSQL database when one can be made.
Prints figures, asserts nothing.
"""

import html
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
RECORDS = 100_000
BUILD_ROUNDS = 2
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
    """The floor: tantivy with one stemmed title and body field and one keyword facet.

    With ``all_facets``, the same records' every facet (as numbers, as the service indexes
    them) and a date histogram are counted too: tantivy's own cost of the counting the
    search page asks for, without the service's query building, snippets or fallbacks."""

    FACETS = ("culture",)
    ALL_FACETS = (
        "kind", "ownership", "lender", "culture", "material", "object_type", "place", "maker",
        "language",
    )  # fmt: skip

    def __init__(self, path: Path, all_facets: bool = False):
        import tantivy

        self.tantivy = tantivy
        self.facets = self.ALL_FACETS if all_facets else self.FACETS
        self.all_facets = all_facets
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        builder.add_text_field("title", stored=True, tokenizer_name="en_stem")
        builder.add_text_field("body", stored=True, tokenizer_name="en_stem")
        if all_facets:
            for name in self.facets:
                builder.add_unsigned_field(name, fast=True)
            builder.add_integer_field("year", fast=True)
        else:
            builder.add_text_field("culture", tokenizer_name="raw", fast=True)
        self.schema = builder.build()
        path.mkdir(parents=True)
        self.index_path = path
        self.index = tantivy.Index(self.schema, path=str(path))

    def build(self, docs) -> None:
        from search.backends.embedded import facet_id

        writer = self.index.writer(256_000_000, min(4, os.cpu_count() or 1))
        for doc in docs:
            lang = next(iter(doc.titles))
            fields = {"id": doc.id, "title": doc.titles[lang], "body": doc.texts.get(lang, "")}
            if self.all_facets:
                facets = {**doc.facets, "kind": [doc.kind], "language": [lang]}
                for name in self.facets:
                    if values := [facet_id(v) for v in facets.get(name, []) if v]:
                        fields[name] = values
                if doc.year_start is not None:
                    fields["year"] = int(doc.year_start)
            else:
                fields["culture"] = doc.facets.get("culture", [])
            writer.add_document(self.tantivy.Document.from_dict(fields, self.schema))
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
        aggs = {name: {"terms": {"field": name, "size": 20}} for name in self.facets}
        if self.all_facets:
            aggs["years"] = {"histogram": {"field": "year", "interval": 100, "min_doc_count": 1}}
        return result.count, hits, searcher.aggregate(query, aggs)


def time_queries(run, rounds: int = 3) -> list[float]:
    return time_interleaved({"": run}, rounds)[""]


def time_interleaved(runs: dict, rounds: int = 3) -> dict[str, list[float]]:
    """Each query through each of ``runs`` in turn, so that all of them meet the same load
    (the machine may be shared): timings in ms per run."""
    for spec in QUERIES:  # warm-up: the first touch of each term reads it from disk
        for run in runs.values():
            run(spec)
    timings: dict[str, list[float]] = {label: [] for label in runs}
    for _round in range(rounds):
        for spec in QUERIES:
            for label, run in runs.items():
                started = time.perf_counter()
                run(spec)
                timings[label].append((time.perf_counter() - started) * 1000)
    return timings


def time_next_pages(search, rounds: int = 3) -> list[float]:
    """Each query's page, then its next page timed: ms per next page."""
    timings = []
    for _round in range(rounds):
        for spec in QUERIES:
            search(spec)
            following = {**spec, "page": spec.get("page", 1) + 1}
            started = time.perf_counter()
            search(following)
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
    print(
        f"builds: the best of {BUILD_ROUNDS}, alternating; queries: bare and service in turn",
        flush=True,
    )
    print(f"{'':<44}{'build s':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    with tempfile.TemporaryDirectory(prefix="bench-search-") as folder:
        path = index_dir or Path(folder) / "service"
        # Every query counted afresh; ``kept`` keeps facet counts as the site does.
        backend = EmbeddedBackend(path, ["sv", "en"], facet_cache=0)
        kept = EmbeddedBackend(path, ["sv", "en"])
        # Builds alternate, the best of each counts: a shared machine's load varies.
        bare_builds, builds, bare = [], [], None
        for number in range(BUILD_ROUNDS):
            if bare is not None:
                shutil.rmtree(bare.index_path, ignore_errors=True)
            bare = BareTantivy(Path(folder) / f"bare-{number}")
            started = time.monotonic()
            bare.build(docs)
            bare_builds.append(time.monotonic() - started)
            started = time.monotonic()
            backend.rebuild(WEB, docs)
            builds.append(time.monotonic() - started)
        counting = BareTantivy(Path(folder) / "bare-all-facets", all_facets=True)
        counting.build(docs)
        timings = time_interleaved(
            {
                "bare": lambda s: bare.search(s.get("text", "")),
                "counting": lambda s: counting.search(s.get("text", "")),
                "service": lambda s: backend.search(WEB, service_query(s)),
                "hits": lambda s: backend.search(
                    WEB, service_query(s, facets=False, highlight=False)
                ),
            }
        )
        row("bare tantivy (top 20, count, 1 facet)", min(bare_builds), timings["bare"])
        row("bare tantivy (top 20, count, 9 facets, years)", None, timings["counting"])
        row("service, embedded (13 facets, years, snippets)", min(builds), timings["service"])
        row("service, embedded (hits and count only)", None, timings["hits"])
        row(
            "service, embedded, next page (counts kept)",
            None,
            time_next_pages(lambda spec: kept.search(WEB, service_query(spec))),
        )
        row(
            "service, embedded suggestions (prefix)",
            None,
            time_queries(lambda s: backend.suggest(WEB, (s.get("text") or "ab")[:4], "en")),
        )
        bare_p95, service_p95 = percentiles(timings["bare"])[1], percentiles(timings["service"])[1]
        print(
            f"service / bare: build {min(builds) / min(bare_builds):.2f}x (target 2x), "
            f"query p95 {service_p95 / bare_p95:.2f}x (target 1.5x); "
            f"beside bare tantivy counting the same facets: "
            f"{service_p95 / percentiles(timings['counting'])[1]:.2f}x",
            flush=True,
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


# The Wagtail admin's object listing searched at 100,000 objects (its own throwaway database):
# words, a phrase, parts of numbers, nothing found; then Swedish in capitals (Unicode case
# folding), a very common trigram, and a term of two characters (no trigram: a scan).
ADMIN_QUERIES = ["bowl", "portrait of a woman", "silver", "54.1", "-r3", "zzzz"]
ADMIN_QUERIES += ["SKÅL", "the", "sk"]
ADMIN_TIME_LIMIT_SECONDS = 900


def measure_admin(rows: int = RECORDS) -> None:
    """Time the admin object listing's search over ``rows`` objects, in a subprocess with a
    fresh SQLite database under a temporary VAR_DIR (the dev database is never touched).
    Then the same in a throwaway PostgreSQL database, created and dropped here, when the
    server of BENCH_POSTGRES_URL (default: the local one) answers."""
    import subprocess
    from urllib.parse import urlsplit

    var_dir = Path(tempfile.mkdtemp(prefix="bench-admin-search-"))
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "MEDIA_ROOT", "SEARCH_INDEX_DIR"}
    }
    env.update(DJANGO_SETTINGS_MODULE="config.settings.dev", DEBUG="false", VAR_DIR=str(var_dir))

    def inside(database_url: str | None = None) -> None:
        try:
            subprocess.run(
                [sys.executable, "-m", "benchmarks.bench_search", "--admin-inside", str(rows)],
                cwd=ROOT,
                env={**env, "DATABASE_URL": database_url} if database_url else env,
                check=True,
                timeout=ADMIN_TIME_LIMIT_SECONDS,
            )
        except subprocess.TimeoutExpired:
            print(f"admin search: gave up after {ADMIN_TIME_LIMIT_SECONDS} s")

    try:
        inside()
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)

    import psycopg
    from psycopg import sql

    server = urlsplit(
        os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    )
    try:
        maintenance = psycopg.connect(
            host=server.hostname,
            port=server.port or 5432,
            user=server.username or "postgres",
            password=server.password,
            dbname=server.path.lstrip("/") or "postgres",
            connect_timeout=3,
            autocommit=True,
        )
    except psycopg.Error:
        print(f"admin search on PostgreSQL: not measured ({server.hostname} does not answer)")
        return
    name = f"bench_admin_search_{os.getpid()}"
    with maintenance:
        try:
            maintenance.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        except psycopg.Error as error:
            print(f"admin search on PostgreSQL: not measured (no database: {error})")
            return
        var_dir.mkdir()
        try:
            print(flush=True)
            inside(server._replace(path=f"/{name}").geturl())
        finally:
            shutil.rmtree(var_dir, ignore_errors=True)
            maintenance.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _admin_inside(rows: int) -> None:
    import logging

    sys.path.insert(0, str(ROOT))
    from django.conf import settings

    # No collectstatic here: the admin's pages name their static files without a manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.ALLOWED_HOSTS = ["*"]
    django.setup()
    logging.disable(logging.WARNING)
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from wagtail.models import Locale

    from collection.admin_views import search_objects
    from collection.models import ObjectRecord, ObjectText

    started = time.monotonic()
    call_command("migrate", "--no-input", verbosity=0)
    records = load_records()
    locales = {code: Locale.objects.get_or_create(language_code=code)[0] for code in ("sv", "en")}
    objects = ObjectRecord.objects.bulk_create(
        (
            ObjectRecord(
                inventory_number=f"{records[n % len(records)]['number']}-r{n // len(records)}",
                is_published=n % 3 != 0,  # a third unpublished: staff find those too
                dating=records[n % len(records)]["dating"][:100],
            )
            for n in range(rows)
        ),
        batch_size=2000,
    )
    ObjectText.objects.bulk_create(
        (
            ObjectText(
                object=obj,
                locale=locales[records[n % len(records)]["language"]],
                title=records[n % len(records)]["title"][:255],
            )
            for n, obj in enumerate(objects)
        ),
        batch_size=2000,
    )
    if connection.vendor == "postgresql":
        # As autovacuum would after an import: statistics for the planner, and the rows
        # inserted since the trigram (GIN) indexes were made moved out of their pending list.
        with connection.cursor() as cursor:
            for model in (ObjectRecord, ObjectText):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    user = get_user_model().objects.create_superuser("bench", "bench@example.org", "bench")
    client = Client()
    client.force_login(user)
    url = reverse(ObjectRecord.snippet_viewset.get_url_name("list"))
    print(
        f"admin object listing over {ObjectRecord.objects.count():,} objects in "
        f"{connection.display_name} (prepared in {time.monotonic() - started:.0f} s), 5 timed "
        "requests each; query: the search's count and first page alone, p50 of 5",
        flush=True,
    )
    print(f"{'search':<44}{'found':>9}{'p50 ms':>9}{'max ms':>9}{'query ms':>10}")

    def listing(text: str):
        everything = ObjectRecord.objects.all()
        return search_objects(everything, text) if text else everything

    for text in ["", *ADMIN_QUERIES]:
        response = client.get(url, {"q": text} if text else {})  # warm-up
        if response.status_code != 200:
            print(f"{text!r:<44} HTTP {response.status_code}")
            continue
        found = listing(text).count()
        timings, query_timings = [], []
        for _round in range(5):
            started = time.perf_counter()
            client.get(url, {"q": text} if text else {})
            timings.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            queryset = listing(text)
            queryset.count(), list(queryset[:20])
            query_timings.append((time.perf_counter() - started) * 1000)
        label = repr(text) if text else "(no search: the first page)"
        print(
            f"{label:<44}{found:>9}{statistics.median(timings):>9.1f}{max(timings):>9.1f}"
            f"{statistics.median(query_timings):>10.1f}",
            flush=True,
        )


# Pages over the 100,000-record index: the same queries through the page and the JSON API.
PAGE_URLS = [
    ("search page, word", "/en/sok/?q=bowl"),
    ("search page, facets", "/en/sok/?q=silver&ownership=loan"),
    ("search page, phrase", "/en/sok/?q=%22book+of+hours%22"),
    ("search page, Swedish", "/sok/?q=f%C3%B6rgyllt+silver"),
    ("search API", "/api/search/?q=bowl&lang=en"),
    ("suggestions", "/en/sok/forslag/?q=portr"),
]


def _service_p50(index_dir: Path, path: str, rounds: int = 50) -> float:
    """The p50 in ms of the query behind ``path``, asked of the backend in this process."""
    from urllib.parse import urlsplit

    from django.http import QueryDict

    from search.backends.embedded import EmbeddedBackend
    from search.query import parse_params
    from visibility.channels import WEB

    backend = EmbeddedBackend(index_dir, ["sv", "en"], facet_cache=0)
    url = urlsplit(path)
    params = QueryDict(url.query)
    language = "en" if url.path.startswith(("/en/", "/api/")) else "sv"
    if url.path.endswith("/forslag/"):

        def ask():
            return backend.suggest(WEB, params.get("q", ""), language)
    else:
        query, _errors = parse_params(params, params.get("lang") or language)

        def ask():
            return backend.search(WEB, query)

    ask()
    timings = []
    for _round in range(rounds):
        started = time.perf_counter()
        ask()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def measure_pages(env: dict, index_dir: Path, seconds: int, connections: int, workers: int) -> None:
    """The search page and API under gunicorn over ``index_dir``, measured with wrk, with the
    response cache and the facet-count cache off (every request runs its whole search):
    throughput with ``connections``, and with one connection the latency the page adds to
    the query it runs."""
    import subprocess

    from benchmarks.run import PYTHON, free_port, run_wrk, wait_until_up

    port = free_port()
    server_env = {
        **env,
        "SEARCH_INDEX_DIR": str(index_dir),
        "SITE_URL": f"http://127.0.0.1:{port}",
        "RESPONSE_CACHE": "false",
        "SEARCH_FACET_CACHE": "0",
    }
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--no-control-socket", "--log-level", "warning"],
        cwd=ROOT,
        env=server_env,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/en/sok/")
        print(
            f"response and facet-count caches off; req/s with {connections} connections; "
            "p50 with 1 connection,"
            " beside the same query asked of the backend in-process"
        )
        print(
            f"{'page':<24}{'req/s':>9}{'p95 ms':>9}{'errors':>8}"
            f"{'p50 ms':>9}{'query ms':>10}{'added ms':>10}"
        )
        for label, path in PAGE_URLS:
            run_wrk(base + path, 2, connections, 2)
            r = run_wrk(base + path, seconds, connections, 2)
            single = run_wrk(base + path, max(2, seconds // 2), 1, 1)
            query = _service_p50(index_dir, path)
            print(
                f"{label:<24}{r['rps']:>9.0f}{r['p95_ms']:>9.1f}{r['errors'] + single['errors']:>8}"
                f"{single['p50_ms']:>9.2f}{query:>10.2f}{single['p50_ms'] - query:>10.2f}",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=15)


if __name__ == "__main__":
    if "--admin-inside" in sys.argv:
        _admin_inside(int(sys.argv[-1]))
    else:
        run()
        if "--no-admin" not in sys.argv:
            print()
            measure_admin()
