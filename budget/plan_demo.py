"""The demo förbund's Verksamhetsplan med budget: a draft for its next year, written from seed
004's text, with every generated part placed, naming that year's budget and put on the upcoming
board meeting's agenda. Everything goes through budget.plan_services, as an officer's work would.

Called by budget/demo.py's load_demo once the budgets are in place (``load_plan_demo()``);
idempotent: a förbund that has a plan for the year keeps it."""

import datetime

from django.utils import timezone

from budget import plan_selectors, plan_services
from budget.models import Budget, Plan, PlanSection
from finsam.models import Association, User

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
        "den minskade samhällsförsörjningen vara minst lika stor som kostnaden.",
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
        "föregående år. Medel som inte förbrukas under året förs över till nästa års budget.",
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


def load_plan_demo(first_year: int | None = None) -> Plan | None:
    """The demo förbund's draft plan for ``first_year`` (by default ``demo_year``)."""
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
    sections = list(plan.sections.order_by("position"))
    for section in sections[1:]:
        plan_services.plan_section_remove(user=officer, section=section)
    first = sections[0]
    values = {"name": association.name, "org_number": association.org_number, "year": year}
    for index, (heading, text, part) in enumerate(SECTIONS):
        section = (
            first
            if index == 0
            else plan_services.plan_section_add(user=officer, plan=plan, heading=heading)
        )
        plan_services.plan_section_save(
            user=officer, section=section, heading=heading, text=text.format(**values), part=part
        )
    upcoming = (
        plan_selectors.schedulable_meetings(association)
        .filter(starts_at__gte=timezone.now() - datetime.timedelta(hours=12))
        .first()
    )
    if upcoming is not None:
        plan_services.plan_schedule(user=officer, plan=plan, meeting=upcoming)
    plan.refresh_from_db()
    return plan
