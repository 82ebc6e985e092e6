"""Writes the auditors' report for a förbund and period, as PDF and xlsx, for archiving and
scheduled runs: manage.py budget_report 222000-2733 2010 --out /srv/arkiv"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from budget import exports, selectors
from budget.models import Budget
from finsam.models import Association


class Command(BaseCommand):
    help = "Skriver revisorernas rapport (PDF och Excel) för ett förbund och en period."

    def add_arguments(self, parser):
        parser.add_argument("org_number", help="Förbundets organisationsnummer, t.ex. 222000-2733")
        parser.add_argument(
            "period", help="Periodens år (2010) eller första månad för en del av ett år (2009-09)"
        )
        parser.add_argument("--out", default=".", help="Katalog att skriva filerna i")

    def handle(self, org_number, period, out, **options):
        association = Association.objects.filter(org_number=org_number).first()
        if association is None:
            raise CommandError(f"Inget förbund har organisationsnummer {org_number}.")
        budgets = Budget.objects.for_association(association)
        year, _, month = period.partition("-")
        try:
            budgets = budgets.filter(period_start__year=int(year))
            if month:
                budgets = budgets.filter(period_start__month=int(month))
        except ValueError:
            raise CommandError(f"Perioden {period!r} ska vara ett år eller ÅÅÅÅ-MM.") from None
        if budgets.count() != 1:
            found = ", ".join(b.label for b in budgets) or "ingen"
            raise CommandError(f"Perioden {period} ger inte en enda budget (hittade: {found}).")
        chosen, chain = selectors.period_with_chain(association, budgets.get())
        if chosen is None:
            raise CommandError(f"Budgeten för {period} har ingen version ännu.")
        contributions = selectors.contributions_for(chosen)
        directory = Path(out)
        directory.mkdir(parents=True, exist_ok=True)
        for extension, write in (("pdf", exports.report_pdf), ("xlsx", exports.report_xlsx)):
            path = directory / exports.report_filename(chosen, extension)
            path.write_bytes(write(chosen, chain, contributions))
            self.stdout.write(f"Skrev {path}")
