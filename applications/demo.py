"""Demo applications for the seed-004 förbund, one in every state of the beredning.

Called by `manage.py demo`; the moves go through the services, so timelines and history are as
real use leaves them."""

import datetime
from decimal import Decimal

from django.utils import timezone

from applications import selectors, services
from applications.models import (
    Application,
    BudgetRow,
    Decision,
    Meeting,
)
from finsam.models import Association, BoardSeat, Member, User
from finsam.services import organisation_object_update

TEXT = {
    "purpose": "Många unga vuxna i Landskrona och Svalöv står långt från arbetsmarknaden och har "
    "behov av stöd från flera myndigheter samtidigt. Kartläggningen i beredningsgruppen 2026 "
    "visade att insatserna i dag ges var för sig och utan gemensam planering.",
    "target_group_description": "Personer 18–29 år som är inskrivna hos Arbetsförmedlingen och "
    "har kontakt med socialtjänsten eller vården. Gruppen identifieras av handläggarna hos "
    "parterna.",
    "cooperation_goals": "Ett gemensamt arbetssätt för kartläggning och planering som lever "
    "kvar i ordinarie verksamhet efter projekttiden.",
    "participant_goals": "Deltagarna ska komma närmare arbete eller studier; målen följs upp "
    "varje halvår.",
    "activity_plan": "Gemensam kartläggning, individuell plan, praktik med handledare och "
    "uppföljning varje månad i ett team med handläggare från parterna.",
    "organisation": "Projektledare anställd av huvudmannen; handläggare från Arbetsförmedlingen "
    "och Försäkringskassan på halvtid i teamet.",
    "steering_group": "Enhetschefer från huvudmannen, Arbetsförmedlingen och Försäkringskassan.",
    "reference_group": "Brukarorganisationer och representanter för vården.",
    "economy": "Lönekostnader för projektledare och handledare; lokaler bekostas av huvudmannen.",
    "followup": "Månadsvis uppföljning av deltagare (kön, ålder, försörjning före och efter) och "
    "halvårsrapport till styrelsen. Extern utvärdering vid projektets slut.",
    "implementation": "Arbetssättet ska föras in i ordinarie verksamhet hos huvudmannen efter "
    "två år; beslut om detta tas av styrgruppen senast sex månader före slut.",
    "board_feedback": "Delrapport efter första året och slutrapport tre månader efter slut.",
}


def _address(name: str) -> str:
    """firstname.lastname@example.org, in plain letters: "Per-Erik Öberg" → per-erik.oberg@…"""
    plain = name.lower().translate(str.maketrans("åäöé", "aaoe"))
    return ".".join(plain.split()) + "@example.org"


def _board_addresses(officer: User, association: Association) -> None:
    """Every board member of the förbund (every term) gets an e-mail address, through the
    organisation's own service, so that the kallelser have somewhere to go."""
    people = {
        seat.person
        for seat in BoardSeat.objects.for_association(association).select_related("person")
    }
    for person in sorted(people, key=lambda person: person.name):
        if not person.email:
            organisation_object_update(
                user=officer,
                association=association,
                instance=person,
                values={"email": _address(person.name)},
            )


def _application(officer, association, name, owner, participants, start, end, **extra):
    """A draft as the officer types it into the form, with its tables."""
    years = range(start.year, end.year + 1)
    interim = datetime.date(start.year + 1, 2, 28)
    if interim >= end:
        interim = datetime.date(start.year, 8, 31)
    values = {
        "name": name,
        "owner": owner,
        "parties": participants,
        "target_groups": list(association.target_groups.all()[:2]),
        "lead_name": extra.pop("lead_name", "Maria Svensson"),
        "lead_organisation": owner.name,
        "lead_email": "projektledare@example.org",
        "period_start": start,
        "period_end": end,
        "orientation": extra.pop("orientation", "individual"),
        "national_followup": True,
        "fundable_kinds": ["new_methods"],
        **TEXT,
        **extra,
    }
    tables = {
        "budget_rows": [
            row
            for year in years
            for row in (
                {"year": year, "label": "Personal", "amount": Decimal("620000")},
                {"year": year, "label": "Handledning och utbildning", "amount": Decimal("80000")},
                {
                    "year": year,
                    "kind": BudgetRow.Kind.OWN_FUNDS,
                    "label": f"Egen personal, {owner.name}",
                    "amount": Decimal("100000"),
                },
            )
        ],
        "targets": [
            {"text": "Beräknat flöde", "number": 140},
            {"text": "Till arbete eller studier", "number": 10},
        ],
        "activities": [
            {
                "activity": "Rekrytering av deltagare",
                "start": start,
                "end": start + datetime.timedelta(days=90),
            },
            {
                "activity": "Teamarbete och praktik",
                "start": start + datetime.timedelta(days=60),
                "end": end,
            },
        ],
        "commitments": [
            {
                "member": owner,
                "commitment": "Anställer projektledare och står för lokaler",
                # the same own funds as the budget rows: 100 000 kr a year
                "own_contribution": Decimal("100000") * len(years),
            }
        ],
        "planned_reports": [
            # after the first year; for an insats of one year, halfway through it
            {"kind": "interim", "due": interim},
            {"kind": "final", "due": end + datetime.timedelta(days=90)},
        ],
    }
    return services.application_create(
        user=officer, association=association, values=values, tables=tables
    )


