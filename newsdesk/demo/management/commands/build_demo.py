from django.core.management.base import BaseCommand

from newsdesk.demo.builder import build_demo


class Command(BaseCommand):
    help = (
        "Build the demo newsroom (sections, authors, photos, ~40 articles, logins). Safe to rerun."
    )

    def handle(self, *args, **options):
        logins = build_demo(progress=lambda line: self.stdout.write(line))
        self.stdout.write(self.style.SUCCESS("Demo newsroom ready."))
        for username, password, role in logins:
            self.stdout.write(f"  {role:<18} {username} / {password}")
