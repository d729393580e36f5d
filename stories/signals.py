"""Signals the stories app sends; other apps (search, touring packages) react to them."""

from django.dispatch import Signal

# Sent after every consent event: consent=Consent, event=ConsentEvent.
consent_changed = Signal()
# Sent when something public leaves every channel at once (withdrawn or expired consent):
# kind="testimony"|"voice"|"perspective", instance=the model instance.
revoked = Signal()
# Sent after any consent event: the voice's and its testimonies' visibility may have changed
# (a narrowed scope, a new country). voice=Voice.
visibility_changed = Signal()