def _assess(application, preparer, recommendation="grant"):
    services.assessment_save(
        user=preparer,
        application=application,
        values={
            "individual_extent": "higher",
            "individual_comment": "Når personer med samordnade behov.",
            "cooperation_extent": "higher",
            "cooperation_comment": "Bygger ett gemensamt arbetssätt mellan tre parter.",
            "implementation_comment": "Planen är tydlig men behöver datum för beslut.",
            "duties_comment": "Tar inte över ordinarie uppdrag.",
            "recommendation": recommendation,
            "recommendation_text": "Beredningsgruppen rekommenderar styrelsen att bevilja "
            "ansökan med villkor om halvårsvis uppföljning.",
        },
    )


def load_demo() -> None:
    """Adds the applications to the seed-004 förbund, once."""
    association = Association.objects.get(org_number="222000-2733")
    if Application.objects.filter(association=association).exists():
        return
    officer = User.objects.get(email="kansli@example.org")
    preparer = User.objects.get(email="beredning@example.org")
    members = {member.name: member for member in Member.objects.filter(association=association)}
    landskrona, svalov = members["Landskrona stad"], members["Svalövs kommun"]
    region, fk, af = (
        members["Region Skåne"],
        members["Försäkringskassan"],
        members["Arbetsförmedlingen"],
    )
    year = datetime.date.today().year + 1

    # An insats granted before the förbund kept its decisions here.
    running = services.initiative_register(
        user=officer,
        association=association,
        name="Samverkansteam Landskrona",
        owner=landskrona,
        orientation="individual",
        period_start=datetime.date(year - 3, 1, 1),
        period_end=datetime.date(year - 1, 12, 31),
    )

    socialt = _application(
        officer,
        association,
        "Socialt företagande inom fastighetsskötsel",
        landskrona,
        [af, fk],
        datetime.date(year, 1, 1),
        datetime.date(year + 1, 12, 31),
    )
    services.application_register(user=officer, application=socialt)
    _assess(socialt, preparer)
    services.assessment_finalise(user=officer, application=socialt)

    continuation = _application(
        officer,
        association,
        "Samverkansteam Landskrona – fortsättning",
        landskrona,
        [af, fk, region],
        datetime.date(year, 1, 1),
        datetime.date(year, 12, 31),
        kind=Application.Kind.CONTINUATION,
        initiative=running,
    )
    services.application_register(user=officer, application=continuation)
    # Assessed for the past meeting, which grants it (_meetings): the insats with the most
    # participants then has a decision with its amounts and targets to measure against.
    _assess(continuation, preparer)
    services.assessment_finalise(user=officer, application=continuation)

    resursteam = _application(
        officer,
        association,
        "Utveckling av resursteamen på VC",
        region,
        [fk, landskrona, svalov],
        datetime.date(year, 3, 1),
        datetime.date(year + 2, 2, 28),
        orientation="structural",
        lead_name="Johan Berg",
    )
    services.application_register(user=officer, application=resursteam)
    _assess(resursteam, preparer, recommendation="supplement")

    arbetsliv = _application(
        officer,
        association,
        "Arbetslivsingången",
        svalov,
        [af],
        datetime.date(year, 1, 1),
        datetime.date(year + 1, 6, 30),
        lead_name="Sara Ek",
    )
    services.application_register(user=officer, application=arbetsliv)
    _assess(arbetsliv, preparer)
    services.assessment_finalise(user=officer, application=arbetsliv)

    services.application_create(
        user=officer,
        association=association,
        values={
            "name": "Modeller för tidig bedömning av arbetsförmågan (mottagningsgrupp)",
            "owner": af,
            "lead_name": "Nadia Hassan",
            "purpose": "Idé från beredningsgruppen; ska beskrivas vidare.",
        },
    )

    _meetings(association, officer, preparer, members, year, continuation)

    # Registered, not yet with the beredningsgrupp.
    tidiga = _application(
        officer,
        association,
        "Tidiga insatser för unga med aktivitetsersättning",
        fk,
        [region, svalov],
        datetime.date(year, 3, 1),
        datetime.date(year + 1, 2, 28),
        lead_name="Karin Holm",
        # the same young adults as the social enterprise: to be decided together
        linked=[socialt],
    )
    services.application_register(user=officer, application=tidiga)

    finsamteamet = _application(
        officer,
        association,
        "Finsamteamet och utredningsenheterna",
        landskrona,
        [fk],
        datetime.date(year, 1, 1),
        datetime.date(year, 12, 31),
    )
    services.application_register(user=officer, application=finsamteamet)
    services.application_withdraw(
        user=officer, application=finsamteamet, comment="Sökanden drar tillbaka ansökan."
    )


