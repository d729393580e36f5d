import pytest

from programme.models import (
    ResearchArticlePage,
    ResearchAuthor,
    ResearchIndexPage,
    TeacherPackPage,
)
from tests.programme.conftest import CONTACT, in_days, make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", password="a long test password")
    client.force_login(user)
    return client


def test_edit_forms_of_every_programme_page_render(editor, home_page, event_index, vilnius):
    event = make_event(
        event_index, vilnius, slug="edit-me", start=in_days(3), organiser_contact=CONTACT
    )
    research = ResearchIndexPage(title="Research", slug="research")
    home_page.add_child(instance=research)
    article = ResearchArticlePage(title="Article", slug="article", abstract="A.", body="<p>B</p>")
    article.authors.add(ResearchAuthor(name="Ada"))
    research.add_child(instance=article)
    pack = TeacherPackPage(title="Pack", slug="pack", age_from=10, age_to=12)
    home_page.add_child(instance=pack)
    for page in (event_index, event, research, article, pack):
        response = editor.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200, page
    # Staff see the organiser's contact details and the local time at the venue.
    text = editor.get(f"/admin/pages/{event.pk}/edit/").text
    assert "private.organiser@example.invalid" in text
    assert event.local_start.strftime("%Y-%m-%d %H:%M") in text
