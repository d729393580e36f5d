"""The demo content, in one place: `manage.py load_demo` runs every loader here in order.

Demo content is fictional and says so. Loading is idempotent: a second run changes nothing
(no new rows, no new page revisions). Later issues add loaders to LOADERS; keep them
idempotent the same way. Loaders are named by dotted path: apps above ``exhibition`` in the
import order (programme, touring) add theirs without ``exhibition`` importing them.
"""

from django.utils.module_loading import import_string

LOADERS = [
    "exhibition.demo.venues.load",
    "exhibition.demo.pages.load",
    "exhibition.demo.collection.load",
    "stories.demo.content.load",
    "stories.contributions.demo.load",
    "exhibition.demo.rooms.load",
    "exhibition.demo.narrative.load",
    "programme.demo.load",
    "touring.demo.load",
]


def load_all(log) -> None:
    for loader in LOADERS:
        import_string(loader)(log)
