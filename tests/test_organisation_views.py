import datetime
import re

import pytest
from django.template import engines
from django.test.html import parse_html
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.html import escape

from finsam.forms import POPULATION_REQUIRED
from finsam.models import Association, BoardSeat, Member, Person, term_containing
from finsam.money import DOT_GROUPING
from finsam.services import OrganisationError
from finsam.validators import ORG_NUMBER_CHECK_DIGIT_ERROR
from tests.factories import (
    BoardSeatFactory,
    MemberFactory,
    PersonFactory,
    PreparationGroupSeatFactory,
)


def page(response) -> str:
    return response.content.decode()


def main_form(response) -> str:
    """The page's own form (the page shell has a logout form with its own token)."""
    html = page(response).split('<main id="innehall"', 1)[1]
    return html.split("<form", 1)[1].split("</form>", 1)[0]


@pytest.mark.django_db
def test_overview_shows_members_board_table_and_contribution_split(
    login, board_member, association
):
    response = login(board_member).get(reverse("organisation:overview"), {"total": "5 440 000"})

    html = page(response)
    assert response.status_code == 200
    assert "Samordningsförbundet Landskrona-Svalöv" in html
    assert "Ordinarie ledamot" in html and "Uppdragsgivare" in html
    # The split of seed 004's 5 440 tkr; numbers grouped the Swedish way (non-breaking space).
    assert "1\xa0038\xa0100" in html  # Landskrona stad
    assert "2\xa0720\xa0000" in html  # Försäkringskassan, for FK and AF
    assert "5\xa0440\xa0000" in html  # Summa
    assert "Statens hälft betalas av Försäkringskassan" in html
    # Board members read; they get no edit links and no history.
    assert reverse("organisation:section_create", args=["medlemmar"]) not in html
    assert "Ändringshistorik" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["fem miljoner", "1,005", "²", "5 440 000,50"])
def test_overview_says_what_is_wrong_with_a_typed_total(login, board_member, association, typed):
    response = login(board_member).get(reverse("organisation:overview"), {"total": typed})

    assert response.status_code == 200
    assert "Ange totalbeloppet i hela kronor" in page(response)
    assert "Ägarbidrag per medlem" not in page(response)


@pytest.mark.django_db
def test_a_total_with_a_thousands_dot_says_why_it_cannot_be_read(login, board_member, association):
    response = login(board_member).get(reverse("organisation:overview"), {"total": "5.440.000"})

    assert escape(DOT_GROUPING.format(text="5.440.000")) in page(response)
    assert "Ägarbidrag per medlem" not in page(response)


@pytest.mark.django_db
def test_total_with_zero_ore_is_accepted(login, board_member, association):
    response = login(board_member).get(reverse("organisation:overview"), {"total": "5 440 000,00"})

    assert "Ägarbidrag per medlem" in page(response)


@pytest.mark.django_db
def test_officer_adds_a_member_and_the_history_names_the_officer(
    officer_client, officer, association
):
    response = officer_client.post(
        reverse("organisation:section_create", args=["medlemmar"]),
        {"kind": "kommun", "name": "Åby kommun", "population": "8000", "active_from": "2026-01-01"},
    )

    assert response.status_code == 302
    member = Member.objects.get(association=association, name="Åby kommun")
    assert member.population == 8000
    record = member.history.get()
    assert record.history_user == officer
    assert record.history_type == "+"

    officer_client.post(
        reverse("organisation:section_edit", args=["medlemmar", member.pk]),
        {"kind": "kommun", "name": "Åby kommun", "population": "8200", "active_from": "2026-01-01"},
    )
    html = page(
        officer_client.get(reverse("organisation:section_edit", args=["medlemmar", member.pk]))
    )
    assert "Ändrad: Folkmängd" in html
    assert "Folkmängd: 8000 → 8200" in html
    assert str(officer) in html


