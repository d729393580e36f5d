import datetime
import io
import re

from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile

from wagtail.models import Locale

import pytest
from PIL import Image as PILImage

from collection.factories import LenderFactory, LoanAgreementFactory, ObjectRecordFactory
from collection.models import (
    LoanAgreement,
    MuseumImage,
    ObjectDimension,
    ObjectImage,
    ObjectRecord,
    ObjectText,
    ProvenanceEvent,
)
from exhibition.factories import VenueFactory
from visibility.channels import PRINT, VENUE, WEB

pytestmark = pytest.mark.django_db


def add_image(obj, *, online=True, max_size=None, size=(1600, 1200)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, "teal").save(buffer, "JPEG")
    image = MuseumImage.objects.create(
        title=f"img {obj.inventory_number}",
        file=ImageFile(buffer, name="test.jpg"),
        may_publish_online=online,
        max_online_size=max_size,
    )
    return ObjectImage.objects.create(object=obj, image=image)


class TestVisibility:
    def test_unpublished_and_sensitive_objects_stay_off_every_channel(self):
        venue = VenueFactory()
        shown = ObjectRecordFactory()
        ObjectRecordFactory(is_published=False)
        ObjectRecordFactory(contains_human_remains=True)
        ObjectRecordFactory(restricted_by_community=True)
        cleared = ObjectRecordFactory(contains_human_remains=True, sensitivity_cleared=True)
        for channel in (WEB, VENUE(venue), PRINT(venue)):
            assert set(ObjectRecord.objects.visible_in(channel)) == {shown, cleared}

    def test_a_loan_must_be_confirmed(self):
        loaned = ObjectRecordFactory(lender=LenderFactory())
        loan = LoanAgreementFactory(
            lender=loaned.lender, loaned_objects=[loaned], status=LoanAgreement.Status.REQUESTED
        )
        assert loaned not in ObjectRecord.objects.visible_in(WEB)
        loan.status = LoanAgreement.Status.AGREED
        loan.save()
        assert loaned in ObjectRecord.objects.visible_in(WEB)

    def test_a_loan_must_name_the_venue_and_cover_its_dates(self):
        home = VenueFactory(
            opens_on=datetime.date(2027, 3, 1), closes_on=datetime.date(2027, 9, 30)
        )
        touring = VenueFactory(
            opens_on=datetime.date(2028, 1, 1), closes_on=datetime.date(2028, 6, 30)
        )
        later = VenueFactory(
            opens_on=datetime.date(2029, 1, 1), closes_on=datetime.date(2029, 3, 1)
        )
        loaned = ObjectRecordFactory(lender=LenderFactory())
        loan = LoanAgreementFactory(
            lender=loaned.lender,
            loaned_objects=[loaned],
            all_venues=False,
            starts_on=datetime.date(2027, 2, 1),
            ends_on=datetime.date(2028, 12, 31),
        )
        loan.venues.set([home])
        loan.save()  # parental many-to-many relations are written on save
        assert loaned in ObjectRecord.objects.visible_in(VENUE(home))
        assert loaned in ObjectRecord.objects.visible_in(PRINT(home))
        assert loaned not in ObjectRecord.objects.visible_in(VENUE(touring))  # not named
        loan.all_venues = True
        loan.save()
        assert loaned in ObjectRecord.objects.visible_in(VENUE(touring))
        assert loaned not in ObjectRecord.objects.visible_in(VENUE(later))  # loan ends before
        assert loan.covers(touring) and not loan.covers(later)

    def test_own_objects_need_no_loan(self):
        venue = VenueFactory()
        own = ObjectRecordFactory()
        assert own in ObjectRecord.objects.visible_in(VENUE(venue))

    def test_images_on_the_web_follow_rights_and_the_lender(self):
        own = ObjectRecordFactory()
        online, offline = add_image(own), add_image(own, online=False)
        loaned = ObjectRecordFactory(lender=LenderFactory())
        loan = LoanAgreementFactory(
            lender=loaned.lender, loaned_objects=[loaned], online_publication_allowed=False
        )
        loan_image = add_image(loaned)
        assert set(ObjectImage.objects.visible_in(WEB)) == {online}
        loan.online_publication_allowed = True
        loan.save()
        assert set(ObjectImage.objects.visible_in(WEB)) == {online, loan_image}
        venue = VenueFactory()
        assert offline in ObjectImage.objects.visible_in(VENUE(venue))  # the physical show may


