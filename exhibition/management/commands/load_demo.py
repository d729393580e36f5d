import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from exhibition.demo import load_all
from search import service as search_service
from search.tasks import update_search_index

ADMIN_USERNAME = "admin"


class Command(BaseCommand):
    help = "Load the fictional demo content (idempotent) and make sure a demo admin account exists."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-admin", action="store_true", help="Do not create the demo admin account."
        )

    def handle(self, *args, no_admin=False, **options):
        with transaction.atomic():
            load_all(lambda message: self.stdout.write(f"  {message}"))
        # The public search index is built here, so the demo is searchable at once; Wagtail's
        # own index (admin search) is brought up to date by the task worker.
        counts = search_service.rebuild()
        self.stdout.write(f"  search index built: {counts}")
        update_search_index.enqueue()
        self.stdout.write("  search index update queued")
        if not no_admin:
            password = self.ensure_admin()
            self.stdout.write(f"admin account: {ADMIN_USERNAME} / {password}")
        self.stdout.write(self.style.SUCCESS("demo content loaded"))

    def ensure_admin(self) -> str:
        """Create the demo superuser once, with a generated password kept in var/."""
        password_file = Path(settings.VAR_DIR) / "demo-admin-password"
        User = get_user_model()
        user = User.objects.filter(username=ADMIN_USERNAME).first()
        if user and password_file.exists():
            return password_file.read_text().strip()
        password = secrets.token_urlsafe(12)
        if user is None:
            user = User.objects.create_superuser(ADMIN_USERNAME, email="", password=password)
        else:
            user.set_password(password)
            user.save(update_fields=["password"])
        password_file.parent.mkdir(parents=True, exist_ok=True)
        password_file.write_text(password + "\n")
        password_file.chmod(0o600)
        return password
