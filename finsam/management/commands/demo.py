"""Loads demo data: the seed-004 förbund (Landskrona-Svalöv) and a second förbund for tenancy.

Idempotent: a förbund that already exists (by organisationsnummer) is left as it is, and so is an
existing login, so running it twice changes nothing.
"""

import datetime
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils.module_loading import module_has_submodule
from django.utils.text import slugify

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

PASSWORD = "finsam-demo"
DEMO_EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
REFUSE_WITHOUT_DEBUG = (
    "Demodata läses bara in i en utvecklingsmiljö (DEBUG=1), aldrig i produktion."
)

LANDSKRONA = {
    "name": "Samordningsförbundet Landskrona-Svalöv",
    "org_number": "222000-2733",
    "founded": datetime.date(2009, 9, 1),
    "address": "Stadshuset",
    "postal_code": "261 80",
    "city": "Landskrona",
    "email": "info@example.org",
    "phone": "0418-47 00 00",
    "max_initiative_years": 3,
    "municipal_split_key": Association.SplitKey.POPULATION,
}
# Seed 004, "Målgrupper".
LANDSKRONA_TARGET_GROUPS = [
    "Unga vuxna som står utanför arbetsmarknaden, riskerar arbetslöshet eller är sjukskrivna",
    "Personer med psykosocial problematik",
    "Personer som pga. funktionshinder eller andra orsaker har svårt att etablera sig på den "
    "svenska arbetsmarknaden",
    "Långtidssjukskrivna som vid årsskiftet utförsäkras från Försäkringskassan",
]
# (name, kind, population)
LANDSKRONA_MEMBERS = [
    ("Landskrona stad", Member.Kind.KOMMUN, 46_529),
    ("Svalövs kommun", Member.Kind.KOMMUN, 14_428),
    ("Region Skåne", Member.Kind.REGION, 1_414_401),
    ("Försäkringskassan", Member.Kind.FK, None),
    ("Arbetsförmedlingen", Member.Kind.AF, None),
]
# Seed 004, "Styrelseledamöter år 2009": (member, ordinary, party, deputy, party, office).
BOARD_2009 = [
    ("Landskrona stad", "Mattias Adolfsson", "fp", "Hans Petersson", "s", "chair"),
    ("Svalövs kommun", "Krister Olsson", "s", "Agnetha Persson", "c", "vice_chair"),
    ("Region Skåne", "Lennart Ling", "m", "Eva Örtegren", "s", ""),
    ("Försäkringskassan", "Ingrid Sonander", "", "Cecilia Sporre", "", ""),
    ("Arbetsförmedlingen", "Camilla Rejdvik-Pålsson", "", "Stefan Wikander", "", ""),
]
TERM_2009 = (datetime.date(2009, 9, 1), datetime.date(2011, 3, 31))
# The board of today's term; invented names.
BOARD_CURRENT = [
    ("Landskrona stad", "Sofia Lindqvist", "M", "Ahmed Karimi", "S", "chair"),
    ("Svalövs kommun", "Per-Erik Nilsson", "S", "Maria Holm", "C", "vice_chair"),
    ("Region Skåne", "Helena Berg", "S", "Jonas Ek", "M", ""),
    ("Försäkringskassan", "Annika Strand", "", "Lars Öberg", "", ""),
    ("Arbetsförmedlingen", "Fredrik Sandberg", "", "Lena Dahl", "", ""),
]
TERM_CURRENT = (datetime.date(2023, 4, 1), datetime.date(2027, 3, 31))
# Beredningsgrupp: one official per member (invented names).
LANDSKRONA_PREPARERS = [
    ("Landskrona stad", "Eva Johansson", "Enhetschef, arbetsmarknadsförvaltningen"),
    ("Svalövs kommun", "Mikael Ström", "Socialsekreterare"),
    ("Region Skåne", "Sara Nordin", "Kurator, vårdcentralen"),
    ("Försäkringskassan", "Johan Wallin", "Samverkansansvarig"),
    ("Arbetsförmedlingen", "Nadia Hassan", "Sektionschef"),
]

NORRSTRAND = {
    "name": "Samordningsförbundet Norrstrand",
    "org_number": "222000-3004",
    "founded": datetime.date(2012, 1, 1),
    "city": "Norrstrand",
    "email": "info@norrstrand.example.org",
    "max_initiative_years": 3,
    "municipal_split_key": Association.SplitKey.EQUAL,
}
NORRSTRAND_MEMBERS = [
    ("Norrstrands kommun", Member.Kind.KOMMUN, 21_000),
    ("Åby kommun", Member.Kind.KOMMUN, 8_000),
    ("Region Norrstrand", Member.Kind.REGION, 250_000),
    ("Försäkringskassan", Member.Kind.FK, None),
    ("Arbetsförmedlingen", Member.Kind.AF, None),
]
NORRSTRAND_BOARD = [
    ("Norrstrands kommun", "Birgitta Falk", "S", "Tomas Vik", "M", "chair"),
    ("Åby kommun", "Gunnar Ås", "C", "Ida Lund", "S", "vice_chair"),
    ("Region Norrstrand", "Kerstin Moberg", "S", "Erik Sjö", "KD", ""),
    ("Försäkringskassan", "Malin Ek", "", "Olof Berg", "", ""),
    ("Arbetsförmedlingen", "Rasmus Holm", "", "Elin Björk", "", ""),
]

