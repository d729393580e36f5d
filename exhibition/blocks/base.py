"""What every narrative block that shows collection or stories content has in common.

Such a block stores only the primary keys a curator chose. When it renders, it selects what it
shows through ``visible_in(WEB, on=…)`` and the owning app's public allow-list
(:mod:`collection.public`, :mod:`stories.public`), so a template never gets a model instance:
an object, testimony or perspective that is unpublished, withdrawn, expired or not cleared for
the web renders nothing at all for visitors. Staff previewing a page see a neutral placeholder
in its place, which names nothing of what is hidden.
"""

import datetime

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from wagtail import blocks

HIDDEN_TEMPLATE = "exhibition/blocks/hidden.html"


def visibility_date(context) -> datetime.date | None:
    """The date to check visibility on: ``visibility_date`` in the context, else today."""
    if not context:
        return None
    return context.get("visibility_date")


def is_preview(context) -> bool:
    request = context.get("request") if context else None
    return bool(getattr(request, "is_preview", False))


class PublicStructBlock(blocks.StructBlock):
    """A struct block rendered from a public value that :meth:`public_value` builds, or not at
    all when that value is None (nothing of it is visible on the web today)."""

    def public_value(self, value, on: datetime.date | None, context=None):
        """A dict of what the template may show, or None. Subclasses implement it.
        ``context`` is the page's template context (it may hold per-page caches)."""
        raise NotImplementedError

    def render(self, value, context=None):
        public = self.public_value(value, on=visibility_date(context), context=context)
        if public is None:
            if is_preview(context):
                return mark_safe(  # noqa: S308 (a template of ours, autoescaped)
                    render_to_string(HIDDEN_TEMPLATE, {"label": self.meta.label})
                )
            return ""
        # Only the public value reaches the template: not the chosen instances in ``value``.
        new_context = {
            "public": public,
            "request": context.get("request") if context else None,
            "LANGUAGE_CODE": get_language(),
        }
        return mark_safe(render_to_string(self.meta.template, new_context))  # noqa: S308

    def get_searchable_content(self, value):
        # Search must not keep the words of something that can be withdrawn later.
        return []
