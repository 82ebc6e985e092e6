import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from applications import criteria, services
from applications.models import Application, DnrSequence, StateChange
from applications.selectors import budget_summary
from applications.services.application import REGISTRATION_INCOMPLETE
from applications.services.assessment import (
    ASSESSMENT_IS_FINAL,
    ASSESSMENT_NOT_OPEN,
    NO_RECOMMENDATION,
)
from tests.factories import (
    ApplicationFactory,
    BudgetRowFactory,
    MemberFactory,
    assess,
    registered_application,
)

State = Application.State


@pytest.mark.django_db
def test_registration_gives_consecutive_dnr_per_forbund_and_year(
    association, other_association, officer, other_officer
):
    first = registered_application(association, officer)
    second = registered_application(association, officer)
    theirs = registered_application(other_association, other_officer)

    year = timezone.localdate().year
    assert first.dnr == f"{year}-00001"
    assert second.dnr == f"{year}-00002"
    assert theirs.dnr == f"{year}-00001"
    assert first.state == State.REGISTERED
    change = StateChange.objects.get(application=first)
    assert (change.from_state, change.to_state, change.by) == (
        State.DRAFT,
        State.REGISTERED,
        officer,
    )


@pytest.mark.django_db
def test_incomplete_draft_is_refused_with_what_is_missing_and_gets_no_number(association, officer):
    draft = ApplicationFactory(
        association=association, lead_name="", purpose=" ", period_end=None, budget=False
    )

    with pytest.raises(services.ApplicationError) as error:
        services.application_register(user=officer, application=draft)

    assert str(error.value) == REGISTRATION_INCOMPLETE.format(
        missing="insatsansvarig, slutdatum, syfte och bakgrund, minst en budgetrad"
    )
    draft.refresh_from_db()
    assert (draft.state, draft.dnr) == (State.DRAFT, "")
    assert not DnrSequence.objects.filter(last_number__gt=0).exists()


@pytest.mark.django_db
def test_registering_twice_is_refused(association, officer):
    application = registered_application(association, officer)

    with pytest.raises(services.ApplicationError, match="Ansökan är redan registrerad"):
        services.application_register(user=officer, application=application)


@pytest.mark.django_db
def test_assessment_puts_registered_application_under_preparation_and_finalising_prepares_it(
    association, officer, preparer
):
    application = registered_application(association, officer)

    assessment = assess(application, preparer)
    application.refresh_from_db()
    assert application.state == State.IN_PREPARATION
    assert (assessment.round, assessment.written_by) == (1, preparer)

    services.assessment_finalise(user=officer, application=application)

    application.refresh_from_db()
    assessment.refresh_from_db()
    assert application.state == State.PREPARED
    assert assessment.is_final and assessment.finalised_by == officer
    assert list(application.state_changes.values_list("to_state", flat=True)) == [
        State.REGISTERED,
        State.IN_PREPARATION,
        State.PREPARED,
    ]


@pytest.mark.django_db
def test_finalising_needs_a_recommendation_and_its_summary(association, officer, preparer):
    application = registered_application(association, officer)
    assess(application, preparer, recommendation="", recommendation_text="")

    with pytest.raises(services.ApplicationError, match=NO_RECOMMENDATION):
        services.assessment_finalise(user=officer, application=application)
    application.refresh_from_db()
    assert application.state == State.IN_PREPARATION


@pytest.mark.django_db
def test_referral_back_starts_a_new_round_and_keeps_the_earlier_one(association, officer, preparer):
    application = registered_application(association, officer)
    assess(application, preparer, recommendation_text="Första omgången.")
    services.assessment_finalise(user=officer, application=application)

    services.application_refer_back(user=officer, application=application, comment="Återremiss.")
    application.refresh_from_db()
    second = assess(application, preparer, recommendation_text="Andra omgången.")

    rounds = list(
        application.assessments.order_by("round").values_list("round", "recommendation_text")
    )
    assert rounds == [(1, "Första omgången."), (2, "Andra omgången.")]
    assert second.round == 2