@pytest.mark.django_db
def test_bad_member_input_gets_swedish_messages_and_saves_nothing(officer_client, association):
    before = Member.objects.count()

    response = officer_client.post(
        reverse("organisation:section_create", args=["medlemmar"]),
        {"kind": "kommun", "name": "Landskrona stad", "active_from": "2026-01-01"},
    )

    html = page(response)
    assert response.status_code == 200
    assert POPULATION_REQUIRED in html
    assert "Förbundet har redan en medlem med det namnet." in html
    assert Member.objects.count() == before


@pytest.mark.django_db
def test_a_second_fk_is_refused(officer_client, association):
    response = officer_client.post(
        reverse("organisation:section_create", args=["medlemmar"]),
        {"kind": "fk", "name": "FK Syd", "active_from": "2026-01-01"},
    )

    assert "Förbundet har redan en medlem av den typen." in page(response)
    assert not Member.objects.filter(name="FK Syd").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        reverse_lazy("organisation:section_create", args=["medlemmar"]),
        reverse_lazy("organisation:association_edit"),
    ],
)
def test_forms_carry_one_csrf_token(officer_client, url):
    assert main_form(officer_client.get(url)).count("csrfmiddlewaretoken") == 1


@pytest.mark.django_db
def test_member_edit_form_carries_one_csrf_token(officer_client, association):
    member = Member.objects.get(association=association, name="Landskrona stad")

    form = main_form(
        officer_client.get(reverse("organisation:section_edit", args=["medlemmar", member.pk]))
    )

    assert form.count("csrfmiddlewaretoken") == 1
    assert 'name="population"' in form


@pytest.mark.django_db
def test_a_refusal_of_the_service_is_shown_above_the_form_and_saves_nothing(
    officer_client, association, monkeypatch
):
    def refuse(**kwargs):
        raise OrganisationError("Ändringen stoppades.")

    monkeypatch.setattr("finsam.services.organisation_object_create", refuse)

    response = officer_client.post(
        reverse("organisation:section_create", args=["personer"]), {"name": "Ny Person"}
    )

    assert response.status_code == 200
    assert 'role="alert">Ändringen stoppades.' in page(response)
    assert not Person.objects.filter(name="Ny Person").exists()


@pytest.mark.django_db
def test_member_with_board_seats_cannot_be_deleted(officer_client, association):
    member = Member.objects.get(association=association, name="Region Skåne")

    response = officer_client.post(
        reverse("organisation:section_delete", args=["medlemmar", member.pk]), follow=True
    )

    assert "kan inte tas bort eftersom 2 andra uppgifter hänvisar till den" in page(response)
    assert Member.objects.filter(pk=member.pk).exists()


@pytest.mark.django_db
def test_officer_deletes_an_unused_person_and_the_deletion_is_recorded(
    officer_client, officer, association
):
    person = PersonFactory(association=association, name="Tillfällig Person")

    officer_client.post(reverse("organisation:section_delete", args=["personer", person.pk]))

    assert not Person.objects.filter(pk=person.pk).exists()
    record = Person.history.filter(id=person.pk).latest("history_date")
    assert (record.history_type, record.history_user) == ("-", officer)


@pytest.mark.django_db
def test_board_seat_form_offers_only_our_members_and_people(
    officer_client, association, other_association
):
    form = officer_client.get(reverse("organisation:section_create", args=["styrelse"])).context[
        "form"
    ]

    assert set(form.fields["member"].queryset) == set(
        Member.objects.filter(association=association)
    )
    assert set(form.fields["person"].queryset) == set(
        Person.objects.filter(association=association)
    )
    foreign_person = Person.objects.filter(association=other_association).first()
    response = officer_client.post(
        reverse("organisation:section_create", args=["styrelse"]),
        {
            "member": Member.objects.filter(association=association).first().pk,
            "person": foreign_person.pk,
            "kind": "ordinary",
            "term_start": "2023-04-01",
            "term_end": "2027-03-31",
        },
    )
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in page(response)


