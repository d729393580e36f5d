"""What is untranslated for a venue: per language of the venue, every item a visitor there
would read in another language (or not at all).

``missing_for_venue(venue)`` is the one entry point; the admin report, the PO export and the
package builder's build report all use it. It covers

- pages: live pages of the home site without a live translation in the language (a language
  with no Wagtail locale cannot have any, and the report says so);
- rooms: room names (``RoomText``);
- labels: every kind of label a placement has in its base language (``PlacementText``);
- objects: the texts (``ObjectText``: title, description, credit line) of the objects placed
  there;
- testimonies: the texts (``TestimonyText``) of testimonies visible at the venue.

Rooms, placements and testimonies are selected through ``visible_in(VENUE(venue))``: only
what the venue may show is reported. Each missing item names the language of its fallback
chain (:func:`localisation.fallbacks.fallback_chain`) that would be shown instead.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.models import Locale, Page, Site

from exhibition.models import Placement, PlacementText, Room
from localisation.fallbacks import fallback_chain, first_available
from stories.models import Testimony
from visibility.channels import VENUE

KIND_PAGE = "page"
KIND_ROOM = "room"
KIND_LABEL = "label"
KIND_OBJECT = "object"
KIND_TESTIMONY = "testimony"
KINDS = (KIND_PAGE, KIND_ROOM, KIND_LABEL, KIND_OBJECT, KIND_TESTIMONY)

# Notes on a missing item (codes: the admin shows them translated).
NOTE_DRAFT = "draft_translation"  # a translation exists but is not live
NOTE_NO_LOCALE = "no_locale"  # the language has no Wagtail locale yet
NOTE_AWAITING_REVIEW = "awaiting_review"  # imported, waiting for the ethics review


@dataclass(frozen=True)
class MissingItem:
    """One item that has no text in the report's language."""

    kind: str  # one of KINDS
    object_id: int  # the page, room, placement, object record or testimony
    key: str  # stable: "page:7", "room:12", "label:34:object", "object:9", "testimony:56"
    title: str  # what it is, in the fallback language where there is one
    title_language: str | None  # the language of ``title``
    fallback: str | None  # the language shown instead, None when nothing would be
    edit_url: str  # where to translate it in the admin
    note: str = ""  # one of the NOTE_* codes, or empty


@dataclass
class LanguageReport:
    """What is missing in one of the venue's languages."""

    language: str
    has_locale: bool
    fallback_chain: list[str]
    checked: int = 0
    missing: list[MissingItem] = field(default_factory=list)

    @property
    def is_complete(self) -> bool:
        return self.has_locale and not self.missing

    def counts(self) -> dict[str, int]:
        """Missing items per kind (every kind present, zero included)."""
        counts = dict.fromkeys(KINDS, 0)
        for item in self.missing:
            counts[item.kind] += 1
        return counts


@dataclass
class CompletenessReport:
    """Per language of the venue, what is untranslated."""

    venue_id: int
    venue_slug: str
    on: datetime.date
    languages: list[LanguageReport]

    @property
    def is_complete(self) -> bool:
        return all(language.is_complete for language in self.languages)

    @property
    def missing_count(self) -> int:
        return sum(len(language.missing) for language in self.languages)

    def for_language(self, code: str) -> LanguageReport | None:
        return next((report for report in self.languages if report.language == code), None)

    def as_dict(self) -> dict:
        """A JSON-ready form (e.g. for a package's build report)."""
        return {
            "venue": self.venue_slug,
            "on": self.on.isoformat(),
            "complete": self.is_complete,
            "languages": [
                {
                    "language": report.language,
                    "has_locale": report.has_locale,
                    "fallback_chain": report.fallback_chain,
                    "checked": report.checked,
                    "counts": report.counts(),
                    "missing": [asdict(item) for item in report.missing],
                }
                for report in self.languages
            ],
        }


def base_language(languages) -> str | None:
    """The language an item was written in: the default language when it has it, else the
    first in ``languages`` (a collection of codes in preference order)."""
    languages = list(languages)
    if settings.LANGUAGE_CODE in languages:
        return settings.LANGUAGE_CODE
    return languages[0] if languages else None


