from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

GENERATION_PK = 1


class ContentGeneration(models.Model):
    """One row whose number goes up with every write to public content.

    Cached public responses are keyed by this number, so a publish, an unpublish, a consent
    withdrawal or a loan change makes every earlier entry unreachable at once, in every worker
    and on every server that shares the database. The number is raised inside the writer's own
    transaction: it becomes visible together with the change, never before it.
    """

    value = models.BigIntegerField(_("generation"), default=0)

    class Meta:
        verbose_name = _("content generation")

    def __str__(self):
        return str(self.value)


def current_generation(using: str = "default") -> int:
    value = (
        ContentGeneration.objects.using(using)
        .filter(pk=GENERATION_PK)
        .values_list("value", flat=True)
        .first()
    )
    if value is None:
        ContentGeneration.objects.using(using).get_or_create(pk=GENERATION_PK)
        return 0
    return value


def bump_generation(using: str = "default") -> None:
    updated = (
        ContentGeneration.objects.using(using).filter(pk=GENERATION_PK).update(value=F("value") + 1)
    )
    if not updated:
        ContentGeneration.objects.using(using).get_or_create(
            pk=GENERATION_PK, defaults={"value": 1}
        )
