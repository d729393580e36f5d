from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation

from wagtail.models import Page

register = template.Library()


@register.inclusion_tag("exhibition/includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to this page in every site language that has it.

    A Wagtail page links to its live translations (their slugs may differ); any other view
    links to the same path under each language prefix.
    """
    request = context["request"]
    current = translation.get_language()
    page = context.get("page")
    links = []
    if isinstance(page, Page):
        translations = {
            p.locale.language_code: p
            for p in page.get_translations(inclusive=True).live().select_related("locale")
        }
        for code, name in settings.LANGUAGES:
            if code in translations:
                links.append((code, name, translations[code].get_url(request)))
    else:
        for code, name in settings.LANGUAGES:
            links.append((code, name, translate_url(request.get_full_path(), code)))
    return {
        "links": [
            {"code": c, "name": n, "url": u, "current": c == current} for c, n, u in links if u
        ]
    }
