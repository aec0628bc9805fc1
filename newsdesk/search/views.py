"""The reader search page: relevance or newest first, by section and date, with snippets."""

import datetime

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from newsdesk.editions.lookup import edition_for_request
from newsdesk.news.freshness import readable
from newsdesk.news.models import ArticlePage, SectionPage

from . import ranking
from .snippets import article_text, query_terms, snippet

RESULTS_PER_PAGE = 20
MAX_QUERY_CHARS = 200


def _date(value: str):
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return "bad"


def _start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def search(request):
    query = " ".join(request.GET.get("q", "").split())
    order = "newest" if request.GET.get("order") == "newest" else "relevance"
    # Each edition searches its own articles (/ru/search/ the Russian edition's).
    edition = edition_for_request(request)
    if edition is None:
        raise Http404
    sections = list(SectionPage.objects.live().child_of(edition.home))
    section = next((s for s in sections if s.slug == request.GET.get("section")), None)
    date_from, date_to = _date(request.GET.get("from", "")), _date(request.GET.get("to", ""))
    context = {
        "query": query,
        "order": order,
        "sections": sections,
        "section": section,
        "date_from": request.GET.get("from", ""),
        "date_to": request.GET.get("to", ""),
        "results": None,
        "problem": "",
    }
    status = 200
    if len(query) > MAX_QUERY_CHARS:
        context["problem"] = _("Searches are limited to %(max)d characters; shorten yours.") % {
            "max": MAX_QUERY_CHARS
        }
        context["query"] = query[:MAX_QUERY_CHARS]
        status = 400
    elif "bad" in (date_from, date_to):
        context["problem"] = _("Dates are written as year-month-day, e.g. 2026-11-25.")
        status = 400
    elif query and not query_terms(query):
        context["problem"] = _("Search for words or numbers; punctuation alone finds nothing.")
    elif query:
        articles = readable(ArticlePage.objects.descendant_of(edition.home))
        if section is not None:
            articles = articles.child_of(section)
        if date_from:
            articles = articles.filter(first_published_at__gte=_start_of(date_from))
        if date_to:
            day_after = date_to + datetime.timedelta(days=1)
            articles = articles.filter(first_published_at__lt=_start_of(day_after))
        if order == "newest":
            articles = articles.order_by("-first_published_at", "-id")
        # Only the words go to the search engine: odd characters cannot break its syntax.
        words = query_terms(query)
        if order == "relevance" and ranking.ranks_itself():
            found = ranking.ranked_ids(articles, words)
        else:
            found = articles.search(
                " ".join(words), operator="and", order_by_relevance=order == "relevance"
            )
        paginator = Paginator(found, RESULTS_PER_PAGE)
        try:
            results = paginator.page(request.GET.get("page", 1))
        except (EmptyPage, PageNotAnInteger):
            results = paginator.page(1)
        shown = results.object_list
        if shown and isinstance(shown[0], int):  # ranked ids: load this page's articles only
            by_id = articles.in_bulk(shown)
            shown = [by_id[pk] for pk in shown if pk in by_id]
        context["results"] = results
        context["hits"] = [(article, snippet(article_text(article), words)) for article in shown]
    response = render(request, "search/search.html", context, status=status)
    response["Cache-Control"] = "public, max-age=60"
    return response
