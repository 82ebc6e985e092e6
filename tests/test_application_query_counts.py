"""Query counts of the application pages, pinned, measured before and after adding rows."""

import pytest
from django.urls import reverse

from applications.models import (
    Activity,
    BudgetRow,
    ParticipantTarget,
    PartyCommitment,
    PlannedReport,
    StateChange,
)
from tests.factories import ApplicationFactory, TargetGroupFactory, assess, registered_application
from tests.helpers import LOGGED_IN


def grow(association, application, count=20):
    """More applications in the list, and more rows of every kind in the one application."""
    groups = [TargetGroupFactory(association=association) for _ in range(3)]
    for _ in range(count):
        other = ApplicationFactory(association=association)
        other.target_groups.set(groups)
        other.parties.set(association.members.all())
        ParticipantTarget.objects.create(application=application, text="Mål", number=5)
        Activity.objects.create(
            application=application, activity="Steg", start="2027-01-01", end="2027-02-01"
        )
        BudgetRow.objects.create(application=application, year=2027, label="Post", amount=1000)
        PartyCommitment.objects.create(
            application=application, member=association.members.first(), commitment="Del"
        )
        PlannedReport.objects.create(application=application, kind="interim", due="2027-06-30")
        StateChange.objects.create(
            application=application,
            from_state="in_preparation",
            to_state="in_preparation",
            by=application.state_changes.first().by,
        )
    application.parties.set(association.members.all())
    application.target_groups.set(groups)
    application.linked.set(association.applications.exclude(pk=application.pk)[:5])


@pytest.fixture
def prepared(association, officer, preparer):
    application = registered_application(association, officer)
    assess(application, preparer)
    return application


@pytest.fixture
def measure(django_assert_num_queries, association, prepared):
    def check(client, url, expected):
        with django_assert_num_queries(expected):
            assert client.get(url).status_code == 200
        grow(association, prepared)
        with django_assert_num_queries(expected):
            assert client.get(url).status_code == 200

    return check


# The application with its owner, initiative and förbund; then its parties, target groups,
# targets, activities, commitments, budget rows, planned reports, assessments, timeline, and
# linked applications.
DETAIL = 1 + 10
# The recommended amounts of the assessments the role reads, where there are any.
AMOUNTS = 1


@pytest.mark.django_db
def test_list_page_costs_the_same_for_many_applications(measure, officer_client):
    # the page of rows with the list's total (a window count, no count query of its own since
    # issue #12), their target groups' names; the filter form's members and target groups
    measure(officer_client, reverse("applications:list"), LOGGED_IN + 4)


@pytest.mark.django_db
def test_excel_export_costs_the_same_for_many_applications(measure, officer_client):
    # the rows and their target groups
    measure(officer_client, reverse("applications:export_xlsx"), LOGGED_IN + 2)


@pytest.mark.django_db
def test_create_form_reads_its_choices_once(measure, officer_client):
    # choices: members (for owner and parties, and the commitments' rows: the formsets take
    # the form's list since issue #12's second round), target groups, initiatives, other
    # applications
    measure(officer_client, reverse("applications:create"), LOGGED_IN + 4)


@pytest.mark.django_db
def test_draft_page_costs_the_same_with_more_budget_rows(
    django_assert_num_queries, officer_client, association
):
    draft = ApplicationFactory(association=association)
    url = reverse("applications:detail", args=[draft.pk])
    # the detail and the history; what registration still needs reads the prefetched rows
    with django_assert_num_queries(LOGGED_IN + DETAIL + 1):
        officer_client.get(url)
    for year in (2027, 2028):
        BudgetRow.objects.create(application=draft, year=year, label="Mer", amount=1)
    with django_assert_num_queries(LOGGED_IN + DETAIL + 1):
        officer_client.get(url)


@pytest.mark.django_db
def test_officer_page_adds_only_the_history(measure, officer_client, prepared):
    # the detail and the history
    measure(
        officer_client,
        reverse("applications:detail", args=[prepared.pk]),
        LOGGED_IN + DETAIL + AMOUNTS + 1,
    )


@pytest.mark.django_db
def test_board_page_costs_the_same_for_many_rows(measure, login, board_member, prepared):
    measure(
        login(board_member), reverse("applications:detail", args=[prepared.pk]), LOGGED_IN + DETAIL
    )


@pytest.mark.django_db
def test_edit_form_reads_each_table_once(measure, officer_client, prepared):
    # the application with its parties, target groups and linked applications (since issue
    # #12's second round not the page's other rows, assessments and timeline: the form does not
    # show them, and the row tables read their own rows); the form's choices (4, the
    # commitments' rows take the form's members); each of the five row tables' rows
    measure(
        officer_client,
        reverse("applications:edit", args=[prepared.pk]),
        LOGGED_IN + 1 + 3 + 4 + 5,
    )


@pytest.mark.django_db
def test_assessment_form_reads_the_current_round_once(measure, login, preparer, prepared):
    # the detail, the current assessment and its recommended amounts
    measure(
        login(preparer),
        reverse("applications:assess", args=[prepared.pk]),
        LOGGED_IN + DETAIL + AMOUNTS + 2,
    )


@pytest.mark.django_db
def test_pdf_reads_what_the_page_reads(measure, login, board_member, prepared):
    measure(
        login(board_member), reverse("applications:pdf", args=[prepared.pk]), LOGGED_IN + DETAIL
    )