@pytest.mark.django_db
def test_deputy_needs_an_order_and_term_must_end_after_it_starts(officer_client, association):
    member = Member.objects.filter(association=association).first()
    person = PersonFactory(association=association)
    before = BoardSeat.objects.count()

    response = officer_client.post(
        reverse("organisation:section_create", args=["styrelse"]),
        {
            "member": member.pk,
            "person": person.pk,
            "kind": "deputy",
            "term_start": "2027-04-01",
            "term_end": "2023-03-31",
        },
    )

    html = page(response)
    assert "Ange ersättarordning (1, 2 …) för en ersättare." in html
    assert "Mandatperioden måste sluta efter att den börjar." in html
    assert BoardSeat.objects.count() == before


@pytest.mark.django_db
def test_board_seat_form_defaults_to_the_current_term(officer_client):
    html = page(officer_client.get(reverse("organisation:section_create", args=["styrelse"])))

    start, end = term_containing(timezone.localdate())
    assert f'name="term_start" value="{start:%Y-%m-%d}"' in html
    assert f'name="term_end" value="{end:%Y-%m-%d}"' in html


@pytest.mark.django_db
def test_officer_edits_the_association_with_a_normalised_org_number(officer_client, association):
    data = {
        "name": association.name,
        "org_number": "2220002733",
        "founded": "2009-09-01",
        "max_initiative_years": "3",
        "municipal_split_key": "equal",
        "quorum_percent": "50",
        "notice_days": "7",
        "report_reminder_days": "14",
    }
    Association.objects.filter(org_number="222000-2733").exclude(pk=association.pk).delete()

    response = officer_client.post(reverse("organisation:association_edit"), data)

    assert response.status_code == 302
    association.refresh_from_db()
    assert association.org_number == "222000-2733"
    assert association.municipal_split_key == "equal"


@pytest.mark.django_db
def test_wrong_org_number_check_digit_is_shown_in_the_form(officer_client, association):
    response = officer_client.post(
        reverse("organisation:association_edit"),
        {
            "name": "X",
            "org_number": "222000-2734",
            "founded": "2009-09-01",
            "max_initiative_years": "3",
            "municipal_split_key": "population",
        },
    )

    assert ORG_NUMBER_CHECK_DIGIT_ERROR in page(response)
    association.refresh_from_db()
    assert association.name != "X"


@pytest.mark.django_db
def test_board_term_can_be_chosen_on_the_overview(login, board_member, association):
    import datetime

    member = Member.objects.get(association=association, name="Landskrona stad")
    BoardSeatFactory(
        member=member,
        person=PersonFactory(association=association, name="Mattias Adolfsson"),
        party="fp",
        term_start=datetime.date(2009, 9, 1),
        term_end=datetime.date(2011, 3, 31),
    )
    client = login(board_member)

    current = page(client.get(reverse("organisation:overview")))
    old = page(client.get(reverse("organisation:overview"), {"period": "2007-04-01"}))

    assert "Mattias Adolfsson" not in current.split("Beredningsgrupp")[0]
    assert "Mattias Adolfsson (fp)" in old


@pytest.mark.django_db
def test_switching_forbund_changes_what_the_user_sees(login, association, other_association):
    from finsam.models import Role
    from tests.factories import RoleFactory

    user = RoleFactory(association=association, kind=Role.Kind.BOARD).user
    RoleFactory(user=user, association=other_association, kind=Role.Kind.OFFICER)
    client = login(user)
    member = MemberFactory(association=other_association, name="Norrstrands kommun")

    # Working as a board member of the first förbund: an officer form is closed.
    edit = reverse("organisation:section_edit", args=["medlemmar", member.pk])
    assert client.get(edit).status_code == 403
    response = client.post(
        reverse("association_switch"), {"association": other_association.pk}, follow=True
    )
    assert f"Du arbetar nu i {other_association}" in page(response)
    assert (
        client.get(reverse("organisation:section_edit", args=["medlemmar", member.pk])).status_code
        == 200
    )