class TestObjectPage:
    def test_shows_the_public_record(self, client):
        obj = ObjectRecordFactory(title="Skål av lera", dating="ca 1850", object_type="skål")
        ProvenanceEvent.objects.create(
            object=obj, kind="looted", date_text="1897", parties="Straffexpedition", sort_order=0
        )
        ProvenanceEvent.objects.create(
            object=obj, kind="restituted", date_text="2024", parties="Återlämnad", sort_order=1
        )
        text = client.get(f"/collection/{obj.pk}/").text
        assert "Skål av lera" in text and "ca 1850" in text
        assert text.index("Straffexpedition") < text.index("Återlämnad")  # ordered timeline
        assert 'class="timeline__event timeline__event--looted"' in text

    @pytest.mark.parametrize(
        "overrides",
        [
            {"is_published": False},
            {"contains_human_remains": True},
            {"restricted_by_community": True},
        ],
    )
    def test_hidden_objects_are_404(self, client, overrides):
        obj = ObjectRecordFactory(**overrides)
        assert client.get(f"/collection/{obj.pk}/").status_code == 404

    def test_unknown_object_is_404(self, client, home_page):
        assert client.get("/collection/999999/").status_code == 404

    def test_english_falls_back_to_swedish_and_says_so(self, client):
        obj = ObjectRecordFactory(title="Bara svensk titel")
        text = client.get(f"/en/collection/{obj.pk}/").text
        assert '<article class="object" lang="sv">' in text
        assert "Bara svensk titel" in text

    def test_english_text_when_translated(self, client):
        obj = ObjectRecordFactory(title="Skål")
        ObjectText.objects.create(
            object=obj, locale=Locale.objects.get(language_code="en"), title="Bowl"
        )
        assert "<h1>Bowl</h1>" in client.get(f"/en/collection/{obj.pk}/").text

    def test_anonymous_lender_is_only_private_collection(self, client):
        lender = LenderFactory(name="Secret Person Name", kind="private", is_anonymous=True)
        obj = ObjectRecordFactory(lender=lender)
        LoanAgreementFactory(lender=lender, loaned_objects=[obj])
        text = client.get(f"/en/collection/{obj.pk}/").text
        assert "Private collection" in text
        assert "Secret Person Name" not in text
        assert lender.contact_email not in text

    def test_image_not_allowed_online_shows_a_placeholder(self, client):
        obj = ObjectRecordFactory()
        add_image(obj, online=False)
        text = client.get(f"/en/collection/{obj.pk}/").text
        assert "No image of this object may be shown online" in text
        assert "<img" not in text.split("<main", 1)[1]

    def test_image_never_larger_than_allowed_online(self, client):
        obj = ObjectRecordFactory()
        add_image(obj, max_size=500)
        text = client.get(f"/collection/{obj.pk}/").text
        widths = [int(w) for w in re.findall(r'<img src="[^"]+" width="(\d+)"', text)]
        assert widths and max(widths) <= 500


class TestBrowse:
    def test_lists_only_visible_objects_and_filters(self, client):
        own = ObjectRecordFactory(title="Eget föremål", object_type="mask")
        loaned = ObjectRecordFactory(
            title="Lånat föremål", lender=LenderFactory(), object_type="skål"
        )
        LoanAgreementFactory(lender=loaned.lender, loaned_objects=[loaned])
        ObjectRecordFactory(title="Opublicerat föremål", is_published=False)
        text = client.get("/collection/").text
        assert "Eget föremål" in text and "Lånat föremål" in text
        assert "Opublicerat föremål" not in text
        assert "Lånat föremål" not in client.get("/collection/?kind=own").text
        assert "Eget föremål" not in client.get("/collection/?kind=loan").text
        assert "Lånat föremål" not in client.get("/collection/?type=mask").text
        assert own.inventory_number in client.get("/collection/?type=mask").text

    @pytest.mark.parametrize(
        "query",
        [
            "?culture=abc",
            "?material=-1",
            "?page=9999",
            "?kind=<script>",
            "?type=%3Cscript%3Ealert(1)%3C/script%3E",
        ],
    )
    def test_hostile_or_bad_filters_do_no_harm(self, client, query):
        ObjectRecordFactory()
        response = client.get("/collection/" + query)
        assert response.status_code == 200
        assert "<script>alert" not in response.text

    def test_pagination(self, client):
        for _ in range(30):
            ObjectRecordFactory()
        first, second = client.get("/collection/").text, client.get("/collection/?page=2").text
        assert first.count('class="object-card"') == 24 and second.count('class="object-card"') == 6
        assert 'rel="next"' in first

    def test_sitemap_lists_visible_objects_only(self, client, home_page):
        shown, hidden = ObjectRecordFactory(), ObjectRecordFactory(is_published=False)
        sitemap = client.get("/sitemap.xml").text
        assert f"/collection/{shown.pk}/<" in sitemap and f"/en/collection/{shown.pk}/<" in sitemap
        assert f"/collection/{hidden.pk}/<" not in sitemap


class TestDimensions:
    def test_structured_dimensions_on_the_object_page(self, client):
        obj = ObjectRecordFactory(dimensions_text="H 12 cm")
        ObjectDimension.objects.create(object=obj, kind="height", value=12, unit="cm", sort_order=0)
        ObjectDimension.objects.create(
            object=obj, kind="weight", value="0.50", unit="kg", note="with stand", sort_order=1
        )
        text = client.get(f"/en/collection/{obj.pk}/").text
        assert "<li>height 12 cm</li>" in text
        assert "<li>weight 0.5 kg (with stand)</li>" in text
        assert "H 12 cm" not in text  # the structured form wins over the display text

    @pytest.mark.parametrize(("kind", "unit"), [("weight", "cm"), ("height", "kg")])
    def test_unit_must_fit_what_is_measured(self, kind, unit):
        dimension = ObjectDimension(object=ObjectRecordFactory(), kind=kind, value=1, unit=unit)
        with pytest.raises(ValidationError, match="Use g or kg"):
            dimension.full_clean()

    def test_negative_value_refused(self):
        dimension = ObjectDimension(
            object=ObjectRecordFactory(), kind="height", value=-1, unit="cm"
        )
        with pytest.raises(ValidationError):
            dimension.full_clean()
