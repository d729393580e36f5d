from localisation.fallbacks import fallback_chain, first_available


def test_configured_chain_ends_in_the_default_language(settings):
    settings.LANGUAGE_CODE = "sv"
    settings.LANGUAGE_FALLBACKS = {"se": ["sv", "en"], "lt": ["en"], "de": ["en"]}
    assert fallback_chain("se") == ["se", "sv", "en"]
    assert fallback_chain("lt") == ["lt", "en", "sv"]
    assert fallback_chain("sv") == ["sv"]


def test_unconfigured_language_falls_back_to_the_default_only(settings):
    settings.LANGUAGE_CODE = "sv"
    settings.LANGUAGE_FALLBACKS = {}
    assert fallback_chain("fr") == ["fr", "sv"]
    del settings.LANGUAGE_FALLBACKS
    assert fallback_chain("fr") == ["fr", "sv"]


def test_first_available_skips_the_language_itself(settings):
    settings.LANGUAGE_CODE = "sv"
    settings.LANGUAGE_FALLBACKS = {"lt": ["en"]}
    assert first_available("lt", {"lt", "en", "sv"}) == "en"
    assert first_available("lt", {"sv"}) == "sv"
    assert first_available("lt", {"de"}) is None


def test_project_settings_name_the_touring_languages():
    from django.conf import settings

    for language in ("se", "lt", "de"):
        assert language in settings.LANGUAGE_FALLBACKS
