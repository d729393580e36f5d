"""Confidential data never reaches public output: crawl every public URL of the demo."""

import re
from io import StringIO

from django.core.management import call_command

import pytest

from collection.models import Lender, LoanAgreement, ObjectRecord
from tests.crawler import Crawler, client_fetcher
from visibility.channels import WEB

pytestmark = pytest.mark.django_db


def money_forms(value) -> set[str]:
    """The ways a page might print an amount: 2450000, 2450000.00, 2 450 000, 2,450,000 …"""
    whole = int(value)
    grouped = f"{whole:,}"
    return {
        str(whole),
        f"{value:.2f}",
        grouped,
        grouped.replace(",", " "),
        grouped.replace(",", "\u00a0"),
        grouped.replace(",", "."),
    }


@pytest.fixture
def demo_crawl(settings, tmp_path, client):
    settings.VAR_DIR = tmp_path
    settings.WAGTAILADMIN_BASE_URL = "http://testserver"
    call_command("load_demo", "--no-admin", stdout=StringIO())
    pages = Crawler(client_fetcher(client)).crawl()
    # Ask for Linked Art by content negotiation too, for every object page found.
    for path in [p for p in pages if re.fullmatch(r"(/en)?/collection/\d+/", p)]:
        response = client.get(path, HTTP_ACCEPT="application/ld+json")
        pages[path + "#ld"] = type(pages[path])(
            path, response.status_code, response["Content-Type"], response.content
        )
    return pages


def test_public_output_of_the_demo(demo_crawl):
    """One crawl (loading the demo is slow), four checks."""
    check_crawl_reaches_objects_loans_and_linked_art(demo_crawl)
    check_no_confidential_value_in_any_public_output(demo_crawl)
    check_hidden_objects_appear_nowhere(demo_crawl)
    check_anonymous_lender_shows_as_private_collection(demo_crawl)


def check_crawl_reaches_objects_loans_and_linked_art(demo_crawl):
    object_pages = [p for p in demo_crawl if re.fullmatch(r"/collection/\d+/", p)]
    assert len(object_pages) >= 30
    assert any(p.endswith(".jsonld") for p in demo_crawl)
    assert Crawler(client_fetcher(None)).failures(demo_crawl) == {}


def check_no_confidential_value_in_any_public_output(demo_crawl):
    secrets = set()
    for loan in LoanAgreement.objects.all():
        secrets |= money_forms(loan.insurance_value)
        secrets.add(loan.number)  # loan numbers are internal
        if loan.notes:
            secrets.add(loan.notes)
    for lender in Lender.objects.all():
        secrets |= {
            v
            for v in (
                lender.contact_name,
                lender.contact_email,
                lender.contact_phone,
                lender.address,
                lender.notes,
            )
            if v
        }
        if lender.is_anonymous:
            secrets.add(lender.name)
            secrets |= {part for part in lender.name.split() if len(part) > 5 and part != "(demo)"}
    for obj in ObjectRecord.objects.exclude(sensitivity_note=""):
        secrets.add(obj.sensitivity_note)
    assert "Margareta Hemligsdotter (demo)" in secrets  # the demo's anonymous lender is checked
    leaks = [
        (path, secret)
        for path, fetched in demo_crawl.items()
        for secret in secrets
        if secret in fetched.text
    ]
    assert leaks == []


def check_hidden_objects_appear_nowhere(demo_crawl):
    hidden = ObjectRecord.objects.exclude(pk__in=ObjectRecord.objects.visible_in(WEB))
    assert hidden.filter(inventory_number__in=["DEMO-007", "DEMO-012"]).count() == 2
    everything = "\n".join(f.text for f in demo_crawl.values())
    for obj in hidden:
        assert obj.inventory_number not in everything, obj
        assert f"/collection/{obj.pk}/" not in everything


def check_anonymous_lender_shows_as_private_collection(demo_crawl):
    anonymous = Lender.objects.get(is_anonymous=True)
    obj = anonymous.held_objects.visible_in(WEB).first()
    assert "Private collection" in demo_crawl[f"/en/collection/{obj.pk}/"].text
