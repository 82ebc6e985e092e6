import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from applications import criteria, services
from applications.forms import AssessmentForm
from applications.models import Application, Assessment, DnrSequence, StateChange
from applications.selectors import budget_summary
from tests.factories import (
    ApplicationFactory,
    BudgetRowFactory,
    MemberFactory,
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

    assert str(error.value) == services.REGISTRATION_INCOMPLETE.format(
        missing="insatsansvarig, slutdatum, syfte och bakgrund, minst en budgetrad"
    )
    draft.refresh_from_db()
    assert (draft.state, draft.dnr) == (State.DRAFT, "")
    assert not DnrSequence.objects.filter(last_number__gt=0).exists()


@pytest.mark.django_db
def test_registering_twice_is_refused(association, officer):
    application = registered_application(association, officer)

    with pytest.raises(services.ApplicationError, match="registrerad kan inte bli registrerad"):
        services.application_register(user=officer, application=application)


def assess(application, user, **data):
    form = AssessmentForm(
        {
            "individual_extent": "higher",
            "recommendation": "grant",
            "recommendation_text": "Bevilja.",
            **data,
        },
        instance=services.current_assessment(application)
        if services.current_assessment(application)
        and not services.current_assessment(application).is_final
        else Assessment(),
    )
    assert form.is_valid(), form.errors
    return services.assessment_save(user=user, application=application, form=form)


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

    with pytest.raises(services.ApplicationError, match=services.NO_RECOMMENDATION):
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
    form = AssessmentForm(
        {"recommendation": "reject", "recommendation_text": "Avslå."}, instance=assessment
    )
    assert form.is_valid()

    with pytest.raises(services.ApplicationError, match=services.ASSESSMENT_NOT_OPEN):
        services.assessment_save(user=preparer, application=application, form=form)
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
    with pytest.raises(services.ApplicationError, match="återtagen kan inte bli återtagen"):
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
    application.participants.add(association.members.get(kind="af"))

    assert all(met for met, _detail in criteria_of(application).values())


@pytest.mark.django_db
def test_two_kommuner_count_as_one_party(association):
    application = ApplicationFactory(
        association=association, owner=association.members.get(name="Landskrona stad")
    )
    application.participants.add(association.members.get(name="Svalövs kommun"))

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


@pytest.mark.django_db
def test_owner_of_another_forbund_is_flagged(association, other_association):
    foreign = MemberFactory(association=other_association)
    application = ApplicationFactory(association=association, owner=foreign)

    assert criteria_of(application)["Huvudmannen är medlem i förbundet"][0] is False


@pytest.mark.django_db
def test_two_preparers_starting_at_once_do_not_open_a_second_round(association, officer, preparer):
    application = registered_application(association, officer)
    stale = AssessmentForm(
        {"recommendation": "reject", "recommendation_text": "Avslå."}, instance=Assessment()
    )
    assert stale.is_valid()
    assess(application, preparer, recommendation_text="Först.")

    with pytest.raises(services.ApplicationError, match="påbörjat beredningen medan du skrev"):
        services.assessment_save(user=preparer, application=application, form=stale)
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
    stale = AssessmentForm(
        {"recommendation": "reject", "recommendation_text": "Ändrad."}, instance=first
    )
    assert stale.is_valid()

    with pytest.raises(services.ApplicationError, match=services.ASSESSMENT_IS_FINAL):
        services.assessment_save(user=preparer, application=application, form=stale)
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