@pytest.mark.django_db
def test_a_final_assessment_cannot_be_changed(association, officer, preparer):
    application = registered_application(association, officer)
    assessment = assess(application, preparer)
    services.assessment_finalise(user=officer, application=application)
    with pytest.raises(services.ApplicationError, match=ASSESSMENT_NOT_OPEN):
        services.assessment_save(
            user=preparer,
            application=application,
            values={"recommendation": "reject", "recommendation_text": "Avslå."},
            assessment_id=assessment.pk,
        )
    assessment.refresh_from_db()
    assert assessment.recommendation == "grant"


@pytest.mark.django_db
def test_withdrawal_before_decision_is_recorded_with_its_reason(association, officer):
    application = registered_application(association, officer)

    services.application_withdraw(
        user=officer, application=application, comment="Sökanden återtar."
    )

    application.refresh_from_db()
    assert application.state == State.WITHDRAWN
    assert application.state_changes.last().comment == "Sökanden återtar."
    with pytest.raises(services.ApplicationError, match="Ansökan är redan återtagen"):
        services.application_withdraw(user=officer, application=application)


@pytest.mark.django_db
def test_budget_sums_are_computed_per_year_and_in_total(association):
    application = ApplicationFactory(association=association, budget=False)
    BudgetRowFactory(application=application, year=2027, amount=Decimal("620000"))
    BudgetRowFactory(application=application, year=2027, amount=Decimal("80000.50"))
    BudgetRowFactory(application=application, year=2027, kind="own_funds", amount=Decimal("100000"))
    BudgetRowFactory(application=application, year=2028, amount=Decimal("300000"))
    BudgetRowFactory(application=application, year=2028, kind="income", amount=Decimal("50000"))

    summary = budget_summary(application)

    assert [(y.year, y.total_costs, y.sought) for y in summary.years] == [
        (2027, Decimal("700000.50"), Decimal("600000.50")),
        (2028, Decimal("300000"), Decimal("250000")),
    ]
    assert summary.total_costs == Decimal("1000000.50")
    assert summary.sought == Decimal("850000.50")


def criteria_of(application, max_years=3):
    return {c.label: (c.met, c.detail) for c in criteria.check(application, max_years)}


@pytest.mark.django_db
def test_criteria_pass_for_a_complete_application_with_two_parties(association):
    application = ApplicationFactory(association=association)
    application.parties.add(association.members.get(kind="af"))

    assert all(met for met, _detail in criteria_of(application).values())


@pytest.mark.django_db
def test_two_kommuner_count_as_one_party(association):
    application = ApplicationFactory(
        association=association, owner=association.members.get(name="Landskrona stad")
    )
    application.parties.add(association.members.get(name="Svalövs kommun"))

    met, detail = criteria_of(application)["Minst två parter deltar"]

    assert not met
    assert detail.startswith("1 part(er): Kommun")


@pytest.mark.django_db
def test_criteria_flag_length_national_followup_and_missing_budget_years(association):
    application = ApplicationFactory(
        association=association,
        period_start=datetime.date(2027, 1, 1),
        period_end=datetime.date(2030, 1, 1),
        national_followup=False,
        budget=False,
    )
    BudgetRowFactory(application=application, year=2027)

    result = criteria_of(application)

    assert result["Insatstiden är högst 3 år"][0] is False
    assert result["Uppföljning är planerad, även i den nationella uppföljningen"] == (
        False,
        "Rapportering i den nationella uppföljningen är inte planerad.",
    )
    assert result["Budget finns för varje år"] == (False, "Saknas för 2028, 2029, 2030.")
    assert criteria_of(application, max_years=4)["Insatstiden är högst 4 år"][0] is True


@pytest.mark.django_db
def test_exactly_three_years_is_within_the_limit(association):
    application = ApplicationFactory(
        association=association,
        period_start=datetime.date(2027, 4, 1),
        period_end=datetime.date(2030, 3, 31),
    )
    assert criteria_of(application)["Insatstiden är högst 3 år"][0] is True


