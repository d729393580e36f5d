"""Teacher packs: one page per age group, pointing teachers to rooms, objects and voices that
suit that age. What the page shows is chosen again at every request through ``visible_in``,
so a withdrawn testimony or an unpublished object disappears from every pack at once."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from programme.models.base import ProgrammePageManager
from programme.models.events import RICH_TEXT_FEATURES


class TeacherPackPage(Page):
    """Material for teachers of one age group (e.g. 10–12, 13–15, 16–19)."""

    age_from = models.PositiveSmallIntegerField(_("from age"), validators=[MaxValueValidator(25)])
    age_to = models.PositiveSmallIntegerField(_("to age"), validators=[MaxValueValidator(25)])
    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)
    material = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("downloadable material"),
        help_text=_("Optional: worksheets or a printable version of the pack."),
    )

    objects = ProgrammePageManager()

    search_fields = [*Page.search_fields, index.SearchField("intro")]

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("age_from"), FieldPanel("age_to")], heading=_("Age group")),
        FieldPanel("intro"),
        InlinePanel("rooms", heading=_("Rooms"), label=_("room")),
        InlinePanel("objects_in_pack", heading=_("Objects"), label=_("object")),
        MultiFieldPanel(
            [InlinePanel("testimonies", label=_("testimony"))],
            heading=_("Voices"),
            help_text=_(
                "A testimony is shown only while it is published on the web and its age "
                "suitability covers the youngest pupils of this group (its 'age suitability' "
                "field); the others stay hidden on this pack."
            ),
        ),
        InlinePanel("questions", heading=_("Discussion questions"), label=_("question")),
        FieldPanel("material"),
    ]

    parent_page_types = ["exhibition.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("teacher pack")

    def clean(self):
        super().clean()
        if self.age_from is not None and self.age_to is not None and self.age_to < self.age_from:
            raise ValidationError({"age_to": _("The age group must end at or after its start.")})

    def get_context(self, request, *args, **kwargs):
        from programme.public import teacher_pack_content

        context = super().get_context(request, *args, **kwargs)
        context.update(teacher_pack_content(self))
        return context


class TeacherPackRoom(Orderable):
    page = ParentalKey(TeacherPackPage, on_delete=models.CASCADE, related_name="rooms")
    room = models.ForeignKey(
        "exhibition.Room", on_delete=models.CASCADE, related_name="+", verbose_name=_("room")
    )
    note = models.CharField(_("note for teachers"), max_length=300, blank=True)

    panels = [FieldPanel("room"), FieldPanel("note")]


class TeacherPackObject(Orderable):
    page = ParentalKey(TeacherPackPage, on_delete=models.CASCADE, related_name="objects_in_pack")
    object = models.ForeignKey(
        "collection.ObjectRecord",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("object"),
    )
    note = models.CharField(_("note for teachers"), max_length=300, blank=True)

    panels = [FieldPanel("object"), FieldPanel("note")]


class TeacherPackTestimony(Orderable):
    page = ParentalKey(TeacherPackPage, on_delete=models.CASCADE, related_name="testimonies")
    testimony = models.ForeignKey(
        "stories.Testimony",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("testimony"),
    )
    note = models.CharField(_("note for teachers"), max_length=300, blank=True)

    panels = [FieldPanel("testimony"), FieldPanel("note")]


class TeacherPackQuestion(Orderable):
    page = ParentalKey(TeacherPackPage, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=500)

    panels = [FieldPanel("text")]
