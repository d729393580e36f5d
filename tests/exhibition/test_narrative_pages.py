"""The online exhibition's page tree: which page goes where, what each page lists, and the
demo exhibition that uses every block."""

from django.utils import translation
from django.utils.module_loading import import_string

from wagtail.models import Locale, Page, Revision

import pytest

from collection.factories import ObjectRecordFactory
from exhibition.demo import LOADERS
from exhibition.demo import narrative as narrative_demo
from exhibition.models import ExhibitionPage, HomePage, NarrativePage, SectionPage
from programme.models import EventIndexPage, ResearchIndexPage, TeacherPackPage
from tests.exhibition.layout_builders import build_show
from tests.exhibition.test_narrative_blocks import add_image, build_tree, serve

pytestmark = pytest.mark.django_db

EMPTY_STYLE_HASH = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"


@pytest.fixture(autouse=True)
def _site_language():
    with translation.override("sv"):
        yield


def test_each_page_type_goes_only_where_it_belongs():
    assert HomePage.allowed_subpage_models() == [
        ExhibitionPage,
        EventIndexPage,
        ResearchIndexPage,
        TeacherPackPage,
    ]
    assert ExhibitionPage.allowed_parent_page_models() == [HomePage]
    assert ExhibitionPage.allowed_subpage_models() == [SectionPage]
    assert SectionPage.allowed_parent_page_models() == [ExhibitionPage]
    assert SectionPage.allowed_subpage_models() == [NarrativePage]
    assert NarrativePage.allowed_parent_page_models() == [SectionPage]
    assert NarrativePage.allowed_subpage_models() == []


def test_a_narrative_page_cannot_be_created_under_the_home_page(home_page):
    assert not NarrativePage.can_create_at(home_page)
    assert not SectionPage.can_create_at(home_page)
    assert ExhibitionPage.can_create_at(home_page)


def test_the_home_page_links_to_the_exhibition(client, home_page):
    tree = build_tree(home_page)
    html = client.get("/").text
    assert f'href="{tree.exhibition.get_url()}"' in html
    tree.exhibition.unpublish()
    assert f'href="{tree.exhibition.get_url()}"' not in client.get("/").text


def test_the_exhibition_lists_live_sections_rooms_and_the_floor_plan(client, home_page):
    build_show()
    tree = build_tree(home_page)
    draft = SectionPage(title="UTKASTTEMA", slug="utkast", live=False)
    tree.exhibition.add_child(instance=draft)
    html = serve(client, tree.exhibition)
    assert tree.section.get_url() in html
    assert "UTKASTTEMA" not in html
    assert "/exhibition/rooms/home/first/" in html
    assert "/exhibition/rooms/home/second/" in html
    assert "/exhibition/floor-plan/home/" in html


def test_the_exhibition_page_works_before_a_home_museum_is_announced(client, home_page):
    tree = build_tree(home_page)
    html = serve(client, tree.exhibition)
    assert "/exhibition/floor-plan/" not in html


def test_a_section_lists_its_live_narrative_pages_and_its_neighbours(client, home_page):
    tree = build_tree(home_page)
    draft = NarrativePage(title="UTKASTSIDA", slug="utkastsida", live=False)
    tree.section.add_child(instance=draft)
    second = SectionPage(title="ANDRA temat", slug="andra")
    tree.exhibition.add_child(instance=second)
    second.save_revision().publish()
    html = serve(client, tree.section)
    assert tree.page.get_url() in html
    assert "UTKASTSIDA" not in html
    assert 'rel="next"' in html and "ANDRA temat" in html
    assert 'rel="prev"' in serve(client, second)


def test_a_narrative_page_links_back_to_its_section(client, home_page):
    tree = build_tree(home_page)
    html = serve(client, tree.page)
    assert f'href="{tree.section.get_url()}"' in html


def test_deep_zoom_is_loaded_only_for_object_blocks_and_allowed_by_the_csp(client, home_page):
    obj = ObjectRecordFactory()
    add_image(obj)
    tree = build_tree(home_page, [("text", "<p>Bara text.</p>")])
    response = client.get(tree.page.get_url())
    assert "openseadragon" not in response.text
    tree.page.body = [{"type": "object", "value": {"object": obj.pk}}]
    tree.page.save_revision().publish()
    response = client.get(tree.page.get_url())
    assert "openseadragon.min.js" in response.text
    assert 'id="deep-zoom-controls"' in response.text
    policy = response["Content-Security-Policy"]
    assert EMPTY_STYLE_HASH in policy
    assert "unsafe-inline" not in policy


def test_an_unpublished_narrative_page_is_not_found(client, home_page):
    tree = build_tree(home_page)
    tree.page.unpublish()
    assert client.get(tree.page.get_url()).status_code == 404


def test_the_english_translation_lives_under_en(client, home_page, english_home):
    tree = build_tree(home_page, [("text", "<p>Svensk text.</p>")])
    english = tree.page.copy_for_translation(
        Locale.objects.get(language_code="en"), copy_parents=True
    )
    english.title = "The story"
    english.body = [{"type": "text", "value": "<p>ENGLISH text.</p>"}]
    english.save_revision().publish()
    url = english.get_url()
    assert url.startswith("/en/")
    response = client.get(url)
    assert response.status_code == 200
    assert "ENGLISH text." in response.text
    assert '<html lang="en">' in response.text


