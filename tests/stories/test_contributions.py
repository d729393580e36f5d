"""Visitor contributions: the public form, its abuse guards, moderation and the purge."""

import datetime
import io

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from wagtail.models import Locale, ModelLogEntry

import pytest

from stories.contributions.actions import (
    CONSENT_BASIS,
    ApproveContribution,
    ModerationError,
    RejectContribution,
    purge_stale,
)
from stories.contributions.clients import client_address, client_key
from stories.contributions.forms import plain_text
from stories.models import Contribution, Question, QuestionText, Voice
from users.roles import ROLES
from visibility.channels import WEB

pytestmark = pytest.mark.django_db

URL = "/stories/questions/who-decides/"
EN_URL = "/en/stories/questions/who-decides/"


def make_question(slug="who-decides", live=True, accepts=True) -> Question:
    question = Question(slug=slug, live=live, accepts_contributions=accepts)
    question.texts.add(
        QuestionText(locale=Locale.objects.get(language_code="sv"), text="Vem bestämmer?")
    )
    question.texts.add(
        QuestionText(locale=Locale.objects.get(language_code="en"), text="Who decides?")
    )
    question.save()
    return question


@pytest.fixture
def question():
    return make_question()


def answer(**overrides) -> dict:
    data = {
        "text": "Den som tjänar pengar på det.",
        "display_name": "Kim",
        "language": "sv",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def staff(django_user_model, username, role):
    user = django_user_model.objects.create_user(username, password="a long test password 1")
    user.groups.add(Group.objects.get(name=ROLES[role]))
    return user


@pytest.fixture
def reviewer(django_user_model):
    return staff(django_user_model, "reviewer", "ethics_reviewer")


def submit(client, **overrides):
    return client.post(URL, answer(**overrides))


# --- the public page and form ------------------------------------------------------------


def test_the_form_page_in_both_languages(client, question):
    page = client.get(URL)
    assert page.status_code == 200
    html = page.text
    assert "Vem bestämmer?" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'accept-charset="utf-8"' in html
    assert 'name="consent"' in html and 'name="website"' in html
    english = client.get(EN_URL)
    assert english.status_code == 200
    assert "Who decides?" in english.text
    assert "shown publicly on this website" in english.text
    assert question.slug in client.get("/stories/questions/").text


def test_unpublished_question_is_not_found(client):
    make_question(live=False)
    assert client.get(URL).status_code == 404
    assert client.post(URL, answer()).status_code == 404
    assert Contribution.objects.count() == 0
    assert "who-decides" not in client.get("/stories/questions/").text


def test_a_closed_question_takes_no_answers(client, question):
    question.accepts_contributions = False
    question.save()
    page = client.get(URL)
    assert page.status_code == 200 and 'name="text"' not in page.text
    response = submit(client)
    assert response.status_code == 403
    assert Contribution.objects.count() == 0


def test_a_contribution_waits_for_moderation_and_is_never_public_before(client, question):
    response = submit(client, text="Ett väntande svar som ingen får se.")
    assert response.status_code == 302
    assert response["Location"] == "/stories/questions/who-decides/thanks/"
    assert client.get(response["Location"]).status_code == 200
    contribution = Contribution.objects.get()
    assert contribution.status == Contribution.Status.PENDING
    assert contribution.voice is None
    assert list(Contribution.objects.visible_in(WEB)) == []
    assert "Ett väntande svar" not in client.get(URL).text
    assert "Ett väntande svar" not in client.get(EN_URL).text


def test_no_ip_address_is_stored(client, question):
    client.post(URL, answer(), REMOTE_ADDR="203.0.113.77")
    contribution = Contribution.objects.get()
    stored = " ".join(
        str(getattr(contribution, field.attname)) for field in Contribution._meta.concrete_fields
    )
    assert "203.0.113" not in stored
    assert contribution.client_key and len(contribution.client_key) == 32


def test_csrf_is_enforced(question):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(URL, answer()).status_code == 403
    assert Contribution.objects.count() == 0
    page = strict.get(URL)
    token = page.cookies["csrftoken"].value
    response = strict.post(URL, {**answer(), "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Contribution.objects.count() == 1


# --- abuse ---------------------------------------------------------------------------------


def test_honeypot_thanks_the_bot_and_keeps_nothing(client, question):
    response = submit(client, website="http://spam.example/")
    assert response.status_code == 302
    assert response["Location"].endswith("/thanks/")
    assert Contribution.objects.count() == 0


@pytest.fixture
def one_window(settings, monkeypatch):
    """One rate-limit window and one client-key day for the whole test, whatever the clock."""
    settings.CONTRIBUTION_RATE_WINDOW = 10**10
    monkeypatch.setattr("stories.contributions.clients._today", lambda: "2027-01-01")


def test_rate_limit_per_client_keeps_the_text(client, question, settings, one_window):
    settings.CONTRIBUTION_RATE_LIMIT = 2
    for number in range(2):
        assert submit(client, text=f"Svar nummer {number}").status_code == 302
    refused = submit(client, text="Ett tredje svar för snabbt")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Ett tredje svar för snabbt" in refused.text
    assert Contribution.objects.count() == 2
    # Another client is not affected.
    other = client.post(URL, answer(text="Från någon annan"), REMOTE_ADDR="198.51.100.9")
    assert other.status_code == 302
    assert Contribution.objects.count() == 3


def test_honeypot_hits_count_against_the_rate_limit(client, question, settings, one_window):
    settings.CONTRIBUTION_RATE_LIMIT = 1
    submit(client, website="bot")
    assert submit(client).status_code == 429
    assert Contribution.objects.count() == 0


def test_client_keys_hash_the_address_and_group_ipv6_networks(rf, settings, one_window):
    first = rf.get("/", REMOTE_ADDR="2001:db8:1:2::1")
    same_network = rf.get("/", REMOTE_ADDR="2001:db8:1:2:ffff::9")
    other = rf.get("/", REMOTE_ADDR="2001:db8:1:3::1")
    assert client_key(first) == client_key(same_network) != client_key(other)
    assert "2001" not in client_key(first)
    # Behind one trusted proxy the address it saw counts, not what the client claims.
    settings.CONTRIBUTION_TRUSTED_PROXIES = 1
    proxied = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 192.0.2.5")
    assert client_address(proxied) == "192.0.2.5"


def test_a_10_mb_body_is_refused_with_413(client, question):
    body = b"text=" + b"a" * (10 * 1024 * 1024)
    response = client.generic("POST", URL, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    # Refused before the CSRF check reads the body (which would answer 400).
    strict = Client(enforce_csrf_checks=True)
    refused = strict.generic("POST", URL, body, content_type="multipart/form-data; boundary=x")
    assert refused.status_code == 413
    assert (
        "too large"
        in client.generic(
            "POST", EN_URL, body, content_type="application/x-www-form-urlencoded"
        ).text
    )
    assert Contribution.objects.count() == 0


def test_a_too_long_answer_is_a_form_error_that_keeps_the_text(client, question):
    text = "ord " * 400
    response = submit(client, text=text)
    assert response.status_code == 200
    assert "ord ord ord" in response.text
    assert Contribution.objects.count() == 0


@pytest.mark.parametrize(
    "body, content_type",
    [
        (b"text=%FF%FEbad&language=sv&consent=on", "application/x-www-form-urlencoded"),
        (b"text=\xc3\x28raw&language=sv&consent=on", "application/x-www-form-urlencoded"),
        (
            "text=h\u00e4r&language=sv&consent=on".encode("latin-1"),
            "application/x-www-form-urlencoded; charset=iso-8859-1",
        ),
    ],
    ids=["percent-encoded", "raw-bytes", "declared-latin-1"],
)
def test_invalid_utf8_is_refused_with_a_clear_error(client, question, body, content_type):
    response = client.generic("POST", EN_URL, body, content_type=content_type)
    assert response.status_code == 400
    assert "not sent as UTF-8" in response.text
    assert 'name="text"' in response.text  # the form is shown again
    assert Contribution.objects.count() == 0


def test_invalid_utf8_in_multipart_is_refused(client, question):
    boundary = "XyZ"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="text"\r\n\r\n'.encode()
        + b"\xff\xfe broken\r\n"
        + f'--{boundary}\r\nContent-Disposition: form-data; name="consent"\r\n\r\non\r\n'
        f"--{boundary}--\r\n".encode()
    )
    response = client.generic(
        "POST", URL, body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 400
    assert Contribution.objects.count() == 0


def test_control_characters_are_stripped(client, question):
    submit(client, text="Hej\x00\x07 där\u202e!\r\n\r\n\r\n\r\nNy rad\x1b", display_name="K\x08im")
    contribution = Contribution.objects.get()
    assert contribution.text == "Hej där!\n\nNy rad"
    assert contribution.display_name == "Kim"
    assert plain_text("\tindent\u2066", multiline=False) == "indent"


def test_a_text_of_only_control_characters_is_an_error(client, question):
    response = submit(client, text="\x00\x01\x02")
    assert response.status_code == 200
    assert Contribution.objects.count() == 0


def test_the_form_keeps_the_text_on_error(client, question):
    response = client.post(EN_URL, answer(text="Mitt viktiga svar <3", consent=None))
    assert response.status_code == 200
    html = response.text
    assert "Mitt viktiga svar &lt;3" in html
    assert 'value="Kim"' in html
    assert "Tick the box to agree" in html
    assert 'aria-describedby="id_consent_helptext id_consent_error"' in html
    assert Contribution.objects.count() == 0


# --- moderation ----------------------------------------------------------------------------


def pending(question, **fields) -> Contribution:
    defaults = {"text": "Ett svar", "display_name": "Kim", "language": "sv", "client_key": "k1"}
    return Contribution.objects.create(question=question, **{**defaults, **fields})


def test_approval_creates_a_visible_visitor_voice(client, question, reviewer):
    contribution = pending(question, text="Skulden ligger hos köparna.", display_name="Sam")
    ApproveContribution(contribution, user=reviewer, note="Ok").execute()
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.APPROVED
    assert contribution.moderated_by == reviewer and contribution.moderated_at
    assert contribution.client_key == ""
    voice = contribution.voice
    assert voice.role == Voice.Role.VISITOR
    assert voice.display_name == "Sam"
    assert list(Voice.objects.visible_in(WEB).filter(pk=voice.pk)) == [voice]
    consent = voice.consents.get()
    assert consent.web and not (consent.exhibition or consent.touring or consent.print)
    event = consent.events.get()
    assert event.basis == CONSENT_BASIS and event.by == reviewer
    assert list(Contribution.objects.visible_in(WEB)) == [contribution]
    html = client.get(EN_URL).text
    assert "Skulden ligger hos köparna." in html
    assert "Sam" in html
    assert '<span class="contribution__role">visitor</span>' in html
    assert ModelLogEntry.objects.filter(
        action="stories.contribution.approve", object_id=str(contribution.pk), user=reviewer
    ).exists()


def test_an_anonymous_contribution_is_shown_as_anonymous(client, question, reviewer):
    contribution = pending(question, display_name="", language="en", text="No names.")
    ApproveContribution(contribution, user=reviewer).execute()
    assert contribution.voice.display_name == "Anonymous visitor"
    html = client.get(EN_URL).text
    assert "No names." in html and "Anonymous" in html


def test_markup_is_escaped_on_the_public_page(client, question, reviewer):
    submit(
        client,
        text='<script>alert("x")</script><img src=x onerror=alert(1)> <b>fet</b>',
        display_name="<i>Eve</i>",
    )
    contribution = Contribution.objects.get()
    assert contribution.text.startswith("<script>")  # stored as typed, as plain text
    ApproveContribution(contribution, user=reviewer).execute()
    html = client.get(URL).text
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>fet" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;i&gt;Eve&lt;/i&gt;" in html


def test_rejected_contributions_show_nothing(client, question, reviewer):
    contribution = pending(question, text="Ett avvisat svar.")
    RejectContribution(contribution, user=reviewer, note="Namnger en person").execute()
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.REJECTED
    assert contribution.voice is None and contribution.client_key == ""
    assert contribution.moderation_note == "Namnger en person"
    assert "Ett avvisat svar." not in client.get(URL).text
    assert "Namnger en person" not in client.get(URL).text
    assert ModelLogEntry.objects.filter(action="stories.contribution.reject").exists()
    with pytest.raises(ModerationError):
        RejectContribution(contribution, user=reviewer).execute()


def test_taking_down_withdraws_the_consent(client, question, reviewer):
    contribution = pending(question, text="Först synligt, sedan borta.")
    ApproveContribution(contribution, user=reviewer).execute()
    assert "Först synligt" in client.get(URL).text
    RejectContribution(contribution, user=reviewer, note="Skribenten bad om det").execute()
    assert "Först synligt" not in client.get(URL).text
    consent = contribution.voice.consents.get()
    assert consent.is_withdrawn
    assert not Voice.objects.visible_in(WEB).filter(pk=contribution.voice_id).exists()
    with pytest.raises(ModerationError):
        ApproveContribution(contribution, user=reviewer).execute()


def test_an_unpublished_question_hides_its_approved_answers(client, question, reviewer):
    contribution = pending(question)
    ApproveContribution(contribution, user=reviewer).execute()
    question.live = False
    question.save()
    assert list(Contribution.objects.visible_in(WEB)) == []


# --- moderation in the admin, and who may do it ----------------------------------------------


ADMIN_INDEX = "/admin/visitor_contributions/"


def moderate_url(contribution):
    return f"/admin/visitor_contributions/moderate/{contribution.pk}/"


@pytest.mark.parametrize("role", ["ethics_reviewer", "educator"])
def test_moderators_see_pending_and_approve_in_the_admin(client, question, django_user_model, role):
    user = staff(django_user_model, "moderator", role)
    key = "c0ffee0ddba11c1ient"
    waiting = pending(question, text="Väntar <b>här</b>, mejla mig på a@b.se", client_key=key)
    pending(question, text="Ett till från samma klient", client_key=key)
    done = pending(question, text="Redan godkänt svar")
    ApproveContribution(done, user=user).execute()
    client.force_login(user)
    listing = client.get(ADMIN_INDEX)
    assert listing.status_code == 200
    assert "Väntar &lt;b&gt;här&lt;/b&gt;" in listing.text
    assert "Redan godkänt svar" not in listing.text  # pending only, by default
    assert key not in listing.text  # the client key is never shown
    assert "/admin/visitor_contributions/" in client.get("/admin/").text  # in the menu
    assert "Redan godkänt svar" in client.get(ADMIN_INDEX + "?status=approved").text
    page = client.get(moderate_url(waiting))
    assert page.status_code == 200
    assert "Väntar &lt;b&gt;här&lt;/b&gt;" in page.text
    assert key not in page.text
    response = client.post(moderate_url(waiting), {"action": "approve", "note": "Bra"})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Contribution.Status.APPROVED
    history = client.get(f"/admin/visitor_contributions/history/{waiting.pk}/")
    assert history.status_code == 200


def test_rejecting_a_flood_from_one_client(client, question, reviewer):
    flood = [pending(question, text=f"Spam {n}", client_key="flood") for n in range(3)]
    other = pending(question, text="Ett ärligt svar", client_key="honest")
    client.force_login(reviewer)
    response = client.post(moderate_url(flood[0]), {"action": "reject_client"})
    assert response.status_code == 302
    assert set(
        Contribution.objects.filter(pk__in=[c.pk for c in flood]).values_list("status", flat=True)
    ) == {Contribution.Status.REJECTED}
    other.refresh_from_db()
    assert other.status == Contribution.Status.PENDING


@pytest.mark.parametrize("role", ["curator", "translator", "registrar", "venue_coordinator"])
def test_others_cannot_moderate(client, question, django_user_model, role):
    user = staff(django_user_model, "other", role)
    contribution = pending(question)
    client.force_login(user)
    assert client.get(ADMIN_INDEX).status_code in (302, 403)
    assert client.get(moderate_url(contribution)).status_code in (302, 403)
    response = client.post(moderate_url(contribution), {"action": "approve"})
    assert response.status_code in (302, 403)
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.PENDING and contribution.voice is None
    with pytest.raises(PermissionDenied):
        ApproveContribution(contribution, user=user).execute()


def test_anonymous_users_are_sent_to_the_login(client, question):
    contribution = pending(question)
    response = client.post(moderate_url(contribution), {"action": "approve"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.PENDING


def test_nobody_adds_or_deletes_contributions_in_the_admin(client, question, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="a long test password 1")
    client.force_login(admin)
    assert client.get(ADMIN_INDEX + "new/").status_code == 404
    assert client.get(ADMIN_INDEX + f"delete/{pending(question).pk}/").status_code == 404


def test_curators_may_write_questions(client, django_user_model):
    curator = staff(django_user_model, "curator", "curator")
    client.force_login(curator)
    assert client.get("/admin/visitor_questions/").status_code == 200
    assert client.get("/admin/visitor_questions/new/").status_code == 200


# --- retention -------------------------------------------------------------------------------


def test_purge_deletes_stale_pending_and_rejected_data(question, reviewer, settings):
    settings.CONTRIBUTION_RETENTION_DAYS = 30
    now = timezone.now()
    old = now - datetime.timedelta(days=31)
    stale = pending(question, text="Gammalt väntande")
    fresh = pending(question, text="Nytt väntande")
    rejected = pending(question, text="Gammalt avvisat")
    RejectContribution(rejected, user=reviewer).execute()
    approved = pending(question, text="Publicerat")
    ApproveContribution(approved, user=reviewer).execute()
    taken_down = pending(question, text="Nedtaget")
    ApproveContribution(taken_down, user=reviewer).execute()
    RejectContribution(taken_down, user=reviewer).execute()
    Contribution.objects.filter(pk=stale.pk).update(submitted_at=old)
    Contribution.objects.exclude(pk=fresh.pk).update(moderated_at=old)

    out = io.StringIO()
    call_command("purge_contributions", stdout=out)
    assert "deleted 1 pending and 1 rejected" in out.getvalue()

    remaining = set(Contribution.objects.values_list("pk", flat=True))
    assert remaining == {fresh.pk, approved.pk, taken_down.pk}
    taken_down.refresh_from_db()
    assert taken_down.text == "" and taken_down.display_name == ""
    assert taken_down.voice.consents.get().is_withdrawn  # the ledger stays
    assert purge_stale() == {"pending": 0, "taken_down": 0, "rejected": 0}
