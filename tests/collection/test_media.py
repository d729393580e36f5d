"""Media files: originals never public, renditions only as far as the web may show them."""

import io

from django.core.files.images import ImageFile

import pytest
from PIL import Image as PILImage

from collection.factories import LenderFactory, LoanAgreementFactory, ObjectRecordFactory
from collection.models import MuseumImage, ObjectImage
from visibility.channels import WEB

pytestmark = pytest.mark.django_db


def make_image(*, online=True, max_size=None) -> MuseumImage:
    buffer = io.BytesIO()
    PILImage.new("RGB", (1200, 900), "olive").save(buffer, "JPEG")
    return MuseumImage.objects.create(
        title="media test",
        file=ImageFile(buffer, name="media-test.jpg"),
        may_publish_online=online,
        max_online_size=max_size,
    )


def url_of(rendition) -> str:
    return "/media/" + rendition.file.name


def test_originals_are_never_public(client, admin_client):
    image = make_image()
    path = "/media/" + image.file.name
    assert client.get(path).status_code == 404
    assert admin_client.get(path).status_code == 200


def test_rendition_of_an_image_allowed_online_is_served(client):
    rendition = make_image().get_rendition("max-400x400")
    response = client.get(url_of(rendition))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"


def test_rendition_of_an_image_not_allowed_online_is_not(client, admin_client):
    rendition = make_image(online=False).get_rendition("max-165x165")  # e.g. an admin thumbnail
    assert client.get(url_of(rendition)).status_code == 404
    assert admin_client.get(url_of(rendition)).status_code == 200


def test_rendition_larger_than_the_online_limit_is_not(client):
    image = make_image(max_size=500)
    assert client.get(url_of(image.get_rendition("max-500x500"))).status_code == 200
    assert client.get(url_of(image.get_rendition("max-800x800"))).status_code == 404


def test_image_of_a_hidden_object_or_a_loan_without_online_permission_is_not(client):
    hidden = ObjectRecordFactory(is_published=False)
    hidden_image = make_image()
    ObjectImage.objects.create(object=hidden, image=hidden_image)
    loaned = ObjectRecordFactory(lender=LenderFactory())
    LoanAgreementFactory(
        lender=loaned.lender, loaned_objects=[loaned], online_publication_allowed=False
    )
    loan_image = make_image()
    ObjectImage.objects.create(object=loaned, image=loan_image)
    assert set(MuseumImage.objects.visible_in(WEB)) == set()
    for image in (hidden_image, loan_image):
        assert client.get(url_of(image.get_rendition("max-400x400"))).status_code == 404


@pytest.mark.parametrize(
    "path",
    ["/media/../config/settings/base.py", "/media/images/../../secret_key", "/media/nothing.jpg"],
)
def test_other_paths_are_404(client, path):
    assert client.get(path).status_code == 404
