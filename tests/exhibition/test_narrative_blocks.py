"""Narrative page blocks render only what the web may show today.

Each block that shows an object, a testimony, a perspective or a question is checked on a
served page, visible and then hidden in each way that matters (unpublished, withdrawn consent,
expired consent, not cleared for the web, not online), and the hidden case must leak nothing:
no title, no name, no image URL. Builders here are shared with test_narrative_pages.py.
"""

import datetime
import io
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.utils import timezone, translation

from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.models import Locale

import pytest
from PIL import Image as PILImage

from collection.factories import LenderFactory, LoanAgreementFactory, ObjectRecordFactory
from collection.models import LoanAgreement, MuseumImage, ObjectImage
from exhibition.blocks import (
    AudioBlock,
    ImageRegionBlock,
    NarrativeBlock,
    ObjectBlock,
    ObjectComparisonBlock,
)
from exhibition.blocks import (
    TestimonyExcerptBlock as ExcerptBlock,
)
from exhibition.models import ExhibitionPage, NarrativePage, SectionPage
from stories.factories import VoiceFactory, consented_voice, grant, published_testimony
from stories.models import (
    Perspective,
    PerspectiveText,
    Position,
    Question,
    QuestionText,
)
from stories.models import (
    TestimonyText as TextOfTestimony,
)
from tests.stories.testimony_builders import everywhere, spoken_testimony

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_language():
    with translation.override("sv"):
        yield


# --- builders --------------------------------------------------------------------------------


def add_image(obj, *, online=True, max_size=None, size=(1600, 1200)) -> ObjectImage:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, "teal").save(buffer, "JPEG")
    image = MuseumImage.objects.create(
        title=f"BILDTITEL {obj.inventory_number}",
        file=ImageFile(buffer, name="narrative-test.jpg"),
        may_publish_online=online,
        max_online_size=max_size,
    )
    return ObjectImage.objects.create(object=obj, image=image)


def build_tree(home, body=(), *, title="Berättelsen"):
    """Home → exhibition → section → narrative page with ``body``, all published."""
    exhibition = ExhibitionPage(title="Utställningen", slug="utstallningen")
    home.add_child(instance=exhibition)
    exhibition.save_revision().publish()
    section = SectionPage(title="Temat", slug="temat")
    exhibition.add_child(instance=section)
    section.save_revision().publish()
    raw = [{"type": kind, "value": value} for kind, value in body]
    page = NarrativePage(title=title, slug="berattelsen", body=raw)
    section.add_child(instance=page)
    page.save_revision().publish()
    return SimpleNamespace(exhibition=exhibition, section=section, page=page)


def serve(client, page, language="sv") -> str:
    url = page.get_url() if language == "sv" else "/en" + page.get_url()
    response = client.get(url)
    assert response.status_code == 200
    return response.text


def make_perspective(*voices, live=True, slug="narrative-perspective"):
    sv = Locale.objects.get(language_code="sv")
    perspective = Perspective(slug=slug, live=live)
    perspective.texts.add(PerspectiveText(locale=sv, question="FRÅGAN om ansvar?"))
    for number, voice in enumerate(voices):
        perspective.positions.add(
            Position(
                voice=voice,
                locale=sv,
                statement=f"STÅNDPUNKT-{number}",
                stance=Position.Stance.OPENS if number == 0 else Position.Stance.CONTESTS,
                responds_to=None if number == 0 else voices[0],
            )
        )
    perspective.full_clean()
    perspective.save()
    return perspective


def make_question(live=True, accepts=True) -> Question:
    question = Question(slug="narrative-question", live=live, accepts_contributions=accepts)
    question.texts.add(
        QuestionText(locale=Locale.objects.get(language_code="sv"), text="FRÅGETEXT till besökare")
    )
    question.save()
    return question


def excerpt(testimony, text="UTDRAG ur vittnesmålet", start=None):
    return (
        "testimony_excerpt",
        {"testimony": testimony.pk, "excerpt": text, "start_seconds": start},
    )