# (e-mail, first name, last name, förbund, role)
LOGINS = [
    ("kansli@example.org", "Karin", "Lind", LANDSKRONA, Role.Kind.OFFICER),
    ("beredning@example.org", "Eva", "Johansson", LANDSKRONA, Role.Kind.PREPARER),
    ("styrelse@example.org", "Sofia", "Lindqvist", LANDSKRONA, Role.Kind.BOARD),
    ("revisor@example.org", "Gustav", "Revisson", LANDSKRONA, Role.Kind.AUDITOR),
    ("annat@example.org", "Anna", "Annat", NORRSTRAND, Role.Kind.OFFICER),
    # Insatsansvarig for one insats (followup/demo.py names it).
    ("insats@example.org", "Elin", "Nyström", LANDSKRONA, Role.Kind.LEAD),
]


def _create_association(data, members, boards, preparers=(), staff=(), target_groups=()):
    """Builds a förbund the way an officer would, through the organisation's services."""
    association = services.association_create(user=None, values=data)

    def create(model, **values):
        return services.organisation_object_create(
            user=None, association=association, model=model, values=values
        )

    by_name = {
        name: create(
            Member, name=name, kind=kind, population=population, active_from=data["founded"]
        )
        for name, kind, population in members
    }
    people: dict[str, Person] = {}

    def person(name, title="", email=""):
        if name not in people:
            people[name] = create(Person, name=name, title=title, email=email)
        return people[name]

    domain = data["email"].split("@")[1]

    def board_person(name):
        """A board member with an address at the förbund's domain, so that kallelser reach
        everyone in the demo (a real förbund enters its members' own addresses)."""
        local = slugify(name.replace("ö", "o").replace("å", "a").replace("ä", "a")).replace(
            "-", "."
        )
        return person(name, email=f"{local}@{domain}")

    for term, rows in boards:
        for member, ordinary, party, deputy, deputy_party, office in rows:
            create(
                BoardSeat,
                member=by_name[member],
                person=board_person(ordinary),
                kind=BoardSeat.Kind.ORDINARY,
                party=party,
                office=office,
                term_start=term[0],
                term_end=term[1],
            )
            create(
                BoardSeat,
                member=by_name[member],
                person=board_person(deputy),
                kind=BoardSeat.Kind.DEPUTY,
                deputy_order=1,
                party=deputy_party,
                term_start=term[0],
                term_end=term[1],
            )
    for member, name, title in preparers:
        create(PreparationGroupSeat, member=by_name[member], person=person(name, title))
    for name, position, email in staff:
        staff_person = person(name, OfficeStaff.Position(position).label, email)
        create(OfficeStaff, person=staff_person, position=position)
    for position, name in enumerate(target_groups, start=1):
        create(TargetGroup, name=name, position=position)
    return association


class Command(BaseCommand):
    help = "Läser in demodata: två förbund och inloggningar för varje roll (idempotent)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(REFUSE_WITHOUT_DEBUG)
        # The demo's kallelser go to invented addresses: send nothing.
        with override_settings(EMAIL_BACKEND=DEMO_EMAIL_BACKEND), transaction.atomic():
            if not Association.objects.filter(org_number=LANDSKRONA["org_number"]).exists():
                _create_association(
                    LANDSKRONA,
                    LANDSKRONA_MEMBERS,
                    [(TERM_2009, BOARD_2009), (TERM_CURRENT, BOARD_CURRENT)],
                    preparers=LANDSKRONA_PREPARERS,
                    staff=[
                        ("Karin Lind", OfficeStaff.Position.DIRECTOR, "kansli@example.org"),
                        ("Omar Haddad", OfficeStaff.Position.COORDINATOR, "omar@example.org"),
                    ],
                    target_groups=LANDSKRONA_TARGET_GROUPS,
                )
                self.stdout.write(f"Skapade {LANDSKRONA['name']}.")
            if not Association.objects.filter(org_number=NORRSTRAND["org_number"]).exists():
                _create_association(
                    NORRSTRAND, NORRSTRAND_MEMBERS, [(TERM_CURRENT, NORRSTRAND_BOARD)]
                )
                self.stdout.write(f"Skapade {NORRSTRAND['name']}.")
            for email, first_name, last_name, data, kind in LOGINS:
                user, created = User.objects.get_or_create(
                    email=email, defaults={"first_name": first_name, "last_name": last_name}
                )
                if created:
                    user.set_password(PASSWORD)
                    user.save()
                association = Association.objects.get(org_number=data["org_number"])
                if not Role.objects.filter(user=user, association=association).exists():
                    services.role_grant(
                        granted_by=None, user=user, association=association, kind=kind
                    )
            # Each app that builds on the organisation adds its own demo data (its demo.py), so
            # this command need not know the apps above it.
            for config in apps.get_app_configs():
                if config.name != "finsam" and module_has_submodule(config.module, "demo"):
                    import_module(f"{config.name}.demo").load_demo()

        self.stdout.write(f"\nDemoinloggningar (lösenord för alla: {PASSWORD}):")
        for email, _first, _last, data, kind in LOGINS:
            self.stdout.write(f"  {email:<24} {Role.Kind(kind).label}, {data['name']}")
