"""Create a locale for every configured content language and a HomePage as the site root.

Replaces the placeholder page that wagtailcore's initial migration creates.
"""

import uuid

from django.conf import settings
from django.db import migrations


def create_locales_and_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Locale = apps.get_model("wagtailcore", "Locale")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    HomePage = apps.get_model("exhibition", "HomePage")

    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)
    default_locale = Locale.objects.get(language_code=settings.LANGUAGE_CODE)

    page_type = ContentType.objects.get(app_label="wagtailcore", model="page")
    Page.objects.filter(content_type=page_type, slug="home", depth=2).delete()
    if HomePage.objects.exists():
        return

    home_type, _ = ContentType.objects.get_or_create(app_label="exhibition", model="homepage")
    root = Page.objects.get(depth=1)
    # The placeholder took the first child path; a fresh path avoids reusing it.
    last_child = Page.objects.filter(depth=2).order_by("-path").first()
    next_number = int(last_child.path[4:8], 36) + 1 if last_child else 1
    path = root.path + format_base36(next_number).rjust(4, "0")
    home = HomePage.objects.create(
        title="Trafficking",
        draft_title="Trafficking",
        slug="home",
        content_type=home_type,
        path=path,
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=default_locale,
        translation_key=uuid.uuid4(),
        live=True,
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page_id": home.pk, "site_name": "Trafficking"},
    )


def format_base36(number: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    text = ""
    while True:
        number, remainder = divmod(number, 36)
        text = digits[remainder] + text
        if number == 0:
            return text


def remove_home_page(apps, schema_editor):
    apps.get_model("exhibition", "HomePage").objects.filter(depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("exhibition", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_locales_and_home_page, remove_home_page)]
