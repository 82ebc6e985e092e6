"""Demo applications for the seed-004 förbund, one in every state of the beredning.

Called by `manage.py demo`; the moves go through the services, so timelines and history are as
real use leaves them."""

import datetime
from decimal import Decimal

from django.utils import timezone

from applications import meetings, services
from applications.forms import AssessmentForm
from applications.models import (
    Activity,
    Application,
    BudgetRow,
    Decision,
    Initiative,
    Meeting,
    ParticipantTarget,
    PartyCommitment,
    PlannedReport,
)
from finsam.models import Association, Member, User

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


def _application(association, name, owner, participants, start, end, **extra):
    application = Application.objects.create(
        association=association,
        name=name,
        owner=owner,
        lead_name=extra.pop("lead_name", "Maria Svensson"),
        lead_organisation=owner.name,
        lead_email="projektledare@example.org",
        period_start=start,
        period_end=end,
        orientation=extra.pop("orientation", "individual"),
        national_followup=True,
        fundable_kinds=["new_methods"],
        **{**TEXT, **extra},
    )
    application.participants.set(participants)
    application.target_groups.set(association.target_groups.all()[:2])
    for year in range(start.year, end.year + 1):
        BudgetRow.objects.create(
            application=application, year=year, label="Personal", amount=Decimal("620000")
        )
        BudgetRow.objects.create(
            application=application,
            year=year,
            label="Handledning och utbildning",
            amount=Decimal("80000"),
        )
        BudgetRow.objects.create(
            application=application,
            year=year,
            kind=BudgetRow.Kind.OWN_FUNDS,
            label=f"Egen personal, {owner.name}",
            amount=Decimal("100000"),
        )
    ParticipantTarget.objects.create(application=application, text="Beräknat flöde", number=140)
    ParticipantTarget.objects.create(
        application=application, text="Till arbete eller studier", number=10
    )
    Activity.objects.create(
        application=application,
        activity="Rekrytering av deltagare",
        start=start,
        end=start + datetime.timedelta(days=90),
    )
    Activity.objects.create(
        application=application,
        activity="Teamarbete och praktik",
        start=start + datetime.timedelta(days=60),
        end=end,
    )
    PartyCommitment.objects.create(
        application=application,
        member=owner,
        commitment="Anställer projektledare och står för lokaler",
        own_contribution=Decimal("100000"),
    )
    PlannedReport.objects.create(
        application=application, kind="interim", due=datetime.date(start.year + 1, 2, 28)
    )
    PlannedReport.objects.create(
        application=application, kind="final", due=end + datetime.timedelta(days=90)
    )
    return application


