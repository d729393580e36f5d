"""The anonymous response cache: hits for repeated requests, and every change that alters
what a visitor may see shows at once (publish, unpublish, consent withdrawal, loan changes)."""

import datetime
from unittest import mock

from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction

import pytest

from collection.factories import LenderFactory, LoanAgreementFactory, ObjectRecordFactory
from collection.models import LoanAgreement
from responsecache.middleware import HIT_HEADER
from responsecache.models import bump_generation, current_generation
from responsecache.receivers import affects_public_content
from tests.stories.test_contributions import make_question
from tests.stories.testimony_builders import everywhere, spoken_testimony

pytestmark = pytest.mark.django_db


def cache_state(response) -> str | None:
    return response.headers.get(HIT_HEADER)


def test_a_repeated_anonymous_request_is_served_from_the_cache(client, home_page):
    first = client.get("/")
    second = client.get("/")
    assert (cache_state(first), cache_state(second)) == ("miss", "hit")
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_each_language_and_query_has_its_own_entry(client, english_home):
    client.get("/")
    assert cache_state(client.get("/en/")) == "miss"
    assert cache_state(client.get("/?page=2")) == "miss"
    assert cache_state(client.get("/en/")) == "hit"


def test_head_is_answered_from_a_cached_get(client, home_page):
    client.get("/")
    assert cache_state(client.head("/")) == "hit"


def test_a_published_change_shows_at_once(client, home_page):
    client.get("/")
    home_page.intro = "<p>A new introduction, published just now.</p>"
    home_page.save_revision().publish()
    response = client.get("/")
    assert cache_state(response) == "miss"
    assert "A new introduction, published just now." in response.text


def test_an_unpublished_page_is_gone_at_once(client, english_home):
    assert "Trafficking (en)" in client.get("/en/").text
    assert cache_state(client.get("/en/")) == "hit"
    english_home.unpublish()
    response = client.get("/en/")
    assert cache_state(response) == "miss"
    assert "Trafficking (en)" not in response.text


def test_testimony_pages_are_never_kept_and_a_withdrawal_invalidates(client):
    testimony = spoken_testimony(consent=everywhere())
    url = f"/stories/testimonies/{testimony.slug}/"
    listing = "/stories/testimonies/"
    assert url in client.get(listing).text
    # Testimonies say private, no-cache (withdrawal must act at once): never stored here.
    assert cache_state(client.get(listing)) is None
    before = current_generation()

    testimony.voice.consents.get().withdraw(by=None, basis="Withdrawn by phone.")

    assert current_generation() > before
    assert client.get(url).status_code == 404
    assert url not in client.get(listing).text


def test_a_loan_change_takes_the_object_away_at_once(client, home_page):
    obj = ObjectRecordFactory(lender=LenderFactory())
    loan = LoanAgreementFactory(lender=obj.lender, loaned_objects=[obj])
    url = f"/collection/{obj.pk}/"
    assert client.get(url).status_code == 200
    assert cache_state(client.get(url)) == "hit"
    loan.status = LoanAgreement.Status.REQUESTED
    loan.save()
    assert client.get(url).status_code == 404


def test_removing_an_object_from_a_loan_takes_it_away_at_once(client, home_page):
    obj = ObjectRecordFactory(lender=LenderFactory())
    loan = LoanAgreementFactory(lender=obj.lender, loaned_objects=[obj])
    url = f"/collection/{obj.pk}/"
    client.get(url)
    assert cache_state(client.get(url)) == "hit"
    loan.loaned_objects.remove(obj)
    loan.save()  # parental many-to-many relations are written on save
    assert client.get(url).status_code == 404


def test_the_date_is_part_of_the_key(client, home_page):
    client.get("/")
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    with mock.patch("responsecache.middleware.timezone.localdate", return_value=tomorrow):
        assert cache_state(client.get("/")) == "miss"


def test_signed_in_staff_never_get_or_fill_cached_pages(client, admin_client, home_page):
    client.get("/")
    response = admin_client.get("/")
    assert cache_state(response) is None
    assert cache_state(admin_client.get("/")) is None


def test_a_request_with_a_session_cookie_bypasses_the_cache(client, home_page):
    client.get("/")
    session = SessionStore()
    session.create()
    client.cookies["sessionid"] = session.session_key
    assert cache_state(client.get("/")) is None


def test_requests_with_authorization_are_not_cached(client, home_page):
    client.get("/")
    assert cache_state(client.get("/", HTTP_AUTHORIZATION="Bearer x")) is None


def test_responses_that_set_cookies_are_not_stored(client):
    question = make_question()
    # A question page holds the contribution form and sets the CSRF cookie: a cached copy
    # would hand one visitor's token to the next.
    url = f"/stories/questions/{question.slug}/"
    first = client.get(url)
    assert first.status_code == 200
    assert first.cookies, "the form is expected to set the CSRF cookie"
    assert cache_state(first) is None
    fresh = client.__class__()
    assert cache_state(fresh.get(url)) is None


def test_private_and_uncacheable_responses_are_not_stored(client):
    testimony = spoken_testimony(consent=everywhere())
    recording = f"/stories/testimonies/{testimony.slug}/recording/"
    assert client.get(recording).status_code == 200
    assert cache_state(client.get(recording)) is None


def test_errors_are_not_stored(client, home_page):
    assert client.get("/no-such-page/").status_code == 404
    assert cache_state(client.get("/no-such-page/")) is None


def test_skipped_prefixes_are_never_cached(client, home_page):
    client.get("/robots.txt")
    client.get("/sitemap.xml")
    assert cache_state(client.get("/api/search/openapi.json")) is None


def test_the_cache_can_be_switched_off(client, home_page, settings):
    settings.RESPONSE_CACHE = False
    client.get("/")
    assert cache_state(client.get("/")) is None


def test_a_rolled_back_write_leaves_the_generation_alone():
    before = current_generation()
    with pytest.raises(RuntimeError), transaction.atomic():
        ObjectRecordFactory()
        assert current_generation() > before
        raise RuntimeError("roll back")
    assert current_generation() == before


def test_bookkeeping_writes_do_not_invalidate(home_page):
    from django.contrib.sessions.models import Session

    from wagtail.models import Revision

    from responsecache.models import ContentGeneration

    assert not affects_public_content(Session)
    assert not affects_public_content(Revision)
    assert not affects_public_content(ContentGeneration)
    assert affects_public_content(LoanAgreement)
    assert affects_public_content(type(home_page))
    before = current_generation()
    SessionStore().create()
    assert current_generation() == before


def test_the_generation_row_is_recreated_if_missing():
    from responsecache.models import ContentGeneration

    ContentGeneration.objects.all().delete()
    assert current_generation() == 0
    bump_generation()
    assert current_generation() == 1


def test_a_cached_narrative_page_drops_a_withdrawn_voice_at_once(client, home_page):
    from tests.exhibition.test_narrative_blocks import build_tree, excerpt

    testimony = spoken_testimony(consent=everywhere())
    tree = build_tree(home_page, [excerpt(testimony, text="ORDEN som sades")])
    url = tree.page.get_url()
    assert "ORDEN som sades" in client.get(url).text
    assert cache_state(client.get(url)) == "hit"

    testimony.voice.consents.get().withdraw(by=None, basis="Withdrawn by phone.")

    response = client.get(url)
    assert cache_state(response) == "miss"
    assert "ORDEN som sades" not in response.text