@pytest.mark.django_db
def test_a_users_forbund_are_listed_by_name_and_the_first_is_worked_in(login, rf):
    from finsam.models import Role, User
    from finsam.tenancy import CurrentAssociationMiddleware
    from tests.factories import AssociationFactory, RoleFactory

    # Created out of name order, so that neither the pk nor the insert order gives the answer;
    # in Swedish order å comes before ä (by code point it is after).
    user = None
    for name in ["Östra", "Ädelfors", "Centrala", "Åsele", "Västra"]:
        association = AssociationFactory(name=f"Samordningsförbundet {name}")
        user = RoleFactory(
            association=association,
            kind=Role.Kind.BOARD,
            **({"user": user} if user else {}),
        ).user
    expected = [
        f"Samordningsförbundet {name}"
        for name in ["Centrala", "Västra", "Åsele", "Ädelfors", "Östra"]
    ]

    # The session's user read by accounts.backends.UserBackend, with its roles.
    response = login(user).get(reverse("organisation:overview"))
    switch = page(response).split('name="association"')[1].split("</select>")[0]
    assert re.findall(r"<option [^>]*>([^<(]*) \(", switch) == expected
    assert response.context["current_association"].name == "Samordningsförbundet Centrala"

    # A user another backend loaded: the middleware reads the roles itself, in the same order.
    request = rf.get("/")
    request.user = User.objects.get(pk=user.pk)
    request.session = {}
    CurrentAssociationMiddleware(lambda request: None)(request)
    assert [role.association.name for role in request.roles] == expected
    assert request.association.name == "Samordningsförbundet Centrala"


@pytest.mark.django_db
def test_switching_to_a_forbund_without_a_role_is_404(login, officer, other_association):
    response = login(officer).post(
        reverse("association_switch"), {"association": other_association.pk}
    )

    assert response.status_code == 404


def member_page(client, member):
    return client.get(reverse("organisation:member_detail", args=[member.pk]))


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["board", "preparer", "auditor"])
def test_every_role_reads_a_members_page_without_history_or_edit_button(
    login, personas, association, persona
):
    member = Member.objects.get(association=association, name="Landskrona stad")
    seat = BoardSeat.objects.filter(member=member, kind="ordinary").get()
    seat.party = "s"
    seat.save()
    PreparationGroupSeatFactory(
        member=member, person=PersonFactory(association=association, name="Lisa Beredare")
    )

    response = member_page(login(personas[persona]), member)

    html = page(response)
    assert response.status_code == 200
    assert "<h1" in html and "Landskrona stad</h1>" in html
    assert "Kommun" in html
    assert "46\xa0529" in html  # folkmängd, grouped
    # § 5: the kommuner's quarter, by population: 46 529 / (46 529 + 14 428) / 4 of the total.
    assert "19,08 %" in html
    assert "Styrelseplatser 2023–2027" in html
    assert seat.person.name in html and "Ordförande" in html
    assert "Lisa Beredare" in html
    assert "Ändringshistorik" not in html
    assert reverse("organisation:section_edit", args=["medlemmar", member.pk]) not in html
    assert "Saknas" not in html  # e-mail addresses are the officer's business


@pytest.mark.django_db
def test_officer_sees_the_edit_button_the_history_and_who_lacks_an_email(
    officer_client, association
):
    member = Member.objects.get(association=association, name="Svalövs kommun")
    deputy = BoardSeat.objects.get(member=member, kind="deputy")
    Person.objects.filter(pk=deputy.person_id).update(email="")
    ordinary = BoardSeat.objects.get(member=member, kind="ordinary").person
    Person.objects.filter(pk=ordinary.pk).update(email="ledamot@example.org")
    officer_client.post(
        reverse("organisation:section_edit", args=["medlemmar", member.pk]),
        {
            "kind": "kommun",
            "name": "Svalövs kommun",
            "population": "14500",
            "active_from": "2009-09-01",
        },
    )

    html = page(member_page(officer_client, member))

    assert f'href="{reverse("organisation:section_edit", args=["medlemmar", member.pk])}"' in html
    assert ">Ändra</a>" in html
    assert "Ändrad: Folkmängd" in html
    assert "Folkmängd: 14\xa0428 → 14\xa0500" in html
    assert "ledamot@example.org" in html
    assert f"kallelsen når inte {deputy.person.name}" in html