def _assess(application, preparer, recommendation="grant"):
    form = AssessmentForm(
        {
            "individual_extent": "higher",
            "individual_comment": "Når personer med samordnade behov.",
            "cooperation_extent": "higher",
            "cooperation_comment": "Bygger ett gemensamt arbetssätt mellan tre parter.",
            "implementation_comment": "Planen är tydlig men behöver datum för beslut.",
            "duties_comment": "Tar inte över ordinarie uppdrag.",
            "recommendation": recommendation,
            "recommendation_text": "Beredningsgruppen rekommenderar styrelsen att bevilja "
            "ansökan med villkor om halvårsvis uppföljning.",
        }
    )
    assert form.is_valid(), form.errors
    services.assessment_save(user=preparer, application=application, form=form)


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

    running = Initiative.objects.create(
        association=association,
        name="Samverkansteam Landskrona",
        owner=landskrona,
        orientation="individual",
        period_start=datetime.date(year - 3, 1, 1),
        period_end=datetime.date(year - 1, 12, 31),
    )

    socialt = _application(
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
        association,
        "Samverkansteam Landskrona – fortsättning",
        landskrona,
        [af, fk, region],
        datetime.date(year, 1, 1),
        datetime.date(year, 12, 31),
        kind=Application.Kind.CONTINUATION,
        initiative=running,
    )
    continuation.linked.add(socialt)
    services.application_register(user=officer, application=continuation)

    resursteam = _application(
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

    Application.objects.create(
        association=association,
        name="Modeller för tidig bedömning av arbetsförmågan (mottagningsgrupp)",
        owner=af,
        lead_name="Nadia Hassan",
        purpose="Idé från beredningsgruppen; ska beskrivas vidare.",
    )

    _meetings(association, officer, preparer, members, year)

    finsamteamet = _application(
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


def _meetings(association, officer, preparer, members, year):
    """A past board meeting with justerat protokoll (grants that created initiatives) and an
    upcoming one with its kallelse sent."""
    landskrona, fk = members["Landskrona stad"], members["Försäkringskassan"]
    region, af = members["Region Skåne"], members["Arbetsförmedlingen"]
    now = timezone.now()
    past = Meeting.objects.create(
        association=association,
        starts_at=(timezone.localtime(now) - datetime.timedelta(days=35)).replace(
            hour=9, minute=0, second=0, microsecond=0
        ),
        place="Stadshuset, Landskrona, sal 3",
    )
    granted = _application(
        association,
        "Samordnad rehabilitering för unga vuxna",
        landskrona,
        [af, fk, region],
        datetime.date(year, 1, 1),
        datetime.date(year + 1, 12, 31),
        lead_name="Elin Nyström",
    )
    rejected = _application(
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
        meetings.agenda_item_add(user=officer, meeting=past, kind="", application=application)
    meetings.agenda_item_add(
        user=officer, meeting=past, kind="information", title="Förbundschefen informerar"
    )
    meetings.meeting_publish(user=officer, meeting=past, confirm_short_notice=True)
    seats = meetings.board_seats_on(past)
    ordinary = {seat.member.name: seat for seat in seats if seat.kind == "ordinary"}
    deputy = {seat.member.name: seat for seat in seats if seat.kind == "deputy"}
    rows = [
        meetings.AttendanceRow(
            seat=seat, present=name != "Region Skåne", adjuster=name == "Svalövs kommun"
        )
        for name, seat in ordinary.items()
    ]
    rows.append(
        meetings.AttendanceRow(
            seat=deputy["Region Skåne"], present=True, serving_for=ordinary["Region Skåne"]
        )
    )
    meetings.attendance_record(user=officer, meeting=past, rows=rows)
    meetings.minutes_open(user=officer, meeting=past)
    items = {item.application_id: item for item in past.agenda_items.all()}
    meetings.decision_record(
        user=officer,
        item=items[granted.pk],
        text="",
        outcome=Decision.Outcome.GRANT,
        amounts={year: Decimal("450000"), year + 1: Decimal("300000")},
        conditions="Halvårsvis uppföljning till styrelsen.",
        presenter_left=True,
        recusals=[(ordinary["Landskrona stad"], "Ledamot i huvudmannens styrelse")],
    )
    meetings.decision_record(
        user=officer, item=items[rejected.pk], text="", outcome=Decision.Outcome.REJECT
    )
    meetings.decision_record(
        user=officer,
        item=items[None],
        text="Styrelsen beslutar att lägga informationen till handlingarna.",
    )
    meetings.minutes_approve(
        user=officer, meeting=past, chair_approved=True, adjusters_approved=True
    )

    upcoming = Meeting.objects.create(
        association=association,
        starts_at=(timezone.localtime(now) + datetime.timedelta(days=14)).replace(
            hour=9, minute=0, second=0, microsecond=0
        ),
        place="Stadshuset, Landskrona, sal 3",
    )
    socialt = Application.objects.get(
        association=association, name="Socialt företagande inom fastighetsskötsel"
    )
    meetings.agenda_item_add(user=officer, meeting=upcoming, kind="", application=socialt)
    meetings.agenda_item_add(
        user=officer, meeting=upcoming, kind="report", title="Delrapport: Samverkansteam Landskrona"
    )
    meetings.meeting_publish(user=officer, meeting=upcoming)
