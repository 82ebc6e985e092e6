"""The demo förbund's Verksamhetsplan med budget, written from seed 004's text with every
generated part placed: this year's plan, adopted together with this year's budget by the board's
decision at its November meeting last year (kallelse, attendance, minutes, decision, justering,
then the adoption that stores the PDF/A), and next year's draft, started from this year's, naming
next year's draft budget and standing on the upcoming board meeting's agenda. Everything goes
through the services, as an officer's work would.

Called by followup/demo.py once the insatser are registered (``load_plans()``), since the adopted
plan lists the insatser running in its year; idempotent: a förbund that has a plan for the year
keeps it."""

import datetime

from django.utils import timezone

from applications import selectors as application_selectors
from applications import services as application_services
from applications.models import AgendaItem, Meeting
from budget import plan_selectors, plan_services
from budget.models import Budget, Plan, PlanSection
from finsam.models import Association, BoardSeat, User

P = PlanSection.Part

# (heading, Markdown text, generated part), after seed 004's "Verksamhetsplan Budget 2009–2010".
SECTIONS = [
    (
        "Inledning",
        "{name} bildades den 1 september 2009. Medlemmar är Landskrona stad, Svalövs kommun, "
        "Arbetsförmedlingen, Försäkringskassan och Region Skåne. Förbundet är en fristående "
        "juridisk person, bildad enligt *lag (2003:1210) om finansiell samordning av "
        "rehabiliteringsinsatser*, och har organisationsnummer {org_number}.\n\n"
        "Kommunallagen och lagen om kommunal redovisning gäller i tillämpliga delar.",
        P.MEMBERS,
    ),
    (
        "Övergripande mål, syfte och centrala begrepp",
        "Det **övergripande målet** med finansiell samordning är att samhällets resurser används "
        "optimalt till nytta för både den enskilde och samhället.\n\n"
        "Syftet med finansiell samordning är att\n\n"
        "- den enskilde ska uppnå eller förbättra sin förmåga till förvärvsarbete\n"
        "- underlätta en effektiv resursanvändning\n\n"
        "Centrala begrepp är *rehabilitering* och *samordning*. Samordningen fråntar inte någon "
        "av parterna den egna myndighetens ordinarie uppdrag.",
        "",
    ),
    (
        "Förbundets uppgifter",
        "Samordningsförbundet har till uppgift att:\n\n"
        "1. besluta om mål och riktlinjer\n"
        "2. stödja samverkan mellan parterna\n"
        "3. finansiera insatser för individer som behöver samordnade rehabiliteringsinsatser\n"
        "4. besluta hur medlen för finansiell samordning ska användas\n"
        "5. ansvara för uppföljning och utvärdering av insatserna\n"
        "6. upprätta budget och årsredovisning",
        "",
    ),
    (
        "Målgrupper",
        "Efter diskussioner i de lokala samverkansgrupperna prioriterar förbundet följande "
        "målgrupper för gemensamma insatser:",
        P.TARGET_GROUPS,
    ),
    (
        "Inriktning i samverkansarbetet",
        "Förbundet finansierar insatser som är begränsade i tiden, **högst tre år**. Insatser "
        "som efter utvärdering visar sig vara bra förutsätts därefter drivas av en eller flera "
        "medlemmar inom ordinarie verksamhet.\n\n"
        "Verksamheten ska innebära ett nytt sätt att arbeta och samarbeta – inte mer av redan "
        "befintlig verksamhet. Alla insatser ska anpassas till både kvinnors och mäns "
        "förutsättningar.",
        "",
    ),
    (
        "Organisation",
        "Förbundet leds av en styrelse där varje medlem har en ledamot och en ersättare. "
        "Styrelsen väljer ordförande och vice ordförande.",
        P.BOARD,
    ),
    (
        "Beredningsgrupp och kansli",
        "En beredningsgrupp med en tjänsteman från varje medlem bereder ansökningarna. Den "
        "löpande verksamheten leds av förbundschefen.",
        P.OFFICE,
    ),
    (
        "Verksamhet och insatser",
        "Under {year} fortsätter förbundet att finansiera insatser för unga vuxna och för "
        "personer långt från arbetsmarknaden. I varje insats som riktar sig till enskilda ska "
        "den minskade samhällsförsörjningen vara minst lika stor som kostnaden.\n\n"
        "Insatser som beviljades innan styrelsens beslut fördes i Finsam har inga belopp i "
        "tabellen nedan; deras medel står i budgeten under *Åtgärder*.",
        P.INITIATIVES,
    ),
    (
        "Uppföljning och utvärdering",
        "Alla insatser som förbundet finansierar följs upp, och så långt det går beskrivs "
        "resultaten som *minskat bidragsberoende*, *sysselsättning* och *upplevd hälsa*. "
        "Insatserna rapporteras i Uppföljning Finsam.",
        "",
    ),
    (
        "Information",
        "Politiker och tjänstemän hos medlemmarna ska känna till förbundets uppgift och vilken "
        "verksamhet som bedrivs. Mer om förbundet finns på [finsam.se](https://www.finsam.se).",
        "",
    ),
    (
        "Kompetensutveckling",
        "Förbundschefen och styrelsen deltar i nationella och regionala nätverksträffar. "
        "Förbundet erbjuder kompetensutveckling för de som arbetar i insatserna.",
        "",
    ),
    (
        "Nätverk och omvärldsbevakning",
        "Förbundet samarbetar med de andra samordningsförbunden i Skåne och bevakar vad som "
        "händer inom rehabiliteringsområdet.",
        "",
    ),
    (
        "Budget",
        "Budgeten bygger på medlemmarnas ägarbidrag och det överskott som förs över från "
        "föregående år. Medel som inte förbrukas under året förs över till nästa års budget.\n\n"
        "Insatser som styrelsen beviljade innan förbundet började föra sina beslut i Finsam "
        "budgeteras och bokförs under posten *Åtgärder*; de som beviljas nu står under "
        "*Beviljade insatser*.",
        P.BUDGET,
    ),
    (
        "Eget kapital",
        "Förbundet håller sitt egna kapital inom den riktlinje styrelsen har beslutat.",
        P.EQUITY,
    ),
]