# --- object ----------------------------------------------------------------------------------


class TestObjectBlock:
    def test_a_visible_object_shows_its_title_image_and_deep_zoom(self, client, home_page):
        obj = ObjectRecordFactory(title="SYNLIG skål")
        image = add_image(obj)
        tree = build_tree(home_page, [("object", {"object": obj.pk, "caption": "VARFÖR här"})])
        html = serve(client, tree.page)
        assert "SYNLIG skål" in html
        assert "VARFÖR här" in html
        assert f"/iiif/3/{image.image.pk}/info.json" in html
        assert "deep-zoom.js" in html
        assert obj.get_absolute_url() in html

    @pytest.mark.parametrize(
        "hide",
        [
            lambda obj: setattr(obj, "is_published", False),
            lambda obj: setattr(obj, "contains_human_remains", True),
        ],
        ids=["unpublished", "not-cleared"],
    )
    def test_a_hidden_object_leaks_nothing(self, client, home_page, hide):
        obj = ObjectRecordFactory(title="DOLD skål")
        image = add_image(obj)
        tree = build_tree(home_page, [("object", {"object": obj.pk, "caption": "BILDTEXT"})])
        hide(obj)
        obj.save()
        html = serve(client, tree.page)
        assert "DOLD skål" not in html
        assert "BILDTEXT" not in html
        assert f"/iiif/3/{image.image.pk}/" not in html
        assert obj.get_absolute_url() not in html

    def test_a_loan_not_confirmed_hides_the_object(self, client, home_page):
        lender = LenderFactory()
        obj = ObjectRecordFactory(title="LÅNAD mask", lender=lender)
        LoanAgreementFactory(lender=lender, loaned_objects=[obj])
        tree = build_tree(home_page, [("object", {"object": obj.pk})])
        assert "LÅNAD mask" in serve(client, tree.page)
        loan = LoanAgreement.objects.get(lender=lender)
        loan.status = LoanAgreement.Status.REQUESTED
        loan.save()
        assert "LÅNAD mask" not in serve(client, tree.page)

    def test_an_image_not_allowed_online_is_not_shown(self, client, home_page):
        obj = ObjectRecordFactory(title="Skål utan webbild")
        image = add_image(obj, online=False)
        tree = build_tree(home_page, [("object", {"object": obj.pk})])
        html = serve(client, tree.page)
        assert "Skål utan webbild" in html
        assert image.image.file.name.split("/")[-1].split(".")[0] not in html
        assert f"/iiif/3/{image.image.pk}/" not in html

    def test_without_javascript_the_image_is_a_plain_img_with_alt_text(self, client, home_page):
        obj = ObjectRecordFactory(title="Skål")
        add_image(obj)
        html = serve(client, build_tree(home_page, [("object", {"object": obj.pk})]).page)
        assert 'alt="Skål"' in html
        assert "<img" in html.split("data-deep-zoom", 1)[1]

    def test_a_deleted_object_renders_nothing(self, client, home_page):
        obj = ObjectRecordFactory(title="Borttagen")
        tree = build_tree(home_page, [("object", {"object": obj.pk})])
        obj.delete()
        assert "Borttagen" not in serve(client, tree.page)


# --- object comparison -----------------------------------------------------------------------