def own_funds_in_both_sections(application, commitments, budget_rows):
    """The parties' own contributions (Organisation) and own-funds budget rows (Ekonomi)."""
    from applications.models import PartyCommitment

    members = list(application.association.members.all())
    for member, amount in zip(members, commitments, strict=False):
        PartyCommitment.objects.create(
            application=application, member=member, commitment="Personal", own_contribution=amount
        )
    for year, amount in budget_rows:
        BudgetRowFactory(application=application, year=year, kind="own_funds", amount=amount)


@pytest.mark.django_db
def test_own_contributions_that_differ_from_the_budgets_own_funds_are_flagged(association):
    # The case of the issue: 570 000 kr of own contributions against 150 000 kr in the budget.
    application = ApplicationFactory(association=association)
    own_funds_in_both_sections(
        application,
        [Decimal("400000"), Decimal("170000")],
        [(2027, Decimal("100000")), (2028, Decimal("50000"))],
    )

    met, detail = criteria_of(application)[criteria.OWN_FUNDS_LABEL]

    assert not met
    assert detail.replace("\xa0", " ") == (
        "Parternas åtaganden (Organisation) anger 570 000 kr i egna medel, budgeten (Ekonomi) "
        "150 000 kr totalt: en skillnad på 420 000 kr."
    )


@pytest.mark.django_db
def test_own_funds_are_compared_in_total_over_the_years(association):
    # The commitments carry no year: 150 000 kr in one party's commitment agrees with
    # 100 000 + 50 000 kr in the budget rows of two years.
    application = ApplicationFactory(association=association)
    own_funds_in_both_sections(
        application, [Decimal("150000")], [(2027, Decimal("100000")), (2028, Decimal("50000"))]
    )

    met, detail = criteria_of(application)[criteria.OWN_FUNDS_LABEL]

    assert met
    assert detail.replace("\xa0", " ") == ("150 000 kr både i parternas åtaganden och i budgeten.")


@pytest.mark.django_db
def test_own_funds_only_in_the_budget_are_flagged_and_none_at_all_pass(association):
    application = ApplicationFactory(association=association)
    assert criteria_of(application)[criteria.OWN_FUNDS_LABEL] == (True, criteria.OWN_FUNDS_NONE)

    own_funds_in_both_sections(application, [], [(2027, Decimal("80000"))])

    met, detail = criteria_of(application)[criteria.OWN_FUNDS_LABEL]
    assert not met
    assert "anger 0 kr i egna medel" in detail and "80\xa0000 kr totalt" in detail


@pytest.mark.django_db
def test_owner_of_another_forbund_is_flagged(association, other_association):
    foreign = MemberFactory(association=other_association)
    application = ApplicationFactory(association=association, owner=foreign)

    assert criteria_of(application)["Huvudmannen är medlem i förbundet"][0] is False


@pytest.mark.django_db
def test_two_preparers_starting_at_once_do_not_open_a_second_round(association, officer, preparer):
    application = registered_application(association, officer)
    # Both preparers opened an empty form; the first one saves.
    assess(application, preparer, recommendation_text="Först.")

    with pytest.raises(services.ApplicationError, match="påbörjat beredningen medan du skrev"):
        services.assessment_save(
            user=preparer,
            application=application,
            values={"recommendation": "reject", "recommendation_text": "Avslå."},
            assessment_id=None,
        )
    assert list(application.assessments.values_list("round", "recommendation_text")) == [
        (1, "Först.")
    ]


@pytest.mark.django_db
def test_a_form_of_the_final_round_cannot_be_saved_after_a_referral_back(
    association, officer, preparer
):
    application = registered_application(association, officer)
    first = assess(application, preparer)
    services.assessment_finalise(user=officer, application=application)
    services.application_refer_back(user=officer, application=application, comment="Återremiss.")
    # The preparer's form was opened on the first round, before the referral back.
    with pytest.raises(services.ApplicationError, match=ASSESSMENT_IS_FINAL):
        services.assessment_save(
            user=preparer,
            application=application,
            values={"recommendation": "reject", "recommendation_text": "Ändrad."},
            assessment_id=first.pk,
        )
    first.refresh_from_db()
    assert first.recommendation_text == "Bevilja."


