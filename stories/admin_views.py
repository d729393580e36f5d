"""Admin views for what only ethics reviewers may do with a voice: see and change the real
identity, record consent (grant, change, withdraw) and open signed consent documents.

Every read and change of an identity, every consent event and every opened document is
written to Wagtail's audit log against the voice (``stories.identity.view`` etc.; see
``wagtail_hooks.register_log_actions``). Log entries never hold the identity itself.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.log_actions import log

from stories.models import Consent, ConsentEvent, ConsentScope, Voice, VoiceIdentity
from stories.models.consent import Channels


def _require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


# --- identity ------------------------------------------------------------------------------


class IdentityForm(forms.Form):
    real_name = forms.CharField(label=gettext_lazy("Real name"), max_length=300, required=False)
    contact = forms.CharField(
        label=gettext_lazy("Contact"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Only what the museum needs to reach this person again."),
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


def identity(request, pk: int):
    """Show (and, with permission, change) a voice's real identity. Reading is logged."""
    _require(request, "stories.view_identity")
    voice = get_object_or_404(Voice, pk=pk)
    record = VoiceIdentity.objects.filter(voice=voice).first()
    can_change = request.user.has_perm("stories.change_identity")
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if "delete" in request.POST:
            if record is not None:
                record.delete()
                log(voice, "stories.identity.delete", user=request.user)
            messages.success(request, _("The real identity was deleted."))
            return redirect("stories_admin:identity", pk=voice.pk)
        form = IdentityForm(request.POST)
        if form.is_valid():
            with transaction.atomic():
                record = record or VoiceIdentity(voice=voice)
                record.real_name = form.cleaned_data["real_name"]
                record.contact = form.cleaned_data["contact"]
                record.notes = form.cleaned_data["notes"]
                record.save()
                log(voice, "stories.identity.change", user=request.user)
            messages.success(request, _("The real identity was saved, encrypted."))
            return redirect("stories_admin:identity", pk=voice.pk)
    else:
        initial = {}
        if record is not None:
            initial = {
                "real_name": record.real_name,
                "contact": record.contact,
                "notes": record.notes,
            }
            log(voice, "stories.identity.view", user=request.user)
        form = IdentityForm(initial=initial)
    if not can_change:
        for field in form.fields.values():
            field.disabled = True
    response = TemplateResponse(
        request,
        "stories/admin/identity.html",
        {
            "voice": voice,
            "form": form,
            "has_identity": record is not None,
            "can_change": can_change,
        },
    )
    # Never kept by a browser or proxy cache.
    response["Cache-Control"] = "no-store"
    return response


# --- consent -------------------------------------------------------------------------------


