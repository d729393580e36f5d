import re
from io import StringIO

from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

import pytest

from exhibition.labels import build_pdf, collect_labels, render_document
from tests.exhibition.layout_builders import ANONYMOUS_NAME, build_show

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_language():
    """Earlier requests leave their language active in the thread; start from Swedish (and
    hand back whatever was active, as other modules may rely on it)."""
    with translation.override("sv"):
        yield


def document_text(document) -> str:
    """The text WeasyPrint laid out, page by page (no PDF reader is installed)."""

    def walk(box):
        text = getattr(box, "text", None)
        if text:
            yield text
        for child in getattr(box, "children", []):
            yield from walk(child)

    return "\n".join(" ".join(walk(page._page_box)) for page in document.pages)


@pytest.mark.parametrize(("size", "width_mm"), [("A6", 148), ("A5", 210)])
def test_the_pdf_holds_every_printable_label(size, width_mm):
    show = build_show()
    label_set = collect_labels(show["venue"], "sv", size)
    document = render_document(label_set)
    assert len(document.pages) == 2  # one label per page
    assert round(document.pages[0].width * 25.4 / 96) == width_mm  # landscape
    text = document_text(document)
    assert "En skål ur samlingen." in text
    assert "En lånad mask." in text
    assert "Opublicerad etikett." not in text  # not published
    assert "Ett kort lån." not in text  # the loan does not cover the venue
    assert build_pdf(label_set).startswith(b"%PDF-")
    pdf = build_pdf(label_set, uncompressed=True)
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 2


def test_loans_carry_their_credit_line_and_never_an_anonymous_name():
    show = build_show()
    text = document_text(render_document(collect_labels(show["venue"], "sv")))
    assert "Inlånat från Privat samling" in text
    assert ANONYMOUS_NAME not in text
    pdf = build_pdf(collect_labels(show["venue"], "sv"), uncompressed=True)
    assert ANONYMOUS_NAME.encode() not in pdf


def test_the_loans_own_credit_line_wins(django_db_setup):
    from wagtail.models import Locale

    from collection.models import LoanCreditLine

    show = build_show()
    loan = show["covered"].object.loans.get()
    LoanCreditLine.objects.create(
        loan=loan,
        locale=Locale.objects.get(language_code="en"),
        text="Lent by a private collection",
    )
    text = document_text(render_document(collect_labels(show["venue"], "en")))
    assert "Lent by a private collection" in text
    assert "A borrowed mask." in text


def test_build_labels_command_writes_the_pdf_with_progress(tmp_path):
    build_show()
    output = tmp_path / "labels.pdf"
    out = StringIO()
    call_command(
        "build_labels", venue="home", language="en", size="A5", output=str(output), stdout=out
    )
    assert output.read_bytes().startswith(b"%PDF")
    assert "2/2 placements" in out.getvalue()
    with pytest.raises(CommandError, match="not 'de'"):
        call_command("build_labels", venue="home", language="de", output=str(output))
    with pytest.raises(CommandError, match="No venue"):
        call_command("build_labels", venue="nowhere", language="sv", output=str(output))


def test_staff_download_the_pdf_in_the_admin(client, django_user_model):
    show = build_show()
    url = reverse("exhibition_layout_labels", args=[show["venue"].pk])
    assert client.get(url + "?language=sv&size=A6").status_code == 302  # to the login
    client.force_login(django_user_model.objects.create_superuser("c", password="pw"))  # noqa: S106
    response = client.get(url + "?language=sv&size=A6")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client.get(url + "?language=sv&size=A3").status_code == 400


def test_print_sizes_are_written_as_css_numbers_in_every_language():
    # Swedish formats 10.5 as "10,5", which CSS (and WeasyPrint) silently ignores.
    from exhibition.labels import render_html

    show = build_show()
    for language in ("sv", "en"):
        html = render_html(collect_labels(show["venue"], language, "A6"))
        assert "font-size: 10.5pt" in html
        assert "10,5pt" not in html
