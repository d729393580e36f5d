from urllib.parse import urlsplit

from django.conf import settings

from wagtail.models import Locale, Page, Site

from exhibition.models import HomePage

DEMO_NOTICE = {
    "sv": "<p><b>Demoinnehåll.</b> Allt innehåll på denna demosida är påhittat.</p>",
    "en": "<p><b>Demo content.</b> Everything on this demo site is fictional.</p>",
}

HOME = {
    "sv": {
        "title": "Trafficking",
        "intro": (
            "<p>En utställning om handel med människor och plundring av föremål och kulturarv: "
            "många röster, öppna frågor och plats för oenighet.</p>"
        ),
    },
    "en": {
        "title": "Trafficking",
        "intro": (
            "<p>An exhibition on the trade in people and the looting of objects and cultural "
            "heritage: many voices, open questions and room for disagreement.</p>"
        ),
    },
}


def site_home() -> HomePage:
    return Site.objects.get(is_default_site=True).root_page.specific


def configure_site(site_url: str) -> None:
    """Point the default Site at the address the demo is served on, for absolute URLs."""
    parts = urlsplit(site_url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    Site.objects.filter(is_default_site=True).exclude(hostname=parts.hostname, port=port).update(
        hostname=parts.hostname, port=port
    )


def load(log) -> None:
    configure_site(settings.WAGTAILADMIN_BASE_URL)
    home = site_home()
    changed = [_update(home, settings.LANGUAGE_CODE)]
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        if code == settings.LANGUAGE_CODE or code not in HOME:
            continue
        locale = Locale.objects.get(language_code=code)
        translation = home.get_translation_or_none(locale)
        if translation is None:
            translation = home.copy_for_translation(locale, copy_parents=True)
        changed.append(_update(translation.specific, code))
    log(f"pages: home in {len(changed)} languages ({sum(changed)} updated)")


def _update(page: Page, language: str) -> bool:
    """Set the demo text and publish, but only when something differs (no empty revisions)."""
    wanted = {
        "title": HOME[language]["title"],
        "intro": HOME[language]["intro"] + DEMO_NOTICE[language],
    }
    if (
        page.live
        and not page.has_unpublished_changes
        and all(getattr(page, key) == value for key, value in wanted.items())
    ):
        return False
    for key, value in wanted.items():
        setattr(page, key, value)
    page.draft_title = page.title
    page.save_revision().publish()
    return True
