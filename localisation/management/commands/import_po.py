from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from localisation.po import POImportError, import_po


class Command(BaseCommand):
    help = (
        "Import a translated PO file (exported with export_po). Changed source texts, unknown "
        "keys and invalid translations are reported and left out; testimony translations are "
        "saved as drafts for the ethics review."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The translated .po file.")
        parser.add_argument("--language", help="Refuse the file unless it is in this language.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report, change nothing."
        )

    def handle(self, *args, file, language, dry_run, **options):
        try:
            content = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from None
        try:
            result = import_po(content, language=language, dry_run=dry_run)
        except POImportError as error:
            raise CommandError(f"{error} Nothing was changed.") from None
        for issue in result.issues:
            self.stderr.write(f"  {issue.problem}: {issue.key}: {issue.message}")
        verb = "would change" if dry_run else "changed"
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.venue} {result.language}: {verb} {result.changed} texts "
                f"({result.created} new, {result.updated} updated), {result.unchanged} unchanged, "
                f"{result.untranslated} untranslated, {len(result.issues)} left out; "
                f"{result.drafts} testimonies saved as drafts for ethics review"
            )
        )
