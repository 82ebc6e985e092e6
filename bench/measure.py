"""The benchmark's measurements inside Django (run by bench/harness.py, against the benchmark's
database, with its settings):

    measure.py prepare OUT.json   the officer's session, every GET page kind's URL with its
                                  status, content type and query count, the EXPLAIN ANALYZE of
                                  the list pages' and the start page's queries, and each
                                  PDF's time against raw WeasyPrint on the same HTML
    measure.py memory URL         one export's time and peak memory, in a fresh process
    measure.py upload LABEL       one hostile upload of UPLOADS refused: time, memory, message
    measure.py time NAME...       CPU time of rendering each named page here ("html": all)

Only reads, but for the benchmark session and, in `prepare`, two board meetings made through the
services (see `stage_meetings`) so that the pages of a meeting not yet held and of one whose
minutes are being written are measured too, and the plan's sections written (`stage_plan`); the
database is a throwaway copy of the dump."""

import datetime
import gc
import json
import os
import re
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY  # noqa: E402
from django.contrib.auth import SESSION_KEY as USER_KEY  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import URLPattern, URLResolver, get_resolver, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402

from applications.models import AgendaItem, Application, Meeting, PlannedReport  # noqa: E402
from bench.national import ORG_PREFIX  # noqa: E402
from budget.models import Budget  # noqa: E402
from budget.plan_models import Plan  # noqa: E402
from finsam import downloads, tenancy  # noqa: E402
from finsam.management.commands.demo import LANDSKRONA  # noqa: E402
from finsam.models import Association, Role  # noqa: E402
from finsam.views import SECTIONS  # noqa: E402
from followup.models import Participant  # noqa: E402

# The session keys of the second factor (accounts.login_flow): the benchmark session counts as
# verified, as an officer's is after the login code; and as refreshed far ahead, so that the
# idle-time middleware does not write it during the run.
SECOND_FACTOR_KEY = "finsam_second_factor"
REFRESHED_KEY = "finsam_session_refreshed"
# The pages whose queries are explained: the lists, and the start page's lists of what waits
# (the applications prepared, the reports owed), read through the application's state index.
LISTS = [
    "applications:list",
    "applications:meetings",
    "followup:list",
    "followup:register",
    "start",
]
# Each PDF is made this many times each way; the median counts.
PDF_RUNS = int(os.environ.get("BENCH_PDF_RUNS", "5"))
# The meeting pack timed with this many applications on the agenda (issue #12).
PACK_APPLICATIONS = 15
# Rows above which a sequential scan of a table is worth a note.
LARGE_TABLE = 10_000
# The demo's förbund, whose pages' query counts each page's are compared with.
DEMO_ORG_NUMBER = LANDSKRONA["org_number"]


def routes(resolver=None, namespace="", prefix=""):
    """Every named URL pattern: name → its whole route (the admin left out)."""
    resolver = resolver or get_resolver()
    found = {}
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found |= routes(entry, inner, route)
        elif isinstance(entry, URLPattern) and entry.name:
            found[namespace + entry.name] = route
    return found


def largest_association() -> Association:
    """The national dataset's förbund with the most applications."""
    return (
        Association.objects.filter(org_number__startswith=ORG_PREFIX[:4])
        .annotate(size=Count("applications"))
        .order_by("-size", "pk")
        .first()
    )


def session_for(association: Association):
    """A session of the förbund's officer, saved, and its cookie value."""
    from importlib import import_module

    role = Role.objects.filter(association=association, kind=Role.Kind.OFFICER).first()
    user = role.user
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[USER_KEY] = str(user.pk)
    # The first backend that can load a user from a session (django-axes's only throttles).
    store[BACKEND_SESSION_KEY] = next(
        path
        for path in settings.AUTHENTICATION_BACKENDS
        if hasattr(import_string(path), "get_user")
    )
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[tenancy.SESSION_KEY] = association.pk
    store[SECOND_FACTOR_KEY] = "benchmark"
    store[REFRESHED_KEY] = 2**40
    store.set_expiry(24 * 3600)
    store.save()
    return user, store.session_key