def demo_year(association: Association) -> int | None:
    """Next year when it has a budget, else the latest year with one; None without budgets."""
    years = set(
        Budget.objects.for_association(association).values_list("period_start__year", flat=True)
    )
    if not years:
        return None
    next_year = timezone.localdate().year + 1
    return next_year if next_year in years else max(years)


def write_sections(officer, plan: Plan) -> None:
    """The seed's sections with the year's values. A plan started from last year's demo plan
    has them already: only what names the year changes; otherwise the default headings give
    way to the seed's."""
    association = plan.association
    values = {"name": association.name, "org_number": association.org_number}
    values["year"] = plan.first_year
    sections = list(plan.sections.order_by("position"))
    if [section.heading for section in sections] != [heading for heading, _t, _p in SECTIONS]:
        for section in sections[1:]:
            plan_services.plan_section_remove(user=officer, section=section)
        sections = sections[:1] + [
            plan_services.plan_section_add(user=officer, plan=plan, heading=heading)
            for heading, _text, _part in SECTIONS[1:]
        ]
    for section, (heading, text, part) in zip(sections, SECTIONS, strict=True):
        # Unchanged sections are not saved again (plan_section_save returns them as they are).
        plan_services.plan_section_save(
            user=officer, section=section, heading=heading, text=text.format(**values), part=part
        )


def load_plan_demo(first_year: int | None = None, meeting: Meeting | None = None) -> Plan | None:
    """The demo förbund's draft plan for ``first_year`` (by default ``demo_year``), on
    ``meeting``'s agenda, else on the upcoming board meeting's."""
    association = Association.objects.get(org_number="222000-2733")
    officer = User.objects.get(email="kansli@example.org")
    year = first_year or demo_year(association)
    if year is None:
        return None
    existing = Plan.objects.for_association(association).filter(first_year=year).first()
    if existing is not None:
        return existing
    plan = plan_services.plan_create(
        user=officer, association=association, first_year=year, dnr=f"{year - 1}-00042"
    )
    write_sections(officer, plan)
    meeting = meeting or (
        plan_selectors.schedulable_meetings(association)
        .filter(starts_at__gte=timezone.now() - datetime.timedelta(hours=12))
        .first()
    )
    if meeting is not None:
        plan_services.plan_schedule(user=officer, plan=plan, meeting=meeting)
    plan.refresh_from_db()
    return plan


ADOPTION = (
    "Styrelsen beslutar att anta verksamhetsplan med budget {year} och att fastställa budgeten "
    "för {year}."
)


def _adopted_plan(officer, association, year: int) -> Plan:
    """The board's meeting of 20 November the year before: the plan on its agenda, kallelse,
    everyone present (Svalöv's ledamot justerar), the decision, justering; then the adoption,
    which adopts the year's budget version with the plan and stores the PDF."""
    starts_at = timezone.make_aware(datetime.datetime(year - 1, 11, 20, 9, 0))
    meeting = application_services.meeting_create(
        user=officer,
        association=association,
        body=Meeting.Body.BOARD,
        starts_at=starts_at,
        place="Stadshuset, Landskrona, sal 3",
    )
    plan = load_plan_demo(year, meeting=meeting)
    application_services.meeting_publish(user=officer, meeting=meeting, confirm_short_notice=True)
    ordinary = [
        seat
        for seat in application_selectors.board_seats_on(meeting)
        if seat.kind == BoardSeat.Kind.ORDINARY
    ]
    application_services.attendance_record(
        user=officer,
        meeting=meeting,
        rows=[
            application_services.AttendanceRow(
                seat=seat, present=True, approver=seat.member.name == "Svalövs kommun"
            )
            for seat in ordinary
        ],
        secretary="Karin Lind",
    )
    application_services.minutes_open(user=officer, meeting=meeting)
    for item in meeting.agenda_items.filter(kind__in=AgendaItem.NEEDS_DECISION):
        application_services.decision_record(
            user=officer, item=item, text=ADOPTION.format(year=year)
        )
    application_services.minutes_approve(
        user=officer, meeting=meeting, chair_approved=True, approvers_approved=True
    )
    return plan_services.plan_adopt(user=officer, plan=plan, agenda_item=plan.agenda_item)


def load_plans() -> None:
    """This year's plan, adopted, and next year's draft on the upcoming board meeting, once
    each; only where the year has a budget (the budget's demo makes them)."""
    association = Association.objects.get(org_number="222000-2733")
    officer = User.objects.get(email="kansli@example.org")
    this_year = timezone.localdate().year
    years = set(
        Budget.objects.for_association(association).values_list("period_start__year", flat=True)
    )
    plans = Plan.objects.for_association(association)
    if this_year in years and not plans.filter(first_year=this_year).exists():
        _adopted_plan(officer, association, this_year)
    if this_year + 1 in years:
        load_plan_demo(this_year + 1)
