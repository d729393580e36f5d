"""Template filters for spoken testimony: time codes people read, and ``t`` values for links."""

from django import template

from stories.public import format_start

register = template.Library()


@register.filter
def timecode(seconds) -> str:
    """``75.4`` as ``1:15``, ``3725`` as ``1:02:05``."""
    try:
        total = max(int(float(seconds)), 0)
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.filter
def start_param(seconds) -> str:
    """Seconds as the value of a ``t`` parameter or media fragment: ``12``, ``12.5``."""
    try:
        return format_start(float(seconds))
    except (TypeError, ValueError):
        return "0"


@register.filter
def duration_iso(seconds) -> str:
    """Seconds as an ISO 8601 duration for ``<time datetime>``: ``PT75.4S``."""
    try:
        return f"PT{format_start(max(float(seconds), 0.0))}S"
    except (TypeError, ValueError):
        return "PT0S"