class TestObjectComparison:
    def test_shows_only_visible_objects(self, client, home_page):
        objects = [ObjectRecordFactory(title=f"JÄMFÖR-{n}") for n in range(3)]
        tree = build_tree(
            home_page,
            [
                (
                    "object_comparison",
                    {"heading": "RUBRIK", "objects": [o.pk for o in objects], "caption": ""},
                )
            ],
        )
        assert all(f"JÄMFÖR-{n}" in serve(client, tree.page) for n in range(3))
        objects[2].is_published = False
        objects[2].save()
        html = serve(client, tree.page)
        assert "JÄMFÖR-0" in html and "JÄMFÖR-1" in html
        assert "JÄMFÖR-2" not in html

    def test_one_visible_object_is_no_comparison(self, client, home_page):
        objects = [ObjectRecordFactory(title=f"PAR-{n}") for n in range(2)]
        tree = build_tree(
            home_page,
            [("object_comparison", {"heading": "PARRUBRIK", "objects": [o.pk for o in objects]})],
        )
        objects[1].is_published = False
        objects[1].save()
        html = serve(client, tree.page)
        assert "PARRUBRIK" not in html
        assert "PAR-0" not in html and "PAR-1" not in html

    def test_needs_two_to_three_different_objects(self):
        block = ObjectComparisonBlock()
        one, two = ObjectRecordFactory(), ObjectRecordFactory()
        with pytest.raises(ValidationError):
            block.clean(block.to_python({"objects": [one.pk]}))
        with pytest.raises(ValidationError):
            block.clean(block.to_python({"objects": [one.pk, one.pk]}))
        four = [ObjectRecordFactory().pk for _ in range(2)]
        with pytest.raises(ValidationError):
            block.clean(block.to_python({"objects": [one.pk, two.pk, *four]}))
        assert block.clean(block.to_python({"objects": [one.pk, two.pk]}))


# --- image region ----------------------------------------------------------------------------


class TestImageRegion:
    def value(self, obj, object_image, region="100,100,400,300"):
        return {
            "object": obj.pk,
            "image": object_image.image.pk,
            "region": region,
            "alt_text": "ALT detaljen",
            "caption": "DETALJTEXT",
        }

    def test_renders_the_region_through_the_iiif_image_api(self, client, home_page):
        obj = ObjectRecordFactory(title="Detaljföremål")
        object_image = add_image(obj)
        tree = build_tree(home_page, [("image_region", self.value(obj, object_image))])
        html = serve(client, tree.page)
        url = f"/iiif/3/{object_image.image.pk}/100,100,400,300/!400,300/0/default.jpg"
        assert url in html
        assert 'width="400" height="300"' in html
        assert "ALT detaljen" in html and "DETALJTEXT" in html
        assert client.get(url).status_code == 200

    def test_the_region_respects_the_largest_size_allowed_online(self, client, home_page):
        obj = ObjectRecordFactory()
        object_image = add_image(obj, max_size=800)  # half of 1600: the region at half size
        tree = build_tree(home_page, [("image_region", self.value(obj, object_image))])
        html = serve(client, tree.page)
        assert 'width="200" height="150"' in html
        start = html.index(f"/iiif/3/{object_image.image.pk}/")
        iiif_url = html[start : html.index('"', start)]
        assert client.get(iiif_url).status_code == 200

    @pytest.mark.parametrize("hide", ["image-offline", "object-unpublished"])
    def test_hidden_image_or_object_leaks_nothing(self, client, home_page, hide):
        obj = ObjectRecordFactory(title="DOLT detaljföremål")
        object_image = add_image(obj)
        tree = build_tree(home_page, [("image_region", self.value(obj, object_image))])
        if hide == "image-offline":
            object_image.image.may_publish_online = False
            object_image.image.save()
        else:
            obj.is_published = False
            obj.save()
        html = serve(client, tree.page)
        assert f"/iiif/3/{object_image.image.pk}/" not in html
        assert "ALT detaljen" not in html and "DETALJTEXT" not in html
        assert "DOLT detaljföremål" not in html

    @pytest.mark.parametrize(
        "region", ["1500,100,400,300", "0,0,0,10", "a,b,c,d", "1,2,3", "-1,0,10,10"]
    )
    def test_bad_regions_are_refused(self, region):
        obj = ObjectRecordFactory()
        object_image = add_image(obj)
        block = ImageRegionBlock()
        with pytest.raises(StructBlockValidationError) as error:
            block.clean(block.to_python(self.value(obj, object_image, region)))
        assert "region" in error.value.block_errors

    def test_the_image_must_belong_to_the_object(self):
        obj, other = ObjectRecordFactory(), ObjectRecordFactory()
        foreign = add_image(other)
        block = ImageRegionBlock()
        with translation.override("en"), pytest.raises(StructBlockValidationError) as error:
            block.clean(block.to_python(self.value(obj, foreign)))
        assert "image" in error.value.block_errors
        # The message is lazy: it reads in the language active when it is shown (Swedish).
        assert "föremålets egna bilder" in str(error.value.block_errors["image"])


