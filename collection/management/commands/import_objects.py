from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from collection.importers import (
    COLUMNS,
    FileRefused,
    ImportReport,
    ObjectRecordWriter,
    Status,
    parse_csv,
    parse_lido,
)
from collection.models import Lender

FORMATS_BY_SUFFIX = {".csv": "csv", ".tsv": "csv", ".xml": "lido", ".lido": "lido"}
# Below this many records a bar only flickers; on a terminal it is shown anyway.
PROGRESS_THRESHOLD = 200


class ProgressBar:
    """A text progress bar on stderr.

    On a terminal one line is redrawn as the percentage moves; in a log (not a terminal) a
    line is written every tenth, since carriage returns would pile up there.
    """

    width = 30

    def __init__(self, stream, total: int, enabled: bool):
        self.stream = stream
        self.total = total
        self.enabled = enabled and total > 0
        self.redraw = stream.isatty()
        self.step_percent = 1 if self.redraw else 10
        self.done = 0
        self.shown = -1

    def step(self) -> None:
        self.done += 1
        if not self.enabled:
            return
        percent = self.done * 100 // self.total
        if percent // self.step_percent == self.shown // self.step_percent and self.shown >= 0:
            return
        self.shown = percent
        filled = self.width * self.done // self.total
        bar = (
            f"[{'#' * filled}{'.' * (self.width - filled)}] {percent:3d}% {self.done}/{self.total}"
        )
        if self.redraw:
            self.stream.write(f"\r{bar}", style_func=str, ending="")
            self.stream.flush()
        else:
            self.stream.write(bar, style_func=str)

    def finish(self) -> None:
        if self.enabled and self.redraw and self.shown >= 0:
            self.stream.write("", style_func=str)


class Command(BaseCommand):
    """``manage.py import_objects``: see the README section "Importing object records"."""

    help = (
        "Import object records from CSV or LIDO XML. Objects are matched by lender and "
        "inventory number: a re-import updates them and never duplicates; unchanged records "
        "are not saved. Refused records are listed with their line or record number."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        columns = "; ".join(
            f"{column.name} ({column.help})" if column.help else column.name for column in COLUMNS
        )
        kwargs.setdefault("epilog", f"CSV columns, lists separated by '|': {columns}.")
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", metavar="FILE", help="CSV or LIDO files; a folder of .xml files"
        )
        parser.add_argument(
            "--format", choices=["csv", "lido"], help="default: guessed from the file extension"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="report what would be created, changed and refused; write nothing",
        )
        parser.add_argument(
            "--lender",
            metavar="SLUG",
            help="lender of records that name none (default: the museum's own collection)",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="publish records whose file does not say (LIDO records are unpublished otherwise)",
        )

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        dry_run = options["dry_run"]
        default_lender = None
        if slug := options["lender"]:
            default_lender = Lender.objects.filter(slug=slug).first()
            if default_lender is None:
                raise CommandError(f"unknown lender slug {slug!r} (--lender)")
        files = self.collect_files(options["paths"], options["format"])

        report = ImportReport()
        parsed = []
        for path, file_format in files:
            try:
                if file_format == "csv":
                    items, ignored = parse_csv(path)
                    if ignored:
                        self.stdout.write(
                            f"{path}: ignored unknown columns: {', '.join(ignored)}",
                            style_func=self.style.WARNING,
                        )
                    parsed.append((str(path), "line", items))
                else:
                    parsed.append((str(path), "record", parse_lido(path, settings.LANGUAGE_CODE)))
            except FileRefused as error:
                report.refused_files.append((str(path), str(error)))
                self.stdout.write(f"refused file {path}: {error}", style_func=self.style.ERROR)

        total = sum(len(items) for _source, _unit, items in parsed)
        progress = ProgressBar(
            self.stderr, total, enabled=total > PROGRESS_THRESHOLD or self.stderr.isatty()
        )
        writer = ObjectRecordWriter(
            report, default_lender=default_lender, publish=options["publish"], dry_run=dry_run
        )
        units = {}
        with writer.indexing_afterwards():
            for source, unit, items in parsed:
                units[source] = unit
                writer.write(source, items, unit=unit, progress=progress.step)
        progress.finish()

        self.print_outcomes(report, units, dry_run)
        summary = report.summary()
        if dry_run:
            summary = f"dry run, nothing written: {summary}"
        self.stdout.write(summary)
        if report.refused_files:
            raise CommandError(
                f"{len(report.refused_files)} file(s) refused: "
                + "; ".join(f"{path}: {reason}" for path, reason in report.refused_files)
            )

    def collect_files(self, paths: list[str], forced_format: str | None) -> list[tuple[Path, str]]:
        """Every file to read with its format; fails before anything is imported."""
        files = []
        for name in paths:
            path = Path(name)
            if path.is_dir():
                if forced_format == "csv":
                    raise CommandError(f"{path} is a folder: only LIDO is read from folders")
                found = sorted(p for p in path.iterdir() if p.suffix.lower() == ".xml")
                if not found:
                    raise CommandError(f"no .xml files in {path}")
                files.extend((p, "lido") for p in found)
            elif path.is_file():
                file_format = forced_format or FORMATS_BY_SUFFIX.get(path.suffix.lower())
                if file_format is None:
                    raise CommandError(
                        f"cannot tell the format of {path} from its extension: give --format"
                    )
                files.append((path, file_format))
            else:
                raise CommandError(f"no such file or folder: {path}")
        return files

    def print_outcomes(self, report: ImportReport, units: dict[str, str], dry_run: bool) -> None:
        # Refusals are always listed: each one needs a person. Created and changed records
        # are listed on a dry run (that is what it is for) or with -v 2.
        listed = {Status.REFUSED}
        if dry_run or self.verbosity >= 2:
            listed |= {Status.CREATED, Status.CHANGED}
        if self.verbosity >= 3:
            listed.add(Status.UNCHANGED)
        verbs = {
            Status.CREATED: "would create" if dry_run else "created",
            Status.CHANGED: "would change" if dry_run else "changed",
            Status.UNCHANGED: "unchanged",
            Status.REFUSED: "refused",
        }
        for outcome in report.outcomes:
            if outcome.status not in listed:
                continue
            where = f"{outcome.source} {units.get(outcome.source, 'line')} {outcome.number}"
            what = f" [{outcome.inventory_number}]" if outcome.inventory_number else ""
            detail = f": {outcome.detail}" if outcome.detail else ""
            style = self.style.ERROR if outcome.status == Status.REFUSED else None
            self.stdout.write(f"{verbs[outcome.status]} {where}{what}{detail}", style_func=style)
