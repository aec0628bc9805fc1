from django.core.management.base import BaseCommand

from newsdesk.news.freshness import content_changed


class Command(BaseCommand):
    help = (
        "Make every worker drop what it keeps of published pages (after editing content "
        "with SQL or another tool that bypasses the newsroom)."
    )

    def handle(self, *args, **options):
        content_changed()
        self.stdout.write(
            "Published content marked as changed; pages re-render on their next view."
        )
