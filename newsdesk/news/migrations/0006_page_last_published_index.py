"""An index for "most recently updated first" (the content API's lists and cursors).

Wagtail indexes first_published_at but not last_published_at, so at 100,000
articles every API list sorted the whole table (233 ms on SQLite; with this
index, under a millisecond: docs/performance.md). The index is on Wagtail's
own table, hence SQL rather than a model Meta.
"""

from django.db import migrations

INDEX = "newsdesk_page_last_published"


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0005_article_notes"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} "
            "ON wagtailcore_page (last_published_at DESC, id DESC)",
            f"DROP INDEX IF EXISTS {INDEX}",
        )
    ]
