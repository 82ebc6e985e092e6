"""Demo follow-up for the seed-004 förbund: running insatser with about 150 participants over
2025–2026 (some ended to work or studies, some still active), anonymous counts, and an insats
that has ended. Called by `manage.py demo` after the applications' demo (which registers
Samverkansteam Landskrona); deterministic: the same participants every time.

The participants arrive as the insats staff's register files would (services.participants_import:
one bulk insert per insats, every row checked by the same rules as in the browser), rather than
one `participant_add` each: the demo stays quick, and the insats page shows the file on its
timeline as real use would."""

import datetime
import hashlib
import random

from django.utils import timezone

from applications import services as application_services
from applications.models import Initiative, PlannedReport
from budget.plan_demo import load_plans
from finsam.models import Association, Member, User
from followup import report_selectors, services
from followup.models import ExitReason, IncomeSource, InitiativeLead, Occupation, Participant
from followup.services import ParticipantValues, RegisterRow

FIRST_DAY = datetime.date(2025, 1, 1)
LAST_DAY = datetime.date(2026, 11, 30)

# Where participants come from and go to, weighted roughly as SUS reported for insatser aimed at
# young adults far from work.
INCOME_AT_START = [
    ("social_assistance", 35),
    ("activity_support", 15),
    ("sickness_benefit", 15),
    ("activity_compensation", 10),
    ("unemployment_benefit", 8),
    ("none", 10),
    ("sickness_compensation", 4),
    ("other", 3),
]
OCCUPATION_AT_START = [("none", 55), ("job_seeking", 35), ("studies", 6), ("employed", 4)]
EDUCATION = [("compulsory", 40), ("upper_secondary", 45), ("post_secondary", 8), ("unknown", 7)]
SUPPORT_TIME = [("under_1", 20), ("1_2", 30), ("3_5", 25), ("over_5", 15), ("unknown", 10)]
EXIT = [
    (ExitReason.WORK, 30),
    (ExitReason.STUDIES, 15),
    (ExitReason.JOB_SEEKING, 15),
    (ExitReason.OTHER_AGENCY, 10),
    (ExitReason.ILLNESS, 10),
    (ExitReason.MOVED, 5),
    (ExitReason.DROPPED_OUT, 10),
    (ExitReason.OTHER, 5),
]
AFTER = {
    ExitReason.WORK: (IncomeSource.SALARY, Occupation.EMPLOYED),
    ExitReason.STUDIES: (IncomeSource.STUDENT_FINANCE, Occupation.STUDIES),
    ExitReason.JOB_SEEKING: (IncomeSource.ACTIVITY_SUPPORT, Occupation.JOB_SEEKING),
}


