"""The facet and histogram markup the search page writes out in Python (search/views.py)."""

from django.utils import translation

from search.views import _options_html


def test_facet_options_are_escaped_numbered_and_checked():
    html = _options_html(
        "culture",
        [
            {"value": 'A"><script>', "label": "<b>A</b>", "count": 1234, "checked": True},
            {"value": "Svensk", "label": "Svensk", "count": 2, "checked": False},
        ],
    )
    assert "<script>" not in html and "<b>" not in html
    assert 'value="A&quot;&gt;&lt;script&gt;" checked>' in html
    assert '<label for="f-culture-1">&lt;b&gt;A&lt;/b&gt;' in html
    assert 'id="f-culture-2" name="culture" value="Svensk">' in html
    assert html.count("<li>") == 2


def test_counts_are_written_as_the_template_would():
    with translation.override("sv"):
        html = _options_html(
            "kind", [{"value": "x", "label": "x", "count": 1234, "checked": False}]
        )
    assert '<span class="search-facet__count">(1234)</span>' in html


def test_counts_follow_the_thousand_separator_setting(settings):
    from django.utils.formats import localize

    settings.USE_THOUSAND_SEPARATOR = True
    with translation.override("sv"):
        html = _options_html(
            "kind", [{"value": "x", "label": "x", "count": 1234, "checked": False}]
        )
        expected = localize(1234)
    assert expected != "1234"  # grouped, as Swedish writes it
    assert f'<span class="search-facet__count">({expected})</span>' in html
