"""No lost update in the follow-up (#13): the forms two people can open at once (the anonymous
counts' grid, a participant's end, a report's upload) carry a fingerprint of what they show
(finsam/concurrency.py). Two officers open the form, the first saves, then the second: the second
is refused with "Någon annan har ändrat …", sees the page as it is now, and nothing of theirs is
saved; the first one's change stays. The forms are read from the page as a browser sends them."""

import datetime
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from finsam.errors import ChangedMeanwhile
from finsam.models import Role
from followup import services
from followup.models import AnonymousCount, Participant, Report
from followup.services import ParticipantEnd
from tests.factories import InitiativeFactory, ParticipantFactory, RoleFactory, report_due
from tests.helpers import form_on

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def page_text(response) -> str:
    return html.unescape(response.content.decode()).replace("\xa0", " ")


def assert_refused(response, url, what):
    """Sent back to the form's page (a GET: the page as it is now), with the message."""
    assert response.redirect_chain == [(url, 302)]
    assert response.status_code == 200
    assert str(ChangedMeanwhile(what)) in page_text(response)


@pytest.fixture
def clients(login, officer, association):
    colleague = RoleFactory(association=association, kind=Role.Kind.OFFICER).user
    return login(officer), login(colleague)


@pytest.fixture
def initiative(association):
    return InitiativeFactory(association=association, name="Steget")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


@pytest.mark.django_db
def test_second_save_of_the_anonymous_counts_is_refused_and_the_first_is_kept(clients, initiative):
    first, second = clients
    url = reverse("followup:anonymous_counts", args=[initiative.pk]) + "?ar=2025"
    first_form, second_form = form_on(first.get(url)), form_on(second.get(url))

    saved = first.post(url, {**first_form, "women-2025-02": "6"})
    response = second.post(url, {**second_form, "men-2025-03": "7"}, follow=True)

    assert saved.status_code == 302
    assert_refused(response, url, services.ANONYMOUS_WHAT)
    assert "Anonyma deltagare 2025 är sparade" not in page_text(response)
    assert list(AnonymousCount.objects.values_list("month", "women", "men")) == [
        (datetime.date(2025, 2, 1), 6, 0)
    ]
    # The page now shows the first officer's count, ready to be changed again.
    again = form_on(second.get(url))
    assert again["women-2025-02"] == "6"
    assert second.post(url, {**again, "men-2025-03": "7"}).status_code == 302
    assert AnonymousCount.objects.get(month=datetime.date(2025, 3, 1)).men == 7


@pytest.mark.django_db
def test_a_participant_ended_twice_keeps_the_first_end_and_says_so(clients, initiative):
    first, second = clients
    participant = ParticipantFactory(initiative=initiative, number=1)
    url = reverse("followup:participant_end", args=[initiative.pk, participant.pk])
    first_form, second_form = form_on(first.get(url)), form_on(second.get(url))
    end = {"income_source_end": "salary", "occupation_end": "employed"}

    saved = first.post(url, {**first_form, **end, "ended_on": "2025-06-01", "exit_reason": "work"})
    response = second.post(
        url,
        {**second_form, **end, "ended_on": "2025-07-01", "exit_reason": "studies"},
        follow=True,
    )

    assert saved.status_code == 302
    # The register, with what happened: never a bare error page.
    register = reverse("followup:register", args=[initiative.pk])
    assert response.redirect_chain == [(register, 302)]
    assert "D-0001 är redan avslutad (2025-06-01)." in page_text(response)
    participant.refresh_from_db()
    assert (participant.ended_on, participant.exit_reason) == (datetime.date(2025, 6, 1), "work")


@pytest.mark.django_db
def test_a_participant_corrected_meanwhile_is_not_ended_on_the_old_values(
    clients, initiative, officer
):
    """Corrected by another route while the end form is open (a register file, say): the end
    form's save is refused, and the page shows the participant as corrected."""
    _first, second = clients
    participant = ParticipantFactory(initiative=initiative, number=1, education="compulsory")
    url = reverse("followup:participant_end", args=[initiative.pk, participant.pk])
    opened = form_on(second.get(url))
    old = services.participant_fingerprint(participant)
    Participant.objects.filter(pk=participant.pk).update(education="upper_secondary")

    response = second.post(
        url,
        {
            **opened,
            "ended_on": "2025-06-01",
            "exit_reason": "work",
            "income_source_end": "salary",
            "occupation_end": "employed",
        },
        follow=True,
    )

    assert_refused(response, url, "deltagaren D-0001")
    participant.refresh_from_db()
    assert participant.ended_on is None
    # Called directly with the old fingerprint, the service refuses the same.
    with pytest.raises(ChangedMeanwhile):
        services.participant_end(
            user=officer,
            participant=participant,
            end=ParticipantEnd(datetime.date(2025, 6, 1), "work", "salary", "employed"),
            fingerprint=old,
        )


@pytest.mark.django_db
def test_a_report_uploaded_meanwhile_is_not_replaced_by_the_second_upload(
    clients, initiative, media
):
    first, second = clients
    planned = report_due(initiative, due=timezone.localdate())
    url = reverse("followup:report_upload", args=[initiative.pk, planned.pk])
    first_form, second_form = form_on(first.get(url)), form_on(second.get(url))
    today = f"{timezone.localdate():%Y-%m-%d}"

    saved = first.post(
        url, {**first_form, "file": SimpleUploadedFile("Först.pdf", PDF), "received_on": today}
    )
    response = second.post(
        url,
        {**second_form, "file": SimpleUploadedFile("Sedan.pdf", PDF), "received_on": today},
        follow=True,
    )

    assert saved.status_code == 302
    assert_refused(response, url, services.REPORT_WHAT)
    assert Report.objects.get().file_name == "Först.pdf"
    # The page now says what was received, and a new upload from it replaces it.
    again = second.get(url)
    assert "Först.pdf" in page_text(again)
    replaced = second.post(
        url,
        {**form_on(again), "file": SimpleUploadedFile("Sedan.pdf", PDF), "received_on": today},
    )
    assert replaced.status_code == 302
    assert Report.objects.get().file_name == "Sedan.pdf"
