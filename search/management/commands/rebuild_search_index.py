"""``manage.py rebuild_search_index``: rebuild every channel's search index from scratch."""

import time

from django.core.management.base import BaseCommand

from search import registry, service


class Progress:
    """A progress bar on stderr: redrawn on a terminal, a line per tenth in a log."""

    width = 30

    def __init__(self, stream, label: str, total: int | None):
        self.stream, self.label, self.total = stream, label, total
        self.redraw = stream.isatty()
        self.done = 0
        self.shown = -1

    def __call__(self, count: int) -> None:
        self.done += count
        if not self.total:
            return
        percent = min(100, self.done * 100 // self.total)
        step = 1 if self.redraw else 10
        if self.shown >= 0 and percent // step == self.shown // step:
            return
        self.shown = percent
        filled = self.width * percent // 100
        bar = f"{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {percent:3d}% {self.done}/{self.total}"
        if self.redraw:
            self.stream.write(f"\r{bar}", style_func=str, ending="")
            self.stream.flush()
        else:
            self.stream.write(bar, style_func=str)

    def finish(self) -> None:
        if self.redraw and self.shown >= 0:
            self.stream.write("", style_func=str)


class Command(BaseCommand):
    help = (
        "Rebuild the public search index of every channel (the embedded one, and "
        "Elasticsearch when ELASTICSEARCH_URL is set) from what each channel may show. "
        "Searches keep being answered from the old index until the new one is complete."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--embedded-only",
            action="store_true",
            help="Rebuild only the embedded index, not Elasticsearch.",
        )

    def handle(self, *args, embedded_only=False, **options):
        backends = [service.embedded_backend()] if embedded_only else service.writing_backends()
        for channel in registry.channels():
            for backend in backends:
                started = time.monotonic()
                progress = Progress(
                    self.stderr, f"{channel} ({backend.name})", service.expected_count(channel)
                )
                count = backend.rebuild(channel, service.documents(channel), progress)
                progress.finish()
                self.stdout.write(
                    f"{channel} ({backend.name}): {count} documents in "
                    f"{time.monotonic() - started:.1f} s"
                )
