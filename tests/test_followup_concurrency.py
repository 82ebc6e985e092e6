"""No lost update in the follow-up (#13): the forms two people can open at once (the anonymous
counts' grid, a participant's end, a report's upload) carry a fingerprint of what they show
(finsam/concurrency.py). Two officers open the form, the first saves, then the second: the second
is refused with "Någon annan har ändrat …", sees the page as it is now, and nothing of theirs is
saved; the first one's change stays. The forms are read from the page as a browser sends them."""

import datetime
import html
from html.parser import HTMLParser

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

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class _Forms(HTMLParser):
    """The fields of each form on a page as a browser submits them (inputs with their value,
    a select's chosen option, else its first; ticked radios only)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._form = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = []
            self.forms.append(self._form)
        if self._form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._form.append((name, attrs.get("value") or "on"))
            elif kind not in ("submit", "button", "reset", "image", "file"):
                self._form.append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self._select = [name, None, None]
        elif tag == "option" and self._select is not None:
            if self._select[1] is None:
                self._select[1] = attrs.get("value") or ""
            if "selected" in attrs:
                self._select[2] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            name, first, chosen = self._select
            self._form.append((name, chosen if chosen is not None else first or ""))
            self._select = None
        elif tag == "form":
            self._form = None


def form_on(response) -> dict:
    """The page's form that carries a fingerprint, as a POST body."""
    assert response.status_code == 200
    parser = _Forms()
    parser.feed(response.content.decode())
    forms = [form for form in parser.forms if any(name == "fingerprint" for name, _ in form)]
    assert len(forms) == 1, "the page's form carries no fingerprint"
    return dict(forms[0])


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
