"""Insatser in the browser's terms: the list and its Excel export, the insats page with its
chain of applications, decisions, money, participants and timeline, the end of an insats, and the
participant register one by one. Who sees what, and what each page costs in queries."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from applications import services as application_services
from applications.models import Application, Initiative, ParticipantTarget, StateChange
from finsam.models import BoardSeat, Role
from followup import access, services
from followup.models import AnonymousCount, Participant
from followup.services import ParticipantEnd, ParticipantValues
from tests.factories import (
    ActualFactory,
    ApplicationFactory,
    BudgetFactory,
    InitiativeFactory,
    MeetingFactory,
    ParticipantFactory,
    assess,
    registered_application,
    report_due,
)
from tests.helpers import LOGGED_IN

START = datetime.date(2025, 1, 1)
END = datetime.date(2026, 12, 31)
THIS_YEAR = timezone.localdate().year


def text(response) -> str:
    return response.content.decode().replace("\xa0", " ")


def grant(association, officer, application, amounts, days_ago=5):
    """The application decided and justerad at a board meeting of its own: the insats is
    created (or, for a continuation, extended)."""
    meeting = MeetingFactory(
        association=association, starts_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    item = application_services.agenda_item_add(
        user=officer, meeting=meeting, kind="", application=application
    )
    application_services.meeting_publish(
        user=officer, meeting=meeting, confirm_short_notice=True, confirm_without_email=True
    )
    ordinary = BoardSeat.objects.filter(member__association=association, kind="ordinary")
    rows = [
        application_services.AttendanceRow(seat=seat, present=True, approver=index == 0)
        for index, seat in enumerate(ordinary.order_by("member__name"))
    ]
    application_services.attendance_record(user=officer, meeting=meeting, rows=rows)
    application_services.minutes_open(user=officer, meeting=meeting)
    item.refresh_from_db()
    application_services.decision_record(
        user=officer, item=item, text="", outcome="grant", amounts=amounts
    )
    application_services.minutes_approve(
        user=officer, meeting=meeting, chair_approved=True, approvers_approved=True
    )
    item.refresh_from_db()
    application.refresh_from_db()
    return meeting, item


def granted(association, officer, preparer, **kwargs):
    """An insats granted 2025–2026 through the real flow, with two numeric targets."""
    application = registered_application(
        association, officer, name="Unga vuxna i arbete", period_start=START, period_end=END
    )
    ParticipantTarget.objects.create(application=application, text="Beräknat flöde", number=140)
    ParticipantTarget.objects.create(
        application=application, text="Till arbete eller studier", number=10
    )
    assess(application, preparer)
    application_services.assessment_finalise(user=officer, application=application)
    meeting, item = grant(
        association,
        officer,
        application,
        {2025: Decimal("400000"), 2026: Decimal("350000")},
        **kwargs,
    )
    return application.initiative, application, meeting, item


def add(initiative, user, count, **changes):
    base = {
        "gender": "woman",
        "birth_year": 1995,
        "education": "upper_secondary",
        "income_source_start": "social_assistance",
        "occupation_start": "none",
        "support_time": "1_2",
        "started_on": datetime.date(2025, 3, 1),
    }
    return [
        services.participant_add(
            user=user, initiative=initiative, values=ParticipantValues(**(base | changes))
        )
        for _ in range(count)
    ]


WORK = ParticipantEnd(datetime.date(2025, 9, 30), "work", "salary", "employed")


@pytest.fixture
def insats(association, officer, preparer):
    return granted(association, officer, preparer)


@pytest.mark.django_db
def test_the_list_shows_each_insats_with_this_years_grant_and_participants_below_five_hidden(
    insats, officer, officer_client, association
):
    initiative, *_ = insats
    add(initiative, officer, 3)
    other = InitiativeFactory(association=association, name="Jobbspår Svalöv")
    for number in range(1, 7):
        ParticipantFactory(initiative=other, number=number, started_on=datetime.date(2025, 2, 1))

    page = text(officer_client.get(reverse("followup:list") + "?year=2025"))

    row = page.split("Unga vuxna i arbete")[1].split("</tr>")[0]
    assert '<td class="num">400</td>' in row  # granted 2025, tkr
    assert '<td class="num">&lt;5</td>' in row
    other_row = page.split("Jobbspår Svalöv")[1].split("</tr>")[0]
    assert '<td class="num">6</td>' in other_row
    assert "Antal mellan 1 och 4 visas som &lt;5" in page


@pytest.mark.django_db
def test_the_list_filters_by_state_year_owner_and_orientation(insats, officer_client, association):
    initiative, *_ = insats
    InitiativeFactory(
        association=association,
        name="Gammal insats",
        period_start=datetime.date(2019, 1, 1),
        period_end=datetime.date(2020, 12, 31),
        state=Initiative.State.DISCONTINUED,
        ended_on=datetime.date(2020, 6, 30),
    )
    InitiativeFactory(association=association, name="Metodstöd", orientation="structural")

    def names(query):
        page = text(officer_client.get(reverse("followup:list") + query))
        return {name for name in ("Unga vuxna", "Gammal insats", "Metodstöd") if name in page}

    assert names("") == {"Unga vuxna", "Gammal insats", "Metodstöd"}
    assert names("?state=ended") == {"Gammal insats"}
    assert names("?state=running&year=2020") == set()
    assert names("?year=2020") == {"Gammal insats"}
    assert names("?orientation=structural") == {"Metodstöd"}
    assert names(f"?owner={initiative.owner_id}") == {"Unga vuxna"}


@pytest.mark.django_db
def test_the_excel_export_writes_values_with_small_counts_as_text(insats, officer, officer_client):
    initiative, *_ = insats
    add(initiative, officer, 2)

    response = officer_client.get(reverse("followup:export_xlsx") + "?year=2026")

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][7:9] == ("Beviljat 2026 (tkr)", "Deltagare 2026")
    row = next(row for row in rows if row[0] == "Unga vuxna i arbete")
    assert row[1] == initiative.owner.name
    assert row[3].date() == START
    assert row[7] == 350
    assert row[8] == "<5"


@pytest.mark.django_db
def test_the_insats_page_shows_decisions_money_targets_participants_and_timeline(
    insats, officer, officer_client, association
):
    initiative, application, meeting, item = insats
    add(initiative, officer, 3)
    add(initiative, officer, 4, gender="man")
    services.participant_end(user=officer, participant=Participant.objects.first(), end=WORK)
    budget = BudgetFactory(
        association=association,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
    )
    for month in (3, 4):
        ActualFactory(
            budget=budget,
            line=None,
            initiative=initiative,
            month=datetime.date(2025, month, 1),
            amount=Decimal("150000"),
        )

    page = text(officer_client.get(reverse("followup:detail", args=[initiative.pk])))

    assert application.dnr in page
    assert f"§ {item.paragraph}, protokoll styrelsen" in page
    assert reverse("applications:minutes_pdf", args=[meeting.pk]) in page
    money = page.split("Beviljat och utfall per år")[1].split("</table>")[0]
    assert '<th scope="row">2025</th><td class="num">400</td><td class="num">300</td>' in money
    assert '<td class="num">−100</td>' in money
    summary = page.split('id="s-deltagare"')[1].split("</table>")[0]
    # 2025: 3 women and 4 men started: each below five, their total 7 shown.
    assert (
        '<th scope="row">2025</th><td class="num">&lt;5</td><td class="num">&lt;5</td>'
        '<td class="num">7</td>'
    ) in summary
    targets = page.split('id="s-mal"')[1].split("</table>")[0]
    assert "Beräknat flöde" in targets and '<td class="num">140</td>' in targets
    assert 'Avslutade till arbete eller studier</td><td class="num">&lt;5</td>' in targets
    assert "Insatsen lades upp" in page
    # The application's latest move on the timeline: when, and a link to the application.
    timeline = page.split('id="tidslinje-rubrik"')[1].split("</ol>")[0]
    move = StateChange.objects.filter(application=application).latest("at")
    assert move.get_to_state_display() == "Beviljad"
    assert (
        f'<li><span class="small">{timezone.localtime(move.at):%Y-%m-%d %H:%M}</span><br>'
        f'<a href="{application.get_absolute_url()}">{application.dnr}: '
        f"{move.get_from_state_display()} → Beviljad</a><br>"
    ) in timeline
    assert reverse("followup:register", args=[initiative.pk]) in page
    assert "Ändringshistorik" in page
    assert "D-0001" not in page  # no participant rows outside the register


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["board", "auditor"])
def test_board_and_auditor_read_the_insats_page_without_the_register(
    insats, officer, personas, login, persona
):
    initiative, *_ = insats
    (participant,) = add(initiative, officer, 1)
    client = login(personas[persona])

    page = text(client.get(reverse("followup:detail", args=[initiative.pk])))

    assert "Unga vuxna i arbete" in page
    assert "&lt;5" in page
    assert reverse("followup:register", args=[initiative.pk]) not in page
    assert "Ändringshistorik" not in page
    for url in (
        reverse("followup:register", args=[initiative.pk]),
        reverse("followup:participant_add", args=[initiative.pk]),
        reverse("followup:participant_end", args=[initiative.pk, participant.pk]),
        reverse("followup:register_template", args=[initiative.pk]),
        reverse("followup:register_import", args=[initiative.pk]),
        reverse("followup:anonymous_counts", args=[initiative.pk]),
    ):
        assert client.get(url).status_code == 403, url


@pytest.mark.django_db
def test_the_beredningsgrupp_has_no_insatser_and_another_forbund_finds_none(
    insats, login, preparer, other_officer
):
    initiative, *_ = insats
    assert login(preparer).get(reverse("followup:list")).status_code == 403
    other = login(other_officer)
    assert other.get(reverse("followup:detail", args=[initiative.pk])).status_code == 404
    assert other.get(reverse("followup:register", args=[initiative.pk])).status_code == 404
    assert "Unga vuxna" not in text(other.get(reverse("followup:list")))


@pytest.mark.django_db
def test_a_participant_of_another_insats_is_not_found_through_this_one(
    insats, officer, officer_client, association
):
    initiative, *_ = insats
    stranger = ParticipantFactory(initiative=InitiativeFactory(association=association))

    url = reverse("followup:participant_end", args=[initiative.pk, stranger.pk])

    assert officer_client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_page_shows_the_whole_chain_when_a_continuation_extends_the_insats(
    insats, association, officer, preparer, officer_client
):
    initiative, first, *_ = insats
    continuation = registered_application(
        association,
        officer,
        name="Unga vuxna i arbete – fortsättning",
        kind=Application.Kind.CONTINUATION,
        initiative=initiative,
        period_start=datetime.date(2027, 1, 1),
        period_end=datetime.date(2027, 12, 31),
    )
    assess(continuation, preparer)
    application_services.assessment_finalise(user=officer, application=continuation)
    grant(association, officer, continuation, {2027: Decimal("300000")}, days_ago=2)

    page = text(officer_client.get(reverse("followup:detail", args=[initiative.pk])))

    assert first.dnr in page and continuation.dnr in page
    assert "Fortsättningsansökan" in page
    assert "Perioden förlängdes till 2027-12-31" in page
    assert '<th scope="row">2027</th><td class="num">300</td>' in page
    assert page.count("Beviljas") >= 2


@pytest.mark.django_db
def test_ending_the_insats_from_its_page_is_recorded_and_shown(insats, officer, officer_client):
    initiative, *_ = insats
    (participant,) = add(initiative, officer, 1)
    url = reverse("followup:end", args=[initiative.pk])
    data = {"outcome": "implemented", "ended_on": "2025-12-31"}

    refused = text(officer_client.post(url, data))
    assert "1 deltagare är fortfarande aktiva" in refused
    services.participant_end(user=officer, participant=participant, end=WORK)
    response = officer_client.post(url, data, follow=True)

    page = text(response)
    assert "Insatsen är avslutad." in page
    assert "Avslutad – implementerad i ordinarie verksamhet, 2025-12-31" in page
    assert "Avslutad – implementerad i ordinarie verksamhet den 2025-12-31" in page  # timeline
    assert "Avsluta insatsen" not in page
    initiative.refresh_from_db()
    assert initiative.history.first().history_user == officer


@pytest.mark.django_db
def test_the_officer_adds_participants_one_by_one_and_ends_one(insats, officer_client):
    initiative, *_ = insats
    add_url = reverse("followup:participant_add", args=[initiative.pk])
    data = {
        "gender": "man",
        "birth_year": "1990",
        "education": "compulsory",
        "income_source_start": "sickness_benefit",
        "occupation_start": "job_seeking",
        "support_time": "3_5",
        "started_on": "2025-04-01",
    }

    form_page = officer_client.get(add_url)
    response = officer_client.post(add_url, data, follow=True)
    page = text(response)

    assert "varken namn, personnummer eller fritext" in text(form_page)
    # Coded values, a year and a date: nothing a name could be typed into.
    assert set(form_page.context["form"].fields) == set(data)
    assert '<input type="text"' not in text(form_page).split('id="innehall"')[1]
    assert "Deltagaren är registrerad med koden D-0001." in page
    assert '<th scope="row" class="text-nowrap">D-0001</th>' in page
    assert "30–39" in page and "Sjukpenning" in page
    participant = Participant.objects.get()
    end_url = reverse("followup:participant_end", args=[initiative.pk, participant.pk])
    ended = text(
        officer_client.post(
            end_url,
            {
                "ended_on": "2025-10-15",
                "exit_reason": "work",
                "income_source_end": "salary",
                "occupation_end": "employed",
            },
            follow=True,
        )
    )
    assert "D-0001 är avslutad." in ended
    assert "Arbete" in ended and "2025-10-15" in ended
    again = text(officer_client.get(end_url, follow=True))
    assert "D-0001 är redan avslutad (2025-10-15)." in again


@pytest.mark.django_db
def test_a_refused_participant_shows_the_rule_and_nothing_is_written(insats, officer_client):
    initiative, *_ = insats
    response = officer_client.post(
        reverse("followup:participant_add", args=[initiative.pk]),
        {
            "gender": "woman",
            "birth_year": "2012",
            "education": "unknown",
            "income_source_start": "none",
            "occupation_start": "none",
            "support_time": "unknown",
            "started_on": "2025-04-01",
        },
    )

    assert "Födelseår 2012 ger åldern 13 år vid start 2025" in text(response)
    assert not Participant.objects.exists()


@pytest.mark.django_db
def test_anonymous_counts_are_entered_as_a_grid_and_counted_on_the_page(
    insats, officer_client, login, board_member
):
    initiative, *_ = insats
    url = reverse("followup:anonymous_counts", args=[initiative.pk]) + "?ar=2025"

    grid = text(officer_client.get(url))
    saved = officer_client.post(url, {"women-2025-02": "6", "men-2025-02": "2", "men-2025-03": ""})

    assert "Kvinnor, februari 2025" in grid
    assert saved.status_code == 302
    assert list(AnonymousCount.objects.values_list("month", "women", "men")) == [
        (datetime.date(2025, 2, 1), 6, 2)
    ]
    page = text(login(board_member).get(reverse("followup:detail", args=[initiative.pk])))
    assert (
        '<th scope="row">2025</th><td class="num">6</td><td class="num">&lt;5</td>'
        '<td class="num">dold</td>'
    ) in page


@pytest.mark.django_db
def test_the_register_shows_exact_counts_and_why_it_holds_no_names(insats, officer, officer_client):
    initiative, *_ = insats
    add(initiative, officer, 2)

    page = text(officer_client.get(reverse("followup:register", args=[initiative.pk])))

    assert "Alla (2)" in page and "Aktiva (2)" in page
    assert "D-0002" in page
    assert "varken namn, personnummer eller fritext" in page
    assert "Kön är juridiskt kön, kvinna eller man" in page


@pytest.mark.parametrize(
    ("role", "register", "end", "history"),
    [
        (Role.Kind.OFFICER, True, True, True),
        (Role.Kind.BOARD, False, False, False),
        (Role.Kind.AUDITOR, False, False, False),
    ],
)
def test_permissions_follow_the_role(role, register, end, history):
    running = Initiative(state=Initiative.State.RUNNING)

    permissions = access.permissions_for(role, running)

    assert (permissions.sees_register, permissions.can_register) == (register, register)
    assert (permissions.can_end, permissions.sees_history) == (end, history)
    assert permissions.sees_minutes
    assert not access.permissions_for(role, Initiative(state="implemented")).can_end


def grow(initiative, officer, association, count=30):
    """Many more participants of every kind, ended and not, anonymous counts, another insats
    with its own, and register files read."""
    add(initiative, officer, count // 2, gender="man", started_on=datetime.date(2025, 5, 1))
    for participant in add(initiative, officer, count // 2):
        services.participant_end(user=officer, participant=participant, end=WORK)
    services.anonymous_counts_save(
        user=officer,
        initiative=initiative,
        counts={datetime.date(2025, month, 1): (month, 1) for month in range(1, 13)},
    )
    other = InitiativeFactory(association=association)
    for number in range(1, count):
        ParticipantFactory(initiative=other, number=number)


@pytest.fixture
def measure(django_assert_num_queries, association, officer, insats):
    initiative = insats[0]

    def check(client, url, expected):
        with django_assert_num_queries(expected):
            assert client.get(url).status_code == 200
        grow(initiative, officer, association)
        with django_assert_num_queries(expected):
            assert client.get(url).status_code == 200

    return check


@pytest.mark.django_db
def test_the_list_costs_the_same_for_many_participants(measure, officer_client):
    # the owners for the filter, the insatser with their figures (subqueries) and owners
    measure(officer_client, reverse("followup:list"), LOGGED_IN + 2)


@pytest.mark.django_db
def test_the_export_costs_the_same_for_many_participants(measure, officer_client):
    # the insatser with their figures and owners (the filter form reads no owners here)
    measure(officer_client, reverse("followup:export_xlsx"), LOGGED_IN + 1)


# The insats page: the insats with its owner; the applications and their targets; the
# justerade decisions and their amounts; the register's aggregate and the anonymous counts by
# year; grants and actuals by year; the insats's history, its applications' moves and the
# register files read (the timeline); the reports due.
INSATS_PAGE = 13


@pytest.mark.django_db
def test_the_insats_page_costs_the_same_for_many_participants(measure, officer_client, insats):
    # the officer's change history is the timeline's history, read once
    measure(
        officer_client, reverse("followup:detail", args=[insats[0].pk]), LOGGED_IN + INSATS_PAGE
    )


@pytest.mark.django_db
def test_the_insats_page_for_the_board_costs_the_same(measure, login, board_member, insats):
    measure(
        login(board_member),
        reverse("followup:detail", args=[insats[0].pk]),
        LOGGED_IN + INSATS_PAGE,
    )


@pytest.mark.django_db
def test_the_register_costs_the_same_for_many_participants(
    measure, officer_client, insats, officer
):
    add(insats[0], officer, 1)
    # the insats with its owner, the page's rows with their count (page_of), the register's
    # counts
    measure(officer_client, reverse("followup:register", args=[insats[0].pk]), LOGGED_IN + 3)


@pytest.mark.django_db
def test_the_list_names_each_insats_next_report_and_says_when_it_is_late(
    association, officer, officer_client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    late = InitiativeFactory(association=association, name="Steget vidare")
    first = report_due(late, due=datetime.date(2025, 6, 30))
    report_due(late, due=datetime.date(2099, 12, 31), kind="final")
    services.report_receive(
        user=officer,
        planned_report=first,
        file_name="delrapport.pdf",
        content=b"%PDF-1.4\n% delrapport\n",
        received_on=datetime.date(2025, 6, 28),
    )
    overdue = InitiativeFactory(association=association, name="Jobbspår Svalöv")
    report_due(overdue, due=datetime.date(2026, 1, 31))

    page = text(officer_client.get(reverse("followup:list")))

    # The first report came in: the next one is the final report.
    assert "2099-12-31</td>" in page.split("Steget vidare")[1].split("</tr>")[0]
    row = page.split("Jobbspår Svalöv")[1].split("</tr>")[0]
    assert '2026-01-31 <span class="badge text-bg-warning">Försenad</span>' in row


@pytest.mark.django_db
def test_the_register_pages_by_fifty_and_keeps_the_chosen_view(association, officer_client):
    initiative = InitiativeFactory(association=association)
    for number in range(1, 52):
        ParticipantFactory(initiative=initiative, number=number)
    url = reverse("followup:register", args=[initiative.pk])

    first = text(officer_client.get(url + "?visa=active"))
    second = text(officer_client.get(url + "?visa=active&sida=2"))

    assert "Sida 1 av 2" in first and 'href="?visa=active&amp;sida=2">Nästa' in first
    assert "D-0050" in first and "D-0051" not in first
    assert "D-0051" in second and 'href="?visa=active&amp;sida=1">Föregående' in second
    # past the last page: the last
    assert "D-0051" in text(officer_client.get(url + "?visa=active&sida=7"))


# The insats page's loops before they were written in Python (#12): the markup of
# followup_detail's tags, element for element (the templates' lines as they were).
INSATS_PAGE_LOOPS = {
    "initiative_application_rows page.applications": """{% for application in page.applications %}
          <tr><td class="text-nowrap">{{ application.dnr|default:"–" }}</td>
            <td><a href="{% url 'applications:detail' application.pk %}">{{ application.name }}</a><br><span class="small">{{ application.get_kind_display }}</span></td>
            <td><span class="badge state-{{ application.state }}">{{ application.get_state_display }}</span></td>
            <td class="text-nowrap">{{ application.period_start|date:"Y-m-d" }} – {{ application.period_end|date:"Y-m-d" }}</td></tr>
        {% endfor %}""",  # noqa: E501
    "decided_item_blocks page.decided_items permissions.sees_minutes": """{% for item in page.decided_items %}
      <div class="decision mb-2">
        <p class="mb-1"><strong>{{ item.decision.get_outcome_display|default:item.title }}</strong> ·
          {% if permissions.sees_minutes %}<a href="{% url 'applications:minutes_pdf' item.meeting_id %}">§ {{ item.paragraph }}, protokoll {{ item.meeting.get_body_display|lower }} {{ item.meeting.starts_at|date:"Y-m-d" }}</a>{% else %}§ {{ item.paragraph }}, {{ item.meeting.get_body_display|lower }} {{ item.meeting.starts_at|date:"Y-m-d" }}{% endif %}
          · {{ item.application.dnr }}</p>
        {% if item.decision.amounts.all %}<p class="small mb-1">Beviljat: {% for row in item.decision.amounts.all %}{{ row.year|unlocalize }} {{ row.amount|tkr }} tkr{% if not forloop.last %}, {% endif %}{% endfor %}</p>{% endif %}
        {% if item.decision.conditions %}<p class="small mb-1">Villkor: {{ item.decision.conditions }}</p>{% endif %}
      </div>
      {% endfor %}""",  # noqa: E501
    "money_rows page.money": """{% for year in page.money %}
          <tr><th scope="row">{{ year.year|unlocalize }}</th><td class="num">{{ year.granted|tkr }}</td><td class="num">{{ year.actual|tkr }}</td><td class="num">{{ year.deviation|tkr }}</td></tr>
        {% endfor %}""",  # noqa: E501
    "summary_year_rows page.summary.years": """{% for row in page.summary.years %}
      <tr><th scope="row">{{ row.year|unlocalize }}</th>
        <td class="num">{{ row.started.women }}</td><td class="num">{{ row.started.men }}</td><td class="num">{{ row.started.total }}</td>
        <td class="num">{{ row.took_part.women }}</td><td class="num">{{ row.took_part.men }}</td><td class="num">{{ row.took_part.total }}</td>
        <td class="num">{{ row.ended.women }}</td><td class="num">{{ row.ended.men }}</td><td class="num">{{ row.ended.total }}</td>
      </tr>
    {% endfor %}""",  # noqa: E501
}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["officer", "board", "auditor"])
def test_the_insats_page_tables_read_as_the_template_loops_wrote_them(
    insats, officer, personas, login, association, persona
):
    from django.template import engines
    from django.test.html import parse_html

    from applications.models import Decision

    initiative, _application, _meeting, item = insats
    add(initiative, officer, 3)
    add(initiative, officer, 6, gender="man", started_on=datetime.date(2026, 1, 5))
    Decision.objects.filter(agenda_item=item).update(conditions="Rapport <varje> år & mer")
    # A continuation not yet registered: no dnr, a dash in its place.
    ApplicationFactory(
        association=association, initiative=initiative, kind="continuation", name="Fortsättning"
    )
    budget = BudgetFactory(
        association=association,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
    )
    ActualFactory(
        budget=budget,
        line=None,
        initiative=initiative,
        month=datetime.date(2025, 3, 1),
        amount=Decimal("450500"),
    )
    response = login(personas[persona]).get(reverse("followup:detail", args=[initiative.pk]))
    context = {name: response.context[name] for name in ("page", "permissions")}
    engine = engines["django"]

    for tag, loop in INSATS_PAGE_LOOPS.items():
        old = engine.from_string("{% load finsam_format l10n %}" + loop).render(context)
        new = engine.from_string("{% load followup_detail %}{% " + tag + " %}").render(context)
        assert parse_html(new) == parse_html(old), (tag, new, old)
        assert new.strip() or persona == "auditor", tag
    if persona == "officer":
        written = engine.from_string(
            "{% load followup_detail %}"
            "{% decided_item_blocks page.decided_items permissions.sees_minutes %}"
        ).render(context)
        assert "Villkor: Rapport &lt;varje&gt; år &amp; mer" in written
        rows = engine.from_string(
            "{% load followup_detail %}{% initiative_application_rows page.applications %}"
        ).render(context)
        assert '<tr><td class="text-nowrap">–</td><td><a href=' in rows
        assert f"§ {item.paragraph}, protokoll styrelsen" in written