def objects_of(association: Association) -> dict:
    """One object of each kind the URLs take, the biggest or the most typical of the förbund."""
    applications = Application.objects.filter(association=association)
    granted = applications.filter(state="granted").order_by("-dnr_year", "-dnr_number").first()
    meetings = Meeting.objects.filter(association=association)
    justerat = meetings.filter(approved_at__isnull=False).order_by("-starts_at").first()
    upcoming = meetings.filter(minutes_opened_at__isnull=True).order_by("-starts_at").first()
    in_writing = meetings.filter(minutes_opened_at__isnull=False, approved_at__isnull=True)
    initiative = (
        association.initiatives.annotate(size=Count("participants")).order_by("-size", "pk").first()
    )
    # A report received, so that its file is measured too (the upload page shows it).
    reports = PlannedReport.objects.filter(application__initiative=initiative).order_by("due", "pk")
    budget = Budget.objects.for_association(association).order_by("-period_start")
    current = budget.filter(period_start__year__lte=timezone.localdate().year).first()
    plan = Plan.objects.filter(association=association).order_by("-pk").first()
    sections = {
        slug: section.model.objects.for_association(association).order_by("pk").first()
        if hasattr(section.model.objects, "for_association")
        else section.model.objects.filter(association=association).order_by("pk").first()
        for slug, section in SECTIONS.items()
    }
    return {
        "application": granted,
        "draft": applications.filter(state="draft").first() or granted,
        "in_preparation": applications.filter(state="in_preparation").first() or granted,
        "justerat": justerat,
        "upcoming": upcoming or justerat,
        "in_writing": in_writing.order_by("-starts_at").first() or justerat,
        "initiative": initiative,
        "participant": Participant.objects.filter(initiative=initiative).order_by("pk").first(),
        "report": reports.filter(received__isnull=False).first() or reports.first(),
        "budget": current,
        "plan": plan,
        "sections": sections,
    }


# Routes that need an application in a particular state, or a meeting not yet held.
APPLICATION_FOR = {"applications:edit": "draft", "applications:assess": "in_preparation"}
# Routes that need a held meeting whose minutes are being written.
IN_WRITING = {"applications:decision"}
UPCOMING = {
    "applications:attendance",
    "applications:meeting_edit",
    "applications:publish",
    "applications:meeting_cancel",
    "applications:agenda_add",
    "applications:agenda_remove",
    "applications:agenda_move",
    "applications:minutes_open",
}
# Not requested: logging out would end the benchmark's session.
SKIPPED = {"logout", "bench_baseline"}
SECTION = "styrelse"  # the organisation section the section pages are measured with


def url_for(name: str, route: str, objects: dict) -> str | None:
    """The page's URL on the förbund's objects, or None where the route takes what we lack."""
    try:
        if "<uidb64>" in route:
            return None
        if "<slug:section>" in route:
            args = [SECTION]
            if "<int:pk>" in route:
                args.append(objects["sections"][SECTION].pk)
            return reverse(name, args=args)
        if "<int:pk>" not in route:
            return reverse(name)
        if route.startswith("budget/verksamhetsplan/"):
            plan = objects["plan"]
            if "<int:section>" in route:
                return reverse(name, args=[plan.pk, plan.sections.order_by("position")[0].pk])
            return reverse(name, args=[plan.pk])
        if route.startswith("budget/"):
            return reverse(name, args=[objects["budget"].pk])
        if route.startswith("insatser/"):
            args = [objects["initiative"].pk]
            if "<int:participant>" in route:
                args.append(objects["participant"].pk)
            if "<int:report>" in route:
                args.append(objects["report"].pk)
            return reverse(name, args=args)
        if route.startswith("organisation/medlem/"):
            return reverse(name, args=[objects["sections"]["medlemmar"].pk])
        if route.startswith("ansokningar/sammantraden/"):
            state = "in_writing" if name in IN_WRITING else "justerat"
            meeting = objects["upcoming" if name in UPCOMING else state]
            if "<int:item>" in route:
                items = AgendaItem.objects.filter(meeting=meeting).order_by("position")
                item = (
                    items.filter(application__isnull=False).first()
                    or items.filter(kind__in=AgendaItem.NEEDS_DECISION).first()
                )
                return reverse(name, args=[meeting.pk, item.pk])
            return reverse(name, args=[meeting.pk])
        return reverse(name, args=[objects[APPLICATION_FOR.get(name, "application")].pk])
    except (AttributeError, IndexError, TypeError):
        return None


def kind_of(content_type: str) -> str:
    if "text/html" in content_type:
        return "html"
    if "pdf" in content_type:
        return "pdf"
    if "spreadsheet" in content_type:
        return "xlsx"
    return content_type.split(";")[0]


