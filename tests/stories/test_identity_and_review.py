"""Real identities: encrypted at rest, for ethics reviewers only, every read and change in the
audit log. Publication of testimonies: only through the ethics review."""

from django.contrib.auth.models import Group
from django.db import connection

from wagtail.models import ModelLogEntry, Workflow

import pytest

from stories import factories
from stories.models import Consent, Perspective, Voice, VoiceIdentity
from users.roles import ROLES
from visibility.channels import WEB

pytestmark = pytest.mark.django_db

SECRET_NAME = "Fatima Exempelsdotter-Unik"
SECRET_CONTACT = "+46 70 000 00 00, hidden.person@example.invalid"


def staff(django_user_model, username, role):
    user = django_user_model.objects.create_user(username, password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=ROLES[role]))
    return user


@pytest.fixture
def reviewer(django_user_model):
    return staff(django_user_model, "reviewer", "ethics_reviewer")


@pytest.fixture
def curator(django_user_model):
    return staff(django_user_model, "curator", "curator")


def save_identity(client, voice):
    return client.post(
        f"/admin/stories/voices/{voice.pk}/identity/",
        {"real_name": SECRET_NAME, "contact": SECRET_CONTACT, "notes": "Met via NGO"},
    )


def test_identity_is_encrypted_at_rest(client, reviewer):
    voice = factories.VoiceFactory()
    client.force_login(reviewer)
    assert save_identity(client, voice).status_code == 302
    with connection.cursor() as cursor:
        cursor.execute("SELECT real_name_encrypted, contact_encrypted FROM stories_voiceidentity")
        rows = cursor.fetchall()
    raw = b"".join(bytes(value) for row in rows for value in row)
    assert raw and SECRET_NAME.encode() not in raw and b"hidden.person" not in raw
    identity = VoiceIdentity.objects.get(voice=voice)
    assert identity.real_name == SECRET_NAME and identity.contact == SECRET_CONTACT


def test_every_read_and_change_is_in_the_audit_log_without_the_identity(client, reviewer):
    voice = factories.VoiceFactory()
    client.force_login(reviewer)
    save_identity(client, voice)
    response = client.get(f"/admin/stories/voices/{voice.pk}/identity/")
    assert response.status_code == 200
    assert SECRET_NAME in response.text
    assert "no-store" in response["Cache-Control"]
    entries = ModelLogEntry.objects.filter(object_id=str(voice.pk)).order_by("timestamp")
    assert [e.action for e in entries] == ["stories.identity.change", "stories.identity.view"]
    assert all(e.user_id == reviewer.pk for e in entries)
    logged = " ".join(str(e.data) + e.label for e in entries)
    assert SECRET_NAME not in logged and "hidden.person" not in logged


@pytest.mark.parametrize(
    "role", ["curator", "registrar", "educator", "translator", "venue_coordinator"]
)
def test_other_roles_cannot_read_or_change_identities(client, django_user_model, role):
    voice = factories.VoiceFactory()
    identity = VoiceIdentity(voice=voice)
    identity.real_name = SECRET_NAME
    identity.save()
    client.force_login(staff(django_user_model, f"user-{role}", role))
    response = client.get(f"/admin/stories/voices/{voice.pk}/identity/")
    assert response.status_code in (302, 403)
    assert SECRET_NAME not in response.text
    assert save_identity(client, voice).status_code in (302, 403)
    assert VoiceIdentity.objects.get(voice=voice).real_name == SECRET_NAME
    assert client.get(f"/admin/stories/voices/{voice.pk}/consent/").status_code in (302, 403)


def test_identity_never_reaches_the_voice_edit_form(client, reviewer):
    voice = factories.VoiceFactory()
    identity = VoiceIdentity(voice=voice)
    identity.real_name = SECRET_NAME
    identity.save()
    client.force_login(reviewer)
    response = client.get(f"/admin/snippets/stories/voice/edit/{voice.pk}/")
    assert response.status_code == 200
    assert SECRET_NAME not in response.text


