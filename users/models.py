from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A member of staff (curator, registrar, ethics reviewer, …) or a venue's coordinator.

    Custom from the first migration so fields can be added later without a painful swap.
    """

    display_name = models.CharField(
        _("display name"),
        max_length=150,
        blank=True,
        help_text=_("Shown in the admin's audit and review history instead of the user name."),
    )

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username