def test_the_body_is_not_in_the_search_index_fields():
    names = {field.field_name for field in NarrativePage.search_fields}
    assert "intro" in names
    assert "body" not in names


# --- the demo ----------------------------------------------------------------------------------


def load_up_to_the_narrative_pages():
    for path in LOADERS:
        import_string(path)(lambda message: None)
        if path == "exhibition.demo.narrative.load":
            return
    raise AssertionError("the narrative loader is not registered in LOADERS")


def test_the_demo_exhibition_uses_every_block_and_loads_idempotently(client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    load_up_to_the_narrative_pages()
    pages = NarrativePage.objects.live()
    for language in ("sv", "en"):
        used = {
            block.block_type
            for page in pages.filter(locale__language_code=language)
            for block in page.body
        }
        assert used == set(NarrativePage.body.field.stream_block.child_blocks), language
    assert SectionPage.objects.live().filter(locale__language_code="sv").count() == 4
    assert ExhibitionPage.objects.live().count() == 2
    revisions, page_count = Revision.objects.count(), Page.objects.count()
    narrative_demo.load(lambda message: None)
    assert (Revision.objects.count(), Page.objects.count()) == (revisions, page_count)
    for page in pages:
        text = client.get(page.get_url()).text
        assert "påhittad" in text or "fictional" in text
        # The demo chooses a voice who consented to the physical show only, and an
        # unpublished object: neither appears.
        assert "DOLD-DEMO" not in text and "HIDDEN-DEMO" not in text
        assert "DEMO-007" not in text


def test_curators_can_open_the_editor_for_every_page_type(client, home_page, django_user_model):
    tree = build_tree(home_page)
    user = django_user_model.objects.create_superuser("curator", password="x")
    client.force_login(user)
    for model, parent in (
        ("exhibitionpage", home_page),
        ("sectionpage", tree.exhibition),
        ("narrativepage", tree.section),
    ):
        response = client.get(f"/admin/pages/add/exhibition/{model}/{parent.pk}/")
        assert response.status_code == 200, model
    response = client.get(f"/admin/pages/{tree.page.pk}/edit/")
    assert response.status_code == 200
    assert "call_for_contributions" in response.text


def test_a_bad_region_is_refused_in_the_editor_and_the_page_keeps_its_content(
    client, home_page, django_user_model
):
    obj = ObjectRecordFactory()
    object_image = add_image(obj)
    tree = build_tree(home_page, [("text", "<p>ORIGINALTEXT</p>")])
    user = django_user_model.objects.create_superuser("curator", password="x")
    client.force_login(user)
    data = {
        "title": tree.page.title,
        "slug": tree.page.slug,
        "intro": "",
        "body-count": "1",
        "body-0-type": "image_region",
        "body-0-deleted": "",
        "body-0-order": "0",
        "body-0-id": "",
        "body-0-value-object": str(obj.pk),
        "body-0-value-image": str(object_image.image.pk),
        "body-0-value-region": "1500,1100,400,300",
        "body-0-value-alt_text": "Alt",
        "body-0-value-caption": "",
        "action-publish": "publish",
    }
    with translation.override("en"):
        response = client.post(f"/admin/pages/{tree.page.pk}/edit/", data)
    assert response.status_code == 200  # the form again, with the error
    # The admin speaks Swedish; the message sits in the editor's JSON (non-ASCII escaped).
    assert "ste ligga inom bilden" in response.text
    tree.page.refresh_from_db()
    assert "ORIGINALTEXT" in str(tree.page.body)


def test_the_main_navigation_leads_into_the_exhibition_and_the_programme(client, home_page):
    html = client.get("/").text
    nav = html[html.index('<nav class="site-nav"') : html.index("</nav>")]
    assert '<a href="/">' in nav  # no exhibition page yet: the home page
    assert "programme" not in nav.lower()
    tree = build_tree(home_page)
    index = EventIndexPage(title="Programmet", slug="programmet")
    home_page.add_child(instance=index)
    html = client.get("/").text
    nav = html[html.index('<nav class="site-nav"') : html.index("</nav>")]
    assert f'href="{tree.exhibition.get_url()}"' in nav
    assert 'href="/programmet/"' in nav


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_navigation_links_are_remembered_until_public_content_changes(
    django_assert_num_queries,
):
    from django.test import RequestFactory

    from exhibition.context_processors import _found, first_live_page_url

    _found.clear()
    from wagtail.models import Site

    home = Page.get_first_root_node().add_child(instance=HomePage(title="Hem", slug="hem-nav"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"root_page": home, "hostname": "testserver"}
    )
    request = RequestFactory().get("/")
    assert first_live_page_url(EventIndexPage, request) == ""
    with django_assert_num_queries(1):  # the content generation, then from memory
        assert first_live_page_url(EventIndexPage, RequestFactory().get("/")) == ""
    with django_assert_num_queries(0):  # within one request, not even that
        assert first_live_page_url(EventIndexPage, request) == ""
    home.add_child(instance=EventIndexPage(title="Programmet", slug="programmet"))
    assert first_live_page_url(EventIndexPage, RequestFactory().get("/")) == "/programmet/"
