from django.core.management.base import BaseCommand

from newsdesk.wire.models import WireSource
from newsdesk.wire.services import source_ingest


class Command(BaseCommand):
    help = "Fetch every enabled wire source once and queue its new and updated items."

    def handle(self, *args, **options):
        sources = list(WireSource.objects.filter(enabled=True))
        if not sources:
            self.stdout.write("No enabled wire sources.")
            return
        for number, source in enumerate(sources, start=1):
            self.stdout.write(f"[{number}/{len(sources)}] {source.name} ... ", ending="")
            self.stdout.flush()
            counts = source_ingest(source=source)
            style = self.style.ERROR if counts.errors else self.style.SUCCESS
            self.stdout.write(style(str(counts)))
            if source.last_error and counts.errors:
                self.stdout.write(f"    {source.last_error}")
