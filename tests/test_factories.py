"""Every model of the domain has a factory that builds a row the model and the database accept,
or is named below with the reason it has none (rows that only a service may write)."""

import inspect

import factory
import pytest
from django.apps import apps

from tests import factories

WRITTEN_BY_SERVICES_ONLY = {
    # Sequences and records that a service writes as a side effect of a move; a test makes
    # them by making the move.
    "applications.DnrSequence",
    "applications.MinutesSequence",
    "applications.StateChange",
    "applications.Attendance",
    "applications.Notice",
    "applications.NoticeEmail",
    "applications.MinutesExtract",
    "applications.Recusal",
    "applications.DecisionAmount",
    "applications.AssessmentAmount",
    "applications.Activity",
    "applications.PartyCommitment",
    "applications.PlannedReport",
    "budget.ActualImport",
    "budget.ContributionOverride",
    "budget.PeriodEvent",
    "followup.ParticipantImport",
    "followup.InitiativeLead",  # initiative_lead_add, which also invites the person
    "followup.Report",  # report_receive, which stores the file
    "followup.ReminderSent",  # send_reminders
}


def domain_models():
    for app in ("finsam", "applications", "budget", "followup"):
        for model in apps.get_app_config(app).get_models():
            if not model.__name__.startswith("Historical"):
                yield model


FACTORIES = {
    cls._meta.model: cls
    for _name, cls in inspect.getmembers(factories, inspect.isclass)
    if issubclass(cls, factory.django.DjangoModelFactory) and cls._meta.model
}


def test_every_domain_model_has_a_factory_or_a_reason():
    missing = {
        model._meta.label
        for model in domain_models()
        if model not in FACTORIES and model._meta.label not in WRITTEN_BY_SERVICES_ONLY
    }
    assert missing == set()


@pytest.mark.django_db
@pytest.mark.parametrize("model", sorted(FACTORIES, key=lambda m: m._meta.label), ids=str)
def test_each_factory_builds_a_row_the_model_accepts(model):
    row = FACTORIES[model]()
    row.full_clean()
    assert model.objects.filter(pk=row.pk).exists()