@pytest.mark.django_db
def test_auditors_see_decided_applications_only_and_unknown_roles_none(association, officer):
    registered_application(association, officer)
    decided = registered_application(association, officer)
    Application.objects.filter(pk=decided.pk).update(state=State.GRANTED)
    applications = Application.objects.for_association(association)

    assert list(applications.visible_to("auditor")) == [decided]
    assert applications.visible_to("board").count() == 2
    assert not applications.visible_to("stranger").exists()


@pytest.mark.django_db
def test_create_saves_the_values_and_each_table_and_starts_the_timeline(association, officer):
    af = association.members.get(kind="af")
    owner = association.members.get(name="Landskrona stad")

    application = services.application_create(
        user=officer,
        association=association,
        values={"name": "Arbetslivsingången", "owner": owner, "parties": [af]},
        tables={
            "budget_rows": [{"year": 2027, "label": "Personal", "amount": Decimal("620000")}],
            "targets": [{"text": "Beräknat flöde", "number": 140}],
        },
    )

    assert (application.state, application.association, application.owner) == (
        State.DRAFT,
        association,
        owner,
    )
    assert list(application.parties.all()) == [af]
    assert list(application.budget_rows.values_list("year", "amount")) == [
        (2027, Decimal("620000.00"))
    ]
    assert list(application.targets.values_list("text", "number")) == [("Beräknat flöde", 140)]
    assert list(application.state_changes.values_list("to_state", "by")) == [
        (State.DRAFT, officer.pk)
    ]


@pytest.mark.django_db
def test_update_keeps_named_rows_adds_new_ones_and_removes_the_rest(association, officer):
    application = ApplicationFactory(association=association, budget=False)
    kept = BudgetRowFactory(application=application, year=2027, label="Personal")
    removed = BudgetRowFactory(application=application, year=2028, label="Lokaler")

    services.application_update(
        user=officer,
        application=application,
        values={"name": "Nytt namn"},
        tables={
            "budget_rows": [
                {"id": kept.pk, "year": 2027, "label": "Personal", "amount": Decimal("1")},
                {"year": 2028, "label": "Handledning", "amount": Decimal("2")},
            ]
        },
        expected_version=application.version,
    )

    application.refresh_from_db()
    assert application.name == "Nytt namn" and application.version == 2
    rows = list(application.budget_rows.order_by("year").values_list("id", "label", "amount"))
    assert rows[0] == (kept.pk, "Personal", Decimal("1.00"))
    assert rows[1][1:] == ("Handledning", Decimal("2.00"))
    assert not application.budget_rows.filter(pk=removed.pk).exists()


@pytest.mark.django_db
def test_update_from_a_stale_form_writes_nothing(association, officer):
    application = ApplicationFactory(association=association, name="Före")
    rows_before = list(application.budget_rows.values_list("id", "amount"))

    with pytest.raises(services.ApplicationError, match="ändrats av någon annan"):
        services.application_update(
            user=officer,
            application=application,
            values={"name": "Efter"},
            tables={"budget_rows": []},
            expected_version=application.version - 1,
        )

    application.refresh_from_db()
    assert application.name == "Före"
    assert list(application.budget_rows.values_list("id", "amount")) == rows_before


@pytest.mark.django_db
def test_services_refuse_fields_only_they_may_set(association, officer):
    with pytest.raises(services.ApplicationError, match="Fältet state finns inte"):
        services.application_create(
            user=officer, association=association, values={"name": "X", "state": State.GRANTED}
        )
    assert not Application.objects.filter(name="X").exists()


@pytest.mark.django_db
def test_a_registered_application_is_still_editable_but_a_prepared_one_is_not(
    association, officer, preparer
):
    application = registered_application(association, officer)
    services.application_update(user=officer, application=application, values={"name": "Ny"})
    assess(application, preparer)
    services.assessment_finalise(user=officer, application=application)

    with pytest.raises(services.ApplicationError, match="En ansökan som är beredd kan inte"):
        services.application_update(user=officer, application=application, values={"name": "X"})