def _pick(rng: random.Random, weighted) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _participants(
    rng: random.Random, initiative: Initiative, count: int, ages: tuple[int, int], ended: float
) -> list[RegisterRow]:
    """``count`` participants starting evenly over the insats's months in 2025–2026, about
    ``ended`` of them ended by now."""
    today = timezone.localdate()
    first = max(initiative.period_start, FIRST_DAY)
    last = min(initiative.last_day, LAST_DAY, today)
    if first > last:
        return []
    span = (last - first).days
    rows = []
    for index in range(count):
        start = first + datetime.timedelta(days=span * index // count + rng.randrange(0, 10))
        start = min(start, last)
        values = ParticipantValues(
            gender=_pick(rng, [("woman", 52), ("man", 48)]),
            birth_year=start.year - rng.randint(*ages),
            education=_pick(rng, EDUCATION),
            income_source_start=_pick(rng, INCOME_AT_START),
            occupation_start=_pick(rng, OCCUPATION_AT_START),
            support_time=_pick(rng, SUPPORT_TIME),
            started_on=start,
        )
        end = start + datetime.timedelta(days=rng.randint(60, 330))
        if rng.random() < ended and end <= min(last, initiative.last_day):
            reason = _pick(rng, EXIT)
            income, occupation = AFTER.get(
                reason,
                (
                    _pick(rng, [("social_assistance", 3), ("sickness_benefit", 2), ("none", 1)]),
                    _pick(rng, [("none", 3), ("job_seeking", 1)]),
                ),
            )
            values = values.ended(
                services.ParticipantEnd(
                    ended_on=end,
                    exit_reason=reason,
                    income_source_end=income,
                    occupation_end=occupation,
                )
            )
        rows.append(RegisterRow(row=index + 2, values=values))
    return rows


def _read(officer, initiative, rows, file_name):
    if rows:
        services.participants_import(
            user=officer,
            initiative=initiative,
            rows=rows,
            file_name=file_name,
            sha256=hashlib.sha256(f"demo {initiative.pk} {file_name}".encode()).hexdigest(),
        )


LEAD_EMAIL = "insats@example.org"
LEAD_INITIATIVE = "Samordnad rehabilitering för unga vuxna"


def _lead_and_reports(association, officer) -> None:
    """The insatsansvarig login for the insats granted at the demo's justerade meeting (its
    application names Elin Nyström as lead), and two reports it owes the board besides the
    application's own: one late, one due within the förbund's reminder days, so that the
    officer's start page and the lead's page show both. Once."""
    initiative = Initiative.objects.filter(association=association, name=LEAD_INITIATIVE).first()
    if initiative is None or InitiativeLead.objects.filter(initiative=initiative).exists():
        return
    services.initiative_lead_add(
        user=officer,
        initiative=initiative,
        email=LEAD_EMAIL,
        base_url="http://127.0.0.1:8000/",
    )
    application = initiative.applications.get(state__in=report_selectors.GRANTED)
    today = timezone.localdate()
    # The board asked for a report on the start-up (staff, premises, the first referrals)
    # before the insats begins: written into the planned reports as the decision's condition
    # would have it.
    for due in (today - datetime.timedelta(days=12), today + datetime.timedelta(days=9)):
        PlannedReport.objects.create(
            application=application, kind=PlannedReport.Kind.INTERIM, due=due
        )


def load_demo() -> None:
    """Adds the follow-up to the seed-004 förbund, once."""
    association = Association.objects.get(org_number="222000-2733")
    officer = User.objects.get(email="kansli@example.org")
    _lead_and_reports(association, officer)
    if Participant.objects.for_association(association).exists():
        load_plans()
        return
    members = {member.name: member for member in Member.objects.filter(association=association)}
    rng = random.Random(2025)

    samverkansteam = Initiative.objects.filter(
        association=association, name="Samverkansteam Landskrona"
    ).first()
    if samverkansteam is not None:
        _read(
            officer,
            samverkansteam,
            _participants(rng, samverkansteam, 78, (18, 29), ended=0.55),
            "samverkansteam-deltagare.xlsx",
        )

    arbetstraning = application_services.initiative_register(
        user=officer,
        association=association,
        name="Arbetsträning Svalöv",
        owner=members["Svalövs kommun"],
        orientation="individual",
        period_start=datetime.date(2025, 2, 1),
        period_end=datetime.date(2027, 6, 30),
    )
    _read(
        officer,
        arbetstraning,
        _participants(rng, arbetstraning, 56, (20, 60), ended=0.4),
        "arbetstraning-deltagare.xlsx",
    )
    # Participants who did not want to be in the register, counted by month.
    services.anonymous_counts_save(
        user=officer,
        initiative=arbetstraning,
        counts={
            datetime.date(2025, 3, 1): (2, 1),
            datetime.date(2025, 9, 1): (1, 2),
            datetime.date(2026, 2, 1): (3, 0),
        },
    )

    halsoteam = application_services.initiative_register(
        user=officer,
        association=association,
        name="Hälsoteam Region Skåne",
        owner=members["Region Skåne"],
        orientation="individual",
        period_start=datetime.date(2023, 1, 1),
        period_end=datetime.date(2025, 12, 31),
    )
    rows = _participants(rng, halsoteam, 16, (25, 64), ended=1.0)
    # The last months' starters all finished before the insats did.
    for item in rows:
        if item.values.ended_on is None:
            item.values = item.values.ended(
                services.ParticipantEnd(
                    ended_on=min(
                        item.values.started_on + datetime.timedelta(days=60),
                        halsoteam.period_end,
                    ),
                    exit_reason=ExitReason.OTHER_AGENCY,
                    income_source_end=IncomeSource.SICKNESS_BENEFIT,
                    occupation_end=Occupation.NONE,
                )
            )
    _read(officer, halsoteam, rows, "halsoteam-deltagare.xlsx")
    services.initiative_end(
        user=officer,
        initiative=halsoteam,
        outcome=Initiative.State.IMPLEMENTED,
        ended_on=datetime.date(2025, 12, 31),
    )

    # A volume insats: training for the parties' staff, counted without a register.
    training = application_services.initiative_register(
        user=officer,
        association=association,
        name="Kompetensutveckling i samverkan",
        owner=members["Landskrona stad"],
        orientation="structural",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2026, 12, 31),
    )
    services.anonymous_counts_save(
        user=officer,
        initiative=training,
        counts={
            datetime.date(2025, 4, 1): (14, 6),
            datetime.date(2025, 10, 1): (11, 9),
            datetime.date(2026, 3, 1): (17, 4),
        },
    )
    # The verksamhetsplaner last: the adopted one lists the insatser running in its year, three
    # of them registered just above.
    load_plans()
