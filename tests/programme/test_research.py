from django.core.exceptions import ValidationError

import pytest

from collection.factories import ObjectRecordFactory
from programme.models import (
    ResearchArticleObject,
    ResearchArticlePage,
    ResearchAuthor,
    ResearchIndexPage,
    ResearchReference,
)
from stories.models import Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(home_page):
    index = ResearchIndexPage(title="Forskning", slug="research")
    home_page.add_child(instance=index)
    page = ResearchArticlePage(
        title="Objects and debt",
        slug="objects-and-debt",
        abstract="What objects tell about coercion.",
        body="<h2>Introduction</h2><p>The body of the article.</p>",
    )
    page.authors.add(ResearchAuthor(name="Ada Author", affiliation="Example University"))
    page.authors.add(ResearchAuthor(name="Bo Second", affiliation=""))
    page.references.add(ResearchReference(citation="First reference.", doi="10.5555/demo.1"))
    page.references.add(
        ResearchReference(citation="Second reference.", url="https://example.org/r")
    )
    page.linked_objects.add(ResearchArticleObject(object=ObjectRecordFactory(title="Synlig skål")))
    page.linked_objects.add(
        ResearchArticleObject(object=ObjectRecordFactory(title="Dold skål", is_published=False))
    )
    theme = Theme.objects.create(name="Förtroende", slug="trust", locale=home_page.locale)
    page.themes.set([theme])
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_article_page_shows_authors_in_order_references_objects_and_themes(client, article):
    text = client.get(article.url).text
    assert text.index("Ada Author") < text.index("Bo Second")
    assert "Example University" in text
    assert text.index("First reference.") < text.index("Second reference.")
    assert 'href="https://doi.org/10.5555/demo.1"' in text
    assert "Synlig skål" in text and "Dold skål" not in text
    assert "Förtroende" in text
    assert f'href="{article.url}pdf/"' in text


def test_index_lists_live_articles(client, article):
    index = article.get_parent()
    assert "Objects and debt" in client.get(index.url).text
    article.unpublish()
    assert "Objects and debt" not in client.get(index.url).text


def test_article_pdf_is_a_pdf(client, article):
    response = client.get(article.url + "pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert b"%%EOF" in response.content[-32:]


def test_pdf_html_leaves_out_unpublished_objects(article):
    from programme.research_pdf import render_html

    html = render_html(article)
    assert "Synlig skål" in html and "Dold skål" not in html
    assert "Ada Author" in html and "10.5555/demo.1" in html


def test_unpublished_article_has_no_pdf(client, article):
    url = article.url + "pdf/"
    article.unpublish()
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("field", "value"),
    [("doi", "doi.org/10.1/x"), ("doi", "10.12/abc"), ("url", "javascript:alert(1)")],
)
def test_references_validate_doi_and_url(field, value):
    reference = ResearchReference(citation="A reference.", **{field: value})
    with pytest.raises(ValidationError) as caught:
        reference.full_clean(exclude=["page"])
    assert field in caught.value.message_dict


def test_sitemap_lists_the_article_and_its_pdf(client, article):
    text = client.get("/sitemap.xml").text
    assert "/research/objects-and-debt/" in text
    assert "/research/objects-and-debt/pdf/" in text