def test_consent_is_recorded_and_withdrawn_from_the_admin(client, reviewer):
    voice = factories.VoiceFactory()
    client.force_login(reviewer)
    response = client.post(
        f"/admin/stories/voices/{voice.pk}/consent/",
        {
            "action": "grant",
            "grant-channels": ["web", "exhibition"],
            "grant-countries": "*",
            "grant-basis": "Signed form",
        },
    )
    assert response.status_code == 302
    assert Voice.objects.visible_in(WEB).filter(pk=voice.pk).exists()
    # A withdrawal without the confirmation box changes nothing.
    response = client.post(
        f"/admin/stories/voices/{voice.pk}/consent/",
        {"action": "withdraw", "withdraw-basis": "Call"},
    )
    assert response.status_code == 200
    assert Voice.objects.visible_in(WEB).filter(pk=voice.pk).exists()
    response = client.post(
        f"/admin/stories/voices/{voice.pk}/consent/",
        {"action": "withdraw", "withdraw-basis": "Call", "withdraw-confirm": "on"},
    )
    assert response.status_code == 302
    assert not Voice.objects.visible_in(WEB).filter(pk=voice.pk).exists()
    assert Consent.objects.get(voice=voice).is_withdrawn
    actions = list(
        ModelLogEntry.objects.filter(object_id=str(voice.pk)).values_list("action", flat=True)
    )
    assert "stories.consent.grant" in actions and "stories.consent.withdraw" in actions


def test_bad_consent_form_keeps_what_was_typed(client, reviewer):
    voice = factories.VoiceFactory()
    client.force_login(reviewer)
    response = client.post(
        f"/admin/stories/voices/{voice.pk}/consent/",
        {
            "action": "grant",
            "grant-channels": ["web"],
            "grant-countries": "Sverige",
            "grant-basis": "Signed form of 3 May",
        },
    )
    assert response.status_code == 200
    # The admin speaks Swedish by default.
    assert "inte landskoder enligt ISO 3166-1" in response.text
    assert "Signed form of 3 May" in response.text
    assert not Consent.objects.filter(voice=voice).exists()


# --- ethics review -------------------------------------------------------------------------


def test_testimonies_and_perspectives_go_through_the_ethics_review_workflow():
    workflow = Workflow.objects.get(name="Ethics review")
    assert factories.TestimonyFactory._meta.model.get_default_workflow() == workflow
    assert Perspective.get_default_workflow() == workflow
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == ["Ethics reviewers"]


