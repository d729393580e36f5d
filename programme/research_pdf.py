"""The PDF of a research article, laid out by WeasyPrint from the same public values as the
article page (authors, abstract, body, references, linked objects the web shows, themes)."""

from django.template.loader import render_to_string

from collection.printing import weasyprint_html
from programme.public import research_article_content


def render_html(article, request=None) -> str:
    context = {"page": article, **research_article_content(article)}
    return render_to_string("programme/research_article_pdf.html", context, request=request)


def build_pdf(article, request=None) -> bytes:
    HTML = weasyprint_html()  # noqa: N806 (a class)

    # No base URL: the PDF fetches nothing (images, fonts or styles) from anywhere.
    return HTML(string=render_html(article, request), base_url=None).write_pdf()
