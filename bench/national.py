"""The national dataset: ``associations`` invented förbund, each with ``years`` years of history
ending today, in the shapes DESIGN.md § 1 gives a typical förbund.

Per förbund: 5–10 members (Försäkringskassan, Arbetsförmedlingen, a region, 2–7 kommuner, with
populations), a board per mandate period (4 years from 1 April) and a beredningsgrupp, an officer
and a preparer login; about 15 applications a year taken through the real states (registered,
assessed, finalised, put on the agenda of one of five board meetings a year, decided in minutes
with numbered §, justerade), some withdrawn, referred back or tabled and decided again, some
continuations; the insatser the grants create, ended when their period is over; a budget per
year adopted at the previous November meeting (the first year on a date), with monthly actuals
per line and per insats, every past year closed, so that each year carries over the one before;
and about 390 participants a year in the individinriktade insatser, with anonymous counts in
the strukturövergripande ones, and an insatsansvarig login per owner of a running insats; each
insats's delrapporter and slutrapporter received (a PDF each, in storage) and put before the
board at the next meeting, those of the last months still due. The
current year is in progress: meetings held so far are justerade, the next is published with
its agenda, and drafts, registered applications and applications under beredning wait for it.

Every workflow move goes through the apps' services, as an officer's work would, with Django's
clock set to the day the move is made in the dataset's history (``Clock``), so that Dnr years,
§ numbering, timelines and history dates are those of the day. Deterministic: the same
arguments give the same förbund, names and amounts (the dates move with today).

Each förbund is made in one transaction and skipped if it already exists (by organisationsnummer),
so the command can be run again after an interruption.
"""

import collections
import datetime
import hashlib
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from applications import services as application_services
from applications.demo import TEXT
from applications.models import (
    AgendaItem,
    Application,
    BudgetRow,
    Decision,
    Initiative,
    InitiativeGrant,
    Meeting,
)
from applications.selectors import board_seats_on
from budget import plan_services
from budget import services as budget_services
from budget.models import Actual, Budget, ChartLine
from finsam import services
from finsam.models import (
    Association,
    BoardSeat,
    Member,
    OfficeStaff,
    Person,
    PreparationGroupSeat,
    Role,
    TargetGroup,
    User,
)
from finsam.validators import luhn_is_valid
from followup import report_selectors
from followup import services as followup_services
from followup.models import ExitReason, IncomeSource, Occupation, Report
from followup.services import ParticipantEnd, ParticipantValues, RegisterRow

PASSWORD = "finsam-demo"
DOMAIN = "nationell.example.org"
# Organisationsnummer 222100-0000 and up: the national dataset's förbund (the demo uses 222000-).
ORG_PREFIX = "2221"
PARTICIPANTS_PER_YEAR = 390
MEETING_MONTHS = (2, 4, 6, 9, 11)  # the board's five meetings a year; November adopts the budget
APPLICATIONS_PER_YEAR = 15
Outcome = Decision.Outcome
G = ChartLine.Group