def _shown(texts: dict[str, str], language: str) -> tuple[str | None, str, str | None]:
    """(fallback language, title to show, language of that title) for a missing text."""
    fallback = first_available(language, texts)
    if fallback:
        return fallback, texts[fallback], fallback
    source = base_language(texts)
    return None, texts.get(source, "") if source else "", source


def _edit_url(finder: AdminURLFinder, instance) -> str:
    return finder.get_edit_url(instance) or ""


# --- what a venue shows (always through visible_in) --------------------------------------


def venue_rooms(venue, on: datetime.date | None = None):
    return (
        Room.objects.visible_in(VENUE(venue), on=on)
        .select_related("venue")
        .prefetch_related("texts__locale")
        .order_by("visit_order", "pk")
    )


def venue_placements(venue, on: datetime.date | None = None):
    return (
        Placement.objects.visible_in(VENUE(venue), on=on)
        .select_related("room__venue", "object")
        .prefetch_related("texts__locale", "object__texts__locale")
        .in_visit_order()
    )


def placed_objects(placements) -> list:
    """The objects of ``placements`` (already selected through ``visible_in``), once each."""
    seen: dict[int, object] = {}
    for placement in placements:
        seen.setdefault(placement.object_id, placement.object)
    return list(seen.values())


def venue_testimonies(venue, on: datetime.date | None = None):
    return (
        Testimony.objects.visible_in(VENUE(venue), on=on)
        .prefetch_related("texts__locale")
        .order_by("pk")
    )


def object_title_in(placement: Placement, language: str) -> tuple[str, str | None]:
    """The placed object's title in ``language`` or the first of its fallbacks that has one,
    with the language it is in (``None`` for the inventory number)."""
    texts = {t.locale.language_code: t.title for t in placement.object.texts.all() if t.title}
    for code in fallback_chain(language):
        if code in texts:
            return texts[code], code
    code = base_language(texts)
    if code:
        return texts[code], code
    return placement.object.inventory_number, None


def object_title(placement: Placement, language: str) -> str:
    return object_title_in(placement, language)[0]


def label_texts(placement: Placement) -> dict[str, dict[str, str]]:
    """A placement's label texts: ``{kind: {language: text}}``."""
    by_kind: dict[str, dict[str, str]] = {}
    for text in placement.texts.all():
        by_kind.setdefault(text.kind, {})[text.locale.language_code] = text.text
    return by_kind


def label_kinds(placement: Placement) -> dict[str, dict[str, str]]:
    """The label kinds to translate: those the placement has in its base language."""
    by_kind = label_texts(placement)
    languages = {code for texts in by_kind.values() for code in texts}
    base = base_language(sorted(languages))
    return {kind: texts for kind, texts in by_kind.items() if base in texts}


def pending_testimony_languages(testimony: Testimony) -> set[str]:
    """Languages whose text exists only in the testimony's unpublished draft (for instance
    an imported translation awaiting ethics review)."""
    if not testimony.has_unpublished_changes or not testimony.latest_revision_id:
        return set()
    draft = testimony.get_latest_revision_as_object()
    live = {text.locale_id for text in testimony.texts.all()}
    locale_ids = {text.locale_id for text in draft.texts.all()} - live
    return set(Locale.objects.filter(pk__in=locale_ids).values_list("language_code", flat=True))


# --- the report ----------------------------------------------------------------------------


def _page_items(language: str, locale: Locale | None) -> tuple[int, list[MissingItem]]:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return 0, []
    sources = list(site.root_page.get_descendants(inclusive=True).live().order_by("path"))
    translations = Page.objects.filter(
        translation_key__in=[page.translation_key for page in sources]
    ).select_related("locale")
    by_key: dict = {}
    for page in translations:
        by_key.setdefault(page.translation_key, {})[page.locale.language_code] = page
    items = []
    for source in sources:
        pages = by_key.get(source.translation_key, {})
        own = pages.get(language)
        if own is not None and own.live:
            continue
        titles = {code: page.title for code, page in pages.items() if page.live}
        fallback, title, title_language = _shown(titles, language)
        if own is not None:
            url, note = reverse("wagtailadmin_pages:edit", args=[own.pk]), NOTE_DRAFT
        else:
            try:
                url = reverse("simple_translation:submit_page_translation", args=[source.pk])
            except NoReverseMatch:  # simple_translation not installed
                url = reverse("wagtailadmin_pages:edit", args=[source.pk])
            note = "" if locale is not None else NOTE_NO_LOCALE
        items.append(
            MissingItem(
                kind=KIND_PAGE,
                object_id=source.pk,
                key=f"page:{source.pk}",
                title=title,
                title_language=title_language,
                fallback=fallback,
                edit_url=url,
                note=note,
            )
        )
    return len(sources), items