@pytest.mark.django_db
def test_the_beredning_recommends_amounts_per_year_within_the_period(
    association, officer, preparer
):
    application = registered_application(association, officer)  # 2027–2028

    assessment = services.assessment_save(
        user=preparer,
        application=application,
        values={"recommendation": "grant", "recommendation_text": "Delvis."},
        amounts={2027: Decimal("450000"), 2028: Decimal("300000")},
    )
    assert list(assessment.amounts.values_list("year", "amount")) == [
        (2027, Decimal("450000.00")),
        (2028, Decimal("300000.00")),
    ]

    with pytest.raises(services.ApplicationError, match="2030 ligger utanför"):
        services.assessment_save(
            user=preparer,
            application=application,
            values={"recommendation_text": "Ändrad."},
            amounts={2030: Decimal("1")},
            assessment_id=assessment.pk,
        )
    assessment.refresh_from_db()
    assert assessment.recommendation_text == "Delvis."
    assert assessment.amounts.count() == 2


# The loop of the application's budget table before it was written in Python (#12): the markup
# applications_detail.application_budget_years must write, cell for cell.
BUDGET_YEARS_LOOP = """{% load finsam_format l10n %}{% for year in budget.years %}
  <tbody>
    {% for row in year.costs %}<tr><td>{{ year.year|unlocalize }}</td><td>{{ row.label }}</td><td>Kostnad</td><td class="num">{{ row.amount|kronor }}</td></tr>{% endfor %}
    {% for row in year.income %}<tr><td>{{ year.year|unlocalize }}</td><td>{{ row.label }}</td><td>Intäkt</td><td class="num">{{ row.amount|kronor }}</td></tr>{% endfor %}
    {% for row in year.own_funds %}<tr><td>{{ year.year|unlocalize }}</td><td>{{ row.label }}</td><td>Egna medel</td><td class="num">{{ row.amount|kronor }}</td></tr>{% endfor %}
    <tr class="subtotal"><th scope="row" colspan="3">Kostnader {{ year.year|unlocalize }}</th><td class="num">{{ year.total_costs|kronor }}</td></tr>
    {% if year.income %}<tr class="subtotal"><th scope="row" colspan="3">Intäkter {{ year.year|unlocalize }}</th><td class="num">{{ year.total_income|kronor }}</td></tr>{% endif %}
    {% if year.own_funds %}<tr class="subtotal"><th scope="row" colspan="3">Egna medel {{ year.year|unlocalize }}</th><td class="num">{{ year.total_own_funds|kronor }}</td></tr>{% endif %}
    <tr class="subtotal"><th scope="row" colspan="3">Sökt från förbundet {{ year.year|unlocalize }}</th><td class="num">{{ year.sought|kronor }}</td></tr>
  </tbody>
  {% empty %}
  <tbody><tr><td colspan="4">Ingen budget angiven.</td></tr></tbody>
  {% endfor %}"""  # noqa: E501 (the template's lines as they were)


@pytest.mark.django_db
def test_the_budget_table_reads_as_the_template_loop_wrote_it(association):
    from django.template import engines
    from django.test.html import parse_html

    application = ApplicationFactory(association=association, budget=False)
    engine = engines["django"]

    def both():
        context = {"budget": budget_summary(application)}
        loop = engine.from_string(BUDGET_YEARS_LOOP).render(context)
        written = engine.from_string(
            "{% load applications_detail %}{% application_budget_years budget %}"
        ).render(context)
        assert parse_html(written) == parse_html(loop), (written, loop)
        return written

    assert both() == '<tbody><tr><td colspan="4">Ingen budget angiven.</td></tr></tbody>'
    BudgetRowFactory(
        application=application, year=2027, label="Lön <50 %> & OH", amount=Decimal("620000")
    )
    BudgetRowFactory(application=application, year=2027, kind="own_funds", amount=Decimal("10"))
    BudgetRowFactory(application=application, year=2028, kind="income", amount=Decimal("50000"))

    written = both()
    assert "<tr><td>2027</td><td>Lön &lt;50 %&gt; &amp; OH</td><td>Kostnad</td>" in written
    assert '<td class="num">620\xa0000</td>' in written and "Egna medel 2027" in written
    assert 'Sökt från förbundet 2028</th><td class="num">\u221250\xa0000</td>' in written