PLACES = [
    "Ådalen", "Bergslagen", "Dalsland", "Ekenbygd", "Finnveden", "Gästrikland", "Hallandsås",
    "Hälsingeskog", "Idre", "Järvsö", "Kinda", "Kullabygden", "Linnebygd", "Mälardalen",
    "Nordanstig", "Norra Roslagen", "Österlen", "Piteälv", "Ragunda", "Siljan", "Sjuhärad",
    "Söderslätt", "Tjust", "Tornedalen", "Uppvidinge", "Vättern", "Västra Mälaren", "Viskan",
    "Ydre", "Åsele", "Ätran", "Östra Skaraborg", "Göta älv", "Höga kusten", "Jämtland",
    "Kalmarsund", "Lagan", "Mora", "Nyköpingsån", "Orust",
]  # fmt: skip
STEMS = [
    "Ask", "Björk", "Ek", "Gran", "Hassel", "Lind", "Lönn", "Rönn", "Sälg", "Tall", "Al", "Alm",
    "Norr", "Sunn", "Väst", "Öst", "Berg", "Dal", "Sjö", "Strand", "Mo", "Hed", "Kärr", "Ljung",
]  # fmt: skip
ENDINGS = ["by", "torp", "holm", "vik", "sund", "berga", "dala", "ås", "köping", "hamn", "fors"]
REGIONS = [
    ("Region Norrbotten", 250_000), ("Region Västerbotten", 275_000),
    ("Region Jämtland Härjedalen", 132_000), ("Region Västernorrland", 243_000),
    ("Region Gävleborg", 287_000), ("Region Dalarna", 288_000), ("Region Värmland", 283_000),
    ("Region Örebro län", 305_000), ("Region Västmanland", 278_000),
    ("Region Uppsala", 395_000), ("Region Sörmland", 300_000),
    ("Region Östergötland", 468_000), ("Region Jönköpings län", 367_000),
    ("Region Kronoberg", 203_000), ("Region Kalmar län", 246_000), ("Region Gotland", 61_000),
    ("Region Blekinge", 157_000), ("Region Skåne", 1_414_000), ("Region Halland", 340_000),
    ("Västra Götalandsregionen", 1_744_000), ("Region Stockholm", 2_454_000),
]  # fmt: skip
FIRST_NAMES = [
    "Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Sara", "Anders", "Eva", "Per", "Lena",
    "Mikael", "Emma", "Fredrik", "Kerstin", "Ahmed", "Fatima", "Jonas", "Elin", "Magnus",
    "Sofia", "Nils", "Ida", "Oskar", "Helena", "Ali", "Maja", "Gustav", "Linnea", "Hassan",
]  # fmt: skip
LAST_NAMES = [
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson",
    "Svensson", "Gustafsson", "Lindberg", "Holm", "Berg", "Ek", "Lund", "Sandberg", "Ström",
    "Nordin", "Wallin", "Hassan", "Öberg", "Falk", "Björk", "Dahl", "Sjöberg", "Lindqvist",
]  # fmt: skip
PARTIES = ["S", "M", "C", "V", "KD", "L", "MP", "SD"]
TARGET_GROUPS = [
    "Unga vuxna som står utanför arbetsmarknaden",
    "Personer med psykisk ohälsa eller psykosocial problematik",
    "Långtidssjukskrivna och personer med aktivitetsersättning",
    "Nyanlända med behov av samordnat stöd",
]
PROJECTS = [
    "Samverkansteam", "Arbetsträning", "Hälsoteam", "Unga till arbete", "Steget vidare",
    "Vägledningscentrum", "Resursteam", "Individstöd IPS", "Tidiga insatser", "Kompetenslyft",
    "Gemensam kartläggning", "Vägen ut", "Aktivitetshuset", "Språk och arbete",
    "Familjecentrerat stöd", "Motivationsteam",
]  # fmt: skip
# Share of contributions budgeted on each operating line, and interest income.
OPERATING = [
    ("Styrelse och revisorer", Decimal("0.03")),
    ("Samordnare", Decimal("0.08")),
    ("Konsulter", Decimal("0.015")),
    ("Marknadsföring", Decimal("0.005")),
    ("Utvärdering", Decimal("0.01")),
    ("Kontor", Decimal("0.012")),
    ("Utbildning och resor", Decimal("0.01")),
]
# The share of a year's contributions the board grants to insatser at most (the kansli's lines
# take ~16 %, see OPERATING).
GRANTABLE = Decimal("0.8")
OUTCOMES = [
    (Outcome.GRANT, 62),
    (Outcome.PARTIAL, 12),
    (Outcome.REJECT, 16),
    (Outcome.REFER_BACK, 5),
    (Outcome.TABLE, 5),
]
INCOME_AT_START = [
    ("social_assistance", 35), ("activity_support", 15), ("sickness_benefit", 15),
    ("activity_compensation", 10), ("unemployment_benefit", 8), ("none", 10),
    ("sickness_compensation", 4), ("other", 3),
]  # fmt: skip
OCCUPATION_AT_START = [("none", 55), ("job_seeking", 35), ("studies", 6), ("employed", 4)]
EDUCATION = [("compulsory", 40), ("upper_secondary", 45), ("post_secondary", 8), ("unknown", 7)]
SUPPORT_TIME = [("under_1", 20), ("1_2", 30), ("3_5", 25), ("over_5", 15), ("unknown", 10)]
EXIT = [
    (ExitReason.WORK, 30), (ExitReason.STUDIES, 15), (ExitReason.JOB_SEEKING, 15),
    (ExitReason.OTHER_AGENCY, 10), (ExitReason.ILLNESS, 10), (ExitReason.MOVED, 5),
    (ExitReason.DROPPED_OUT, 10), (ExitReason.OTHER, 5),
]  # fmt: skip
AFTER = {
    ExitReason.WORK: (IncomeSource.SALARY, Occupation.EMPLOYED),
    ExitReason.STUDIES: (IncomeSource.STUDENT_FINANCE, Occupation.STUDIES),
    ExitReason.JOB_SEEKING: (IncomeSource.ACTIVITY_SUPPORT, Occupation.JOB_SEEKING),
}
ONE_DAY = datetime.timedelta(days=1)


def org_number(index: int) -> str:
    """222100-000N style, with its Luhn check digit: the index-th förbund of the dataset."""
    nine = f"{ORG_PREFIX}{index:05d}"
    check = next(digit for digit in "0123456789" if luhn_is_valid(nine + digit))
    return f"{nine[:6]}-{nine[6:]}{check}"


def officer_email(index: int) -> str:
    return f"kansli{index + 1:02d}@{DOMAIN}"


def preparer_email(index: int) -> str:
    return f"beredning{index + 1:02d}@{DOMAIN}"