def missing_for_venue(venue, *, on: datetime.date | None = None, user=None) -> CompletenessReport:
    """For each of ``venue``'s languages, what is untranslated (see the module docstring).

    ``on`` is the date the venue's visibility rules are evaluated for (default: today at the
    venue). A language without a Wagtail locale is reported with ``has_locale=False``, and
    every item counts as missing in it. With ``user``, edit links are given only where that
    user may edit (else ``edit_url`` is empty).
    """
    channel = VENUE(venue)
    on = on or channel.today()
    finder = AdminURLFinder(user)
    locales = {
        locale.language_code: locale
        for locale in Locale.objects.filter(language_code__in=venue.languages)
    }
    rooms = list(venue_rooms(venue, on))
    placements = list(venue_placements(venue, on))
    objects = placed_objects(placements)
    testimonies = list(venue_testimonies(venue, on))
    pending = {t.pk: pending_testimony_languages(t) for t in testimonies}

    reports = []
    for language in venue.languages:
        locale = locales.get(language)
        report = LanguageReport(
            language=language,
            has_locale=locale is not None,
            fallback_chain=fallback_chain(language),
        )
        checked, items = _page_items(language, locale)
        report.checked += checked
        report.missing.extend(items)

        for room in rooms:
            report.checked += 1
            names = {t.locale.language_code: t.name for t in room.texts.all()}
            if language in names:
                continue
            fallback, title, title_language = _shown(names, language)
            report.missing.append(
                MissingItem(
                    kind=KIND_ROOM,
                    object_id=room.pk,
                    key=f"room:{room.pk}",
                    title=title or room.slug,
                    title_language=title_language,
                    fallback=fallback,
                    edit_url=_edit_url(finder, room),
                )
            )

        for placement in placements:
            for kind, texts in label_kinds(placement).items():
                report.checked += 1
                if language in texts:
                    continue
                fallback = first_available(language, texts)
                title, title_language = object_title_in(placement, language)
                kind_label = str(PlacementText.Kind(kind).label)
                report.missing.append(
                    MissingItem(
                        kind=KIND_LABEL,
                        object_id=placement.pk,
                        key=f"label:{placement.pk}:{kind}",
                        title=f"{title} ({kind_label})",
                        title_language=title_language,
                        fallback=fallback,
                        edit_url=_edit_url(finder, placement),
                    )
                )

        for record in objects:
            report.checked += 1
            titles = {t.locale.language_code: t.title for t in record.texts.all()}
            if language in titles:
                continue
            fallback, title, title_language = _shown(titles, language)
            report.missing.append(
                MissingItem(
                    kind=KIND_OBJECT,
                    object_id=record.pk,
                    key=f"object:{record.pk}",
                    title=title or record.inventory_number,
                    title_language=title_language,
                    fallback=fallback,
                    edit_url=_edit_url(finder, record),
                )
            )

        for testimony in testimonies:
            report.checked += 1
            titles = {t.locale.language_code: t.title for t in testimony.texts.all()}
            if language in titles:
                continue
            fallback, title, title_language = _shown(titles, language)
            report.missing.append(
                MissingItem(
                    kind=KIND_TESTIMONY,
                    object_id=testimony.pk,
                    key=f"testimony:{testimony.pk}",
                    title=title or testimony.slug,
                    title_language=title_language,
                    fallback=fallback,
                    edit_url=_edit_url(finder, testimony),
                    note=NOTE_AWAITING_REVIEW if language in pending[testimony.pk] else "",
                )
            )
        reports.append(report)
    return CompletenessReport(venue_id=venue.pk, venue_slug=venue.slug, on=on, languages=reports)
