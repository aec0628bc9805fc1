"""An agency photo's embedded caption and credits fill in the upload form's empty fields."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from newsdesk.images.models import CreditedImage
from newsdesk.testing import make_image

from . import files
from .test_upload_safety import add_image, add_images

IPTC = {
    (2, 120): "Fishing boats leave the harbour at dawn",
    (2, 110): "Reuters",
    (2, 80): "Ann Lens",
    (2, 116): "© Reuters 2024",
}
XMP = files.xmp_packet(
    description="Ferry in fog", creator="Bo Shutter", rights="© AFP 2024", credit="AFP"
)
EXIF = {0x010E: "Cranes at night", 0x013B: "Cy Frame", 0x8298: "(c) Cy Frame 2024"}


def uploaded(client, user, data, **fields):
    fields = {"credit": "", "description": "", **fields}
    response = add_image(client, user, "agency.jpg", data, **fields)
    assert response.status_code == 302, response.context["form"].errors
    return CreditedImage.objects.get()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            files.jpeg(iptc=IPTC),
            ("Reuters", "Ann Lens", "© Reuters 2024", "Fishing boats leave the harbour at dawn"),
        ),
        (files.jpeg(xmp=XMP), ("AFP", "Bo Shutter", "© AFP 2024", "Ferry in fog")),
        (
            files.jpeg(exif=EXIF),
            ("(c) Cy Frame 2024 / Cy Frame", "Cy Frame", "(c) Cy Frame 2024", "Cranes at night"),
        ),
    ],
    ids=["iptc", "xmp", "exif"],
)
def test_credits_are_read_from_the_file(client, reporter, data, expected):
    image = uploaded(client, reporter, data)

    assert (image.credit, image.photographer, image.copyright_holder, image.description) == expected


def test_iptc_wins_over_xmp_and_exif(client, reporter):
    image = uploaded(client, reporter, files.jpeg(iptc=IPTC, xmp=XMP, exif=EXIF))

    assert (image.credit, image.photographer) == ("Reuters", "Ann Lens")


def test_what_the_editor_typed_wins_over_the_file(client, reporter):
    response = add_image(
        client,
        reporter,
        "agency.jpg",
        files.jpeg(iptc=IPTC),
        credit="Pool photo",
        photographer="",
        description="Boats",
    )

    assert response.status_code == 302
    image = CreditedImage.objects.get()
    assert (image.credit, image.photographer, image.description) == (
        "Pool photo",
        "Ann Lens",
        "Boats",
    )


def test_a_photo_without_a_credit_anywhere_still_needs_one(client, reporter):
    response = add_image(client, reporter, "plain.jpg", files.jpeg(), credit="")

    assert response.status_code == 200
    assert "This field is required: the file carries no credit line of its own." in (
        response.content.decode()
    )
    assert not CreditedImage.objects.exists()


def test_the_multiple_uploader_saves_a_credited_photo_at_once(client, reporter):
    assert add_images(client, reporter, "agency.jpg", files.jpeg(iptc=IPTC))["success"]
    image = CreditedImage.objects.get()
    assert (image.credit, image.photographer) == ("Reuters", "Ann Lens")


def test_the_multiple_uploader_asks_for_a_credit_the_file_lacks(client, reporter):
    answer = add_images(client, reporter, "plain.jpg", files.jpeg())
    assert answer["success"] and "uploaded_file_id" in answer, "kept until a credit is given"
    assert not CreditedImage.objects.exists()


def test_a_hostile_xmp_packet_is_ignored(client, reporter):
    entity_bomb = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>' + XMP.replace("Ferry in fog", "&b;")
    )
    image = uploaded(client, reporter, files.jpeg(xmp=entity_bomb), credit="Staff")

    assert image.description == ""


def test_editing_an_image_reads_nothing_from_its_file(client, editor):
    image = make_image(credit="Staff photo")
    client.force_login(editor)
    response = client.post(
        reverse("wagtailimages:edit", args=(image.pk,)),
        {"title": image.title, "credit": "", "collection": "1"},
    )

    assert "This field is required" in response.content.decode()


def test_the_stored_original_keeps_its_credits(client, reporter):
    image = uploaded(client, reporter, files.jpeg(iptc=IPTC, gps=True))

    with Image.open(image.file) as stored:
        assert stored.info.get("photoshop"), "the IPTC block is still in the file"
    with image.file.open() as stored:
        assert b"Ann Lens" in io.BytesIO(stored.read()).getvalue()
