"""Past its usage date an image leaves the site, cached pages included, and editors hear of it."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from newsdesk.images.models import CreditedImage
from newsdesk.images.services import images_expire
from newsdesk.news.roles import PHOTO_EDITOR
from newsdesk.testing import make_article, make_image

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)


@pytest.fixture
def photo(db):
    return make_image(title="Smoke over the valley", credit="© Meridian Wire / Lena Hart")


@pytest.fixture
def story(world, photo):
    inline = make_image(title="Convoy", credit="© Meridian Wire / Omar Said")
    return make_article(
        world,
        title="Strikes resume in the north",
        lead_image=photo,
        lead_image_caption="Smoke rises after a strike",
        body=[("image", {"image": inline.pk, "caption": "Trucks on the road north"})],
    )


def page_html(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_an_image_in_its_licence_shows_with_its_credit(client, story):
    soup = page_html(client, story)

    lead = soup.select_one("figure.lead-image")
    assert lead.img["alt"] != "Image no longer available"
    assert lead.select_one(".credit").text == "© Meridian Wire / Lena Hart"


def test_an_image_is_usable_through_its_last_day(client, story, photo):
    photo.usable_until = TODAY
    photo.save()

    assert photo.usable
    assert lead_alt(client, story) != "Image no longer available"


def test_an_expired_image_becomes_a_placeholder_of_the_same_shape(client, story, photo):
    photo.usable_until = YESTERDAY
    photo.save()

    lead = page_html(client, story).select_one("figure.lead-image")
    placeholder = lead.img
    assert placeholder["alt"] == "Image no longer available"
    assert placeholder["src"].startswith("data:image/svg+xml,")
    assert (placeholder["width"], placeholder["height"]) == ("1200", "800")
    assert "Lena Hart" not in lead.text, "no credit for a photo that is not shown"
    assert "Smoke rises after a strike" in lead.text
    assert not photo.renditions.exists() or all(
        r.url not in str(lead) for r in photo.renditions.all()
    )


def test_an_expired_image_in_the_body_becomes_a_placeholder(client, story):
    inline = CreditedImage.objects.get(title="Convoy")
    inline.usable_until = YESTERDAY
    inline.save()

    figure = page_html(client, story).select_one("figure.body-image")
    assert figure.img["alt"] == "Image no longer available"
    assert "Omar Said" not in figure.text
    assert "Trucks on the road north" in figure.text


def test_the_credit_links_to_a_creative_commons_licence(client, story, photo):
    photo.licence = "CC BY 4.0"
    photo.save()

    link = page_html(client, story).select_one("figure.lead-image .credit a[rel=license]")
    assert link["href"] == "https://creativecommons.org/licenses/by/4.0/"
    assert link.text == "CC BY 4.0"


def test_a_licence_without_terms_online_is_not_linked(client, story, photo):
    photo.licence = "Editorial use only"
    photo.save()

    assert page_html(client, story).select_one("figure.lead-image .credit a") is None


def test_usable_images_are_one_query_away(photo):
    expired = make_image(title="Old", usable_until=YESTERDAY)
    last_day = make_image(title="Last day", usable_until=TODAY)

    assert set(CreditedImage.objects.usable()) == {photo, last_day}
    assert list(CreditedImage.objects.expired()) == [expired]
    assert not expired.usable


def lead_alt(client, page):
    return page_html(client, page).select_one("figure.lead-image img")["alt"]


def test_expiry_reaches_pages_kept_in_the_cache(client, story, photo):
    assert lead_alt(client, story) != "Image no longer available"
    # The date passes without anyone saving the image: pages kept per content
    # token still show it, until the expiry job runs.
    CreditedImage.objects.filter(pk=photo.pk).update(usable_until=YESTERDAY)
    assert lead_alt(client, story) != "Image no longer available", "kept in the cache"

    images_expire()

    assert lead_alt(client, story) == "Image no longer available"


@pytest.fixture
def desk(django_user_model, roles, editor, reporter):
    editor.email = "editor@example.org"
    editor.save()
    reporter.email = "reporter@example.org"
    reporter.save()
    photo_editor = django_user_model.objects.create_user(
        "photos", email="photos@example.org", password="x"
    )
    photo_editor.groups.add(roles[PHOTO_EDITOR])


def test_editors_are_emailed_once_per_expired_image(
    story, photo, desk, django_capture_on_commit_callbacks
):
    CreditedImage.objects.filter(pk=photo.pk).update(usable_until=YESTERDAY)

    with django_capture_on_commit_callbacks(execute=True):
        assert images_expire() == [photo]
    with django_capture_on_commit_callbacks(execute=True):
        assert images_expire() == []

    (message,) = mail.outbox
    assert message.subject == "Image licence expired: Smoke over the valley"
    assert sorted(message.to) == ["editor@example.org", "photos@example.org"]
    assert "Strikes resume in the north: http://" in message.body
    assert reverse("wagtailimages:edit", args=[photo.pk]) in message.body


def test_a_renewed_and_expired_again_image_is_reported_again(
    photo, desk, django_capture_on_commit_callbacks
):
    CreditedImage.objects.filter(pk=photo.pk).update(usable_until=YESTERDAY)
    with django_capture_on_commit_callbacks(execute=True):
        images_expire()
    photo.refresh_from_db()
    photo.usable_until = TODAY + datetime.timedelta(days=30)
    photo.save()

    with django_capture_on_commit_callbacks(execute=True):
        assert images_expire(today=TODAY + datetime.timedelta(days=31)) == [photo]

    assert len(mail.outbox) == 2


def test_the_job_is_registered_with_the_background_loop():
    from newsdesk.worker.runner import periodic_jobs

    assert periodic_jobs["image-expiry"].run is images_expire


def test_the_dashboard_lists_expiring_and_expired_images_in_use(client, editor, story, photo):
    CreditedImage.objects.filter(pk=photo.pk).update(usable_until=YESTERDAY)
    soon = make_image(title="Harbour", usable_until=TODAY + datetime.timedelta(days=3))
    make_image(title="Far off", usable_until=TODAY + datetime.timedelta(days=30))
    make_image(title="Expired, unused", usable_until=YESTERDAY)
    client.force_login(editor)

    home = BeautifulSoup(client.get(reverse("wagtailadmin_home")).content, "html.parser")

    text = " ".join(home.select_one("#image-rights-section").text.split())
    assert "Expired, still on live pages" in text
    assert "Smoke over the valley" in text and "Strikes resume in the north" in text
    assert "Harbour" in text and soon.usable_until.strftime("%-d %b %Y") in text
    assert "Far off" not in text
    assert "Expired, unused" not in text


def test_reporters_do_not_get_the_panel(client, reporter, photo):
    CreditedImage.objects.filter(pk=photo.pk).update(usable_until=YESTERDAY)
    client.force_login(reporter)

    assert "image-rights" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_cards_in_listings_show_the_placeholder(client, world, story, photo):
    photo.usable_until = YESTERDAY
    photo.save()

    card = page_html(client, world).select_one("article.card")

    assert card.img["alt"] == "Image no longer available"


# Everywhere else the photo travels, with its credit: neither may appear once it expires.
EXPIRED_IMAGE_SURFACES = {
    "RSS enclosure and media:content": "/en/feeds/latest.rss",
    "Atom": "/en/feeds/latest.atom",
    "JSON Feed": "/en/feeds/latest.json",
    "image sitemap": "/en/sitemaps/section-world.xml",
    "article page (JSON-LD, og:image)": "{story}",
    "API article": "/api/v1/articles/{story_id}",
}


@pytest.mark.parametrize("surface", EXPIRED_IMAGE_SURFACES)
def test_an_expired_photo_leaves_feeds_sitemaps_structured_data_and_the_api(
    client, story, photo, surface
):
    url = EXPIRED_IMAGE_SURFACES[surface].format(story=story.url, story_id=story.pk)
    rendition_urls = lambda: [r.url for r in photo.renditions.all()]  # noqa: E731
    shown = client.get(url).content.decode()
    assert "Lena Hart" in shown

    photo.usable_until = YESTERDAY
    photo.save()

    text = client.get(url).content.decode()
    assert "Lena Hart" not in text
    assert not any(address in text for address in rendition_urls())
    assert photo.file.url not in text
    assert client.get(f"/api/v1/images/{photo.pk}").status_code == 404
