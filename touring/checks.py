from django.conf import settings
from django.core import checks

from touring.signing import SigningKeyError, load_private_key


@checks.register(checks.Tags.security)
def check_package_signing_key(app_configs, **kwargs):
    """A signing key that is set must be a valid Ed25519 key (production requires one)."""
    value = settings.PACKAGE_SIGNING_KEY
    if not value:
        return []
    try:
        load_private_key(value)
    except SigningKeyError as error:
        return [checks.Error(str(error), id="touring.E001")]
    return []
