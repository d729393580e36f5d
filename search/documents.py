"""The one shape every search document has, whatever domain registers it.

A domain (collection, stories, exhibition) turns what ``visible_in(channel)`` selects into
:class:`SearchDocument` values, naming each field it exposes: there is no way to put a model
instance, or "all its fields", into the index. Texts are per language; facets are a fixed,
documented set so that both backends can map them once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Facets every backend indexes as exact keywords. A domain fills the ones that apply to it
# (objects: ownership, lender, culture, …; voices later: voice_role, theme, room). Adding a
# facet means adding it here, which changes the index schema: rebuild the index afterwards.
FACETS: tuple[str, ...] = (
    "kind",
    "ownership",
    "lender",
    "culture",
    "material",
    "object_type",
    "place",
    "maker",
    "room",
    "theme",
    "voice_role",
    "venue",
    "language",
)
# Keyword facets a document sets itself (``kind`` and ``language`` are derived).
DOCUMENT_FACETS = frozenset(FACETS) - {"kind", "language"}

# Longest text indexed per field: a description longer than this is cut, not refused.
MAX_TEXT_CHARS = 20_000
MAX_FACET_CHARS = 255


@dataclass(frozen=True)
class SearchDocument:
    """One searchable item as the public may see it on one channel.

    ``titles``, ``texts`` and ``urls`` map a BCP 47 language code to a value; ``keywords``
    are language-neutral words (inventory numbers, names of makers and places) that match as
    written; ``facets`` maps names from :data:`FACETS` to lists of values.
    """

    kind: str
    pk: str
    titles: dict[str, str]
    urls: dict[str, str]
    texts: dict[str, str] = field(default_factory=dict)
    keywords: list[str] = field(default_factory=list)
    facets: dict[str, list[str]] = field(default_factory=dict)
    year_start: int | None = None
    year_end: int | None = None
    # Shown as written under the title (e.g. "c. 1650"); not searched.
    date_label: str = ""
    # A short line shown under the title (e.g. an inventory number and "on loan").
    meta: str = ""

    def __post_init__(self):
        unknown = set(self.facets) - DOCUMENT_FACETS
        if unknown:
            raise ValueError(f"Unknown search facets {sorted(unknown)}; known: {FACETS}.")
        if not self.titles:
            raise ValueError(f"Search document {self.id} has no title.")

    @property
    def id(self) -> str:
        """Unique across kinds: ``object:12``."""
        return f"{self.kind}:{self.pk}"

    @property
    def languages(self) -> list[str]:
        return sorted(set(self.titles) | {lang for lang, text in self.texts.items() if text})

    def facet_values(self) -> dict[str, list[str]]:
        """Every facet with its values, ``kind`` and ``language`` included, cleaned."""
        values = {
            name: sorted({v.strip()[:MAX_FACET_CHARS] for v in items if v and v.strip()})
            for name, items in self.facets.items()
        }
        values["kind"] = [self.kind]
        values["language"] = self.languages
        return {name: items for name, items in values.items() if items}

    def text(self, language: str) -> str:
        return (self.texts.get(language) or "")[:MAX_TEXT_CHARS]

    def display(self) -> dict:
        """What a result shows of the document, stored beside the index (no secrets here:
        everything in a SearchDocument is public by construction)."""
        return {
            "kind": self.kind,
            "pk": self.pk,
            "titles": self.titles,
            "urls": self.urls,
            "date_label": self.date_label,
            "meta": self.meta,
        }
