from django.conf import settings
from django.db import connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache

# The newsroom, reader accounts, per-reader discussion pages and search
# results are not for indexing; the sitemaps say what is.
# Per-reader and per-query pages stay out of search engines, in every edition.
PRIVATE_PARTS = ["accounts/", "discussion/", "search/"]


def robots_txt(request):
    base = f"{request.scheme}://{request.get_host()}"
    languages = [code for code, _name in settings.LANGUAGES]
    lines = ["User-agent: *", "Disallow: /admin/"]
    lines += [f"Disallow: /{language}/{part}" for language in languages for part in PRIVATE_PARTS]
    lines += ["", f"Sitemap: {base}/sitemap.xml"]
    lines += [f"Sitemap: {base}/{language}/sitemaps/news.xml" for language in languages]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@never_cache
def healthz(request):
    """For load balancers and the demo launcher: the app is up and its database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without a request context: whatever broke may be the database
    # the site chrome would query.
    try:
        return HttpResponseServerError(loader.get_template("500.html").render())
    except Exception:
        return HttpResponse("Server error", status=500, content_type="text/plain")


def csrf_failure(request, reason=""):
    """A form came back without a valid security token: usually a page open for too long.

    A comment is shown again with its text and a fresh form; a script gets a
    JSON reason; anything else a page that says what happened.
    """
    from django.urls import Resolver404, resolve
    from django.utils.translation import gettext as _

    message = _(
        "This form was open too long or your session changed, so it was not sent. "
        "Reload the page and send it again."
    )
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"error": message}, status=403)
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    if match is not None and match.view_name == "discussion:post":
        from newsdesk.discussion.views import refuse_post

        return refuse_post(request, match.kwargs["page_id"], message, status=403)
    return render(request, "403_csrf.html", {"message": message}, status=403)
