"""Where a photo was taken stays private: no GPS in what the site stores or serves."""

import io
import json

from django.core.files.images import ImageFile
from django.urls import reverse
from PIL import Image

from newsdesk.images.models import CreditedImage

from . import files
from .test_upload_safety import add_image, add_images

ARTIST = 0x013B
# The GPS block's longitude minutes, as EXIF stores the rational 7/1.
LONGITUDE_MINUTES = (7).to_bytes(4, "little") + (1).to_bytes(4, "little")


def exif_of(field_file):
    with field_file.open() as stored:
        data = stored.read()
    with Image.open(io.BytesIO(data)) as image:
        return image.getexif(), image.info, data


def stored_before_this_check(data):
    """An image saved without the admin's upload (an older one, an import)."""
    image = CreditedImage(title="Old", credit="Staff")
    image.file = ImageFile(io.BytesIO(data), name="old.jpg")
    image.save()
    return image


def test_the_stored_original_loses_its_gps_and_nothing_else(client, reporter):
    original = files.jpeg(gps=True, exif={ARTIST: "Ann Lens"})
    assert 0x8825 in Image.open(io.BytesIO(original)).getexif()

    add_image(client, reporter, "phone.jpg", original)

    exif, _info, data = exif_of(CreditedImage.objects.get().file)
    assert 0x8825 not in exif
    assert LONGITUDE_MINUTES not in data
    assert exif[ARTIST] == "Ann Lens"
    assert len(data) == len(original), "only the location's bytes changed"
    assert data[original.index(b"\xff\xda") :] == original[original.index(b"\xff\xda") :], (
        "the compressed pixels are untouched"
    )


def test_an_original_given_a_credit_later_loses_its_gps_too(client, reporter):
    answer = add_images(client, reporter, "phone.jpg", files.jpeg(gps=True))
    upload_id = answer["uploaded_file_id"]
    response = client.post(
        reverse("wagtailimages:create_multiple_from_uploaded_image", args=(upload_id,)),
        {
            f"uploaded-image-{upload_id}-title": "Phone photo",
            f"uploaded-image-{upload_id}-credit": "Reader photo",
            f"uploaded-image-{upload_id}-collection": "1",
        },
        headers={"x-requested-with": "XMLHttpRequest"},
    )

    assert json.loads(response.content)["success"]
    image = CreditedImage.objects.get()
    assert 0x8825 not in exif_of(image.file)[0]
    assert image.width == 640


def test_renditions_carry_no_metadata_at_all(db):
    image = stored_before_this_check(
        files.jpeg(gps=True, exif={ARTIST: "Ann Lens"}, xmp=files.xmp_packet(creator="Ann"))
    )

    for spec in ("width-400", "width-400|format-webp", "fill-100x100|format-png"):
        exif, info, _data = exif_of(image.get_rendition(spec).file)
        assert dict(exif) == {}, spec
        assert "xmp" not in info, spec


def test_renditions_are_turned_the_way_the_camera_was_held(db):
    # 640 x 480 as stored, "rotate 90° clockwise to view": a portrait photo.
    image = stored_before_this_check(files.jpeg(orientation=6, gps=True))

    rendition = image.get_rendition("width-300")

    assert (rendition.width, rendition.height) == (300, 400)
    assert dict(exif_of(rendition.file)[0]) == {}
