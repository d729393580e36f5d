"""The demo content, in one place: `manage.py load_demo` runs every loader here in order.

Demo content is fictional and says so. Loading is idempotent: a second run changes nothing
(no new rows, no new page revisions). Later issues add loaders (objects, voices, rooms) to
LOADERS; keep them idempotent the same way.
"""

from exhibition.demo import collection, pages, rooms, venues
from stories.contributions import demo as contributions_demo
from stories.demo import content as stories_content

LOADERS = [
    venues.load,
    pages.load,
    collection.load,
    stories_content.load,
    contributions_demo.load,
    rooms.load,
]


def load_all(log) -> None:
    for loader in LOADERS:
        loader(log)
