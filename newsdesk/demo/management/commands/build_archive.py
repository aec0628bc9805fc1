from django.core.management.base import BaseCommand, CommandError

from newsdesk.demo.archive import YEARS, NoNewsroom, build_archive


class Command(BaseCommand):
    help = (
        "Add generated articles, published over the last few years and searchable, to the "
        "newsroom until its archive holds --articles of them (for benchmarks: a site with "
        "history). Build the newsroom first: `newsdesk demo --no-serve`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles",
            type=int,
            default=100_000,
            help="how many generated articles the archive should hold (tops it up; default "
            "100,000)",
        )
        parser.add_argument(
            "--batch-size", type=int, default=1000, help="articles written per transaction"
        )
        parser.add_argument(
            "--years", type=int, default=YEARS, help="publication times spread over this many years"
        )

    def handle(self, *args, **options):
        if options["articles"] < 0 or options["batch_size"] < 1 or options["years"] < 1:
            raise CommandError("--articles must be 0 or more, --batch-size and --years 1 or more")
        try:
            build_archive(
                articles=options["articles"],
                batch_size=options["batch_size"],
                years=options["years"],
                progress=lambda line: self.stdout.write(line),
            )
        except NoNewsroom as error:
            raise CommandError(str(error)) from error
