import hashlib
from datetime import timedelta

from django.conf import settings
from django.db.models import Sum
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from newsdesk.editions.lookup import edition_for_request
from newsdesk.news.freshness import readable
from newsdesk.news.models import ArticlePage, SectionPage

from .counter import count_read
from .models import HourlyReads

MOST_READ_COUNT = 5
WINDOW = timedelta(hours=24)


# A beacon carries no cookie-bound token: it changes nothing but a counter,
# and each reader counts once per page per half hour.
@csrf_exempt
@require_POST
def read_beacon(request):
    text = request.body[:32].decode("ascii", errors="ignore").strip().removeprefix("page=")
    try:
        page_id = int(text)
    except ValueError:
        return JsonResponse({"error": _("Send the page's number.")}, status=400)
    address = request.META.get("REMOTE_ADDR", "") + request.headers.get("User-Agent", "")[:200]
    reader_key = hashlib.sha256((settings.SECRET_KEY + address).encode()).hexdigest()[:16]
    count_read(page_id, reader_key)
    return HttpResponse(status=204)


def most_read(home, section=None, count=MOST_READ_COUNT):
    """The most read articles of an edition (its home page) or of one of its sections."""
    since = timezone.now() - WINDOW
    root = section or home
    rows = (
        HourlyReads.objects.filter(hour__gte=since, page__path__startswith=root.path)
        .values("page_id")
        .annotate(total=Sum("reads"))
        .order_by("-total", "page_id")[: count * 3]
    )
    totals = {row["page_id"]: row["total"] for row in rows}
    articles = readable(ArticlePage.objects.filter(pk__in=totals))
    ranked = sorted(articles, key=lambda article: (-totals[article.pk], article.pk))
    return ranked[:count]


@require_GET
def most_read_list(request):
    """The most read articles of the last 24 hours, edition-wide or in one section."""
    edition = edition_for_request(request)
    if edition is None:
        raise Http404
    section = None
    if request.GET.get("section"):
        section = (
            SectionPage.objects.live()
            .child_of(edition.home)
            .filter(slug=request.GET["section"])
            .first()
        )
    articles = most_read(edition.home, section)
    response = render(
        request,
        "readership/most_read.html",
        {"articles": articles, "section": section, "fragment": "fragment" in request.GET},
    )
    # The same for everyone and fresh enough if a minute old.
    response["Cache-Control"] = "public, max-age=60"
    return response