def explain(queries: list[str], sizes: dict[str, int]) -> list[dict]:
    """EXPLAIN ANALYZE of each query, with the sequential scans of large tables."""
    explained = []
    with connection.cursor() as cursor:
        for sql in queries:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS OFF) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            scans = sorted(set(re.findall(r"Seq Scan on (\w+)", plan)))
            large = [t for t in scans if sizes.get(t, 0) >= LARGE_TABLE]
            took = re.search(r"Execution Time: ([\d.]+) ms", plan)
            explained.append(
                {
                    "sql": sql,
                    "plan": plan,
                    "seq_scans": scans,
                    "large": large,
                    "ms": float(took.group(1)) if took else None,
                }
            )
    return explained


def table_sizes() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, n_live_tup FROM pg_stat_user_tables")
        return dict(cursor.fetchall())


def pdf_times(client: Client, url: str, runs: int = PDF_RUNS) -> dict | None:
    """The PDF through the app, and raw WeasyPrint on the HTML the app rendered for it; None
    for a PDF the app only hands over from storage (a received report), which it renders not.
    The two alternate, run by run, so that a machine whose speed drifts meanwhile (shared CPUs)
    slows both alike; the first request, which warms the caches, is not counted."""
    from weasyprint import HTML

    captured = []
    real = downloads.render_to_string

    def capture(*args, **kwargs):
        html = real(*args, **kwargs)
        captured.append(html)
        return html

    def through_app() -> float:
        started = time.perf_counter()
        response = client.get(url)
        b"".join(response) if response.streaming else response.content
        return time.perf_counter() - started

    app, raw = [], []
    downloads.render_to_string = capture
    try:
        through_app()
        if not captured:
            return None
        for _ in range(runs):
            # A PDF leaves a heap big enough that the next run may pay for a full collection of
            # it (~130 ms on the budget report, about every other run): collected before each
            # run, the app and raw WeasyPrint each pay for their own garbage only, and the
            # ratio stops swinging between 0.7 and 1.5 with where the collections fell.
            gc.collect()
            app.append(through_app())
            gc.collect()
            started = time.perf_counter()
            # The same output as the app's (finsam.downloads.render_pdf): PDF/A-3b.
            HTML(string=captured[-1]).write_pdf(pdf_variant="pdf/a-3b")
            raw.append(time.perf_counter() - started)
    finally:
        downloads.render_to_string = real
    return {"app": statistics.median(app), "raw": statistics.median(raw)}


class _RolledBack(Exception):
    pass


def pack_of(association: Association, client: Client, count: int = PACK_APPLICATIONS) -> dict:
    """The meeting pack of the förbund's next meeting (or its last) with ``count`` applications
    on its agenda (issue #12: under 5 s), timed as the other PDFs. The applications are put on
    the agenda in a transaction that is rolled back: the benchmark only reads."""
    meetings = Meeting.objects.filter(association=association).order_by("-starts_at")
    meeting = meetings.filter(minutes_opened_at__isnull=True).first() or meetings.first()
    if meeting is None:
        return {}
    url = reverse("applications:pack_pdf", args=[meeting.pk])
    result = {"name": f"applications:pack_pdf ({count} ansökningar)", "url": url}
    try:
        with transaction.atomic():
            items = AgendaItem.objects.filter(meeting=meeting)
            present = items.filter(application__isnull=False)
            missing = count - present.count()
            applications = (
                Application.objects.filter(association=association)
                .exclude(state="draft")
                .exclude(pk__in=present.values("application"))
                .order_by("-pk")[:missing]
            )
            last = max((item.position for item in items), default=0)
            AgendaItem.objects.bulk_create(
                AgendaItem(
                    meeting=meeting,
                    position=last + number,
                    kind=AgendaItem.Kind.APPLICATION,
                    title=application.name[:300],
                    application=application,
                )
                for number, application in enumerate(applications, start=1)
            )
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            result |= {"status": 200, "kind": "pdf", "queries": len(queries)}
            result["pdf"] = pdf_times(client, url)
            raise _RolledBack
    except _RolledBack:
        pass
    return result


