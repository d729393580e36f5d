from django.core.exceptions import ImproperlyConfigured

import pytest

from config.env import Env


@pytest.mark.parametrize("raw", ["1", "true", "True", "YES", "on"])
def test_true_values(raw):
    assert Env({"DEBUG": raw}).bool("DEBUG", False) is True


@pytest.mark.parametrize("raw", ["0", "false", "False", "no", "off", ""])
def test_false_values_mean_false(raw):
    # "False" must mean false: a truthiness check on the string would turn it on.
    assert Env({"DEBUG": raw}).bool("DEBUG", True) is False


def test_bool_default_when_unset():
    assert Env({}).bool("DEBUG", True) is True


def test_bad_bool_names_variable_and_expectation():
    with pytest.raises(ImproperlyConfigured, match=r"DEBUG must be a boolean .* got 'maybe'"):
        Env({"DEBUG": "maybe"}).bool("DEBUG", False)


def test_required_string_missing():
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY is required"):
        Env({"SECRET_KEY": "  "}).str("SECRET_KEY", required=True)


def test_list_strips_blanks():
    assert Env({"ALLOWED_HOSTS": " a.org, ,b.org "}).list("ALLOWED_HOSTS", []) == ["a.org", "b.org"]


def test_int_errors():
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        Env({"N": "ten"}).int("N", 1)
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        Env({"N": "0"}).int("N", 1, minimum=1)


def test_url_requires_scheme_and_host():
    env = Env({"ELASTICSEARCH_URL": "localhost:9200"})
    with pytest.raises(ImproperlyConfigured, match=r"ELASTICSEARCH_URL must be an absolute URL"):
        env.url("ELASTICSEARCH_URL", schemes=("http", "https"))
    assert Env({}).url("ELASTICSEARCH_URL", schemes=("http",)) is None
    assert Env({"U": "https://es:9200"}).url("U", schemes=("https",)) == "https://es:9200"


@pytest.mark.parametrize("raw", ["sv,en_GB", "swedish", "sv,sv", ","])
def test_bad_languages(raw):
    with pytest.raises(ImproperlyConfigured, match="CONTENT_LANGUAGES"):
        Env({"CONTENT_LANGUAGES": raw}).languages("CONTENT_LANGUAGES", ["sv"])


def test_languages_keep_order():
    assert Env({"L": "sv, en, se, en-GB"}).languages("L", []) == ["sv", "en", "se", "en-GB"]