# --- testimony excerpt -----------------------------------------------------------------------


class TestTestimonyExcerpt:
    def test_a_visible_testimony_shows_the_excerpt_and_voice(self, client, home_page):
        voice = consented_voice(display_name="RÖSTNAMN (test)")
        testimony = published_testimony(voice=voice)
        tree = build_tree(home_page, [excerpt(testimony, start=12.5)])
        html = serve(client, tree.page)
        assert "UTDRAG ur vittnesmålet" in html
        assert "RÖSTNAMN (test)" in html
        assert f"/stories/testimonies/{testimony.slug}/?t=12.5" in html

    def test_consent_withdrawn_after_publishing_hides_it_at_once(self, client, home_page):
        voice = consented_voice(display_name="RÖSTNAMN (test)")
        testimony = published_testimony(voice=voice)
        tree = build_tree(home_page, [excerpt(testimony)])
        assert "UTDRAG ur vittnesmålet" in serve(client, tree.page)
        voice.consents.get().withdraw(by=None, basis="Asked to be removed")
        html = serve(client, tree.page)
        assert "UTDRAG ur vittnesmålet" not in html
        assert "RÖSTNAMN (test)" not in html
        assert testimony.slug not in html
        assert "Vittnesmål" not in html

    def test_expired_consent_hides_it(self, client, home_page):
        voice = VoiceFactory(display_name="UTGÅNGEN röst")
        grant(voice, **everywhere(expires_on=timezone.localdate() - datetime.timedelta(days=1)))
        testimony = published_testimony(voice=voice)
        html = serve(client, build_tree(home_page, [excerpt(testimony)]).page)
        assert "UTDRAG" not in html and "UTGÅNGEN röst" not in html

    def test_consent_for_the_physical_show_only_keeps_it_off_the_web(self, client, home_page):
        voice = VoiceFactory(display_name="UTSTÄLLNINGSRÖST")
        grant(voice, channels={"exhibition"}, countries="SE")
        testimony = published_testimony(voice=voice)
        html = serve(client, build_tree(home_page, [excerpt(testimony)]).page)
        assert "UTDRAG" not in html and "UTSTÄLLNINGSRÖST" not in html

    def test_an_unpublished_testimony_is_not_shown(self, client, home_page):
        testimony = published_testimony(live=False)
        html = serve(client, build_tree(home_page, [excerpt(testimony)]).page)
        assert "UTDRAG" not in html

    def test_only_in_languages_the_consent_allows(self, client, home_page, english_home):
        voice = VoiceFactory(display_name="Svensktalande röst")
        grant(voice, **everywhere(languages="sv"))
        testimony = published_testimony(voice=voice)
        tree = build_tree(home_page, [excerpt(testimony)])
        assert "UTDRAG" in serve(client, tree.page)
        english = tree.page.copy_for_translation(
            Locale.objects.get(language_code="en"), copy_parents=True
        )
        english.save_revision().publish()
        response = client.get(english.get_url())
        assert response.status_code == 200
        assert "UTDRAG" not in response.text
        assert "Svensktalande röst" not in response.text

    def test_content_notes_gate_the_excerpt(self, client, home_page):
        testimony = published_testimony(content_notes=["violence"])
        html = serve(client, build_tree(home_page, [excerpt(testimony)]).page)
        assert "<details" in html
        assert html.index("<summary") < html.index("UTDRAG")

    def test_times_must_make_sense(self):
        testimony = published_testimony()
        block = ExcerptBlock()
        with pytest.raises(ValidationError):
            block.clean(
                block.to_python({"testimony": testimony.pk, "excerpt": "x", "start_seconds": -3})
            )


