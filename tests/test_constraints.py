"""What the database itself refuses, whatever code writes: negative amounts and a grant booked
twice. Rows are written past the services on purpose, to prove the constraint is in the schema."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from applications.models import (
    AgendaItem,
    Decision,
    DecisionAmount,
    InitiativeGrant,
    PartyCommitment,
)
from tests.factories import ApplicationFactory, InitiativeFactory, MeetingFactory


@pytest.fixture
def decision(association, officer):
    application = ApplicationFactory(association=association)
    meeting = MeetingFactory(association=association)
    item = AgendaItem.objects.create(
        meeting=meeting, position=1, kind="application", title="Ärende", application=application
    )
    return Decision.objects.create(agenda_item=item, outcome="grant", text="", recorded_by=officer)


@pytest.mark.django_db
def test_decided_amounts_grants_and_own_contributions_cannot_be_negative(association, decision):
    initiative = InitiativeFactory(association=association)
    application = decision.agenda_item.application
    member = association.members.first()

    with pytest.raises(IntegrityError), transaction.atomic():
        DecisionAmount.objects.create(decision=decision, year=2027, amount=Decimal("-1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        InitiativeGrant.objects.create(
            initiative=initiative, decision=decision, year=2027, amount=Decimal("-1")
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        PartyCommitment.objects.create(
            application=application, member=member, own_contribution=Decimal("-1")
        )

    DecisionAmount.objects.create(decision=decision, year=2027, amount=Decimal("0"))
    assert DecisionAmount.objects.count() == 1


@pytest.mark.django_db
def test_an_initiative_gets_one_grant_per_decision_and_year(association, decision):
    initiative = InitiativeFactory(association=association)
    InitiativeGrant.objects.create(
        initiative=initiative, decision=decision, year=2027, amount=Decimal("450000")
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        InitiativeGrant.objects.create(
            initiative=initiative, decision=decision, year=2027, amount=Decimal("1")
        )

    InitiativeGrant.objects.create(
        initiative=initiative, decision=decision, year=2028, amount=Decimal("300000")
    )
    assert list(initiative.grants.values_list("year", "amount")) == [
        (2027, Decimal("450000.00")),
        (2028, Decimal("300000.00")),
    ]