def edit_data(testimony, **extra):
    text = testimony.texts.get()
    data = {
        "voice": testimony.voice_pk if hasattr(testimony, "voice_pk") else testimony.voice_id,
        "slug": testimony.slug,
        "minimum_age": 15,
        "media_kind": "",
        "texts-TOTAL_FORMS": "1",
        "texts-INITIAL_FORMS": "1",
        "texts-MIN_NUM_FORMS": "1",
        "texts-MAX_NUM_FORMS": "1000",
        "texts-0-id": str(text.pk),
        "texts-0-locale": str(text.locale_id),
        "texts-0-title": "Edited title",
        "texts-0-body": '{"blocks": [{"key": "a", "type": "unstyled", "text": "Text", "depth": 0, "inlineStyleRanges": [], "entityRanges": []}], "entityMap": {}}',
        "texts-0-easy_read_summary": "",
    }
    for prefix in ("pull_quotes", "tracks", "segments", "object_links"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(extra)
    return data


def test_curator_cannot_publish_a_testimony_only_submit_it(client, curator, reviewer):
    testimony = factories.TestimonyFactory(live=False)
    url = f"/admin/snippets/stories/testimony/edit/{testimony.pk}/"
    client.force_login(curator)
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="action-publish"' not in page.text
    client.post(url, edit_data(testimony, **{"action-publish": "action-publish"}))
    testimony.refresh_from_db()
    assert not testimony.live
    # Submitting puts it in the ethics review.
    client.post(url, edit_data(testimony, **{"action-submit": "action-submit"}))
    testimony.refresh_from_db()
    assert not testimony.live
    state = testimony.current_workflow_state
    assert state is not None and state.status == "in_progress"
    assert state.current_task_state.task.name == "Ethics review"
    # A curator cannot approve the task either.
    approve = (
        f"/admin/snippets/stories/testimony/workflow/action/{testimony.pk}/approve/"
        f"{state.current_task_state.pk}/"
    )
    client.post(approve, {"comment": "Looks fine to me"})
    testimony.refresh_from_db()
    assert not testimony.live
    # The ethics reviewer approves, which publishes it.
    client.force_login(reviewer)
    response = client.post(approve, {"comment": "Checked consent and wording"})
    assert response.status_code in (200, 302)
    testimony.refresh_from_db()
    assert testimony.live


def test_keys_rotate_without_losing_an_identity(settings):
    from io import StringIO

    from django.core.management import call_command

    from cryptography.fernet import Fernet

    old_key = settings.IDENTITY_ENCRYPTION_KEYS[0]
    voice = factories.VoiceFactory()
    identity = VoiceIdentity(voice=voice)
    identity.real_name = SECRET_NAME
    identity.save()
    new_key = Fernet.generate_key().decode()
    settings.IDENTITY_ENCRYPTION_KEYS = [new_key, old_key]
    out = StringIO()
    call_command("rotate_identity_keys", stdout=out)
    assert "1/1" in out.getvalue()
    settings.IDENTITY_ENCRYPTION_KEYS = [new_key]  # the old key is gone
    assert VoiceIdentity.objects.get(voice=voice).real_name == SECRET_NAME
    settings.IDENTITY_ENCRYPTION_KEYS = [old_key]
    from stories.crypto import IdentityKeyError

    with pytest.raises(IdentityKeyError, match="could not be decrypted"):
        VoiceIdentity.objects.get(voice=voice).real_name  # noqa: B018


def test_signed_consent_documents_are_restricted_and_every_opening_is_logged(
    client, reviewer, curator, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from stories.models import ConsentEvent

    settings.RESTRICTED_MEDIA_ROOT = tmp_path / "restricted"
    voice = factories.VoiceFactory()
    client.force_login(reviewer)
    response = client.post(
        f"/admin/stories/voices/{voice.pk}/consent/",
        {
            "action": "grant",
            "grant-channels": ["web"],
            "grant-countries": "*",
            "grant-basis": "Signed form",
            "grant-document": SimpleUploadedFile("signed.pdf", b"%PDF-1.4 signed by a person"),
        },
    )
    assert response.status_code == 302
    event = ConsentEvent.objects.get(consent__voice=voice)
    stored = settings.RESTRICTED_MEDIA_ROOT / event.document.name
    assert stored.is_file() and str(settings.MEDIA_ROOT) not in str(stored)
    # Not reachable as media under any spelling of its name.
    assert client.get(f"/media/{event.document.name}").status_code == 404
    url = f"/admin/stories/consent-documents/{event.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4 signed")
    assert ModelLogEntry.objects.filter(
        object_id=str(voice.pk), action="stories.consent.document", user=reviewer
    ).exists()
    client.force_login(curator)
    assert client.get(url).status_code in (302, 403)


def test_admin_pages_of_stories_render_for_an_ethics_reviewer(client, reviewer):
    testimony = factories.published_testimony()
    client.force_login(reviewer)
    listing = client.get("/admin/snippets/stories/voice/")
    assert listing.status_code == 200
    assert f"/admin/stories/voices/{testimony.voice.pk}/consent/" in listing.text
    for url in (
        "/admin/snippets/stories/testimony/add/",
        f"/admin/snippets/stories/testimony/edit/{testimony.pk}/",
        "/admin/snippets/stories/perspective/add/",
        "/admin/snippets/stories/supportresource/",
        f"/admin/stories/voices/{testimony.voice.pk}/consent/",
    ):
        assert client.get(url).status_code == 200, url