# --- audio -----------------------------------------------------------------------------------


class TestAudio:
    def test_a_visible_recording_plays_with_its_tracks(self, client, home_page):
        testimony = spoken_testimony(consent=everywhere())
        tree = build_tree(
            home_page,
            [
                (
                    "audio",
                    {
                        "heading": "LYSSNA",
                        "testimony": testimony.pk,
                        "start_seconds": 1,
                        "end_seconds": 9.5,
                    },
                )
            ],
        )
        html = serve(client, tree.page)
        assert f"/stories/testimonies/{testimony.slug}/recording/#t=1,9.5" in html
        assert "<audio" in html and "<track" in html
        assert client.get(f"/stories/testimonies/{testimony.slug}/recording/").status_code == 200

    def test_withdrawn_consent_removes_the_player(self, client, home_page):
        testimony = spoken_testimony(consent=everywhere())
        tree = build_tree(home_page, [("audio", {"heading": "LYSSNA", "testimony": testimony.pk})])
        testimony.voice.consents.get().withdraw(by=None, basis="Asked to be removed")
        html = serve(client, tree.page)
        assert "<audio" not in html and "LYSSNA" not in html
        assert "recording" not in html

    def test_a_testimony_without_recording_renders_nothing(self, client, home_page):
        testimony = published_testimony()
        tree = build_tree(home_page, [("audio", {"heading": "LYSSNA", "testimony": testimony.pk})])
        assert "LYSSNA" not in serve(client, tree.page)

    def test_the_end_comes_after_the_start(self):
        testimony = published_testimony()
        block = AudioBlock()
        with pytest.raises(StructBlockValidationError) as error:
            block.clean(
                block.to_python({"testimony": testimony.pk, "start_seconds": 9, "end_seconds": 3})
            )
        assert "end_seconds" in error.value.block_errors


# --- perspective -----------------------------------------------------------------------------


class TestPerspective:
    def test_voices_side_by_side(self, client, home_page):
        first = consented_voice(display_name="FÖRSTA röst")
        second = consented_voice(display_name="ANDRA röst")
        perspective = make_perspective(first, second)
        html = serve(
            client, build_tree(home_page, [("perspective", {"perspective": perspective.pk})]).page
        )
        assert "FRÅGAN om ansvar?" in html
        assert "FÖRSTA röst" in html and "ANDRA röst" in html
        assert "STÅNDPUNKT-0" in html and "STÅNDPUNKT-1" in html

    def test_a_hidden_voice_is_left_out_and_not_named(self, client, home_page):
        voices = [consented_voice(display_name=f"RÖST-{n}") for n in range(3)]
        perspective = make_perspective(*voices)
        tree = build_tree(home_page, [("perspective", {"perspective": perspective.pk})])
        voices[2].consents.get().withdraw(by=None, basis="Asked to be removed")
        html = serve(client, tree.page)
        assert "RÖST-0" in html and "RÖST-1" in html
        assert "RÖST-2" not in html and "STÅNDPUNKT-2" not in html

    def test_withdrawal_that_leaves_one_voice_hides_it_all(self, client, home_page):
        first, second = consented_voice(display_name="KVAR"), consented_voice()
        perspective = make_perspective(first, second)
        tree = build_tree(home_page, [("perspective", {"perspective": perspective.pk})])
        second.consents.get().withdraw(by=None, basis="Asked to be removed")
        html = serve(client, tree.page)
        assert "FRÅGAN om ansvar?" not in html and "KVAR" not in html

    def test_an_unpublished_perspective_is_not_shown(self, client, home_page):
        perspective = make_perspective(consented_voice(), consented_voice(), live=False)
        html = serve(
            client, build_tree(home_page, [("perspective", {"perspective": perspective.pk})]).page
        )
        assert "FRÅGAN" not in html


