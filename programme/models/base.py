"""What every programme page shares: the visibility contract for Wagtail pages."""

import datetime

from django.db import models

from wagtail.models import PageManager
from wagtail.query import PageQuerySet

from visibility.channels import Channel
from visibility.querysets import VisibleQuerySet


class ProgrammePageQuerySet(PageQuerySet, VisibleQuerySet):
    """Pages any channel may show: live and outside every private (restricted) section."""

    def visibility_q(self, channel: Channel, on: datetime.date) -> models.Q:
        return self.live_q() & ~self.private_q()


ProgrammePageManager = PageManager.from_queryset(ProgrammePageQuerySet)
