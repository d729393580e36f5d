"""The public contribution form. Works without JavaScript; everything is validated here."""

import unicodedata

from django import forms
from django.conf import settings
from django.forms.boundfield import BoundField
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from stories.models.contributions import NAME_MAX_LENGTH, TEXT_MAX_LENGTH, TEXT_MIN_LENGTH

HONEYPOT_FIELD = "website"

# Characters that can hide or reorder text (bidirectional embeddings, overrides and isolates)
# so that what a moderator reads is not what is shown: removed like control characters.
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
KEPT_CONTROLS = {"\n", "\t"}


def plain_text(value: str, *, multiline: bool) -> str:
    """``value`` normalised (NFC, ``\\n`` line ends) without control characters.

    Markup is left as it is: it is plain text to us, stored as typed and escaped wherever it
    is shown.
    """
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    kept = KEPT_CONTROLS if multiline else set()
    cleaned = "".join(
        char
        for char in value
        if char in kept
        or (unicodedata.category(char) not in ("Cc", "Cs", "Co") and char not in BIDI_CONTROLS)
    )
    if multiline:
        # At most one empty line in a row, and no trailing spaces on lines.
        lines = [line.rstrip() for line in cleaned.split("\n")]
        cleaned = "\n".join(lines)
        while "\n\n\n" in cleaned:
            cleaned = cleaned.replace("\n\n\n", "\n\n")
    return cleaned.strip()


class PlainTextField(forms.CharField):
    """A text field that removes control characters before the length is checked."""

    def __init__(self, *, multiline=False, **kwargs):
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return plain_text(value, multiline=self.multiline) if value else value


class DescribedBoundField(BoundField):
    """Points the field at its help text *and* its error message (aria-describedby), so a
    screen reader reads both with the field."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        described_by = []
        if self.help_text:
            described_by.append(f"{self.auto_id}_helptext")
        if self.errors:
            described_by.append(f"{self.auto_id}_error")
        if described_by:
            attrs["aria-describedby"] = " ".join(described_by)
        return attrs


class ContributionForm(forms.Form):
    bound_field_class = DescribedBoundField

    text = PlainTextField(
        label=_("Your answer"),
        multiline=True,
        min_length=TEXT_MIN_LENGTH,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 7, "cols": 60}),
    )
    display_name = PlainTextField(
        label=_("Name to show (optional)"),
        required=False,
        max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "off", "size": 30}),
        help_text=_("A first name or a made-up name. Leave empty to be shown as “Anonymous”."),
    )
    language = forms.ChoiceField(label=_("Language of your answer"), choices=())
    consent = forms.BooleanField(
        label=_(
            "I agree that, once a moderator has approved it, my answer and the name I gave "
            "(or “Anonymous”) are shown publicly on this website, beside this question, as the "
            "voice of a visitor, for anyone to read."
        ),
        help_text=_(
            "It is shown on the website only: not in the exhibition rooms, not in print. A "
            "moderator may decide not to publish it. Ask the museum, and we take it down."
        ),
        error_messages={"required": _("Tick the box to agree, or your answer cannot be shown.")},
    )
    # The honeypot: hidden by the stylesheet, so people leave it empty and simple bots fill it.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].help_text = gettext(
            "At most %(limit)s characters. Do not write anything that could identify you or "
            "someone else, such as full names, addresses or phone numbers."
        ) % {"limit": TEXT_MAX_LENGTH}
        self.fields["language"].choices = list(settings.LANGUAGES)
        current = get_language()
        if current in dict(settings.LANGUAGES):
            self.fields["language"].initial = current

    @property
    def honeypot_filled(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())
