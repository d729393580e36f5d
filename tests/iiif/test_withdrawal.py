"""Cached images are purged when the web may no longer show their image (nginx serves them)."""

import io

from django.core.files.images import ImageFile
from django.core.management import call_command

import pytest
from PIL import Image as PILImage

from collection.factories import LenderFactory, LoanAgreementFactory, ObjectRecordFactory
from collection.iiif.pyramid import build_pyramid, pyramid_dir
from collection.models import MuseumImage, ObjectImage

pytestmark = pytest.mark.django_db
TILE = "full/100,/0/default.jpg"


@pytest.fixture(autouse=True)
def iiif_folders(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IIIF_CACHE_DIR = tmp_path / "iiif-cache"
    settings.IIIF_PYRAMID_DIR = tmp_path / "iiif-pyramids"
    return settings.IIIF_CACHE_DIR


def make_image(**fields) -> MuseumImage:
    buffer = io.BytesIO()
    PILImage.new("RGB", (400, 300), (10, 120, 200)).save(buffer, "PNG")
    fields.setdefault("may_publish_online", True)
    return MuseumImage.objects.create(
        title="Blue", file=ImageFile(buffer, name="blue.png"), **fields
    )


def cached_files(cache_dir, image) -> list:
    return [path for path in (cache_dir / str(image.pk)).rglob("*") if path.is_file()]


def render(client, image):
    assert client.get(f"/iiif/3/{image.pk}/{TILE}").status_code == 200


def test_turning_off_online_publication_purges(
    client, iiif_folders, django_capture_on_commit_callbacks
):
    image, other = make_image(), make_image()
    render(client, image)
    render(client, other)
    assert cached_files(iiif_folders, image)
    with django_capture_on_commit_callbacks(execute=True):
        image.may_publish_online = False
        image.save()
    assert cached_files(iiif_folders, image) == []
    assert cached_files(iiif_folders, other)  # untouched


def test_an_unrelated_edit_keeps_the_cache(
    client, iiif_folders, django_capture_on_commit_callbacks
):
    image = make_image()
    render(client, image)
    with django_capture_on_commit_callbacks(execute=True):
        image.title = "Renamed"
        image.save()
    assert cached_files(iiif_folders, image)


def test_a_tighter_size_limit_purges(client, iiif_folders, django_capture_on_commit_callbacks):
    image = make_image()
    render(client, image)
    with django_capture_on_commit_callbacks(execute=True):
        image.max_online_size = 50
        image.save()
    assert cached_files(iiif_folders, image) == []


def test_unpublishing_the_object_purges(client, iiif_folders, django_capture_on_commit_callbacks):
    image = make_image()
    obj = ObjectRecordFactory()
    ObjectImage.objects.create(object=obj, image=image)
    render(client, image)
    with django_capture_on_commit_callbacks(execute=True):
        obj.is_published = False
        obj.save()
    assert cached_files(iiif_folders, image) == []
    assert client.get(f"/iiif/3/{image.pk}/{TILE}").status_code == 404


def test_a_lender_withdrawing_online_permission_purges(
    client, iiif_folders, django_capture_on_commit_callbacks
):
    image = make_image()
    lender = LenderFactory()
    loaned = ObjectRecordFactory(lender=lender)
    loan = LoanAgreementFactory(
        lender=lender, loaned_objects=[loaned], online_publication_allowed=True
    )
    ObjectImage.objects.create(object=loaned, image=image)
    render(client, image)
    with django_capture_on_commit_callbacks(execute=True):
        loan.online_publication_allowed = False
        loan.save()
    assert cached_files(iiif_folders, image) == []


def test_deleting_the_image_purges_cache_and_pyramid(
    client, iiif_folders, django_capture_on_commit_callbacks
):
    image = make_image()
    build_pyramid(image)
    render(client, image)
    pk = image.pk
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert not (iiif_folders / str(pk)).exists()
    assert not (pyramid_dir() / str(pk)).exists()


def test_the_sweep_purges_what_changed_outside_the_orm(client, iiif_folders, capsys):
    hidden, shown = make_image(), make_image()
    render(client, hidden)
    render(client, shown)
    MuseumImage.objects.filter(pk=hidden.pk).update(may_publish_online=False)  # no signals
    assert cached_files(iiif_folders, hidden)
    call_command("purge_iiif_cache")
    assert "1 images purged" in capsys.readouterr().out
    assert cached_files(iiif_folders, hidden) == []
    assert cached_files(iiif_folders, shown)
    call_command("purge_iiif_cache", "--all")
    assert cached_files(iiif_folders, shown) == []
