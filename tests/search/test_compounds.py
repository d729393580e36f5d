"""Swedish compound words: split with the Hunspell dictionary, found by their parts."""

from pathlib import Path

import pytest

from search import compounds
from search.backends.embedded import EmbeddedBackend
from search.compounds import Lexicon, compound_parts
from search.query import SearchQuery
from tests.search.conftest import LANGUAGES, doc
from visibility.channels import WEB

# A few entries as the Swedish Hunspell dictionary writes them: X may begin a compound,
# Y may end one, Z only occurs inside compounds.
SMALL_DIC = """\
9
människa/AEGY
människo/UXZ
handel/AEfvY
slav/ADGTXY
vara/AEGY
port/ADGXY
rätt/ADGXY
porträtt/ABDY
bägare/AEJY
"""


@pytest.fixture
def small(tmp_path) -> Lexicon:
    path = tmp_path / "sv_SE.dic"
    path.write_text(SMALL_DIC, encoding="utf-8")
    return Lexicon.from_hunspell(path)


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("människohandeln", ("människa", "handeln")),  # a form only used in compounds
        ("slavhandel", ("slav", "handel")),
        ("handelsvaror", ("handel", "varor")),  # the linking s, and -or for -a
        ("porträtt", ()),  # a short dictionary word is not split into port + rätt
        ("slav", ()),  # too short to be a compound
        ("slavxyzzy", ()),  # the end is no word
        ("männi5kohandel", ()),  # not letters only
    ],
)
def test_split(small, word, parts):
    assert small.split(word) == parts


def test_the_installed_dictionary_splits_words_of_the_exhibition():
    # make test and make demo install Debian's hunspell-sv.
    assert Path(compounds.DEFAULT_DICTIONARY).is_file()
    assert compound_parts("Människohandeln och slavhandel, kulturarvet.") == (
        "människa handeln slav handel kultur arvet"
    )


def test_without_a_dictionary_nothing_is_split(settings, tmp_path, caplog):
    settings.SEARCH_SWEDISH_DICTIONARY = str(tmp_path / "missing.dic")
    assert compound_parts("människohandeln") == ""
    assert "No Swedish compound splitting" in caplog.text


def test_a_part_of_a_compound_finds_it_but_ranks_below_the_word(tmp_path):
    backend = EmbeddedBackend(tmp_path / "index", LANGUAGES)
    backend.rebuild(
        WEB,
        [
            doc(1, {"sv": "Bägare"}, {"sv": "Ett minne av människohandeln i hamnen."}),
            doc(2, {"sv": "Våg"}, {"sv": "En våg från en handel vid torget."}),
            doc(3, {"sv": "Kedja"}, {"sv": "Kedjan berättar om slavhandel."}),
            doc(4, {"en": "Scales"}, {"en": "Scales from a trading house."}),
        ],
    )
    found = backend.search(WEB, SearchQuery(text="handel", language="sv"))
    assert [hit.pk for hit in found.hits][0] == "2"  # the word itself first
    assert {hit.pk for hit in found.hits} == {"1", "2", "3"}
    assert backend.search(WEB, SearchQuery(text="slav", language="sv")).total == 1
    assert backend.search(WEB, SearchQuery(text="människor", language="sv")).total == 1
    # A phrase does not match across the parts of a compound.
    assert backend.search(WEB, SearchQuery(text='"människa handel"')).total == 0