def stage_meetings(association: Association, user) -> None:
    """A förbund is rarely without a meeting ahead or minutes in writing, but the generated
    history ends with every meeting justerat: one board meeting is added that was held yesterday
    with its minutes open (decisions), and one three weeks ahead with applications on its agenda
    (editing, attendance, kallelse, and the 15-application pack), both through the services as
    the officer. Twice in one database (a second prepare) adds nothing."""
    from applications import services as application_services
    from applications.selectors import board_seats_on

    now = timezone.localtime()
    board = Meeting.Body.BOARD
    meetings = Meeting.objects.filter(association=association, body=board)
    if not meetings.filter(approved_at__isnull=True, starts_at__lt=now).exists():
        held = application_services.meeting_create(
            user=user,
            association=association,
            body=board,
            starts_at=(now - datetime.timedelta(days=1)).replace(hour=9, minute=0),
            place="Kansliet",
        )
        application_services.agenda_item_add(
            user=user, meeting=held, kind=AgendaItem.Kind.OTHER, title="Lokalfrågan"
        )
        ordinary = [seat for seat in board_seats_on(held) if seat.kind == "ordinary"]
        application_services.attendance_record(
            user=user,
            meeting=held,
            rows=[
                application_services.AttendanceRow(seat=seat, present=True, approver=number == 1)
                for number, seat in enumerate(ordinary)
            ],
        )
        application_services.minutes_open(user=user, meeting=held)
    if not meetings.filter(starts_at__gt=now).exists():
        upcoming = application_services.meeting_create(
            user=user,
            association=association,
            body=board,
            starts_at=(now + datetime.timedelta(days=21)).replace(hour=9, minute=0),
            place="Kansliet",
        )
        prepared = Application.objects.filter(association=association, state="prepared")
        for application in prepared.order_by("pk")[:3]:
            application_services.agenda_item_add(
                user=user, meeting=upcoming, kind="application", application=application
            )


def staged(association: Association):
    """The förbund staged for measuring (its meetings and plan, see stage_meetings and
    stage_plan), its officer, the session cookie, its objects and a client logged in as them."""
    user, cookie = session_for(association)
    stage_meetings(association, user)
    stage_plan(association, user)
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    return user, cookie, objects_of(association), client


def demo_query_counts() -> dict[str, int]:
    """The queries of each GET page that answers 200 for the demo förbund's officer (the demo
    data the tests' pins are set on, loaded into the same database by the harness): the issue
    asks that a page asks as many questions of the national dataset as of the demo. Empty when
    the demo is not loaded."""
    association = Association.objects.filter(org_number=DEMO_ORG_NUMBER).first()
    if association is None:
        return {}
    _user, _cookie, objects, client = staged(association)
    counts = {}
    for name, route in sorted(routes().items()):
        url = None if name in SKIPPED else url_for(name, route, objects)
        if url is None:
            continue
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            b"".join(response) if response.streaming else response.content
        if response.status_code == 200:
            counts[name] = len(queries)
    return counts


def stage_plan(association: Association, user) -> None:
    """The generator starts each förbund's plan with the seeds' headings and no text: its
    sections are written as the demo's are (text and the generated parts: insatser, budget,
    board, eget kapital), through the services, so that the plan's pages are measured as a
    real plan shows them. A plan written already is left as it is."""
    from budget.plan_demo import write_sections

    plan = Plan.objects.filter(association=association).order_by("-pk").first()
    if plan is not None and not plan.sections.exclude(part="").exists():
        write_sections(user, plan)


def prepare(out: str) -> None:
    demo = demo_query_counts()
    association = largest_association()
    user, cookie, objects, client = staged(association)
    sizes = table_sizes()
    pages = []
    for name, route in sorted(routes().items()):
        url = None if name in SKIPPED else url_for(name, route, objects)
        if url is None:
            pages.append({"name": name, "url": None, "status": None})
            continue
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            body = b"".join(response) if response.streaming else response.content
        page = {
            "name": name,
            "url": url,
            "status": response.status_code,
            "kind": kind_of(response.get("Content-Type", "")),
            "queries": len(queries),
            "demo_queries": demo.get(name),
            "bytes": len(body),
        }
        if response.status_code == 200:
            explained = explain([q["sql"] for q in queries.captured_queries], sizes)
            if name in LISTS:
                page["explain"] = explained
            # Every page's scans of a large table (every förbund's rows read for one förbund's
            # page), whatever the page: the table in results.md should say none.
            page["large_scans"] = [
                {"sql": query["sql"], "tables": query["large"], "ms": query["ms"]}
                for query in explained
                if query["large"]
            ]
        pages.append(page)
    timed = [name for name in os.environ.get("BENCH_PDFS", "").split(",") if name]
    for page in pages:
        if page.get("status") == 200 and page["kind"] == "pdf":
            if timed and page["name"] not in timed:
                continue
            page["pdf"] = pdf_times(client, page["url"])
    if not timed or "applications:pack_pdf" in timed:
        pages.append(pack_of(association, client))
    counts = {
        "förbund": Association.objects.filter(org_number__startswith=ORG_PREFIX[:4]).count(),
        "ansökningar (förbundet)": Application.objects.filter(association=association).count(),
        "ansökningar (alla)": Application.objects.count(),
        "deltagare (alla)": Participant.objects.count(),
    }
    biggest = sorted(sizes.items(), key=lambda item: -item[1])[:12]
    Path(out).write_text(
        json.dumps(
            {
                "association": association.name,
                "officer": user.email,
                "cookie": cookie,
                "cookie_name": settings.SESSION_COOKIE_NAME,
                "pages": pages,
                "counts": counts,
                "tables": biggest,
                "large_table": LARGE_TABLE,
            },
            ensure_ascii=False,
            indent=1,
        )
    )


