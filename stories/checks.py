"""System checks: the identity encryption keys must be usable before anything starts."""

from django.conf import settings
from django.core import checks

from stories.crypto import IdentityKeyError, check_keys


@checks.register(checks.Tags.security)
def identity_keys(app_configs, **kwargs):
    keys = settings.IDENTITY_ENCRYPTION_KEYS
    if not keys:
        # Production refuses to start without keys (config.settings.production); elsewhere
        # the error comes when an identity is stored.
        return []
    try:
        check_keys(keys)
    except IdentityKeyError as error:
        return [checks.Error(str(error), id="stories.E001")]
    return []