class ScopeForm(forms.Form):
    testimony = forms.ModelChoiceField(
        label=gettext_lazy("For one testimony only"),
        queryset=None,
        required=False,
        help_text=gettext_lazy(
            "Leave empty for a consent covering the voice and all its testimonies."
        ),
    )
    channels = forms.MultipleChoiceField(
        label=gettext_lazy("Channels"),
        choices=Channels.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    countries = forms.CharField(
        label=gettext_lazy("Countries"),
        help_text=gettext_lazy(
            "ISO codes, comma-separated (e.g. SE, NO), or * for every country. The web needs *."
        ),
    )
    languages = forms.CharField(
        label=gettext_lazy("Languages"),
        required=False,
        help_text=gettext_lazy("BCP 47 codes the testimony may be shown in; empty for any."),
    )
    expires_on = forms.DateField(
        label=gettext_lazy("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("The consent stops being valid on this day."),
    )
    portrait = forms.BooleanField(label=gettext_lazy("Portrait may be shown"), required=False)
    basis = forms.CharField(
        label=gettext_lazy("On what basis"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "E.g. 'Signed form of 3 May, read aloud in Arabic with an interpreter'."
        ),
    )
    document = forms.FileField(label=gettext_lazy("Signed document"), required=False)

    def __init__(self, *args, voice, consent=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["testimony"].queryset = voice.testimonies.all()
        if consent is not None:
            del self.fields["testimony"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            data["scope"] = ConsentScope.parse(
                channels=data["channels"],
                countries=data["countries"],
                languages=data.get("languages", ""),
                expires_on=data.get("expires_on"),
                portrait=data.get("portrait"),
            )
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None
        return data


class WithdrawForm(forms.Form):
    basis = forms.CharField(
        label=gettext_lazy("On what basis"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("E.g. 'Phone call from the person on 12 June'."),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I understand: this removes the voice and all its testimonies from every page, "
            "search, IIIF manifest and venue package, at once."
        )
    )


def withdraw_voice(voice: Voice, *, by, basis: str) -> int:
    """Withdraw every consent of ``voice`` that is not withdrawn yet: one action, immediate
    effect on every channel. Returns the number of consents withdrawn."""
    withdrawn = 0
    with transaction.atomic():
        for consent in voice.consents.filter(withdrawn_at__isnull=True).order_by("pk"):
            consent.withdraw(by=by, basis=basis)
            withdrawn += 1
    return withdrawn


def consent(request, pk: int):
    """The consent ledger of a voice, and the forms to grant, change or withdraw."""
    _require(request, "stories.view_consent")
    voice = get_object_or_404(Voice, pk=pk)
    can_record = request.user.has_perm("stories.record_consent")
    grant_form = ScopeForm(voice=voice, prefix="grant")
    withdraw_form = WithdrawForm(prefix="withdraw")
    change_forms = {}
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "grant":
                grant_form = ScopeForm(request.POST, request.FILES, voice=voice, prefix="grant")
                if grant_form.is_valid():
                    data = grant_form.cleaned_data
                    record = Consent.grant(
                        voice=voice,
                        testimony=data.get("testimony"),
                        scope=data["scope"],
                        by=request.user,
                        basis=data["basis"],
                        document=data.get("document"),
                    )
                    log(
                        voice,
                        "stories.consent.grant",
                        user=request.user,
                        data={"consent": record.pk},
                    )
                    messages.success(request, _("Consent recorded."))
                    return redirect("stories_admin:consent", pk=voice.pk)
            elif action == "change":
                record = get_object_or_404(voice.consents, pk=request.POST.get("consent"))
                form = ScopeForm(
                    request.POST, request.FILES, voice=voice, consent=record, prefix=f"c{record.pk}"
                )
                change_forms[record.pk] = form
                if form.is_valid():
                    data = form.cleaned_data
                    record.change(
                        scope=data["scope"],
                        by=request.user,
                        basis=data["basis"],
                        document=data.get("document"),
                    )
                    log(
                        voice,
                        "stories.consent.change",
                        user=request.user,
                        data={"consent": record.pk},
                    )
                    messages.success(request, _("The change was recorded."))
                    return redirect("stories_admin:consent", pk=voice.pk)
            elif action == "withdraw":
                withdraw_form = WithdrawForm(request.POST, prefix="withdraw")
                if withdraw_form.is_valid():
                    count = withdraw_voice(
                        voice, by=request.user, basis=withdraw_form.cleaned_data["basis"]
                    )
                    log(
                        voice,
                        "stories.consent.withdraw",
                        user=request.user,
                        data={"consents": count},
                    )
                    messages.success(
                        request,
                        _(
                            "Consent withdrawn. The voice and its testimonies are no longer shown anywhere."
                        ),
                    )
                    return redirect("stories_admin:consent", pk=voice.pk)
            else:
                messages.error(request, _("Unknown action."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    consents = list(
        voice.consents.select_related("testimony").prefetch_related("events__by").order_by("pk")
    )
    for record in consents:
        if record.pk not in change_forms and not record.is_withdrawn:
            scope = record.scope
            initial = {}
            if scope:
                initial = {
                    "channels": sorted(scope.channels),
                    "countries": ", ".join(scope.countries),
                    "languages": ", ".join(scope.languages),
                    "expires_on": scope.expires_on,
                    "portrait": scope.portrait,
                }
            change_forms[record.pk] = ScopeForm(
                voice=voice, consent=record, prefix=f"c{record.pk}", initial=initial
            )
        record.change_form = change_forms.get(record.pk)
    return TemplateResponse(
        request,
        "stories/admin/consent.html",
        {
            "voice": voice,
            "consents": consents,
            "grant_form": grant_form,
            "withdraw_form": withdraw_form,
            "can_record": can_record,
            "can_open_documents": request.user.has_perm("stories.view_consent_document"),
        },
    )


def consent_document(request, pk: int):
    """A signed consent document, to ethics reviewers only; every opening is logged."""
    _require(request, "stories.view_consent_document")
    event = get_object_or_404(ConsentEvent.objects.select_related("consent__voice"), pk=pk)
    if not event.document:
        raise Http404
    log(
        event.consent.voice, "stories.consent.document", user=request.user, data={"event": event.pk}
    )
    response = FileResponse(event.document.open("rb"), as_attachment=True)
    response["Cache-Control"] = "no-store"
    return response


def voice_links(voice: Voice) -> dict:
    return {
        "consent": reverse("stories_admin:consent", args=[voice.pk]),
        "identity": reverse("stories_admin:identity", args=[voice.pk]),
    }
