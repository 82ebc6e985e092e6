"""The organisation's services on their own: typed values in, validated, scoped and recorded."""

import datetime
import re

import pytest

from finsam import services
from finsam.contributions import ContributionSplitError
from finsam.errors import DomainError
from finsam.models import Association, BoardSeat, Member, Person
from finsam.validators import ORG_NUMBER_CHECK_DIGIT_ERROR
from tests.factories import PersonFactory


def test_refusals_are_domain_errors_shown_to_the_user():
    assert issubclass(services.OrganisationError, DomainError)
    assert issubclass(ContributionSplitError, DomainError)
    assert issubclass(ContributionSplitError, ValueError)


@pytest.mark.django_db
def test_created_object_belongs_to_the_forbund_and_names_who_created_it(association, officer):
    member = services.organisation_object_create(
        user=officer,
        association=association,
        model=Member,
        values={
            "kind": Member.Kind.KOMMUN,
            "name": "Åby kommun",
            "population": 8000,
            "active_from": datetime.date(2026, 1, 1),
        },
    )

    assert member.association == association
    assert (member.history.get().history_user, member.history.get().history_type) == (
        officer,
        "+",
    )


@pytest.mark.django_db
def test_update_changes_the_given_fields_and_records_the_change(association, officer):
    member = Member.objects.get(association=association, name="Svalövs kommun")

    services.organisation_object_update(
        user=officer, association=association, instance=member, values={"population": 15000}
    )

    member.refresh_from_db()
    assert member.population == 15000
    assert member.history.latest("history_date").history_user == officer


@pytest.mark.django_db
def test_the_model_rules_hold_without_a_form(association, officer):
    with pytest.raises(services.OrganisationError, match="redan en medlem med det namnet"):
        services.organisation_object_create(
            user=officer,
            association=association,
            model=Member,
            values={
                "kind": Member.Kind.KOMMUN,
                "name": "Landskrona stad",
                "population": 1,
                "active_from": datetime.date(2026, 1, 1),
            },
        )
    assert Member.objects.filter(association=association, name="Landskrona stad").count() == 1


@pytest.mark.django_db
def test_a_seat_for_another_forbunds_person_is_refused(association, other_association, officer):
    foreign = PersonFactory(association=other_association, name="Främling")
    before = BoardSeat.objects.count()

    with pytest.raises(services.OrganisationError) as error:
        services.organisation_object_create(
            user=officer,
            association=association,
            model=BoardSeat,
            values={
                "member": Member.objects.filter(association=association).first(),
                "person": foreign,
                "kind": BoardSeat.Kind.ORDINARY,
            },
        )

    assert str(error.value) == services.OTHER_ASSOCIATION.format(object=foreign)
    assert BoardSeat.objects.count() == before


@pytest.mark.django_db
def test_moving_an_object_to_another_forbunds_person_is_refused(
    association, other_association, officer
):
    seat = BoardSeat.objects.filter(member__association=association).first()
    foreign = PersonFactory(association=other_association)

    with pytest.raises(services.OrganisationError):
        services.organisation_object_update(
            user=officer, association=association, instance=seat, values={"person": foreign}
        )

    seat.refresh_from_db()
    assert seat.person.association == association


@pytest.mark.django_db
def test_deleting_what_others_refer_to_is_refused_with_their_names(association, officer):
    member = Member.objects.get(association=association, name="Region Skåne")

    with pytest.raises(services.OrganisationError, match="kan inte tas bort eftersom 2 andra"):
        services.organisation_object_delete(user=officer, instance=member)

    assert Member.objects.filter(pk=member.pk).exists()


@pytest.mark.django_db
def test_deletion_names_who_deleted(association, officer):
    person = PersonFactory(association=association)
    pk = person.pk

    services.organisation_object_delete(user=officer, instance=person)

    record = Person.history.filter(id=pk).latest("history_date")
    assert (record.history_type, record.history_user) == ("-", officer)


@pytest.mark.django_db
def test_association_is_created_and_updated_from_values(officer):
    association = services.association_create(
        user=None,
        values={
            "name": "Samordningsförbundet Test",
            "org_number": "222000-3004",
            "founded": datetime.date(2009, 9, 1),
        },
    )

    services.association_update(user=officer, association=association, values={"notice_days": 10})

    association.refresh_from_db()
    assert association.notice_days == 10
    assert association.history.latest("history_date").history_user == officer


@pytest.mark.django_db
def test_association_with_a_wrong_check_digit_is_refused():
    with pytest.raises(services.OrganisationError, match=re.escape(ORG_NUMBER_CHECK_DIGIT_ERROR)):
        services.association_create(
            user=None,
            values={
                "name": "Fel",
                "org_number": "222000-2734",
                "founded": datetime.date(2009, 9, 1),
            },
        )
    assert not Association.objects.filter(name="Fel").exists()
