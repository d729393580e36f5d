"""A search source for Wagtail pages, for domains to subclass.

Pages are web content: they are indexed for ``WEB`` only, one document per translation
group (``translation_key``) with each live, public translation's title, URL and text under its
language. A page with view restrictions is never indexed. Subclasses name their page models
and say, field by field, which words a page contributes (:meth:`page_text`): a page's blocks
that quote voices or objects are left out, since those can be withdrawn at any time and an
index would keep their words.
"""

from __future__ import annotations

import abc
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator

from search.backends.base import plain_text
from search.documents import SearchDocument
from search.registry import SearchSource
from visibility.channels import WEB, Channel


def _keys(pks: Iterable) -> list[uuid.UUID]:
    keys = []
    for pk in pks:
        try:
            keys.append(uuid.UUID(str(pk)))
        except ValueError:
            continue
    return keys


class PageSource(SearchSource):
    """Subclasses set ``kind``, ``label`` and ``page_models`` and implement ``page_text``."""

    page_models: tuple = ()

    def page_queryset(self, model, channel: Channel):
        queryset = model.objects.live().public()
        if hasattr(queryset, "visible_in"):
            queryset = queryset.visible_in(channel)
        return queryset.select_related("locale")

    def pages(self, channel: Channel, pks: Iterable | None = None):
        if channel != WEB:
            return
        keys = None if pks is None else _keys(pks)
        for model in self.page_models:
            queryset = self.page_queryset(model, channel)
            if keys is not None:
                queryset = queryset.filter(translation_key__in=keys)
            yield from queryset.order_by("pk")

    def count(self, channel: Channel) -> int | None:
        if channel != WEB:
            return 0
        keys = set()
        for model in self.page_models:
            keys.update(
                self.page_queryset(model, channel).values_list("translation_key", flat=True)
            )
        return len(keys)

    def documents(self, channel: Channel, pks: Iterable | None = None) -> Iterator[SearchDocument]:
        groups: dict[uuid.UUID, list] = defaultdict(list)
        for page in self.pages(channel, pks):
            groups[page.translation_key].append(page)
        for key, pages in groups.items():
            document = self.document(str(key), pages)
            if document is not None:
                yield document

    def document(self, key: str, pages: list) -> SearchDocument | None:
        titles, urls, texts = {}, {}, {}
        for page in pages:
            url = page.get_url()
            if not url:
                continue  # not routable from any site
            language = page.locale.language_code
            titles[language] = page.title
            urls[language] = url
            text = " ".join(part for part in self.page_text(page) if part)
            if text:
                texts[language] = text
        if not titles:
            return None
        first = pages[0]
        return SearchDocument(
            kind=self.kind,
            pk=key,
            titles=titles,
            urls=urls,
            texts=texts,
            facets=self.page_facets(first),
            keywords=self.page_keywords(first),
            **self.page_dates(first),
        )

    @abc.abstractmethod
    def page_text(self, page) -> Iterable[str]:
        """The words ``page`` contributes, from an explicit list of its fields."""

    def page_facets(self, page) -> dict[str, list[str]]:
        return {}

    def page_keywords(self, page) -> list[str]:
        return []

    def page_dates(self, page) -> dict:
        return {}

    def dependencies(self):
        return {model: lambda page: [str(page.translation_key)] for model in self.page_models}


def rich_text(value) -> str:
    """Plain words of a rich text field or block value."""
    return plain_text(str(value or ""))