def memory(url: str) -> None:
    """Peak RSS of this process serving one export (after a page has loaded the app)."""
    association = largest_association()
    _user, cookie = session_for(association)
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    client.get(reverse("start"))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    response = client.get(url)
    size = len(b"".join(response) if response.streaming else response.content)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "status": response.status_code,
                "bytes": size,
                "seconds": seconds,
                "rss_before_mb": before / 1024,
                "peak_mb": peak / 1024,
            }
        )
    )


def upload(label: str) -> None:
    """One hostile upload through the app: seconds, peak RSS, the message, and whether any of
    the tables an import writes changed (they must not)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from bench.files import UPLOADS, long_workbook, zip_bomb
    from budget.models import Actual, ActualImport, ChartLine

    name, kind, form = UPLOADS[label]
    association = largest_association()
    _user, cookie = session_for(association)
    objects = objects_of(association)
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    client.get(reverse("start"))
    content = long_workbook(300_000) if kind == "long" else zip_bomb()
    if form == "legacy":
        url = reverse(name)
        fields = {"period_start": "2040-01-01", "period_end": "2040-12-31"}
    else:
        url = reverse(name, args=[objects["budget" if form == "ledger" else "initiative"].pk])
        fields = {}
    tables = (Budget, ChartLine, Actual, ActualImport, Participant)
    before = [model.objects.count() for model in tables]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    response = client.post(url, {**fields, "file": SimpleUploadedFile("fil.xlsx", content)})
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
    said = re.search(r"Filen[^.]*(tas emot|packas upp|fler än|för stor)[^.]*\.", text)
    print(
        json.dumps(
            {
                "status": response.status_code,
                "megabytes": len(content) / 1024 / 1024,
                "seconds": seconds,
                "peak_growth_mb": (peak - rss) / 1024,
                "message": said.group(0).strip() if said else "",
                "written": [model.objects.count() for model in tables] != before,
            },
            ensure_ascii=False,
        )
    )


def render_times(names: list[str]) -> None:
    """CPU milliseconds (median of BENCH_RUNS, after one warm-up) and queries of each named GET
    page, rendered in this process: the quick loop for making one page cheaper, against a
    database loaded with the national dataset (DATABASE_URL). CPU time counts less of other work
    on the machine; wall time adds the database's. "html" names every HTML page."""
    association = largest_association()
    _user, cookie = session_for(association)
    objects = objects_of(association)
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    known = routes()
    runs = int(os.environ.get("BENCH_RUNS", "10"))
    for name in sorted(known) if names == ["html"] else names:
        url = None if name in SKIPPED else url_for(name, known[name], objects)
        if url is None:
            continue
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        count = len(queries)  # before the next request resets the connection's query log
        if names == ["html"] and "text/html" not in response.get("Content-Type", ""):
            continue
        cpu, wall = [], []
        for _ in range(runs):
            started, clock = time.process_time(), time.perf_counter()
            response = client.get(url)
            b"".join(response) if response.streaming else response.content
            cpu.append((time.process_time() - started) * 1000)
            wall.append((time.perf_counter() - clock) * 1000)
        print(
            f"{name:40} {response.status_code} {count:3} queries "
            f"{statistics.median(cpu):8.1f} ms CPU {statistics.median(wall):8.1f} ms wall  {url}",
            flush=True,
        )


if __name__ == "__main__":
    command, arguments = sys.argv[1], sys.argv[2:]
    if command == "time":
        render_times(arguments)
    elif command == "upload":
        upload(" ".join(arguments))
    else:
        {"prepare": prepare, "memory": memory}[command](arguments[0])
