"""Settings of the visitor contributions, with their defaults (config/settings/base.py reads
them from the environment; the README lists them)."""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class ContributionSettings:
    rate_limit: int  # contributions a client may send per window
    rate_window: int  # seconds
    retention_days: int  # pending and rejected contributions are deleted after this
    max_body_bytes: int  # a larger request is refused with 413 before it is read
    trusted_proxies: int  # reverse proxies in front that append to X-Forwarded-For


def contribution_settings() -> ContributionSettings:
    return ContributionSettings(
        rate_limit=getattr(settings, "CONTRIBUTION_RATE_LIMIT", 5),
        rate_window=getattr(settings, "CONTRIBUTION_RATE_WINDOW", 3600),
        retention_days=getattr(settings, "CONTRIBUTION_RETENTION_DAYS", 30),
        max_body_bytes=getattr(settings, "CONTRIBUTION_MAX_BODY_BYTES", 64 * 1024),
        trusted_proxies=getattr(settings, "CONTRIBUTION_TRUSTED_PROXIES", 0),
    )
