"""The ``visible_in(channel, on=date)`` contract that every public model implements.

Every output path (templates, API, search indexing, IIIF, packages, labels) selects public
content through ``Model.objects.visible_in(channel, on=...)``. Each model states its rules
once, as a ``Q`` in :meth:`VisibleQuerySet.visibility_q`; there is no second copy of them.
"""

import abc
import datetime

from django.db import models

from visibility.channels import Channel


class VisibleQuerySet(models.QuerySet, metaclass=abc.ABCMeta):
    """Base queryset for public models. Subclasses implement :meth:`visibility_q`."""

    def visible_in(self, channel: Channel, on: datetime.date | None = None):
        """What ``channel`` may show on date ``on`` (default: today where the channel is)."""
        if not isinstance(channel, Channel):
            raise TypeError(
                f"visible_in() takes a Channel (WEB, VENUE(v), PRINT(v)), not {channel!r}."
            )
        if on is None:
            on = channel.today()
        elif isinstance(on, datetime.datetime) or not isinstance(on, datetime.date):
            raise TypeError(f"visible_in(on=…) takes a date, not {on!r}.")
        return self.filter(self.visibility_q(channel, on))

    @abc.abstractmethod
    def visibility_q(self, channel: Channel, on: datetime.date) -> models.Q:
        """The condition for rows that ``channel`` may show on date ``on``."""


def is_visible_in(
    instance: models.Model, channel: Channel, on: datetime.date | None = None
) -> bool:
    """Whether one saved instance is visible, by the same rules as its queryset."""
    queryset = type(instance)._default_manager.all()
    return queryset.visible_in(channel, on=on).filter(pk=instance.pk).exists()


def public_models() -> list[type[models.Model]]:
    """Every installed model whose default manager implements the visibility contract."""
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if isinstance(model._default_manager.all(), VisibleQuerySet)
    ]
