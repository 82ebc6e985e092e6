"""Numbering and editing under concurrency. The parallel test needs PostgreSQL: SQLite
serialises whole transactions, so it would prove nothing there."""

import threading

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.models import Application
from applications.services.application import CHANGED_MEANWHILE
from tests.factories import ApplicationFactory
from tests.helpers import edit_data


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_twenty_parallel_registrations_get_twenty_consecutive_numbers(association, officer):
    drafts = [ApplicationFactory(association=association) for _ in range(20)]
    barrier = threading.Barrier(len(drafts))
    errors = []

    def register(draft):
        try:
            barrier.wait()
            services.application_register(user=officer, application=draft)
        except Exception as error:  # reported below; a thread cannot fail the test itself
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(draft,)) for draft in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    numbers = sorted(
        Application.objects.filter(association=association).values_list("dnr_number", flat=True)
    )
    assert numbers == list(range(1, 21))
    assert set(Application.objects.values_list("dnr_year", flat=True)) == {
        timezone.localdate().year
    }


@pytest.mark.django_db
def test_second_officer_saving_an_older_version_is_refused_and_nothing_is_overwritten(
    login, officer, association
):
    from tests.factories import RoleFactory

    colleague = RoleFactory(association=association, kind="officer").user
    application = ApplicationFactory(association=association, name="Ursprungligt namn")
    url = reverse("applications:edit", args=[application.pk])
    first, second = login(officer), login(colleague)
    first_form = first.get(url).context
    second.get(url)

    def post(client, name, version):
        data = edit_data(first_form, name=name, version=version)
        return client.post(url, data, follow=True)

    post(first, "Första officerens namn", 1)
    response = post(second, "Andra officerens namn", 1)

    assert CHANGED_MEANWHILE in response.content.decode()
    application.refresh_from_db()
    assert application.name == "Första officerens namn"
    assert application.version == 2
