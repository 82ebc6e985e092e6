"""E-mails insatsansvariga about their reports due: once the förbund's reminder days before the
day, and once when the report is late. Safe to run daily from cron, or more often: a report is
never reminded twice the same day, nor twice of the same kind (followup.ReminderSent)."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from followup import services


class Command(BaseCommand):
    help = "Skickar påminnelser om insatsrapporter till de insatsansvariga."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default="",
            help="Finsams adress i länkarna, t.ex. https://finsam.example.se (standard: "
            "https:// och den första av ALLOWED_HOSTS).",
        )
        parser.add_argument(
            "--today",
            default="",
            help="Dagen att räkna från, ÅÅÅÅ-MM-DD (standard: i dag).",
        )

    def handle(self, *args, base_url, today, **options):
        if today:
            try:
                today = datetime.date.fromisoformat(today)
            except ValueError:
                raise CommandError(f"--today {today} är inget datum (ÅÅÅÅ-MM-DD).") from None
        else:
            today = timezone.localdate()
        if not base_url:
            hosts = [host for host in settings.ALLOWED_HOSTS if host and host != "*"]
            if not hosts:
                raise CommandError("Ange --base-url: ALLOWED_HOSTS ger ingen adress.")
            base_url = f"https://{hosts[0].lstrip('.')}"
        sent = services.reminders_send(today=today, base_url=base_url)
        for reminder in sent:
            self.stdout.write(
                f"{reminder.get_kind_display()}: {reminder.planned_report} till "
                f"{reminder.recipients}"
            )
        self.stdout.write(f"{len(sent)} påminnelser skickade.")