# --- call for contributions ------------------------------------------------------------------


class TestCallForContributions:
    def test_links_to_the_contributions_form(self, client, home_page):
        question = make_question()
        tree = build_tree(
            home_page,
            [
                (
                    "call_for_contributions",
                    {"heading": "SVARA", "text": "", "question": str(question.pk)},
                )
            ],
        )
        html = serve(client, tree.page)
        assert "FRÅGETEXT till besökare" in html
        assert "/stories/questions/narrative-question/" in html
        assert client.get("/stories/questions/narrative-question/").status_code == 200

    def test_an_unpublished_question_is_not_shown(self, client, home_page):
        question = make_question(live=False)
        tree = build_tree(
            home_page,
            [("call_for_contributions", {"heading": "SVARA", "question": str(question.pk)})],
        )
        html = serve(client, tree.page)
        assert "SVARA" not in html and "FRÅGETEXT" not in html

    def test_a_closed_question_invites_reading_the_answers(self, client, home_page):
        question = make_question(accepts=False)
        tree = build_tree(home_page, [("call_for_contributions", {"question": str(question.pk)})])
        with translation.override("en"):
            html = serve(client, tree.page)
        assert "FRÅGETEXT till besökare" in html
        assert "/stories/questions/narrative-question/" in html
        assert "Läs svaren" in html  # served pages speak the site's language, Swedish


# --- the curator's own words -----------------------------------------------------------------


def test_text_quote_and_timeline_render_as_written(client, home_page):
    tree = build_tree(
        home_page,
        [
            ("text", "<h2>MELLANRUBRIK</h2><p>Brödtext.</p>"),
            (
                "quote",
                {"quote": "CITATET", "attribution": "Någon", "source": "KÄLLAN", "language": "en"},
            ),
            (
                "timeline",
                {
                    "heading": "TIDSLINJE",
                    "events": [
                        {"date": "ca 1780", "year": 1780, "title": "HÄNDELSE-1", "text": ""},
                        {"date": "okänt", "year": None, "title": "HÄNDELSE-2", "text": "Text"},
                    ],
                },
            ),
        ],
    )
    html = serve(client, tree.page)
    assert "MELLANRUBRIK" in html
    assert '<blockquote lang="en"><p>CITATET</p></blockquote>' in html
    assert "<cite>KÄLLAN</cite>" in html
    assert '<time datetime="1780">ca 1780</time>' in html
    assert html.index("HÄNDELSE-1") < html.index("HÄNDELSE-2")


def test_staff_preview_shows_a_neutral_placeholder_and_no_title(rf):
    obj = ObjectRecordFactory(title="HEMLIG titel", is_published=False)
    block = ObjectBlock()
    value = block.to_python({"object": obj.pk, "caption": "HEMLIG bildtext"})
    visitor = rf.get("/")
    assert block.render(value, {"request": visitor}) == ""
    preview = rf.get("/")
    preview.is_preview = True
    with translation.override("en"):
        html = block.render(value, {"request": preview})
    assert "not visible on the website" in html
    assert "HEMLIG" not in html


def test_every_block_is_offered_to_curators():
    assert set(NarrativeBlock().child_blocks) == {
        "text",
        "object",
        "object_comparison",
        "testimony_excerpt",
        "perspective",
        "quote",
        "image_region",
        "audio",
        "timeline",
        "call_for_contributions",
    }


def test_blocks_that_show_voices_give_search_no_words():
    testimony = published_testimony()
    TextOfTestimony.objects.filter(testimony=testimony).update(title="SÖKORD")
    block = NarrativeBlock()
    value = block.to_python(
        [{"type": "testimony_excerpt", "value": {"testimony": testimony.pk, "excerpt": "ORDEN"}}]
    )
    assert "ORDEN" not in " ".join(block.get_searchable_content(value))