def _pick(rng: random.Random, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _kr(value: float | Decimal) -> Decimal:
    """Whole thousands of kronor, as budgets are written."""
    return (Decimal(value) / 1000).quantize(Decimal(1)) * 1000


def _month_add(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1, day=1)


def _terms(first: datetime.date, last: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """The mandate periods (4 years from 1 April; 2023–2027 is one) covering first … last."""
    start_year = 2023 - 4 * ((2023 - first.year + 4) // 4)
    while datetime.date(start_year + 4, 3, 31) < first:
        start_year += 4
    terms = []
    while datetime.date(start_year, 4, 1) <= last:
        terms.append((datetime.date(start_year, 4, 1), datetime.date(start_year + 4, 3, 31)))
        start_year += 4
    return terms


class Clock:
    """Django's clock (``timezone.now``, which ``localdate``, ``auto_now_add`` and the history
    read) set to a moment of the dataset's history while the services run; restored after.
    Single-threaded: for this command only."""

    def __init__(self):
        self.moment: datetime.datetime | None = None

    def __enter__(self):
        self._real = timezone.now
        timezone.now = self._now
        return self

    def __exit__(self, *exc):
        timezone.now = self._real

    def _now(self) -> datetime.datetime:
        return self.moment if self.moment is not None else self._real()

    def at(self, day: datetime.date, hour: int = 10) -> None:
        self.moment = timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


@dataclass
class Made:
    """What the command made, counted."""

    counts: Counter = field(default_factory=Counter)
    skipped: int = 0

    def add(self, name: str, number: int = 1) -> None:
        self.counts[name] += number


@dataclass
class Pending:
    """An application waiting for a meeting: prepared, or back in beredning after återremiss."""

    application: Application
    amounts: dict[int, Decimal]


class Builder:
    """One förbund and its history."""

    def __init__(
        self,
        index: int,
        *,
        years: int,
        seed: int,
        today: datetime.date,
        made: Made,
        clock: Clock,
        password: str,
        report_pdf: bytes,
    ):
        self.index = index
        self.report_pdf = report_pdf
        self.rng = random.Random(f"{seed}-{index}")
        self.today = today
        self.first_year = today.year - years + 1
        self.made = made
        self.clock = clock
        self.password = password
        self.pending: list[Pending] = []
        self.initiatives: list[Initiative] = []
        self.budgets: dict[int, Budget] = {}
        self.continued: set[int] = set()  # insatser a continuation has been applied for
        self.earlier: dict[int, Decimal] = {}  # insatser from before the first year: kr a year
        # What the board has granted for each year, the earlier insatser's included (see _decide).
        self.granted: collections.Counter[int] = collections.Counter()
        self.project_number = 0

    # The organisation ----------------------------------------------------------------------

    def organisation(self) -> Association:
        rng, index = self.rng, self.index
        place = PLACES[index % len(PLACES)]
        if index >= len(PLACES):
            place = f"{place} {index // len(PLACES) + 1}"
        founded = datetime.date(self.first_year - 1, rng.choice([1, 1, 4, 9]), 1)
        self.clock.at(founded)
        slug = f"forbund{index + 1:02d}"
        association = services.association_create(
            user=None,
            values={
                "name": f"Samordningsförbundet {place}",
                "org_number": org_number(index),
                "founded": founded,
                "city": place.split()[0],
                "email": f"info@{slug}.{DOMAIN}",
                "max_initiative_years": 3,
                "municipal_split_key": Association.SplitKey.POPULATION,
            },
        )
        self.association = association
        self.officer = self._user(officer_email(index), "Kansli", place, Role.Kind.OFFICER)
        self.preparer = self._user(preparer_email(index), "Beredning", place, Role.Kind.PREPARER)

        region, region_population = REGIONS[index % len(REGIONS)]
        kommuner = rng.randint(2, 7)
        names = set()
        while len(names) < kommuner:
            names.add(rng.choice(STEMS) + rng.choice(ENDINGS))
        rows = [
            (f"{name} kommun", Member.Kind.KOMMUN, rng.randint(3_000, 150_000))
            for name in sorted(names)
        ]
        rows += [
            (region, Member.Kind.REGION, region_population),
            ("Försäkringskassan", Member.Kind.FK, None),
            ("Arbetsförmedlingen", Member.Kind.AF, None),
        ]
        self.members = [
            self._create(Member, name=name, kind=kind, population=population, active_from=founded)
            for name, kind, population in rows
        ]
        self.made.add("medlemmar", len(self.members))
        self.kommuner = [m for m in self.members if m.kind == Member.Kind.KOMMUN]
        for position, name in enumerate(TARGET_GROUPS[: rng.randint(2, 4)], start=1):
            self._create(TargetGroup, name=name, position=position)
        self.target_groups = list(association.target_groups.all())

        self.people: list[Person] = []
        last = datetime.date(self.today.year + 1, 12, 31)
        for term_start, term_end in _terms(founded, last):
            self._board(term_start, term_end)
        for member in self.members:
            person = self._person(title="Handläggare, " + member.name)
            self._create(PreparationGroupSeat, member=member, person=person)
        director = self._person(title="Förbundschef", email=officer_email(index))
        self._create(OfficeStaff, person=director, position=OfficeStaff.Position.DIRECTOR)
        coordinator = self._person(title="Samordnare")
        self._create(OfficeStaff, person=coordinator, position=OfficeStaff.Position.COORDINATOR)
        budget_services.chart_ensure(user=self.officer, association=association)
        self.chart = {
            (line.group, line.name): line for line in ChartLine.objects.for_association(association)
        }
        # The förbund's yearly contributions: about 1 kr a year for every 12 inhabitants of
        # the kommuner, 4–14 mkr (a typical förbund has 8–10).
        people = sum(member.population for member in self.kommuner)
        self.contributions = Decimal(min(max(people // 12, 4_000_000), 14_000_000))
        return association

    def _user(self, email: str, first: str, last: str, kind: str) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email, first_name=first, last_name=last)
            user.password = self.password  # one hash for all: hashing each would take minutes
            user.save()
        services.role_grant(granted_by=None, user=user, association=self.association, kind=kind)
        self.made.add("inloggningar")
        return user

    def _create(self, model, **values):
        return services.organisation_object_create(
            user=self.officer if hasattr(self, "officer") else None,
            association=self.association,
            model=model,
            values=values,
        )

    def _name(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def _person(self, title: str = "", email: str = "") -> Person:
        name = self._name()
        email = email or (
            f"{name.lower().translate(str.maketrans('åäöé ', 'aaoe.'))}."
            f"{len(self.people) + 1}@forbund{self.index + 1:02d}.{DOMAIN}"
        )
        person = self._create(Person, name=name, title=title, email=email)
        self.people.append(person)
        return person

    def _board(self, term_start: datetime.date, term_end: datetime.date) -> None:
        """One ordinarie ledamot and one ersättare per member; about half are re-elected."""
        previous = getattr(self, "board_people", {})
        self.board_people = {}
        for position, member in enumerate(self.members):
            political = member.kind in (Member.Kind.KOMMUN, Member.Kind.REGION)
            pair = []
            for kind in (BoardSeat.Kind.ORDINARY, BoardSeat.Kind.DEPUTY):
                again = previous.get((member.pk, kind))
                person = again if again and self.rng.random() < 0.5 else self._person()
                self.board_people[member.pk, kind] = person
                pair.append(person)
            office = "chair" if position == 0 else "vice_chair" if position == 1 else ""
            for kind, person in zip(
                (BoardSeat.Kind.ORDINARY, BoardSeat.Kind.DEPUTY), pair, strict=True
            ):
                self._create(
                    BoardSeat,
                    member=member,
                    person=person,
                    kind=kind,
                    deputy_order=1 if kind == BoardSeat.Kind.DEPUTY else None,
                    party=self.rng.choice(PARTIES) if political else "",
                    office=office if kind == BoardSeat.Kind.ORDINARY else "",
                    term_start=term_start,
                    term_end=term_end,
                )
        self.made.add("styrelseplatser", 2 * len(self.members))

    # Applications --------------------------------------------------------------------------

    def _application(
        self, created: datetime.date, start: datetime.date, initiative: Initiative | None = None
    ) -> Pending:
        """A draft as the officer types it in, with its tables; amounts a year per cost row."""
        rng = self.rng
        months = rng.choice([12, 18, 24, 24, 30, 36])
        end = _month_add(start, months) - ONE_DAY
        if initiative is not None:
            owner = initiative.owner
            name = f"{initiative.name} – fortsättning"
            months = min(months, 24)
            end = _month_add(start, months) - ONE_DAY
        else:
            self.project_number += 1
            owner = rng.choice([m for m in self.members if m.kind != Member.Kind.AF])
            name = f"{rng.choice(PROJECTS)} {owner.name.split()[0]} {self.project_number}"
        parties = [m for m in self.members if m != owner and m.kind != Member.Kind.KOMMUN]
        parties = rng.sample(parties, k=min(len(parties), rng.randint(1, 2)))
        yearly = _kr(rng.uniform(300_000, 1_100_000) * float(self.contributions) / 9_000_000)
        rows, amounts = [], {}
        for year in range(start.year, end.year + 1):
            first = max(start, datetime.date(year, 1, 1))
            last = min(end, datetime.date(year, 12, 31))
            share = Decimal(last.month - first.month + 1) / 12
            staff = _kr(yearly * share * Decimal("0.85"))
            other = _kr(yearly * share * Decimal("0.15"))
            own = _kr(yearly * share * Decimal("0.1"))
            rows += [
                {"year": year, "label": "Personal", "amount": staff},
                {"year": year, "label": "Lokaler, material och resor", "amount": other},
                {
                    "year": year,
                    "kind": BudgetRow.Kind.OWN_FUNDS,
                    "label": f"Egen personal, {owner.name}",
                    "amount": own,
                },
            ]
            amounts[year] = staff + other - own
        self.clock.at(created)
        orientation = "structural" if rng.random() < 0.2 else "individual"
        if initiative is not None:
            orientation = initiative.orientation
        values = {
            "name": name,
            "date": created,
            "owner": owner,
            "parties": parties,
            "target_groups": self.target_groups[:2],
            "lead_name": self._name(),
            "lead_organisation": owner.name,
            "lead_email": f"insatsansvarig{self.project_number}@forbund{self.index + 1:02d}."
            f"{DOMAIN}",
            "period_start": start,
            "period_end": end,
            "orientation": orientation,
            "national_followup": True,
            "fundable_kinds": ["new_methods"],
            **TEXT,
        }
        if initiative is not None:
            values |= {"kind": Application.Kind.CONTINUATION, "initiative": initiative}
        tables = {
            "budget_rows": rows,
            "targets": [
                {"text": "Beräknat flöde", "number": rng.randint(20, 150)},
                {"text": "Till arbete eller studier", "number": rng.randint(5, 30)},
            ],
            "activities": [
                {
                    "activity": "Rekrytering av deltagare",
                    "start": start,
                    "end": start + datetime.timedelta(days=90),
                },
                {"activity": "Insatsen pågår", "start": start, "end": end},
            ],
            "commitments": [
                {
                    "member": owner,
                    "commitment": "Anställer personal och står för lokaler",
                    "own_contribution": sum(r["amount"] for r in rows if r.get("kind")),
                },
            ],
            "planned_reports": [
                {"kind": "interim", "due": min(end, _month_add(start, 12) - ONE_DAY)},
                {"kind": "final", "due": end + datetime.timedelta(days=90)},
            ],
        }
        application = application_services.application_create(
            user=self.officer, association=self.association, values=values, tables=tables
        )
        self.made.add("ansökningar")
        return Pending(application, amounts)

    def _assess(self, pending: Pending, day: datetime.date, finalise: bool = True) -> None:
        self.clock.at(day)
        recommendation = _pick(self.rng, [("grant", 7), ("reject", 2), ("supplement", 1)])
        application_services.assessment_save(
            user=self.preparer,
            application=pending.application,
            values={
                "individual_extent": "higher",
                "individual_comment": "Når personer med samordnade behov.",
                "cooperation_extent": self.rng.choice(["higher", "lower"]),
                "cooperation_comment": "Bygger ett gemensamt arbetssätt mellan parterna.",
                "implementation_comment": "Planen för implementering är rimlig.",
                "duties_comment": "Tar inte över ordinarie uppdrag.",
                "recommendation": recommendation,
                "recommendation_text": "Beredningsgruppen lämnar sin rekommendation till "
                "styrelsen enligt bedömningen ovan.",
            },
            amounts=pending.amounts,
        )
        if finalise:
            self.clock.at(day + datetime.timedelta(days=5))
            application_services.assessment_finalise(
                user=self.officer, application=pending.application
            )

    def _new_applications(self, meeting_day: datetime.date, count: int) -> list[Pending]:
        """Applications for the meeting: registered two months before, assessed and finalised
        in time for the agenda. About one in six continues an insats that ends soon."""
        made = []
        for _ in range(count):
            created = meeting_day - datetime.timedelta(days=self.rng.randint(60, 80))
            start = _month_add(meeting_day, self.rng.randint(2, 4))
            ending = [
                i
                for i in self.initiatives
                if i.is_running
                and start - datetime.timedelta(days=120) <= i.period_end < start
                and i.pk not in self.continued
            ]
            continued = ending[0] if ending and self.rng.random() < 0.5 else None
            if continued is not None:
                self.continued.add(continued.pk)
                start = continued.period_end + ONE_DAY
            pending = self._application(created, start, initiative=continued)
            self.clock.at(created + datetime.timedelta(days=5))
            application_services.application_register(
                user=self.officer, application=pending.application
            )
            if self.rng.random() < 0.05:
                self.clock.at(created + datetime.timedelta(days=20))
                application_services.application_withdraw(
                    user=self.officer,
                    application=pending.application,
                    comment="Sökanden drar tillbaka ansökan.",
                )
                self.made.add("återtagna")
                continue
            self._assess(pending, created + datetime.timedelta(days=30))
            made.append(pending)
        return made

    def earlier_initiatives(self) -> None:
        """Insatser granted before the dataset's first year, running into it (registered as a
        förbund starting to use Finsam would), so that the first year has participants too."""
        for number in range(self.rng.randint(4, 6)):
            owner = self.rng.choice([m for m in self.members if m.kind != Member.Kind.AF])
            start = datetime.date(self.first_year - 1, self.rng.choice([1, 4, 7]), 1)
            end = _month_add(start, self.rng.choice([24, 30, 36])) - ONE_DAY
            name = f"{self.rng.choice(PROJECTS)} {owner.name.split()[0]} (före {self.first_year})"
            self.clock.at(datetime.date(self.first_year, 1, 10))
            initiative = application_services.initiative_register(
                user=self.officer,
                association=self.association,
                name=name,
                owner=owner,
                orientation="structural" if number == 0 else "individual",
                period_start=start,
                period_end=end,
            )
            self.earlier[initiative.pk] = _kr(
                self.rng.uniform(400_000, 900_000) * float(self.contributions) / 9_000_000
            )
            for year in range(start.year, end.year + 1):
                self.granted[year] += self.earlier[initiative.pk]
            self.initiatives.append(initiative)

    # Meetings ------------------------------------------------------------------------------

    def _meeting_day(self, year: int, month: int) -> datetime.date:
        day = datetime.date(year, month, 8 + self.rng.randint(0, 10))
        return day + datetime.timedelta(days=(3 - day.weekday()) % 7)  # a Thursday

    def meeting(self, day: datetime.date, budget: Budget | None, held: bool, approved: bool):
        """A board meeting: its applications (new ones and those waiting), kallelse, and, if
        held, attendance, § and decisions, and justering a week later."""
        rng = self.rng
        waiting, self.pending = self.pending, []
        for pending in waiting:
            pending.application.refresh_from_db()
            if pending.application.state == Application.State.IN_PREPARATION:
                self._assess(pending, day - datetime.timedelta(days=30))
        count = max(1, round(rng.gauss(APPLICATIONS_PER_YEAR / len(MEETING_MONTHS), 1)))
        todo = waiting + self._new_applications(day, count)
        starts_at = timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 9))
        self.clock.at(day - datetime.timedelta(days=25))
        meeting = application_services.meeting_create(
            user=self.officer,
            association=self.association,
            body=Meeting.Body.BOARD,
            starts_at=starts_at,
            place=f"{self.association.city}, kommunhuset",
        )
        self.made.add("sammanträden")
        self.clock.at(day - datetime.timedelta(days=16))
        items = {}
        for pending in todo:
            pending.application.refresh_from_db()
            item = application_services.agenda_item_add(
                user=self.officer, meeting=meeting, kind="", application=pending.application
            )
            items[item.pk] = pending
        for report in self._reports_received(until=day - datetime.timedelta(days=17)):
            self.clock.at(day - datetime.timedelta(days=16))
            followup_services.report_to_agenda(user=self.officer, report=report, meeting=meeting)
        application_services.agenda_item_add(
            user=self.officer,
            meeting=meeting,
            kind="information",
            title="Förbundschefen informerar",
        )
        budget_item = None
        if budget is not None:
            budget_item = application_services.agenda_item_add(
                user=self.officer,
                meeting=meeting,
                kind=AgendaItem.Kind.BUDGET,
                title=f"Budget {budget.year}",
            )
        self.clock.at(day - datetime.timedelta(days=14))
        application_services.meeting_publish(user=self.officer, meeting=meeting)
        if not held:
            self.pending = todo
            return meeting
        self.clock.at(day, hour=9)
        seats = board_seats_on(meeting)
        ordinary = [seat for seat in seats if seat.kind == BoardSeat.Kind.ORDINARY]
        deputies = {seat.member_id: seat for seat in seats if seat.kind == BoardSeat.Kind.DEPUTY}
        absent = rng.choice(ordinary[2:]) if len(ordinary) > 3 and rng.random() < 0.5 else None
        rows = [
            application_services.AttendanceRow(
                seat=seat, present=seat != absent, approver=seat == ordinary[1]
            )
            for seat in ordinary
        ]
        if absent is not None and absent.member_id in deputies:
            rows.append(
                application_services.AttendanceRow(
                    seat=deputies[absent.member_id], present=True, serving_for=absent
                )
            )
        application_services.attendance_record(
            user=self.officer, meeting=meeting, rows=rows, secretary="Förbundschefen"
        )
        self.clock.at(day, hour=12)
        application_services.minutes_open(user=self.officer, meeting=meeting)
        for item in meeting.agenda_items.order_by("position"):
            if item.application_id:
                self._decide(item, items[item.pk], day)
            elif item.needs_decision:
                text = "Styrelsen beslutar att lägga informationen till handlingarna."
                if item.kind == AgendaItem.Kind.BUDGET:
                    text = f"Styrelsen beslutar att fastställa budgeten för {budget.year}."
                application_services.decision_record(user=self.officer, item=item, text=text)
        if not approved:
            return meeting
        self.clock.at(day + datetime.timedelta(days=6))
        application_services.minutes_approve(
            user=self.officer, meeting=meeting, chair_approved=True, approvers_approved=True
        )
        self.made.add("justerade protokoll")
        # Justering made insatser of the grants (and extended those continued).
        self.initiatives = list(
            Initiative.objects.filter(association=self.association).order_by("pk")
        )
        if budget_item is not None:
            budget_services.version_adopt(
                user=self.officer, version=budget.versions.get(), agenda_item=budget_item
            )
        return meeting

    def _reports_received(self, until: datetime.date) -> list[Report]:
        """The insatser's delrapporter and slutrapporter that have come by ``until``, received
        as the officer does when one arrives, for the next meeting's agenda: most within days of
        the day they are due, some weeks late (those wait for a later meeting, so that the reports
        due today are those of the last months, as in a förbund that keeps up)."""
        due = report_selectors.outstanding(association=self.association).filter(due__lte=until)
        reports = []
        for planned in due:
            received_on = planned.due + datetime.timedelta(days=self.rng.randint(-10, 30))
            if received_on > until:
                continue
            self.clock.at(received_on)
            name = planned.application.initiative.name
            reports.append(
                followup_services.report_receive(
                    user=self.officer,
                    planned_report=planned,
                    file_name=f"{planned.get_kind_display()} {name}.pdf",
                    content=self.report_pdf,
                    received_on=received_on,
                )
            )
        self.made.add("mottagna rapporter", len(reports))
        return reports

    def _decide(self, item: AgendaItem, pending: Pending, day: datetime.date) -> None:
        outcome = _pick(self.rng, OUTCOMES)
        amounts = {}
        if outcome == Outcome.GRANT:
            amounts = pending.amounts
        elif outcome == Outcome.PARTIAL:
            amounts = {
                year: _kr(amount * Decimal("0.7")) for year, amount in pending.amounts.items()
            }
        # A board grants within its means: what the förbund has granted for a year stays under
        # GRANTABLE of that year's contributions (the rest runs the kansli and keeps an eget
        # kapital), so a grant that would pass it is cut as a partial one, else refused.
        if amounts and not self._affordable(amounts):
            cut = {year: _kr(amount * Decimal("0.7")) for year, amount in amounts.items()}
            outcome, amounts = (
                (Outcome.PARTIAL, cut) if self._affordable(cut) else (Outcome.REJECT, {})
            )
        for year, amount in amounts.items():
            self.granted[year] += amount
        application_services.decision_record(
            user=self.officer,
            item=item,
            text="",
            outcome=outcome,
            amounts=amounts,
            conditions="Halvårsvis uppföljning till styrelsen." if amounts else "",
            presenter_left=True,
        )
        self.made.add(f"beslut: {Outcome(outcome).label.lower()}")
        if outcome == Outcome.REFER_BACK:
            self.pending.append(pending)  # assessed again before the next meeting
        elif outcome == Outcome.TABLE:
            self.pending.append(pending)

    def _affordable(self, amounts: dict[int, Decimal]) -> bool:
        return all(
            self.granted[year] + amount <= self._contributions(year) * GRANTABLE
            for year, amount in amounts.items()
        )

    def _contributions(self, year: int) -> Decimal:
        return _kr(self.contributions * Decimal("1.02") ** (year - self.first_year))

    # Budget --------------------------------------------------------------------------------

    def budget(self, year: int, adopted_on: datetime.date | None) -> Budget:
        """The year's budget: contributions growing 2 % a year, the kansli's lines as shares of
        them, created in October of the year before; adopted on ``adopted_on`` if given
        (otherwise by the November meeting's decision)."""
        self.clock.at(datetime.date(year - 1, 10, 1))
        previous = self.budgets.get(year - 1)
        budget = budget_services.budget_create(
            user=self.officer,
            association=self.association,
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
            copy_from=previous,
            opening_equity=None if previous else _kr(self.contributions * Decimal("0.2")),
        )
        contributions = self._contributions(year)
        amounts = {self.chart[G.CONTRIBUTIONS, "Verksamhetens ägarbidrag"].pk: contributions}
        for name, share in OPERATING:
            amounts[self.chart[G.OPERATING, name].pk] = _kr(contributions * share)
        amounts[self.chart[G.FINANCIAL_INCOME, "Ränta"].pk] = Decimal(
            self.rng.randint(5, 30) * 1000
        )
        budget_services.version_lines_save(
            user=self.officer, version=budget.versions.get(), amounts=amounts
        )
        if adopted_on is not None:
            self.clock.at(adopted_on)
            budget_services.version_adopt(
                user=self.officer, version=budget.versions.get(), adopted_on=adopted_on
            )
        self.budgets[year] = budget
        self.made.add("budgetar")
        return budget

    def actuals(self, year: int) -> None:
        """The year's monthly actuals, per line and per insats, up to the month before today.

        Bulk-inserted (with their history rows) rather than through actuals_save: the grid's
        service saves cell by cell, which for ~20 cells × 12 months × 15 years × 75 förbund
        would take hours; the rows are the same as a ledger import leaves."""
        budget = self.budgets[year]
        months = [m for m in budget.months() if m < self.today.replace(day=1)]
        if not months:
            return
        rng = self.rng
        version = budget.versions.order_by("-number").first()
        lines = {item.line_id: item.amount for item in version.lines.all()}
        rows = []
        for line_id, amount in lines.items():
            if not amount:
                continue
            quarterly = line_id == self.chart[G.CONTRIBUTIONS, "Verksamhetens ägarbidrag"].pk
            for month in months:
                if quarterly:
                    if month.month in (1, 4, 7, 10):
                        rows.append(
                            Actual(budget=budget, line_id=line_id, month=month, amount=amount / 4)
                        )
                    continue
                value = amount / 12 * Decimal(rng.uniform(0.7, 1.25))
                rows.append(
                    Actual(
                        budget=budget,
                        line_id=line_id,
                        month=month,
                        amount=value.quantize(Decimal(1)),
                    )
                )
        grants: dict[int, Decimal] = {}
        for grant in InitiativeGrant.objects.filter(
            initiative__association=self.association, year=year
        ):
            grants[grant.initiative_id] = grants.get(grant.initiative_id, Decimal(0)) + grant.amount
        # The insatser from before the first year have no grant here, but are booked all the same.
        for pk, amount in self.earlier.items():
            grants.setdefault(pk, amount)
        by_pk = {initiative.pk: initiative for initiative in self.initiatives}
        for pk, amount in grants.items():
            initiative = by_pk[pk]
            running = [
                m
                for m in months
                if initiative.period_start.replace(day=1) <= m <= initiative.period_end
            ]
            for month in running:
                value = amount / len(running) * Decimal(rng.uniform(0.75, 1.15))
                rows.append(
                    Actual(
                        budget=budget,
                        initiative_id=pk,
                        month=month,
                        amount=value.quantize(Decimal(1)),
                    )
                )
        self.clock.at(min(self.today, datetime.date(year, 12, 31)))
        bulk_create_with_history(rows, Actual, default_user=self.officer, batch_size=2000)
        self.made.add("utfallsrader", len(rows))

    # Follow-up -----------------------------------------------------------------------------

    def followup(self) -> None:
        """Participants of the individinriktade insatser, about 390 a year in all, read from
        one register file per insats; anonymous counts for the strukturövergripande ones; and
        each insats whose period is over ended (implemented or discontinued)."""
        rng = self.rng
        individual = [i for i in self.initiatives if i.orientation == "individual"]
        per_initiative: dict[int, list[RegisterRow]] = {i.pk: [] for i in individual}
        for year in range(self.first_year, self.today.year + 1):
            first, last = datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), self.today)
            running = [i for i in individual if i.period_start <= last and i.period_end >= first]
            if not running:
                continue
            # The year's participants shared by the insatser in proportion to their days in it.
            spans = {i.pk: (max(first, i.period_start), min(last, i.period_end)) for i in running}
            days = {pk: (stop - start).days + 1 for pk, (start, stop) in spans.items()}
            year_share = ((last - first).days + 1) / 365
            for initiative in running:
                start, stop = spans[initiative.pk]
                expected = PARTICIPANTS_PER_YEAR * year_share * days[initiative.pk]
                count = round(expected / sum(days.values()) * rng.uniform(0.85, 1.15))
                rows = per_initiative[initiative.pk]
                for _ in range(count):
                    rows.append(self._participant(initiative, start, stop, len(rows) + 2))
        self.made.add("deltagare", sum(len(rows) for rows in per_initiative.values()))
        for initiative in individual:
            rows = per_initiative[initiative.pk]
            if not rows:
                continue
            ended = initiative.period_end < self.today
            self.clock.at(min(self.today, initiative.period_end + datetime.timedelta(days=20)))
            # Registered as the insats's own register file: one bulk insert, every row checked.
            followup_services.participants_import(
                user=self.officer,
                initiative=initiative,
                rows=rows,
                file_name=f"deltagare-{initiative.pk}.xlsx",
                sha256=hashlib.sha256(f"national {initiative.pk}".encode()).hexdigest(),
            )
            if ended:
                self._end(initiative)
        self._leads([i for i in individual if i.period_end >= self.today])
        for initiative in self.initiatives:
            if initiative.orientation == "individual":
                continue
            months = [
                m
                for m in self._months(initiative.period_start, initiative.period_end)
                if m < self.today.replace(day=1)
            ]
            counts = {m: (rng.randint(0, 12), rng.randint(0, 12)) for m in months[::3]}
            if counts:
                self.clock.at(min(self.today, initiative.period_end + datetime.timedelta(days=10)))
                followup_services.anonymous_counts_save(
                    user=self.officer, initiative=initiative, counts=counts
                )
            if initiative.period_end < self.today:
                self._end(initiative)

    def _leads(self, running: list[Initiative]) -> None:
        """An insatsansvarig per member that owns a running individinriktad insats, lead of
        each of its insatser (as a kommun's coordinator reports all of theirs), invited by the
        officer as the insats page does."""
        self.clock.at(self.today)
        # By the member's place among the förbund's, not its pk: the same names in any database.
        place = {member.pk: number for number, member in enumerate(self.members, start=1)}
        for initiative in running:
            followup_services.initiative_lead_add(
                user=self.officer,
                initiative=initiative,
                email=f"insatsansvarig{self.index + 1:02d}-{place[initiative.owner_id]}@{DOMAIN}",
                base_url=f"https://{DOMAIN}/",
            )
        self.made.add("insatsansvariga", len({i.owner_id for i in running}))

    def _end(self, initiative: Initiative) -> None:
        self.clock.at(min(self.today, initiative.period_end + datetime.timedelta(days=30)))
        outcome = _pick(
            self.rng,
            [(Initiative.State.IMPLEMENTED, 6), (Initiative.State.DISCONTINUED, 4)],
        )
        followup_services.initiative_end(
            user=self.officer,
            initiative=initiative,
            outcome=outcome,
            ended_on=initiative.period_end,
        )
        self.made.add("avslutade insatser")

    @staticmethod
    def _months(first: datetime.date, last: datetime.date) -> list[datetime.date]:
        months, month = [], first.replace(day=1)
        while month <= last:
            months.append(month)
            month = _month_add(month, 1)
        return months

    def _participant(self, initiative, first: datetime.date, last: datetime.date, row: int):
        rng = self.rng
        start = first + datetime.timedelta(days=rng.randint(0, max(0, (last - first).days)))
        values = ParticipantValues(
            gender=_pick(rng, [("woman", 52), ("man", 48)]),
            birth_year=start.year - rng.randint(18, 64),
            education=_pick(rng, EDUCATION),
            income_source_start=_pick(rng, INCOME_AT_START),
            occupation_start=_pick(rng, OCCUPATION_AT_START),
            support_time=_pick(rng, SUPPORT_TIME),
            started_on=start,
        )
        end = start + datetime.timedelta(days=rng.randint(40, 330))
        ends_by = min(initiative.period_end, self.today)
        over = initiative.period_end < self.today
        if end > ends_by and over:
            end = ends_by
        if end <= ends_by and (over or rng.random() < 0.85):
            reason = _pick(rng, EXIT)
            income, occupation = AFTER.get(
                reason, (IncomeSource.SOCIAL_ASSISTANCE, Occupation.NONE)
            )
            values = values.ended(
                ParticipantEnd(
                    ended_on=end,
                    exit_reason=reason,
                    income_source_end=income,
                    occupation_end=occupation,
                )
            )
        return RegisterRow(row=row, values=values)

    # The whole history ---------------------------------------------------------------------

    def build(self) -> None:
        self.organisation()
        today = self.today
        self.budget(self.first_year, adopted_on=datetime.date(self.first_year - 1, 12, 1))
        self.earlier_initiatives()
        for year in range(self.first_year, today.year + 1):
            for month in MEETING_MONTHS:
                day = self._meeting_day(year, month)
                if day - datetime.timedelta(days=14) > today:
                    break  # its kallelse is not out yet: what waits for it stays prepared
                budget = None
                if month == MEETING_MONTHS[-1] and day <= today:
                    budget = self.budget(year + 1, adopted_on=None)
                held = day <= today
                self.meeting(
                    day, budget, held=held, approved=day + datetime.timedelta(days=6) <= today
                )
                if not held:
                    break
            self.actuals(year)
            closing = datetime.date(year + 1, 2, 15)
            if closing <= today:
                self.clock.at(closing)
                budget_services.period_close(user=self.officer, budget=self.budgets[year])
                self.made.add("stängda år")
        self.pipeline()
        self.made.add("insatser", len(self.initiatives))
        self.followup()
        self.clock.at(today)
        plan_services.plan_create(
            user=self.officer, association=self.association, first_year=today.year
        )
        self.made.add("verksamhetsplaner")

    def pipeline(self) -> None:
        """Work in progress today: two drafts, two registered, one under beredning."""
        today = self.today
        for number in range(5):
            pending = self._application(
                today - datetime.timedelta(days=10 + number), _month_add(today, 3)
            )
            if number >= 2:
                self.clock.at(today - datetime.timedelta(days=5))
                application_services.application_register(
                    user=self.officer, application=pending.application
                )
            if number == 4:
                self._assess(pending, today - datetime.timedelta(days=2), finalise=False)


def _report_pdf() -> bytes:
    """The file every received report is: a one-page PDF, as a lead would send."""
    from weasyprint import HTML

    return HTML(
        string="<h1>Delrapport</h1><p>Insatsen följer sin plan; se bifogade siffror.</p>"
    ).write_pdf()


def generate(
    *,
    associations: int,
    years: int,
    seed: int = 1,
    today: datetime.date | None = None,
    progress=None,
) -> Made:
    """Makes the dataset; ``progress(index, association)`` is called after each förbund."""
    made = Made()
    today = today or timezone.localdate()
    password = make_password(PASSWORD)
    report_pdf = _report_pdf()
    # The kallelser go to invented addresses: send nothing.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for index in range(associations):
            if Association.objects.filter(org_number=org_number(index)).exists():
                made.skipped += 1
                continue
            with Clock() as clock, transaction.atomic():
                builder = Builder(
                    index,
                    years=years,
                    seed=seed,
                    today=today,
                    made=made,
                    clock=clock,
                    password=password,
                    report_pdf=report_pdf,
                )
                builder.build()
            made.add("förbund")
            if progress:
                progress(index, builder.association)
    return made