@pytest.mark.django_db
def test_a_members_page_lists_ordinary_members_then_deputies_in_order_and_names_as_in_swedish(
    officer_client, association
):
    member = MemberFactory(association=association, kind="kommun", name="Testkommun")
    people = {
        name: PersonFactory(association=association, name=name)
        for name in ["Östen Ordinarie", "Åke Andre", "Bo Förste", "Ärla Utan", "Anna Ordinarie"]
    }
    for name, kind, order in [
        ("Åke Andre", "deputy", 2),
        ("Ärla Utan", "deputy", None),
        ("Östen Ordinarie", "ordinary", None),
        ("Bo Förste", "deputy", 1),
        ("Anna Ordinarie", "ordinary", None),
    ]:
        BoardSeatFactory(member=member, person=people[name], kind=kind, deputy_order=order)
    for name in ["Örjan Ö", "Zeke Z", "Åsa Å", "ärla ä", "Adam A"]:
        PreparationGroupSeatFactory(
            member=member, person=PersonFactory(association=association, name=name)
        )

    html = page(member_page(officer_client, member))

    seats = re.findall(r'<th scope="row">([^<]+)</th>', html)
    assert seats == ["Anna Ordinarie", "Östen Ordinarie", "Bo Förste", "Åke Andre", "Ärla Utan"]
    assert re.findall(r"<li>([^<,·]+?)(?:, [^<]*)?(?: · |</li>)", html) == [
        "Adam A",
        "Zeke Z",
        "Åsa Å",
        "ärla ä",
        "Örjan Ö",
    ]


@pytest.mark.django_db
def test_a_members_page_of_another_forbund_is_404(login, other_officer, association):
    member = Member.objects.get(association=association, name="Landskrona stad")

    assert member_page(login(other_officer), member).status_code == 404


@pytest.mark.django_db
def test_member_names_on_the_overview_open_the_members_page(login, board_member, association):
    member = Member.objects.get(association=association, name="Landskrona stad")

    html = page(login(board_member).get(reverse("organisation:overview")))

    url = reverse("organisation:member_detail", args=[member.pk])
    assert f'<a href="{url}">Landskrona stad</a>' in html


