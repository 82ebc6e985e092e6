"""`make bench`: the national dataset served by gunicorn, every GET page kind measured with wrk as
the officer of the largest förbund, relative to a minimal view in the same processes, measured
right before each page.
Writes bench/results.md. Run inside scripts/with-postgres (DATABASE_URL points at a throwaway
cluster); commits nothing.

Environment: BENCH_ASSOCIATIONS (75), BENCH_YEARS (15), BENCH_SEED (1), BENCH_SECONDS (wrk
seconds a page, 10), BENCH_BASELINE_SECONDS (the minimal view before each page, 2),
BENCH_PASSES (passes over the pages, each page's figures the median of its passes, 3),
BENCH_CONNECTIONS (8), BENCH_WORKERS (gunicorn, 2), BENCH_PDF_RUNS (3),
BENCH_PDFS (the PDFs to time, by URL name, comma-separated; all by default),
BENCH_OUT (bench/results.md), BENCH_CACHE (bench/.cache: the dataset's pg_dump, reused while
the migrations and the generator are unchanged).
"""

import datetime
import hashlib
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.files import UPLOADS  # noqa: E402

PYTHON = str(ROOT / ".venv" / "bin" / "python")
ASSOCIATIONS = int(os.environ.get("BENCH_ASSOCIATIONS", "75"))
YEARS = int(os.environ.get("BENCH_YEARS", "15"))
SEED = int(os.environ.get("BENCH_SEED", "1"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
# The minimal view is measured this long right before each page, and the page's share taken of
# that: on a shared machine the minimal view's rate drifts by half within one run (291 req/s
# before the pages and 614 after, in one), which a single figure for the run passes on to every
# share.
BASELINE_SECONDS = int(os.environ.get("BENCH_BASELINE_SECONDS", str(min(2, SECONDS))))
# Every page is measured once in each of this many passes over all the pages, and its figures
# are the medians of its passes: in one pass a page's CPU per request moved by ±15% on pages
# nobody had changed, as other work on the shared machine came and went; a burst of it then
# spoils one pass of a page, not its median.
PASSES = int(os.environ.get("BENCH_PASSES", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
OUT = Path(os.environ.get("BENCH_OUT", ROOT / "bench" / "results.md"))
CACHE = Path(os.environ.get("BENCH_CACHE", ROOT / "bench" / ".cache"))
# The targets of issue #12: a share of the minimal view's throughput, and p99 at 8 connections.
TARGET_SHARE = 0.33
TARGET_P99_MS = 100


def say(text: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", flush=True)


def pg_tool(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: p.parts[-3])
    return str(found[-1]) if found else name


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(static_root: str) -> dict:
    """Production settings (DEBUG off, HTTPS hardening off as the server speaks plain HTTP to
    wrk), the benchmark's static root and its baseline route, and the dataset's stored files
    (the received reports) kept beside its dump."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        BENCH_STATIC_ROOT=static_root,
        MEDIA_ROOT=str(media_root()),
        DEBUG="0",
        SECRET_KEY=env.get("SECRET_KEY") or "bench-only-not-a-secret",
        SECURE_HTTPS="0",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        FINSAM_BENCH="1",
        LOG_LEVEL="ERROR",
    )
    return env


def run(args: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, env=env, cwd=ROOT, check=True, **kwargs)


def dataset_key() -> str:
    """The dump's name: the size, the seed, and a hash of the generator. Migrations added after
    the dump was made (an index, a column) are applied to it when it is read back, so they do not
    make a new dataset; a change to the generator does. The dataset's dates end on the day it was
    made; delete bench/.cache for one that ends today."""
    digest = hashlib.sha256()
    digest.update((ROOT / "bench" / "national.py").read_bytes())
    return f"national-{ASSOCIATIONS}x{YEARS}-s{SEED}-{digest.hexdigest()[:12]}.dump"


def media_root() -> Path:
    """The files the dataset stored, beside the dump they belong to."""
    return CACHE / dataset_key().replace(".dump", "-media")


def load_dataset(env: dict) -> str:
    url = urlparse(env["DATABASE_URL"])
    connect = ["-h", url.hostname, "-p", str(url.port), "-U", url.username or "postgres"]
    database = url.path.lstrip("/")
    run([pg_tool("createdb"), *connect, database], env)
    dump = CACHE / dataset_key()
    if dump.exists() and media_root().is_dir():
        shown = dump.relative_to(ROOT) if dump.is_relative_to(ROOT) else dump
        say(f"Läser in testdatat från {shown}")
        run([pg_tool("pg_restore"), *connect, "-d", database, "--no-owner", str(dump)], env)
        run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
        run([pg_tool("vacuumdb"), *connect, "--analyze", "-q", database], env)
        return f"återanvänt från {dump.name}"
    shutil.rmtree(media_root(), ignore_errors=True)  # files of an interrupted run
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
    say(f"Skapar testdatat: {ASSOCIATIONS} förbund × {YEARS} år")
    started = time.monotonic()
    run(
        [PYTHON, "manage.py", "national_dataset", "--force", f"--associations={ASSOCIATIONS}",
         f"--years={YEARS}", f"--seed={SEED}"],
        env,
    )  # fmt: skip
    minutes = (time.monotonic() - started) / 60
    CACHE.mkdir(parents=True, exist_ok=True)
    for old in CACHE.glob(f"national-{ASSOCIATIONS}x{YEARS}-*.dump"):
        old.unlink()
    for old in CACHE.glob(f"national-{ASSOCIATIONS}x{YEARS}-*-media"):
        if old != media_root():
            shutil.rmtree(old)
    run([pg_tool("pg_dump"), *connect, "-Fc", "-f", str(dump), database], env)
    run([pg_tool("vacuumdb"), *connect, "--analyze", "-q", database], env)
    return f"skapat på {minutes:.1f} min"


def serve(env: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "finsam.wsgi", "--workers", str(WORKERS),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/baseline/", timeout=2)
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn svarade inte")


TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(server: subprocess.Popen) -> dict[int, float]:
    """CPU seconds (user and system) so far of each process that serves: gunicorn's workers and
    every PostgreSQL process (the throwaway cluster's backends do the pages' queries; another
    cluster on the machine idles and adds nothing)."""
    seconds = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # ended meanwhile
            continue
        name, rest = text[text.index("(") + 1 : text.rindex(")")], text[text.rindex(")") + 2 :]
        fields = rest.split()
        # fields[1] is the parent's pid, [11] and [12] the user and system CPU in clock ticks
        if int(fields[1]) == server.pid or name == "postgres":
            seconds[int(stat.parent.name)] = (int(fields[11]) + int(fields[12])) / TICKS
    return seconds


def measured(server: subprocess.Popen, url: str, cookie: str, seconds: int = SECONDS) -> dict:
    """wrk's figures of one URL, and the server's CPU per request (ms): what the request cost
    the workers and the database, which other work on a shared machine changes far less than
    the rate (a backend that ends during the run takes its time with it; with persistent
    connections none does)."""
    before = _cpu_seconds(server)
    result = wrk(url, cookie, seconds)
    after = _cpu_seconds(server)
    spent = sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())
    result["cpu_ms"] = spent * 1000 / result["requests"] if result["requests"] else None
    return result


def median_of(runs: list[dict]) -> dict:
    """The runs of one URL as one: the median of each figure (the upper one of an even count),
    the errors added up."""
    combined = {}
    for key in runs[0]:
        values = sorted(run[key] for run in runs if run[key] is not None)
        combined[key] = values[len(values) // 2] if values else None
    combined["errors"] = sum(run["errors"] for run in runs)
    return combined


def wrk(url: str, cookie: str, seconds: int = SECONDS) -> dict:
    """Requests per second and latency percentiles (ms) of one URL."""
    output = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "30s", "--latency",
         "-H", f"Cookie: {cookie}", url],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip

    def millis(value: str, unit: str) -> float:
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]

    latency = {
        percent: millis(value, unit)
        for percent, value, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", output,
                                               re.M)
    }  # fmt: skip
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": rate,
        "requests": requests,
        "p50": latency.get("50"),
        "p99": latency.get("99"),
        "errors": int(errors.group(1)) if errors else 0,
    }


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        memory = f"{int(memory) / 1024 / 1024:.0f} GB RAM"
    except OSError:
        memory = ""
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return f"{cpu}, {os.cpu_count()} CPU, {memory}, load average {load} (at the end)"


def commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, check=True,
                              capture_output=True, text=True).stdout.strip()  # fmt: skip
        # Tracked files only: a clone with .venv linked in is not a changed tree.
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=ROOT, check=True, capture_output=True,
                               text=True).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "okänd"
    return head + (" (med ändringar som inte är incheckade)" if dirty else "")


def fmt(value, digits=1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def report(
    data: dict, results: dict, baseline: dict, memory: dict, uploads: dict, origin: str
) -> str:
    pages = [p for p in data["pages"] if p.get("kind") == "html" and p["status"] == 200]
    lines = [
        "# Benchmark: the national dataset",
        "",
        f"- Date: {datetime.datetime.now():%Y-%m-%d %H:%M}",
        f"- Commit: {commit()}",
        f"- Machine: {machine()}",
        f"- Dataset: {ASSOCIATIONS} förbund × {YEARS} år (seed {SEED}), {origin}; "
        + ", ".join(f"{name}: {count}" for name, count in data["counts"].items()),
        f"- Served by gunicorn, {WORKERS} workers, DEBUG off, PostgreSQL; wrk, {CONNECTIONS} "
        f"connections, {SECONDS} s a page in each of {PASSES} passes over the pages, each "
        f"figure the median of the page's passes; logged in as {data['officer']} "
        f"({data['association']}).",
        f"- Minimal view: {baseline['rps']:.0f} req/s, p50 {fmt(baseline['p50'])} ms, p99 "
        f"{fmt(baseline['p99'])} ms ({SECONDS} s before the pages); measured again for "
        f"{BASELINE_SECONDS} s right before each page, from {baseline['lowest']:.0f} to "
        f"{baseline['highest']:.0f} req/s (median {baseline['median']:.0f}).",
        "- Each page's share is of the minimal view measured right before it (the column "
        "'minimal req/s'): the machine's CPUs may be shared with other work, so compare shares "
        "rather than req/s across runs.",
        f"- CPU: what a request cost the server (gunicorn's workers and PostgreSQL, user and "
        f"system time over the run's requests); the minimal view's is the median of its runs, "
        f"{fmt(baseline['cpu_ms'], 2)} ms. '× minimal (CPU)' is that over the page's: the share "
        f"of throughput the page would have on a machine of its own, which the rate shows only "
        f"as far as other work on the machine lets it.",
        "",
        "## HTML pages",
        "",
        "Queries: on the national dataset, and on the demo förbund (the demo data the tests' "
        "pins are set on) loaded into the same database; the target is the same count.",
        "",
        "| page | URL | queries | demo | req/s | minimal req/s | × minimal | CPU ms | "
        "× minimal (CPU) | p50 ms | p99 ms | note |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    counts = {"share": 0, "half": 0, "cpu_share": 0, "cpu_half": 0, "p99": 0}
    for page in pages:
        result = results[page["name"]]
        base = baseline["neighbours"][page["name"]]["rps"]
        share = result["share"]
        cpu_share = None
        if baseline["cpu_ms"] and result["cpu_ms"]:
            cpu_share = baseline["cpu_ms"] / result["cpu_ms"]
        counts["share"] += share >= TARGET_SHARE
        counts["half"] += share >= 0.5
        counts["cpu_share"] += cpu_share is not None and cpu_share >= TARGET_SHARE
        counts["cpu_half"] += cpu_share is not None and cpu_share >= 0.5
        counts["p99"] += result["p99"] is not None and result["p99"] < TARGET_P99_MS
        demo = page.get("demo_queries")
        notes = []
        if demo is not None and demo != page["queries"]:
            notes.append("frågor ≠ demo")
        if share < TARGET_SHARE:
            notes.append(f"under {TARGET_SHARE}×")
        if result["p99"] is not None and result["p99"] > TARGET_P99_MS:
            notes.append(f"p99 över {TARGET_P99_MS} ms")
        if not result["rps"]:
            notes.append("no request finished within the run")
        if result["errors"]:
            notes.append(f"{result['errors']} svar utan 2xx/3xx")
        lines.append(
            f"| {page['name']} | `{page['url']}` | {page['queries']} | {fmt(demo, 0)} | "
            f"{result['rps']:.1f} | {base:.0f} | {share:.2f} | {fmt(result['cpu_ms'], 2)} | "
            f"{fmt(cpu_share, 2)} | {fmt(result['p50'])} | {fmt(result['p99'])} | "
            f"{', '.join(notes)} |"
        )
    lines += [
        "",
        f"Of {len(pages)} pages: {counts['share']} at {TARGET_SHARE}× the minimal view's rate or "
        f"more, {counts['half']} at 0.5× or more; by CPU {counts['cpu_share']} and "
        f"{counts['cpu_half']}; {counts['p99']} with p99 under {TARGET_P99_MS} ms.",
    ]
    pdfs = [p for p in data["pages"] if p.get("pdf")]
    lines += [
        "",
        "## PDFs against raw WeasyPrint on the same HTML",
        "",
        "| PDF | URL | queries | demo | app s | raw WeasyPrint s | ratio |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for page in pdfs:
        app, raw = page["pdf"]["app"], page["pdf"]["raw"]
        lines.append(
            f"| {page['name']} | `{page['url']}` | {page['queries']} | "
            f"{fmt(page.get('demo_queries'), 0)} | {app:.2f} | {raw:.2f} | {app / raw:.2f} |"
        )
    lines += [
        "",
        "## Largest xlsx exports: time and peak memory (a fresh process each)",
        "",
        "| export | URL | status | size kB | s | RSS before MB | peak RSS MB |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for name, (url, row) in memory.items():
        lines.append(
            f"| {name} | `{url}` | {row['status']} | {row['bytes'] / 1024:.0f} | "
            f"{row['seconds']:.2f} | {row['rss_before_mb']:.0f} | {row['peak_mb']:.0f} |"
        )
    lines += [
        "",
        "## Hostile uploads refused (issue #13: each in under 2 s, nothing written)",
        "",
        "| upload | MB | status | s | memory growth MB | written | message |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for label, row in uploads.items():
        lines.append(
            f"| {label} | {row['megabytes']:.1f} | {row['status']} | {row['seconds']:.2f} | "
            f"{row['peak_growth_mb']:.0f} | {'JA' if row['written'] else 'nej'} | "
            f"{row['message']} |"
        )
    others = [p for p in data["pages"] if p not in pages and p not in pdfs]
    lines += ["", "## Not measured with wrk", ""]
    for page in others:
        why = "no URL on the dataset" if page["url"] is None else (
            f"{page['status']}, {page.get('kind')}"
        )  # fmt: skip
        lines.append(f"- {page['name']}: {why}")
    threshold = f"{data['large_table']:,}".replace(",", " ")
    lines += [
        "",
        f"## Sequential scans of large tables (over {threshold} rows) on any page",
        "",
        "Every query of every page measured above (HTML, PDF, xlsx, csv), through EXPLAIN "
        "ANALYZE: a page of one förbund should never read every förbund's rows.",
        "",
    ]
    scans = [(page, scan) for page in data["pages"] for scan in page.get("large_scans", [])]
    if not scans:
        lines.append("None.")
    for page, scan in scans:
        lines.append(
            f"- {page['name']}: {', '.join(scan['tables'])}, {scan['ms']} ms: `{scan['sql'][:300]}`"
        )
    lines += ["", "## EXPLAIN ANALYZE of the list pages' and the start page's queries", ""]
    for page in data["pages"]:
        for number, query in enumerate(page.get("explain", []), start=1):
            large = ", ".join(query["large"]) or "none"
            lines += [
                f"### {page['name']} query {number}: sequential scans of large tables: {large}",
                "",
                "```sql",
                query["sql"][:1500],
                "```",
                "",
                "```",
                query["plan"],
                "```",
                "",
            ]
    lines += ["## Largest tables (rows)", ""]
    lines += [f"- {table}: {rows}" for table, rows in data["tables"]]
    return "\n".join(lines) + "\n"


def main() -> None:
    if "DATABASE_URL" not in os.environ:
        raise SystemExit("Kör under scripts/with-postgres (DATABASE_URL saknas).")
    if not shutil.which("wrk"):
        raise SystemExit("wrk saknas: kör scripts/install-system-packages som root.")
    static_root = tempfile.mkdtemp(prefix="finsam-bench-static-")
    env = environment(static_root)
    origin = load_dataset(env)
    # The demo förbund beside the national ones, for the query counts each page is compared
    # with (the demo command loads only with DEBUG on; it sends no mail and is idempotent).
    say("Läser in demodatat")
    run([PYTHON, "manage.py", "demo"], {**env, "DEBUG": "1"}, stdout=subprocess.DEVNULL)
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    with tempfile.TemporaryDirectory() as work:
        prepared = Path(work) / "pages.json"
        say("Tar fram sidorna, deras frågor och PDF-tiderna")
        run([PYTHON, "bench/measure.py", "prepare", str(prepared)], env)
        data = json.loads(prepared.read_text())
    cookie = f"{data['cookie_name']}={data['cookie']}"
    port = free_port()
    server = serve(env, port)
    try:
        site = f"http://127.0.0.1:{port}"
        say("Minimal vy")
        minimal = f"{site}/bench/baseline/"
        overall = measured(server, minimal, cookie)
        html = [p for p in data["pages"] if p.get("kind") == "html" and p["status"] == 200]
        runs = {page["name"]: [] for page in html}
        neighbour_runs = {page["name"]: [] for page in html}
        for number in range(1, PASSES + 1):
            for page in html:
                say(f"{page['name']} ({number}/{PASSES})")
                before = measured(server, minimal, cookie, BASELINE_SECONDS)
                result = measured(server, site + page["url"], cookie)
                result["share"] = result["rps"] / before["rps"] if before["rps"] else 0
                neighbour_runs[page["name"]].append(before)
                runs[page["name"]].append(result)
    finally:
        server.terminate()
        server.wait(timeout=30)
    results = {name: median_of(page_runs) for name, page_runs in runs.items()}
    neighbours = {name: median_of(page_runs) for name, page_runs in neighbour_runs.items()}
    every_minimal = [overall, *(run for page_runs in neighbour_runs.values() for run in page_runs)]
    rates = sorted(run["rps"] for run in every_minimal[1:])
    costs = sorted(run["cpu_ms"] for run in every_minimal if run["cpu_ms"])
    baseline = {
        "cpu_ms": costs[len(costs) // 2] if costs else None,
        "rps": overall["rps"],
        "p50": overall["p50"],
        "p99": overall["p99"],
        "neighbours": neighbours,
        "lowest": rates[0] if rates else overall["rps"],
        "median": rates[len(rates) // 2] if rates else overall["rps"],
        "highest": rates[-1] if rates else overall["rps"],
    }
    memory = {}
    exports = {
        "applications:export_xlsx": "the application list, every year",
        "budget:report_xlsx": "the auditors' workbook",
        "followup:yearly_return_xlsx": "the yearly return",
        "followup:export_xlsx": "the insatser list",
    }
    by_name = {page["name"]: page for page in data["pages"]}
    for name, label in exports.items():
        page = by_name.get(name)
        if not page or not page["url"]:
            continue
        say(f"Minne: {name}")
        output = run([PYTHON, "bench/measure.py", "memory", page["url"]], env,
                     capture_output=True, text=True).stdout  # fmt: skip
        memory[f"{name} ({label})"] = (page["url"], json.loads(output.strip().splitlines()[-1]))
    uploads = {}
    for label in UPLOADS:
        say(f"Uppladdning: {label}")
        output = run([PYTHON, "bench/measure.py", "upload", label], env,
                     capture_output=True, text=True).stdout  # fmt: skip
        uploads[label] = json.loads(output.strip().splitlines()[-1])
    OUT.write_text(report(data, results, baseline, memory, uploads, origin))
    shutil.rmtree(static_root, ignore_errors=True)
    say(f"Skrev {OUT.relative_to(ROOT) if OUT.is_relative_to(ROOT) else OUT}")


if __name__ == "__main__":
    sys.exit(main())
