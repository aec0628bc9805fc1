"""Image licences running out: the site stops showing them, the editors hear of it."""

import datetime
from collections import defaultdict
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.models import Page, ReferenceIndex

from newsdesk.editions.staff_mail import by_language
from newsdesk.news.freshness import content_changed
from newsdesk.news.roles import EDITOR, PHOTO_EDITOR

from .models import CreditedImage

EXPIRY_CHECK_SECONDS = 60 * 60
WARN_DAYS = 7


def live_pages_using(images) -> dict[int, list[Page]]:
    """The live pages showing each image (Wagtail's reference index), by image id."""
    references = ReferenceIndex.get_references_to_in_bulk(images).filter(
        base_content_type=ContentType.objects.get_for_model(Page)
    )
    pairs = {
        (int(image), int(page))
        for image, page in references.values_list("to_object_id", "object_id")
    }
    pages = Page.objects.live().in_bulk({page for _image, page in pairs})
    using = defaultdict(list)
    for image, page in sorted(pairs):
        if page in pages:
            using[image].append(pages[page])
    return using


def image_rights_report(*, today: datetime.date | None = None) -> dict:
    """For the dashboard: expired images still on live pages, and those expiring soon."""
    today = today or timezone.localdate()
    expired = CreditedImage.objects.expired(today).order_by("-usable_until")
    expired_using = live_pages_using(expired)
    expiring = list(
        CreditedImage.objects.expiring_within(WARN_DAYS, today).order_by("usable_until")
    )
    expiring_using = live_pages_using(expiring)
    return {
        "expired": [
            (image, expired_using[image.pk]) for image in expired.filter(pk__in=list(expired_using))
        ],
        "expiring": [(image, expiring_using.get(image.pk, [])) for image in expiring],
    }


@transaction.atomic
def images_expire(*, today: datetime.date | None = None) -> list[CreditedImage]:
    """Take images whose licence ran out off the site and tell the editors, once per image.

    Templates and feeds compare the date themselves; what this adds is the
    content token (pages kept in caches were rendered with the photo) and the
    email. Returns the images newly expired.
    """
    today = today or timezone.localdate()
    due = CreditedImage.objects.expired(today).filter(expiry_notified_at__isnull=True)
    images = list(due.select_for_update())
    if not images:
        return []
    CreditedImage.objects.filter(pk__in=[image.pk for image in images]).update(
        expiry_notified_at=timezone.now()
    )
    content_changed()
    transaction.on_commit(partial(_tell_editors, [image.pk for image in images]))
    return images


def _tell_editors(image_ids: list[int]) -> None:
    editors = (
        get_user_model()
        .objects.filter(groups__name__in=[EDITOR, PHOTO_EDITOR], is_active=True)
        .exclude(email="")
        .distinct()
    )
    languages = by_language(editors)
    if not languages:
        return
    images = CreditedImage.objects.filter(pk__in=image_ids)
    using = live_pages_using(images)
    for image in images:
        for language, recipients in languages.items():
            with translation.override(language):
                send_mail(
                    _("Image licence expired: %(title)s") % {"title": image.title},
                    _expiry_message(image, using.get(image.pk, [])),
                    None,
                    recipients,
                )


def _expiry_message(image: CreditedImage, pages: list[Page]) -> str:
    lines = [
        _(
            'The licence for the image "%(title)s" (%(credit)s) ran out after %(date)s. '
            "The site now shows a placeholder wherever it appeared."
        )
        % {
            "title": image.title,
            "credit": image.credit,
            "date": date_format(image.usable_until, "DATE_FORMAT"),
        },
        "",
    ]
    if pages:
        lines.append(_("Live pages that still use it; replace it there:"))
        lines += [f"- {page.title}: {page.full_url or ''}" for page in pages]
    else:
        lines.append(_("No live page uses it."))
    edit_url = settings.WAGTAILADMIN_BASE_URL + reverse("wagtailimages:edit", args=[image.pk])
    lines += ["", _("If the licence was renewed, change its date: %(url)s") % {"url": edit_url}]
    return "\n".join(lines) + "\n"
