"""An upload through the admin is refused, with a reason, unless it is a real, modest photo."""

import json

import pytest
from django.urls import reverse
from PIL import Image

from newsdesk.images.models import CreditedImage

from . import files


def add_image(client, user, name, data, **fields):
    client.force_login(user)
    return client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Harbour at dawn",
            "credit": "© Test Agency",
            **fields,
            "file": files.upload(name, data),
        },
    )


def add_images(client, user, name, data):
    """Wagtail's multiple uploader (drag and drop): its JSON answer."""
    client.force_login(user)
    response = client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": files.upload(name, data)},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    return json.loads(response.content)


def refused(response):
    assert response.status_code == 200, "the form comes back with the reason"
    assert not CreditedImage.objects.exists()
    return response.content.decode()


def test_a_real_photo_is_accepted(client, reporter):
    response = add_image(client, reporter, "harbour.jpg", files.jpeg())

    assert response.status_code == 302
    image = CreditedImage.objects.get()
    assert (image.width, image.height, image.credit) == (640, 480, "© Test Agency")


def test_it_refuses_a_file_over_the_size_limit(client, reporter, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 4 * 1024
    page = refused(add_image(client, reporter, "big.png", files.png((600, 600)) + bytes(8000)))

    assert "This file is too big" in page
    assert "Maximum filesize 4.0\xa0KB" in page


def test_it_refuses_thirty_thousand_pixels_square(client, reporter):
    page = refused(add_image(client, reporter, "huge.png", files.png_declaring(30_000, 30_000)))

    assert "This image is too large to open; the limit is 128 megapixels." in page


def test_it_refuses_a_bomb_under_pillows_own_limit_without_decoding_it(client, reporter):
    # 12,000 x 12,000 is over our 128 MP but under what Pillow refuses on its
    # own; the file holds a few rows only, so decoding it would fail loudly.
    bomb = files.png_declaring(12_000, 12_000)
    assert len(bomb) < 1024

    page = refused(add_image(client, reporter, "bomb.png", bomb))

    assert "This image is 12,000 × 12,000 pixels (144 megapixels)" in page
    assert "the limit is 128 megapixels" in page


MARKUP_NAMED_AS_PHOTOS = [
    ("photo.jpg", b"<html><body><script>alert(1)</script></body></html>"),
    ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
]


@pytest.mark.parametrize(("name", "content"), MARKUP_NAMED_AS_PHOTOS)
def test_it_refuses_markup_whatever_its_name(client, reporter, name, content):
    page = refused(add_image(client, reporter, name, content))

    assert "This file is a text document (SVG, HTML or similar), not a photo." in page


@pytest.mark.parametrize("content", [b"<?php system($_GET['c']); ?>", b"\x00\x01 no image at all"])
def test_it_refuses_a_file_that_is_no_image(client, reporter, content):
    page = refused(add_image(client, reporter, "photo.jpg", content))

    assert "Upload a valid image." in page


def test_it_refuses_a_png_named_jpg(client, reporter):
    page = refused(add_image(client, reporter, "photo.jpg", files.png()))

    assert "Not a valid .jpeg image. The extension does not match the file format (png)" in page


def test_it_refuses_a_file_without_an_image_extension(client, reporter):
    page = refused(add_image(client, reporter, "photo.exe", files.jpeg()))

    assert (
        "Not a supported image format. Supported formats: AVIF, GIF, JPG, JPEG, PNG, WEBP." in page
    )


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("../../etc/passwd.jpg", "original_images/passwd.jpg"),
        ("..\\..\\windows\\win.jpg", "original_images/win.jpg"),
        ("shell.php.jpg", "original_images/shell_php.jpg"),
        ("bad\x00name\x1b[31m.JPG", "original_images/badname31m.jpg"),
        ("photo\u202egpj.exe.jpg", "original_images/photogpj_exe.jpg"),
        ("ﬁnal\uff0ephoto.jpg", "original_images/final_photo.jpg"),
        ("-.jpg", "original_images/image.jpg"),
        ("x" * 300 + ".jpg", "original_images/" + "x" * 74 + ".jpg"),
    ],
)
def test_it_stores_a_safe_file_name(client, reporter, name, stored):
    response = add_image(client, reporter, name, files.jpeg())

    assert response.status_code == 302
    image = CreditedImage.objects.get()
    assert image.file.name == stored
    with Image.open(image.file) as opened:
        assert opened.format == "JPEG"
