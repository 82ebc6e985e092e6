"""Generates the national dataset (bench/national.py): many förbund with years of history, for
the benchmark (`make bench`) and for trying the pages at the size of a national service."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

REFUSE_WITHOUT_DEBUG = (
    "Det nationella testdatat läses bara in i en utvecklingsmiljö (DEBUG=1); ange --force för "
    "att ändå läsa in det (till exempel i benchmarkens tillfälliga databas)."
)


class Command(BaseCommand):
    help = (
        "Skapar uppdiktade förbund med många års historik (ansökningar, sammanträden, budgetar, "
        "utfall, deltagare) genom tjänsterna. Deterministiskt; förbund som redan finns hoppas över."
    )

    def add_arguments(self, parser):
        parser.add_argument("--associations", type=int, default=75, help="antal förbund (75)")
        parser.add_argument("--years", type=int, default=15, help="antal år bakåt från i år (15)")
        parser.add_argument("--seed", type=int, default=1, help="slumpfrö (1)")
        parser.add_argument(
            "--force", action="store_true", help="kör även när DEBUG är av (aldrig i produktion)"
        )

    def handle(self, *args, associations, years, seed, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(REFUSE_WITHOUT_DEBUG)
        if associations < 1 or years < 1:
            raise CommandError("Ange minst ett förbund och minst ett år.")
        # Imported here: the generator uses every app, and finsam is the layer below them.
        from bench.national import generate

        started = time.monotonic()

        def progress(index, association):
            elapsed = time.monotonic() - started
            self.stdout.write(f"  {index + 1}/{associations} {association.name} ({elapsed:.0f} s)")

        made = generate(associations=associations, years=years, seed=seed, progress=progress)
        elapsed = time.monotonic() - started
        self.stdout.write(f"\nNationellt testdata på {elapsed:.0f} s:")
        if made.skipped:
            self.stdout.write(f"  {made.skipped} förbund fanns redan och hoppades över")
        for name, number in sorted(made.counts.items()):
            self.stdout.write(f"  {name}: {number}")
