"""The interface both search backends implement, and what they share."""

from __future__ import annotations

import abc
import functools
import html
import re
from collections.abc import Callable, Iterable

from search.documents import SearchDocument
from search.query import SearchQuery, SearchResults, Suggestion
from visibility.channels import Channel

Progress = Callable[[int], None]

# Stemmers by BCP 47 primary language subtag: the Snowball names both engines know.
STEMMERS = {
    "sv": "swedish",
    "en": "english",
    "da": "danish",
    "nb": "norwegian",
    "nn": "norwegian",
    "no": "norwegian",
    "fi": "finnish",
    "de": "german",
    "nl": "dutch",
    "fr": "french",
    "es": "spanish",
    "it": "italian",
    "pt": "portuguese",
    "ru": "russian",
}
# Facets whose values are also searched as words (a culture's or maker's name).
NAME_FACETS = (
    "lender",
    "culture",
    "material",
    "object_type",
    "place",
    "maker",
    "room",
    "theme",
    "venue",
)
SNIPPET_CHARS = 220


class SearchUnavailable(Exception):
    """The engine cannot answer (a cluster is down or refuses); the caller decides what to do."""


class SearchBackend(abc.ABC):
    """Index and query documents, one index per channel."""

    name = ""

    def __init__(self, languages: Iterable[str]):
        self.languages = list(languages)

    @abc.abstractmethod
    def rebuild(
        self,
        channel: Channel,
        documents: Iterable[SearchDocument],
        progress: Progress | None = None,
    ) -> int:
        """Replace the channel's whole index with ``documents``; readers keep the old index
        until the new one is complete. Returns the number of documents indexed."""

    @abc.abstractmethod
    def update(
        self, channel: Channel, documents: Iterable[SearchDocument], delete_ids: Iterable[str] = ()
    ) -> None:
        """Add or replace ``documents`` and remove the documents with ``delete_ids``."""

    @abc.abstractmethod
    def search(self, channel: Channel, query: SearchQuery) -> SearchResults: ...

    @abc.abstractmethod
    def suggest(
        self, channel: Channel, text: str, language: str, limit: int = 8
    ) -> list[Suggestion]:
        """Titles that complete ``text`` (its last word as a prefix), for search-as-you-type."""

    @abc.abstractmethod
    def count(self, channel: Channel) -> int: ...

    @abc.abstractmethod
    def drop(self, channel: Channel) -> None:
        """Delete the channel's index entirely."""

    def pick(self, values: dict[str, str], language: str) -> tuple[str, str]:
        """The value in ``language``, else in the site's first language, else any."""
        for code in (language, *self.languages):
            if values.get(code):
                return values[code], code
        for code, value in values.items():
            if value:
                return value, code
        return "", language


def swedish_variants(token: str) -> list[str]:
    """Forms Snowball's Swedish stemmer leaves apart: the definite "-eln" of nouns in "-el"
    ("människohandeln", "människohandel"); a query for either finds both."""
    if len(token) > 4 and token.endswith("eln"):
        return [token, token[:-1]]
    if len(token) > 3 and token.endswith("el"):
        return [token, token + "n"]
    return [token]


VARIANTS: dict[str, Callable[[str], list[str]]] = {"sv": swedish_variants}


def highlight_html(fragment: str, ranges: Iterable[tuple[int, int]]) -> str:
    """``fragment`` escaped, with ``<mark>`` around the byte ``ranges`` (UTF-8 offsets, as
    tantivy reports them). Nothing from the document is ever trusted as HTML."""
    data = fragment.encode("utf-8")
    parts, position = [], 0
    for start, end in sorted(ranges):
        if start < position or end > len(data):
            continue
        parts.append(html.escape(data[position:start].decode("utf-8", "replace")))
        parts.append("<mark>" + html.escape(data[start:end].decode("utf-8", "replace")) + "</mark>")
        position = end
    parts.append(html.escape(data[position:].decode("utf-8", "replace")))
    return "".join(parts)


_TAG_RE = re.compile(r"<[^>]*>")


def plain_text(value: str) -> str:
    """Rich text as plain text: tags dropped, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(_TAG_RE.sub(" ", value or "")).split())


def opening(text: str, limit: int = SNIPPET_CHARS) -> str:
    """The first ``limit`` characters of ``text``, cut at a word, escaped."""
    if len(text) <= limit:
        return html.escape(text)
    cut = text[:limit].rsplit(" ", 1)[0]
    return html.escape(cut) + " …"


@functools.cache
def _stop_analyzer(stemmer: str):
    import tantivy

    builder = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(
        tantivy.Filter.lowercase()
    )
    try:
        return builder.filter(tantivy.Filter.stopword(stemmer)).build()
    except ValueError:
        return None


def is_stop_word(word: str, languages: Iterable[str]) -> bool:
    """Whether ``word`` is a stop word in any of ``languages`` ("och", "the"): such words
    may match but are not required, so "the bowl" finds a Swedish "skål" too. Both backends
    use the same lists (Snowball's), so they agree on what is required."""
    for lang in languages:
        stemmer = STEMMERS.get(lang.split("-")[0].lower())
        analyzer = _stop_analyzer(stemmer) if stemmer else None
        if analyzer is not None and word.strip() and not analyzer.analyze(word):
            return True
    return False
