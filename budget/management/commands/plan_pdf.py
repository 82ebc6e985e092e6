"""Writes a förbund's Verksamhetsplan med budget for a year as PDF/A, for archiving: the adopted
version byte for byte as stored at adoption (the latest adopted one), else the latest draft
rendered now. manage.py plan_pdf 222000-2733 2027 --out /srv/arkiv"""

import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from budget import plan_exports
from budget.models import Plan
from finsam.models import Association


class Command(BaseCommand):
    help = "Skriver verksamhetsplanen med budget för ett förbund och år som PDF/A."

    def add_arguments(self, parser):
        parser.add_argument("org_number", help="Förbundets organisationsnummer, t.ex. 222000-2733")
        parser.add_argument("year", type=int, help="Planens (första) år, t.ex. 2027")
        parser.add_argument("--out", default=".", help="Katalog att skriva filen i")

    def handle(self, org_number, year, out, **options):
        association = Association.objects.filter(org_number=org_number).first()
        if association is None:
            raise CommandError(f"Inget förbund har organisationsnummer {org_number}.")
        plans = Plan.objects.for_association(association).filter(first_year=year)
        plan = plans.filter(state=Plan.State.ADOPTED).order_by("-number").first()
        plan = plan or plans.order_by("-number").first()
        if plan is None:
            raise CommandError(f"{association} har ingen verksamhetsplan för {year}.")
        content = plan_exports.plan_pdf(plan) if plan.is_draft else plan_exports.stored_pdf(plan)
        directory = Path(out)
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / plan_exports.plan_filename(plan)
        path.write_bytes(content)
        self.stdout.write(f"Skrev {path} (SHA-256 {hashlib.sha256(content).hexdigest()})")
