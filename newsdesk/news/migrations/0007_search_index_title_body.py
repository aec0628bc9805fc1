"""On PostgreSQL, an index for the expression reader search filters on.

Wagtail's database search backend matches `title || body` of its index
entries, while its GIN indexes are on each column alone, so every search read
every index entry: about a second at 100,000 articles, even for a word
nothing contains (docs/performance.md). Built CONCURRENTLY, so adding it to
a running site's large index does not stop publishing. SQLite searches its
own full-text table and needs nothing.
"""

from django.db import migrations

INDEX = "newsdesk_indexentry_title_body"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} "
            "ON wagtailsearch_indexentry USING gin ((title || body))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ("news", "0006_page_last_published_index"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
