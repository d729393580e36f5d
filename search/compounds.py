"""Swedish compounds: "handel" finds "människohandeln", "slav" finds "slavhandel".

Swedish writes compounds as one word, and neither Snowball nor tantivy's tokenizers split
them. The embedded backend therefore indexes, beside each Swedish text, the parts of its
compound words (``parts_sv``), which a Swedish query word also matches, with a lower weight
than the word itself.

Parts are found with the Swedish Hunspell dictionary (Debian's ``hunspell-sv``, the file
named by ``SEARCH_SWEDISH_DICTIONARY``), which marks the words that may begin a compound
(flag ``X``, some of them only in compounds, such as "människo") and those that may end one
(flag ``Y``). A word of at least ``MIN_WORD`` letters is split once, into a beginning of at
least ``MIN_PART`` letters that may begin a compound (or any word followed by the linking
"s") and an end that is a word of at least ``MIN_END`` letters that may end one, as it is or
inflected. Without the dictionary nothing is split
(and the log says so once).
"""

import functools
import logging
import re
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

DEFAULT_DICTIONARY = "/usr/share/hunspell/sv_SE.dic"
# A word found as part of a compound counts for less than the word itself (both backends).
COMPOUND_PART_BOOST = 0.5
MIN_WORD = 7
MIN_PART = 3
MIN_END = 3
SHORT_WORD = 8
# Endings a compound's last part may carry (noun and adjective inflection, genitive s).
INFLECTIONS = (
    "", "n", "en", "et", "t", "na", "a", "e", "ar", "er", "or", "r", "arna", "erna", "orna",
    "s", "ns", "ens", "ets", "ts", "nas", "ars", "ers", "ors",
)  # fmt: skip
_WORD = re.compile(r"\w+")


class Lexicon:
    """The words that may begin (``starts``) and end (``ends``) a Swedish compound."""

    def __init__(self, starts: frozenset[str], ends: frozenset[str], lemmas: frozenset[str]):
        self.starts, self.ends, self.lemmas = starts, ends, lemmas

    @classmethod
    def from_hunspell(cls, path: Path | str) -> "Lexicon":
        starts, ends, lemmas = set(), set(), set()
        with open(path, encoding="utf-8", errors="replace") as handle:
            next(handle, None)  # the first line is the number of entries
            for line in handle:
                word, _, flags = line.strip().partition("/")
                if not word.isalpha():
                    continue
                word = word.lower()
                flags = flags.split()[0] if flags else ""
                if "Z" not in flags:
                    lemmas.add(word)
                if "X" in flags:
                    starts.add(word)
                if "Y" in flags:
                    ends.add(word)
        return cls(frozenset(starts), frozenset(ends), frozenset(lemmas))

    def is_end(self, part: str) -> bool:
        """Whether ``part`` is a word that may end a compound, as it is or inflected."""
        for ending in INFLECTIONS:
            if part.endswith(ending):
                stem = part[: len(part) - len(ending)] if ending else part
                if len(stem) >= MIN_END and stem in self.ends:
                    return True
                # Words in -a take -or in the plural: "varor" is "vara".
                if ending.startswith("o") and stem + "a" in self.ends:
                    return True
        return False

    def start_lemma(self, part: str) -> str | None:
        """The word ``part`` stands for at the beginning of a compound, or None: itself, or
        for a form only used in compounds ending in -o ("människo", "kvinno") the word in -a."""
        if part not in self.starts:
            return None
        if part not in self.lemmas and part.endswith("o") and part[:-1] + "a" in self.lemmas:
            return part[:-1] + "a"
        return part

    @functools.lru_cache(maxsize=200_000)  # noqa: B019 (one lexicon per process)
    def split(self, word: str) -> tuple[str, ...]:
        """The parts of ``word`` (lower case) when it is a compound, else ``()``."""
        if len(word) < MIN_WORD or not word.isalpha():
            return ()
        if len(word) <= SHORT_WORD and word in self.lemmas:
            return ()  # a short word of the dictionary is seldom a compound: "porträtt"
        # The longest end first: "människohandeln" is människo + handeln, not människoh...
        for cut in range(MIN_PART, len(word) - MIN_END + 1):
            start, end = word[:cut], word[cut:]
            lemma = self.start_lemma(start)
            if lemma is None and start.endswith("s") and start[:-1] in self.lemmas:
                lemma = start[:-1]  # any word, with the linking s: "handelsvaror", "arvsanlag"
            if lemma is not None and self.is_end(end):
                return (lemma, end)
        return ()


@functools.lru_cache(maxsize=4)
def _lexicon(path: str) -> Lexicon | None:
    try:
        lexicon = Lexicon.from_hunspell(path)
    except OSError as error:
        logger.info("No Swedish compound splitting: cannot read %s (%s)", path, error)
        return None
    return lexicon


def lexicon() -> Lexicon | None:
    """The lexicon of ``SEARCH_SWEDISH_DICTIONARY``, read once per process; None without it."""
    return _lexicon(str(getattr(settings, "SEARCH_SWEDISH_DICTIONARY", DEFAULT_DICTIONARY)))


def compound_parts(text: str) -> str:
    """The parts of the compound words in ``text``, separated by spaces ("" if none)."""
    found = lexicon()
    if found is None or not text:
        return ""
    parts = []
    for word in _WORD.findall(text.lower()):
        if len(word) >= MIN_WORD:
            parts.extend(found.split(word))
    return " ".join(parts)