@pytest.mark.django_db
def test_saving_a_member_returns_to_its_page(officer_client, association):
    member = Member.objects.get(association=association, name="Region Skåne")

    response = officer_client.post(
        reverse("organisation:section_edit", args=["medlemmar", member.pk]),
        {"kind": "region", "name": "Region Skåne", "active_from": "2009-09-01"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("organisation:member_detail", args=[member.pk])


@pytest.mark.django_db
def test_a_former_member_shows_no_share(officer_client, association):
    member = MemberFactory(
        association=association,
        name="Gamla kommunen",
        active_from=datetime.date(2009, 9, 1),
        active_until=datetime.date(2015, 12, 31),
    )

    html = page(member_page(officer_client, member))

    assert "till och med 2015-12-31" in html
    assert "Inte medlem i dag" in html
    assert "Gamla kommunen har inga platser i styrelsen under mandatperioden." in html


@pytest.mark.django_db
def test_overview_warns_about_board_members_without_email(login, board_member, association):
    html = page(login(board_member).get(reverse("organisation:overview")))

    assert "Att åtgärda" in html
    assert "Kallelsen når inte" in html
    for seat in BoardSeat.objects.filter(member__association=association).select_related("person"):
        assert seat.person.name in html.split("Kallelsen når inte", 1)[1].split("</li>", 1)[0]


# The loops the organisation page's template had before its rows were written in Python (#12):
# the markup finsam/templatetags/organisation_tables.py must write, cell for cell.
ORGANISATION_LOOPS = """<table><tbody>
    {% for member in member_rows %}
      <tr>
        <th scope="row"><a href="{{ member.url }}">{{ member.name }}</a></th>
        <td>{{ member.kind }}</td>
        <td class="num">{{ member.population }}</td>
        <td class="num">{{ member.share }}</td>
        <td>{{ member.note }}</td>
        <td>{{ member.since }}</td>
      </tr>
    {% empty %}
      <tr><td colspan="6">Inga medlemmar ännu.</td></tr>
    {% endfor %}
</tbody></table><table><tbody>
    {% for row in board_rows %}
      <tr>
        {% for seat in row.seats %}<td>{% if seat %}{% if seat.url %}<a href="{{ seat.url }}">{{ seat.name }}</a>{% else %}{{ seat.name }}{% endif %}{% if seat.party %} ({{ seat.party }}){% endif %}{% if seat.office %}, <em>{{ seat.office }}</em>{% endif %}{% endif %}</td>
        {% endfor %}<td><a href="{{ row.member_url }}">{{ row.member }}</a></td>
      </tr>
    {% empty %}
      <tr><td colspan="3">Inga styrelseplatser registrerade.</td></tr>
    {% endfor %}
</tbody></table><table><tbody>
    {% for seat in preparation_rows %}
      <tr><td>{% if seat.url %}<a href="{{ seat.url }}">{{ seat.name }}</a>{% else %}{{ seat.name }}{% endif %}{% if seat.title %}, {{ seat.title }}{% endif %}</td><td>{{ seat.member }}</td></tr>
    {% empty %}
      <tr><td colspan="2">Ingen beredningsgrupp registrerad.</td></tr>
    {% endfor %}
</tbody></table>"""  # noqa: E501 (the template's lines as they were)
ORGANISATION_FILTERS = (
    "{% load organisation_tables %}<table><tbody>{{ member_rows|member_table_rows }}</tbody>"
    "</table><table><tbody>{{ board_rows|board_table_rows }}</tbody></table><table><tbody>"
    "{{ preparation_rows|preparation_table_rows }}</tbody></table>"
)


def test_the_organisation_tables_read_as_the_templates_loops_wrote_them():
    member = {
        "name": "Kommun <A> & B",
        "url": "/organisation/medlem/1/",
        "kind": "Kommun",
        "population": "45 864",
        "share": "12,50 %",
        "note": 'Fast "andel"',
        "since": "2020-01-01",
    }
    seat = {"name": "Eva <E>", "url": "/organisation/styrelse/1/", "party": "S&P", "office": ""}
    board = [
        {"seats": (seat, None), "member": "Region <R>", "member_url": "/organisation/medlem/2/"},
        {
            "seats": ({**seat, "url": "", "party": "", "office": "ordförande"}, seat),
            "member": "Kommun",
            "member_url": "/organisation/medlem/3/",
        },
    ]
    preparation = [
        {"name": "Per <P>", "url": "/organisation/beredningsgrupp/1/", "title": "", "member": "FK"},
        {"name": "Ann", "url": "", "title": "Handläggare & <chef>", "member": "AF"},
    ]
    engine = engines["django"]
    written = {}
    for case, context in {
        "filled": {"member_rows": [member, {**member, "note": ""}], "board_rows": board,
                   "preparation_rows": preparation},
        "empty": {"member_rows": [], "board_rows": [], "preparation_rows": []},
    }.items():  # fmt: skip
        loops = engine.from_string(ORGANISATION_LOOPS).render(context)
        written[case] = engine.from_string(ORGANISATION_FILTERS).render(context)
        assert parse_html(written[case]) == parse_html(loops), (written[case], loops)
    assert "Kommun &lt;A&gt; &amp; B" in written["filled"]
    assert "Inga styrelseplatser registrerade." in written["empty"]
