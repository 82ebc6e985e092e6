"""The verksamhetsplan on the board's agenda: the meeting page says what it is and links to it,
and the meeting pack carries the draft in full as its own section, read by poppler as a board
member would read it; once adopted, the pack and page point at the stored PDF."""

import re
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from budget import plan_services
from budget.plan_demo import load_plan_demo
from finsam.models import User
from tests.factories import RoleFactory, justerat_plan_decision

TOC_LINE = re.compile(r"^\s*(?P<heading>\S.*?)\s*\.{3,}\s*(?P<page>\d+)\s*$")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def kansli(seed):
    return User.objects.get(email="kansli@example.org")


@pytest.fixture
def plan(seed, kansli):
    """Seed 004's plan for 2010 with every part placed, on the demo's upcoming board meeting."""
    plan = load_plan_demo(2010)
    assert plan.agenda_item is not None
    return plan


def pdf_pages(content: bytes, tmp_path) -> list[str]:
    path = tmp_path / "kallelse.pdf"
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout.replace("\xa0", " ")
    return [page for page in text.split("\f") if page.strip()]


@pytest.mark.django_db
def test_the_board_sees_the_draft_plan_under_its_item_with_links(plan, login):
    board = login(User.objects.get(email="styrelse@example.org"))
    meeting = plan.agenda_item.meeting

    body = board.get(meeting.get_absolute_url()).content.decode().replace("\xa0", " ")

    assert f"<strong>{plan.title}</strong>, version 1 · utkast" in body
    assert f'href="{plan.get_absolute_url()}"' in body
    assert f'href="{reverse("budget:plan_pdf", args=[plan.pk])}"' in body
    assert "Avsnitt: Inledning; Övergripande mål, syfte och centrala begrepp;" in body
    assert board.get(plan.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_the_pack_carries_the_draft_in_full_with_its_own_contents(plan, login, tmp_path):
    board = login(User.objects.get(email="styrelse@example.org"))
    meeting = plan.agenda_item.meeting

    response = board.get(reverse("applications:pack_pdf", args=[meeting.pk]))
    pages = pdf_pages(response.getvalue(), tmp_path)

    start = next(
        i for i, page in enumerate(pages) if "Bilaga: Verksamhetsplan med budget 2010" in page
    )
    # The agenda's item points at the appendix, with the page it begins on.
    pointer = re.search(r"Verksamhetsplan med budget 2010, sida (\d+)", "\n".join(pages[:start]))
    assert pointer and int(pointer[1]) == start + 1
    appendix = pages[start:]
    for page in appendix:  # the running header says what the pages are, and that it is a draft
        assert "Bilaga: Verksamhetsplan med budget 2010, utkast" in page
    entries = [
        (m["heading"], int(m["page"]))
        for line in appendix[0].splitlines()
        if (m := TOC_LINE.match(line))
    ]
    headings = list(plan.sections.values_list("heading", flat=True))
    assert [heading for heading, _page in entries] == headings
    for heading, number in entries:
        assert heading in [line.strip() for line in pages[number - 1].splitlines()], heading
    text = "\n".join(appendix)
    # Every section's text and generated part: the board table, the budget table.
    assert "Samordningsförbundet Landskrona-Svalöv bildades den 1 september 2009" in text
    assert "Ordinarie ledamöter" in text and "Mattias Adolfsson (fp)" in text
    assert re.search(r"^\s*Överfört från föregående år\s+4 982\s*$", text, re.M)
    assert "Medel för insatser att fördela" in text


@pytest.mark.django_db
def test_once_adopted_page_and_pack_point_at_the_stored_pdf(plan, kansli, login, tmp_path, seed):
    from applications import services as application_services

    application_services.agenda_item_remove(user=kansli, item=plan.agenda_item)
    plan.refresh_from_db()
    item = justerat_plan_decision(plan, kansli)
    adopted = plan_services.plan_adopt(user=kansli, plan=plan, agenda_item=item)
    auditor = login(RoleFactory(association=seed, kind="auditor").user)

    body = auditor.get(item.meeting.get_absolute_url()).content.decode().replace("\xa0", " ")
    pages = pdf_pages(
        auditor.get(reverse("applications:pack_pdf", args=[item.meeting.pk])).getvalue(), tmp_path
    )

    assert f"{plan.title}</strong>, version 1 · antagen av styrelsen" in body
    assert f'href="{reverse("budget:plan_pdf", args=[plan.pk])}"' in body
    text = "".join(pages)
    assert "Bilaga:" not in text
    held = timezone.localtime(item.meeting.starts_at)  # the day in Sweden, as the page shows it
    assert f"Antagen av styrelsen {held:%Y-%m-%d}, § {item.paragraph}" in text
    assert adopted.pdf_sha256 in re.sub(r"\s+", "", text)


@pytest.mark.django_db
def test_a_draft_is_not_shown_to_the_auditor(plan, kansli, login, seed):
    from applications import services as application_services

    application_services.agenda_item_remove(user=kansli, item=plan.agenda_item)
    plan.refresh_from_db()
    item = justerat_plan_decision(plan, kansli)  # justerat, but the plan is not adopted yet
    auditor = login(RoleFactory(association=seed, kind="auditor").user)

    body = auditor.get(item.meeting.get_absolute_url()).content.decode()

    assert plan.title in body  # the item's title
    assert "Läs planen" not in body