def _meetings(association, officer, preparer, members, year, continuation):
    """A past board meeting with justerat protokoll (a grant that created an insats, a
    continuation of a running one, a rejection) and an upcoming one with its kallelse sent."""
    landskrona, fk = members["Landskrona stad"], members["Försäkringskassan"]
    region, af = members["Region Skåne"], members["Arbetsförmedlingen"]
    now = timezone.now()
    past = services.meeting_create(
        user=officer,
        association=association,
        body=Meeting.Body.BOARD,
        starts_at=(timezone.localtime(now) - datetime.timedelta(days=35)).replace(
            hour=9, minute=0, second=0, microsecond=0
        ),
        place="Stadshuset, Landskrona, sal 3",
    )
    granted = _application(
        officer,
        association,
        "Samordnad rehabilitering för unga vuxna",
        landskrona,
        [af, fk, region],
        datetime.date(year, 1, 1),
        datetime.date(year + 1, 12, 31),
        lead_name="Elin Nyström",
    )
    rejected = _application(
        officer,
        association,
        "Gemensam arbetsförmågebedömning",
        af,
        [fk],
        datetime.date(year, 1, 1),
        datetime.date(year, 12, 31),
        lead_name="Nadia Hassan",
    )
    for application in (granted, rejected):
        services.application_register(user=officer, application=application)
        _assess(application, preparer)
        services.assessment_finalise(user=officer, application=application)
        services.agenda_item_add(user=officer, meeting=past, kind="", application=application)
    services.agenda_item_add(user=officer, meeting=past, kind="", application=continuation)
    services.agenda_item_add(
        user=officer, meeting=past, kind="information", title="Förbundschefen informerar"
    )
    _board_addresses(officer, association)
    services.meeting_publish(user=officer, meeting=past, confirm_short_notice=True)
    seats = selectors.board_seats_on(past)
    ordinary = {seat.member.name: seat for seat in seats if seat.kind == "ordinary"}
    deputy = {seat.member.name: seat for seat in seats if seat.kind == "deputy"}
    rows = [
        services.AttendanceRow(
            seat=seat, present=name != "Region Skåne", approver=name == "Svalövs kommun"
        )
        for name, seat in ordinary.items()
    ]
    rows.append(
        services.AttendanceRow(
            seat=deputy["Region Skåne"], present=True, serving_for=ordinary["Region Skåne"]
        )
    )
    services.attendance_record(user=officer, meeting=past, rows=rows)
    services.minutes_open(user=officer, meeting=past)
    items = {item.application_id: item for item in past.agenda_items.all()}
    services.decision_record(
        user=officer,
        item=items[granted.pk],
        text="",
        outcome=Decision.Outcome.GRANT,
        amounts={year: Decimal("450000"), year + 1: Decimal("300000")},
        conditions="Halvårsvis uppföljning till styrelsen.",
        presenter_left=True,
        recusals=[(ordinary["Landskrona stad"], "Ledamot i huvudmannens styrelse")],
    )
    services.decision_record(
        user=officer, item=items[rejected.pk], text="", outcome=Decision.Outcome.REJECT
    )
    services.decision_record(
        user=officer,
        item=items[continuation.pk],
        text="",
        outcome=Decision.Outcome.GRANT,
        amounts={year: Decimal("600000")},
    )
    services.decision_record(
        user=officer,
        item=items[None],
        text="Styrelsen beslutar att lägga informationen till handlingarna.",
    )
    services.minutes_approve(
        user=officer, meeting=past, chair_approved=True, approvers_approved=True
    )

    upcoming = services.meeting_create(
        user=officer,
        association=association,
        body=Meeting.Body.BOARD,
        starts_at=(timezone.localtime(now) + datetime.timedelta(days=14)).replace(
            hour=9, minute=0, second=0, microsecond=0
        ),
        place="Stadshuset, Landskrona, sal 3",
    )
    socialt = Application.objects.get(
        association=association, name="Socialt företagande inom fastighetsskötsel"
    )
    services.agenda_item_add(user=officer, meeting=upcoming, kind="", application=socialt)
    services.agenda_item_add(
        user=officer, meeting=upcoming, kind="report", title="Delrapport: Samverkansteam Landskrona"
    )
    services.meeting_publish(user=officer, meeting=upcoming)
