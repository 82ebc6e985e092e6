"""The history shown on each object's page (finsam.selectors.history_for): which fields changed,
old → new where short, read in one query however long the history is."""

import datetime

import pytest

from applications.models import Application
from finsam import selectors
from finsam.models import BoardSeat, Member
from tests.factories import ApplicationFactory, MemberFactory, PersonFactory


def changed(entries):
    return [(entry.summary, entry.changes) for entry in entries if entry.action != "Skapad"]


@pytest.mark.django_db
def test_a_change_names_its_fields_in_form_order_with_old_and_new_values(association):
    member = MemberFactory(association=association, name="Åby kommun", population=46_529)
    member.population, member.name, member.kind = 46_600, "Åby stad", Member.Kind.REGION
    member.active_from = datetime.date(2010, 1, 1)
    member.save()

    [(summary, changes)] = changed(selectors.history_for(member))

    assert summary == "Ändrad: Typ, Namn, Folkmängd, Medlem från"
    assert changes == [
        "Typ: Kommun → Region",
        "Namn: Åby kommun → Åby stad",
        "Folkmängd: 46\xa0529 → 46\xa0600",
        "Medlem från: 2009-09-01 → 2010-01-01",
    ]


@pytest.mark.django_db
def test_newest_change_comes_first_and_creation_names_no_fields(association):
    member = MemberFactory(association=association, population=8000)
    for population in (8100, 8200):
        member.population = population
        member.save()

    entries = selectors.history_for(member)

    assert [entry.summary for entry in entries] == [
        "Ändrad: Folkmängd",
        "Ändrad: Folkmängd",
        "Skapad",
    ]
    assert entries[0].changes == ["Folkmängd: 8100 → 8200"]  # four digits: no space, as 2027


@pytest.mark.django_db
def test_the_history_follows_when_changes_were_made_not_the_order_they_were_stored(association):
    member = MemberFactory(association=association, population=8000)
    for population in (8100, 8200):
        member.population = population
        member.save()
    # Stored as created, 8100, 8200; made as created, 8200, 8100 (a history brought in with
    # its own dates), so that the rows' order in the table does not give the answer.
    created, first, second = member.history.order_by("history_id")
    start = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)
    for record, hours in ((created, 0), (first, 2), (second, 1)):
        type(record).objects.filter(pk=record.pk).update(
            history_date=start + datetime.timedelta(hours=hours)
        )

    entries = selectors.history_for(member)

    assert [entry.changes for entry in entries] == [
        ["Folkmängd: 8200 → 8100"],
        ["Folkmängd: 8000 → 8200"],
        [],
    ]
    assert [entry.when.hour for entry in entries] == [11, 10, 9]


@pytest.mark.django_db
def test_long_texts_and_links_to_other_objects_are_named_without_values(association):
    application = ApplicationFactory(association=association)
    application.purpose = "En ny bakgrund. " * 10
    application.lead_name = "Kim Nilsson"
    application.save()
    seat = BoardSeat.objects.filter(member__association=association).first()
    seat.person = PersonFactory(association=association)
    seat.save()

    [(summary, changes)] = changed(selectors.history_for(application))
    [(seat_summary, seat_changes)] = changed(selectors.history_for(seat))

    assert "Syfte och bakgrund" in summary
    assert "Syfte och bakgrund:" not in " ".join(changes)
    assert "Kim Nilsson" in " ".join(changes)  # a short one-line field shows its values
    assert (seat_summary, seat_changes) == ("Ändrad: Person", [])


@pytest.mark.django_db
def test_a_change_of_links_only_says_which_links_may_have_changed(association):
    application = ApplicationFactory(association=association)
    application.parties.set(Member.objects.filter(association=association)[:2])

    entries = selectors.history_for(application)

    assert entries[0].summary == "Ändrad: Deltagande parter eller Målgrupper"
    assert entries[0].changes == [selectors.LINKS_NOT_SHOWN]
    assert all(entry.summary != "Ändrad" for entry in entries)


@pytest.mark.django_db
def test_a_save_without_changes_says_so(association):
    member = MemberFactory(association=association)
    member.save()

    assert selectors.history_for(member)[0].summary == selectors.SAVED_UNCHANGED


@pytest.mark.django_db
def test_history_is_read_in_one_query_however_many_records(django_assert_num_queries, association):
    application = ApplicationFactory(association=association)
    for index in range(20):
        application.lead_name = f"Insatsansvarig {index}"
        application.save()
    application.parties.set(Member.objects.filter(association=association)[:2])
    application = Application.objects.get(pk=application.pk)

    with django_assert_num_queries(1):
        entries = selectors.history_for(application)

    assert len(entries) >= 22


# The loop of the history's rows before they were written in Python (#12): the markup
# finsam/templatetags/finsam_history.py must write, cell for cell.
HISTORY_ROWS_LOOP = """{% for entry in history %}
      <tr>
        <td class="text-nowrap">{{ entry.when|date:"Y-m-d H:i" }}</td>
        <td>{{ entry.who }}</td>
        <td>{{ entry.summary }}{% if entry.changes %}<ul class="list-unstyled small mb-0">{% for change in entry.changes %}<li>{{ change }}</li>{% endfor %}</ul>{% endif %}</td>
      </tr>
    {% endfor %}"""  # noqa: E501 (the template's lines as they were)


def test_the_history_rows_read_as_the_template_loop_wrote_them():
    from django.template import engines
    from django.test.html import parse_html

    from finsam.selectors import HistoryEntry

    history = [
        HistoryEntry(
            datetime.datetime(2026, 6, 30, 22, 15, tzinfo=datetime.UTC),
            "Anna <Ek>",
            "Ändrad",
            ["Namn", "Folkmängd"],
            ["Namn: Lund → Lund & Co", "Folkmängd: 46 529 → 46 600"],
        ),
        HistoryEntry(
            datetime.datetime(2026, 1, 2, 8, 0, tzinfo=datetime.UTC), "Systemet", "Skapad"
        ),
    ]
    engine = engines["django"]
    loop = engine.from_string(HISTORY_ROWS_LOOP).render({"history": history})
    written = engine.from_string("{% load finsam_history %}{{ history|history_rows }}").render(
        {"history": history}
    )

    assert parse_html(written) == parse_html(loop), (written, loop)
    # Stockholm's summer and winter time, as the template's date filter showed them.
    assert '<td class="text-nowrap">2026-07-01 00:15</td><td>Anna &lt;Ek&gt;</td>' in written
    assert "2026-01-02 09:00" in written
    assert "<li>Namn: Lund → Lund &amp; Co</li>" in written
    assert "<td>Skapad</td>" in written
