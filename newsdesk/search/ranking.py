"""Relevance ranking on SQLite in one full-text query.

Wagtail's database backend on SQLite ranks results with a subquery per
matching article, each running the full-text match again: the time grows with
the square of the matches (10 s for a word in 6,000 articles of a 100,000
archive: docs/performance.md). FTS5 ranks every match itself in one pass
(bm25), so here the matches come ranked from one query that also applies the
reader's filters (published, public, section, dates), and only the page shown
is loaded. PostgreSQL and search servers rank well on their own and keep
Wagtail's path.
"""

from django.db import connection
from modelsearch.utils import get_descendants_content_types_pks

FTS_TABLE = "wagtailsearch_indexentry_fts"
ENTRY_TABLE = "wagtailsearch_indexentry"
# bm25 weights of the FTS table's columns (autocomplete, body, title): the
# headline's words count double, as headlines say what a story is about.
WEIGHTS = "0.0, 1.0, 2.0"


def ranks_itself() -> bool:
    from django.conf import settings

    backend = settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"]
    return connection.vendor == "sqlite" and backend == "wagtail.search.backends.database"


def _match(terms: list[str]) -> str:
    """Every term, in the headline or the text (as the backend's own "and" search)."""
    words = " AND ".join('"{}"'.format(term.replace('"', '""')) for term in terms)
    return f"{{title body}} : ({words})"


def _matching_sql(model, select: str) -> tuple[str, list]:
    content_types = get_descendants_content_types_pks(model)
    placeholders = ", ".join(["%s"] * len(content_types))
    sql = (
        f"SELECT {select} FROM {FTS_TABLE} JOIN {ENTRY_TABLE} entry "
        f"ON entry.id = {FTS_TABLE}.rowid "
        f"WHERE {FTS_TABLE} MATCH %s AND entry.content_type_id IN ({placeholders})"
    )
    return sql, content_types


def ranked_ids(articles, terms: list[str]) -> list[int]:
    """The ids of the articles in `articles` matching every term, most relevant first."""
    allowed, allowed_params = articles.order_by().values("pk").query.sql_with_params()
    sql, content_types = _matching_sql(articles.model, "CAST(entry.object_id AS INTEGER)")
    with connection.cursor() as cursor:
        cursor.execute(
            f"{sql} AND CAST(entry.object_id AS INTEGER) IN ({allowed}) "
            f"ORDER BY bm25({FTS_TABLE}, {WEIGHTS}), 1 DESC",
            [_match(terms), *content_types, *allowed_params],
        )
        return [pk for (pk,) in cursor.fetchall()]
