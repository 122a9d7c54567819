"""The benchmark (`make bench`; never part of `make test`): the platform served by gunicorn with
2 workers, loaded from outside over HTTP, at Dalarna's and at national scale, on SQLite and on
PostgreSQL. Prints the results and writes them to docs/PERFORMANCE.md.

    .venv/bin/python scripts/bench.py                       # everything (about 20 minutes)
    .venv/bin/python scripts/bench.py --databases sqlite --scales dalarna --seconds 3
    .venv/bin/python scripts/bench.py --tiny --output /tmp/perf.md   # a smoke run (the tests)

Per page and API call: requests per second and p50/p99 latency with a few concurrent clients
(keep-alive connections, each logged in as the role that uses the page), the same as a ratio to
`/healthz` in the same run, and the SQL statements the request runs (counted in-process). Then
20 learners submitting the quiz at once, marking attendance for 50 people, a 10,000-row roster
import, the print pack (certificates per second, peak memory) and `EXPLAIN` of the report
queries. Public tools only: the standard library, gunicorn, the app.
"""

import argparse
import http.client
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = ROOT / ".venv" / "bin"
PG_SERVER = os.environ.get("BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def driver(url: str) -> str:
    """The URL with the driver the app uses (psycopg 3 for PostgreSQL)."""
    from app.config import normalise_database_url

    return normalise_database_url(url)


@dataclass
class Config:
    """One database at one scale, and the people the load runs as."""

    database: str
    scale: str
    url: str = ""
    code: str = ""  # the largest municipality
    emails: dict[str, str] = field(default_factory=dict)
    learners: list[str] = field(default_factory=list)


@dataclass
class Result:
    """One endpoint's load: requests per second and latencies (ms), and its SQL statements."""

    name: str
    path: str
    rps: float = 0.0
    p50: float = 0.0
    p99: float = 0.0
    errors: int = 0
    queries: int | None = None
    alone: float | None = None  # ms for one request with nothing else running (in-process)


# ---- set-up ---------------------------------------------------------------------------------


def flask(config: Config, *args: str, check: bool = True) -> str:
    """Run `flask …` against the config's database; its output."""
    env = {**os.environ, "DATABASE_URL": config.url, "SECRET_KEY": "bench-" + "x" * 32}
    done = subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env,  # noqa: S603  # noqa: S603 - our own venv
                          capture_output=True, text=True)  # fmt: skip
    if check and done.returncode != 0:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def prepare(config: Config, workdir: Path, size: float) -> None:
    """A fresh database, migrated, the courses synced, the scale's data seeded."""
    if config.database == "sqlite":
        config.url = f"sqlite:///{workdir / f'{config.scale}.db'}"
    else:
        import sqlalchemy

        name = f"bench_{config.scale}"
        engine = sqlalchemy.create_engine(
            driver(f"{PG_SERVER}/postgres"), isolation_level="AUTOCOMMIT"
        )
        with engine.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            connection.exec_driver_sql(f"CREATE DATABASE {name}")
        engine.dispose()
        config.url = f"{PG_SERVER}/{name}"
    flask(config, "db", "upgrade")
    flask(config, "municipalities", "seed")
    flask(config, "courses", "sync")
    started = time.perf_counter()
    if config.scale == "national":
        flask(config, "demo", "seed", "--scale", "national", "--size", str(size))
    else:
        flask(config, "demo", "seed")
    print(f"  seeded {config.scale} on {config.database} in {time.perf_counter() - started:.0f} s")
    people(config)


def people(config: Config) -> None:
    """The largest municipality, its coordinator and a certified agent, the admin, and 20
    learners (of any municipality) who have not taken the end-user quiz."""
    import sqlalchemy
    from sqlalchemy import text

    engine = sqlalchemy.create_engine(driver(config.url))
    with engine.connect() as db:
        config.code = db.exec_driver_sql(
            "SELECT code FROM municipality ORDER BY population DESC NULLS LAST, code LIMIT 1"
        ).scalar()
        domain = "national.demo" if config.scale == "national" else "demo.se"
        of = {"code": config.code}
        people_of = 'SELECT u.email FROM "user" u JOIN municipality m ON m.id = u.municipality_id '
        coordinator = db.execute(
            text(people_of + "WHERE u.role = 'coordinator' AND m.code = :code LIMIT 1"),
            of,  # noqa: S608
        ).scalar()
        agent = db.execute(
            text(people_of.replace(" u JOIN", " u JOIN certificate c ON c.user_id = u.id JOIN")  # noqa: S608
                 + "WHERE u.role = 'agent' AND m.code = :code AND c.revoked_at IS NULL "
                 "ORDER BY u.id LIMIT 1"), of,
        ).scalar()  # fmt: skip
        config.learners = list(db.execute(
            text(people_of + "WHERE u.role = 'employee' AND m.code IS NOT NULL AND NOT EXISTS "  # noqa: S608
                 "(SELECT 1 FROM quiz_attempt a WHERE a.user_id = u.id) ORDER BY u.id LIMIT 20"),
            of,
        ).scalars())  # fmt: skip
    engine.dispose()
    config.emails = {"admin": f"admin@{domain}", "coordinator": coordinator, "agent": agent}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(config: Config, port: int) -> subprocess.Popen:
    """gunicorn with 2 workers, as production runs it (gunicorn.conf.py), on a free port."""
    env = {**os.environ, "DATABASE_URL": config.url, "SECRET_KEY": "bench-" + "x" * 32,
           "WEB_CONCURRENCY": "2", "PORT": str(port), "HOST": "127.0.0.1",
           "RATELIMIT_ENABLED": "false"}  # fmt: skip
    server = subprocess.Popen([str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"],  # noqa: S603
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)  # fmt: skip
    for _ in range(100):
        try:
            if request(port, "GET", "/healthz")[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


# ---- HTTP -----------------------------------------------------------------------------------


def request(port, method, path, body=None, headers=None, connection=None):
    """One request; (status, headers, body text)."""
    own = connection is None
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        return response.status, response.headers, text
    finally:
        if own:
            connection.close()


def form_headers(cookie: str) -> dict:
    """The headers of a form post as the signed-in person."""
    return {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}


def log_in(port: int, email: str) -> str:
    """The session cookie of a signed-in person (the login form, with its CSRF token)."""
    status, headers, text = request(port, "GET", "/login")
    cookie = headers.get("Set-Cookie", "").split(";")[0]
    token = CSRF.search(text).group(1)
    body = urlencode({"email": email, "password": "resfritt-demo", "csrf_token": token})
    status, headers, _ = request(port, "POST", "/login", body, {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})  # fmt: skip
    if status != 302:
        raise SystemExit(f"log in as {email}: {status}")
    return headers.get("Set-Cookie", "").split(";")[0]


def load(port: int, path: str, headers: dict, seconds: float, clients: int) -> Result:
    """`clients` keep-alive connections asking for `path` for `seconds`."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine = []
        while time.perf_counter() < stop:
            started = time.perf_counter()
            try:
                status = request(port, "GET", path, headers=headers, connection=connection)[0]
            except (OSError, http.client.HTTPException):
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                status = 0
            mine.append(time.perf_counter() - started)
            if status != 200:
                with lock:
                    errors[0] += 1
        connection.close()
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return Result("", path, len(latencies) / elapsed, *percentiles(latencies), errors[0])


BESIDE = "lesson page, 2 dashboards loading"


def lesson_beside_dashboards(port, config, cookies, seconds, clients) -> Result:
    """The lesson page's load while two coordinators reload the dashboard without pause."""
    stop = threading.Event()
    dashboard = f"/reports/{config.code}"

    def coordinator():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while not stop.is_set():
            request(port, "GET", dashboard, headers={"Cookie": cookies["coordinator"]},
                    connection=connection)  # fmt: skip
        connection.close()

    both = [threading.Thread(target=coordinator) for _ in range(2)]
    for thread in both:
        thread.start()
    try:
        path = next(path for name, _, path in ENDPOINTS if name == "lesson page")
        result = load(port, path, {"Cookie": cookies["agent"]}, seconds, clients)
    finally:
        stop.set()
        for thread in both:
            thread.join()
    result.name = BESIDE
    return result


def percentiles(latencies: list[float]) -> tuple[float, float]:
    if not latencies:
        return 0.0, 0.0
    ordered = sorted(latencies)
    return (1000 * statistics.median(ordered),
            1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))])  # fmt: skip


def quiz_submissions(port: int, config: Config) -> tuple[Result, str]:
    """20 learners start the end-user quiz, then all submit at once; the submits' latencies,
    and whether every attempt was recorded exactly once."""
    prepared = []
    for email in config.learners:
        jar = {"cookie": log_in(port, email)}

        def call(method, path, body=None, jar=jar):
            headers = form_headers(jar["cookie"]) if body else {"Cookie": jar["cookie"]}
            status, answer, text = request(port, method, path, body, headers)
            if answer.get("Set-Cookie"):  # the session keeps the form's CSRF token
                jar["cookie"] = answer["Set-Cookie"].split(";")[0]
            return status, answer, text

        _, _, page = call("GET", "/courses/end-user/grunder/quiz")
        _, headers, _ = call("POST", "/courses/end-user/grunder/quiz",
                             urlencode({"csrf_token": CSRF.search(page).group(1)}))  # fmt: skip
        attempt = urlsplit(headers["Location"]).path
        _, _, form = call("GET", attempt)
        answers: dict[str, str] = {}
        for _kind, name, value in re.findall(
            r'<input type="(radio|checkbox)" id="[^"]*" name="([^"]+)" value="([^"]*)"', form
        ):
            answers.setdefault(name, value)  # the first option of each question
        for name in re.findall(r'<input type="text" id="[^"]*" name="([^"]+)"', form):
            answers[name] = "15"
        fields = {**answers, "csrf_token": CSRF.search(form).group(1), "action": "submit"}
        prepared.append((jar["cookie"], attempt, urlencode(fields)))
    latencies, statuses = [], []
    barrier = threading.Barrier(len(prepared))

    def submit(cookie, attempt, body):
        barrier.wait()
        started = time.perf_counter()
        status = request(port, "POST", attempt, body, {
            "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})[0]  # fmt: skip
        latencies.append(time.perf_counter() - started)
        statuses.append(status)

    threads = [threading.Thread(target=submit, args=item) for item in prepared]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    p50, p99 = percentiles(latencies)
    import sqlalchemy

    engine = sqlalchemy.create_engine(driver(config.url))
    with engine.connect() as db:
        statement = sqlalchemy.text(
            'SELECT count(*) FROM quiz_attempt a JOIN "user" u ON u.id = a.user_id '
            "WHERE a.state = 'submitted' AND u.email IN :emails"
        ).bindparams(sqlalchemy.bindparam("emails", expanding=True))
        submitted = db.execute(statement, {"emails": config.learners}).scalar()
    engine.dispose()
    answers = ", ".join(f"{statuses.count(code)}× {code}" for code in sorted(set(statuses)))
    note = f"{submitted} of {len(prepared)} attempts submitted, answers {answers}"
    errors = sum(1 for status in statuses if status != 302)
    return Result("quiz submission, 20 at once", "POST /attempts/N", 0.0, p50, p99, errors), note


# ---- in-process measurements ----------------------------------------------------------------


def in_process(config: Config, paths: dict[str, tuple[str, str]]) -> dict:
    """SQL statements per request, attendance for 50, a roster import of 10,000 rows, and the
    EXPLAIN of the report queries (run in this process against the same database)."""
    os.environ["DATABASE_URL"] = config.url
    from sqlalchemy import event

    from app import create_app
    from app.config import Config as AppConfig
    from app.extensions import db

    app = create_app(AppConfig, {
        "DATABASE_URL": config.url, "SECRET_KEY": "bench-" + "x" * 32,
        "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
    })  # fmt: skip
    out: dict = {"queries": {}, "alone": {}}
    statements: list[str] = []

    def remember(_c, _cur, statement, *_a):
        statements.append(statement)

    with app.app_context():  # only for set-up: each request below gets its own app context
        from app.auth.models import User
        from app.auth.tokens import create_token

        engine = db.engine
        admin = db.session.scalar(db.select(User).filter_by(email=config.emails["admin"]))
        token = create_token(admin, "bench")
    for name, (role, path) in paths.items():
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"} if path.startswith("/api/") else {}
        if role and not headers:
            client.post("/login", data={"email": config.emails[role], "password": "resfritt-demo"})
        warm = client.get(path, headers=headers)  # warm, and a first lesson view written
        if warm.status_code != 200:
            raise SystemExit(f"in-process {path} as {role}: {warm.status_code}")
        statements.clear()
        event.listen(engine, "before_cursor_execute", remember)
        client.get(path, headers=headers)
        event.remove(engine, "before_cursor_execute", remember)
        out["queries"][name] = len(statements)
        times = []
        for _ in range(3):
            started = time.perf_counter()
            client.get(path, headers=headers)
            times.append((time.perf_counter() - started) * 1000)
        out["alone"][name] = sorted(times)[1]
    with app.app_context():
        out["attendance_ms"] = mark_fifty(db)
        out["roster_s"] = roster_import(db)
        out["explain"] = explain(db)
    return out


def mark_fifty(db) -> float:
    """Marking 50 registered people present at one session, in ms."""
    from datetime import timedelta

    from app.auth.models import User
    from app.core.roles import Role
    from app.progress.rules import certified_agent
    from app.training.models import Attendance, AttendanceStatus
    from app.training.services import SessionDetails, create_session, mark_attendance

    agent = db.session.scalar(db.select(User).where(certified_agent()).limit(1))
    people = db.session.scalars(
        db.select(User).where(User.role == Role.EMPLOYEE,
                              User.municipality_id == agent.municipality_id).limit(50)
    ).all()  # fmt: skip
    start = datetime.now(UTC) - timedelta(minutes=30)
    session = create_session(agent, SessionDetails(
        title="Benchmark", starts_at=start, ends_at=start + timedelta(hours=1), place="Rum",
        mode="video", capacity=None, notes=""), now=start - timedelta(days=1))  # fmt: skip
    db.session.add_all(Attendance(session_id=session.id, user_id=p.id) for p in people)
    db.session.commit()
    started = time.perf_counter()
    mark_attendance(agent, session, {p.id: AttendanceStatus.ATTENDED for p in people})
    return 1000 * (time.perf_counter() - started)


def roster_import(db) -> float:
    """A 10,000-row roster previewed and applied, in seconds (beyond the process start)."""
    from app.municipalities import roster
    from app.municipalities.models import Municipality

    place = db.session.scalar(db.select(Municipality).order_by(Municipality.code).limit(1))
    lines = ["e-post;namn;roll"] + [
        f"bench{n}.{secrets.token_hex(3)}@roster.example;Person {n};medarbetare"
        for n in range(10_000)
    ]
    started = time.perf_counter()
    report = roster.preview("\n".join(lines).encode(), place, True)
    roster.apply(report)
    return time.perf_counter() - started


def explain(db) -> list[tuple[str, str]]:
    """The query plans of the coverage report (the whole country), as the database gives them."""
    from sqlalchemy import event

    from app.municipalities.models import Municipality
    from app.reports.queries import agents_of, by_month, coverage_by_municipality

    captured: list[tuple[str, object]] = []

    def remember(_c, _cur, statement, parameters, *_a):
        captured.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", remember)
    place = db.session.scalar(db.select(Municipality).order_by(Municipality.population.desc()))
    coverage_by_municipality()
    agents_of(place)
    by_month(place)
    event.remove(db.engine, "before_cursor_execute", remember)
    prefix = "EXPLAIN QUERY PLAN " if db.engine.dialect.name == "sqlite" else "EXPLAIN "
    plans = []
    connection = db.session.connection()
    for statement, parameters in captured:
        if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        rows = connection.exec_driver_sql(prefix + statement, parameters).all()
        plans.append(
            (statement.split("\n")[0][:90], "\n".join(" ".join(map(str, r)) for r in rows))
        )
    return plans


def print_pack(count: int) -> tuple[float, float]:
    """Certificates per second and peak resident MB for a print pack of `count`."""
    done = subprocess.run([str(BIN / "python"), "scripts/bench_print_pack.py", str(count)],  # noqa: S603
                          cwd=ROOT, capture_output=True, text=True, check=True)  # fmt: skip
    rate = float(re.search(r"certificates/second:\s+(\d+)", done.stdout).group(1))
    peak = float(re.search(r"peak resident:\s+(\d+)", done.stdout).group(1))
    return rate, peak


# ---- the run --------------------------------------------------------------------------------

ENDPOINTS = [  # name, role (None: anonymous), path; {code} is the largest municipality
    ("/healthz", None, "/healthz"),
    ("lesson page", "agent", "/courses/agent/skills/videorummet"),
    ("start page", "agent", "/"),
    ("coordinator dashboard", "coordinator", "/reports/{code}"),
    ("admin overview", "admin", "/reports/"),
    ("GET /api/v1/coverage", "admin", "/api/v1/coverage"),
    ("GET /api/v1/effect", "admin", "/api/v1/effect"),
    ("xAPI first page", "admin", "/api/v1/xapi/statements"),
]


def run(config: Config, seconds: float, clients: int) -> tuple[list[Result], dict]:
    port = free_port()
    server = serve(config, port)
    try:
        cookies = {role: log_in(port, email) for role, email in config.emails.items()}
        tokens = {"admin": flask(config, "users", "token", config.emails["admin"],
                                 "--read-only").strip()}  # fmt: skip
        results = []
        for name, role, path in ENDPOINTS:
            path = path.format(code=config.code)
            headers = {}
            if path.startswith("/api/"):
                headers = {"Authorization": f"Bearer {tokens['admin']}"}
            elif role:
                headers = {"Cookie": cookies[role]}
            for _ in range(6):  # warm both workers up (templates, a first lesson view written)
                request(port, "GET", path, headers=headers)
            result = load(port, path, headers, seconds, clients)
            result.name = name
            results.append(result)
            print(f"  {name:24s} {result.rps:8.1f} req/s  p50 {result.p50:7.1f} ms  "
                  f"p99 {result.p99:7.1f} ms  errors {result.errors}")  # fmt: skip
        busy = lesson_beside_dashboards(port, config, cookies, seconds, clients)
        results.append(busy)
        print(f"  {busy.name:24s} {busy.rps:8.1f} req/s  p50 {busy.p50:7.1f} ms  "
              f"p99 {busy.p99:7.1f} ms  errors {busy.errors}")  # fmt: skip
        quiz, note = quiz_submissions(port, config) if config.learners else (None, "")
        if quiz:
            results.append(quiz)
            print(f"  {quiz.name:24s} p50 {quiz.p50:7.1f} ms  p99 {quiz.p99:7.1f} ms ({note})")
    finally:
        server.terminate()
        server.wait(timeout=30)
    extra = in_process(config, {name: (role, path.format(code=config.code))
                                for name, role, path in ENDPOINTS})  # fmt: skip
    for result in results:
        result.queries = extra["queries"].get(result.name)
        result.alone = extra["alone"].get(result.name)
    extra["quiz_note"] = note
    return results, extra


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        model = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text()
                     .splitlines() if line.startswith("model name"))  # fmt: skip
    except (OSError, StopIteration):
        model = cpu
    memory = ""
    try:
        kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal")))  # fmt: skip
        memory = f", {kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        pass
    return (f"{os.cpu_count()} cores ({model}){memory}, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}")  # fmt: skip


def report(runs, pack, args) -> str:
    lines = [
        "# Performance",
        "",
        f"Written by `make bench` (scripts/bench.py) on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.",
        f"Machine: {machine()}. gunicorn with 2 sync workers; {args.clients} keep-alive "
        f"clients for {args.seconds:g} s per row. Rerun: `make bench`.",
        "",
        "gunicorn runs with the production settings (gunicorn.conf.py): a worker restarts after "
        "about 1,000 requests, which shows as an occasional p99 spike on the fast rows. The SQL "
        "count is one request's, measured in-process on the same database; *alone ms* is one "
        "request in-process with nothing else running (the median of 3): what a person waits "
        "on an otherwise idle server, where the load columns add the queue of 8 clients on 2 "
        "workers. Long work runs as background jobs, whose request only queues them: print packs "
        "(see below), the certificate list, a municipality's people and sessions, the coverage "
        "table, the yearly effect report, activation links for everyone waiting, and rosters "
        "of more than 2,000 rows.",
        "",
    ]
    for config, results, extra in runs:
        health = next(r for r in results if r.name == "/healthz").rps or 1
        lines += [f"## {config.scale.capitalize()} scale on {config.database}", "",
                  "| request | req/s | × /healthz | p50 ms | p99 ms | errors | SQL per request "
                  "| alone ms |", "|---|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
        for r in results:
            ratio = f"{r.rps / health:.2f}" if r.rps else "–"
            rps = f"{r.rps:.1f}" if r.rps else "–"
            queries = "–" if r.queries is None else str(r.queries)
            alone = "–" if r.alone is None else f"{r.alone:.0f}"
            lines.append(f"| {r.name} | {rps} | {ratio} | {r.p50:.1f} | {r.p99:.1f} | "
                         f"{r.errors} | {queries} | {alone} |")  # fmt: skip
        lines += ["", f"Quiz submission: {extra['quiz_note']}.",
                  f"Marking attendance for 50 people: {extra['attendance_ms']:.0f} ms. "
                  f"Roster import of 10,000 rows: {extra['roster_s']:.1f} s.", ""]  # fmt: skip
        if config.scale == "national" or args.tiny:
            lines += ["<details><summary>EXPLAIN of the report queries</summary>", ""]
            for head, plan in extra["explain"]:
                lines += ["```", head, plan, "```", ""]
            lines += ["</details>", ""]
    lines += targets(runs, pack)
    if pack:
        lines += ["## Print pack", "", "| certificates | certificates/s | peak resident MB |",
                  "|---:|---:|---:|"]  # fmt: skip
        lines += [f"| {count:,} | {rate:.0f} | {peak:.0f} |" for count, rate, peak in pack]
        lines.append("")
    return "\n".join(lines)


# Why the targets this code misses are missed, and what would meet them (kept with the code
# that measures them; update it with the fixes).
CAUSES = """\
### Why the missed targets are missed, and what would meet them

- **Reports at national scale** (coordinator dashboard, admin overview, coverage API; `/effect/`
  shows coverage too): each request evaluates the rules in `app/progress/rules.py` live over
  every completion they count — `staff_trained` reads ~125,000 completions for the country and
  ~33,000 for the largest municipality, checks each session completion against its attendance,
  its session and the agent's certificate at the start, and ranks them. Alone, one request at a
  time, they now take 0.3–0.7 s (the *alone ms* column), so no one waits more than a second on
  an idle server; with 8 clients on 2 workers they queue. Fixed in this wave: one municipality's
  rows are filtered before the ranking; the agents' reach picks its people from CTEs
  (PostgreSQL 3.2 s → 0.23 s); PostgreSQL runs without JIT (it compiled the report queries for
  longer than they ran); a page counts staff trained once for its table and its trend; the
  certificate filter offers the latest 200 sessions, not the country's 20,000. What would meet
  p50 < 150 ms and "within 3× of Dalarna" (a municipality's page costs in proportion to its
  people: the largest national one has ~90× Falun's): a table holding each person's result of
  the rules (municipality, method, session, trainer, when it counts from), written in the same
  transaction by every write the rules read — a completion recorded or withdrawn, attendance
  marked, a session cancelled or moved, a person deactivated or moved: about ten paths today —
  with a property test that it equals the live rules after random histories
  (`tests/progress/test_rules_property.py` already builds them). The reports would then count
  narrow indexed rows. It is not done yet because a write path that forgets it would make two
  pages disagree without an error.
- **Lesson page unchanged while two coordinators load dashboards**: with 2 sync workers, two
  coordinators reloading a 0.3–0.5 s dashboard without pause keep both workers busy, and the
  lesson waits behind them. Production runs 2 × cores + 1 workers (`WEB_CONCURRENCY`) and may add
  threads (`GUNICORN_THREADS`); the rollup above would make dashboards too short to matter.
- **Lesson page ≥ 50 % of /healthz**: it is read-only (no write on a repeated view) and runs 4
  statements; what remains is the ORM and Jinja work of a logged-in page (session, user, course
  outline, facts; Flask-Babel's lookups cost ~0.8 ms of its ~3 ms). Caching the rendered lesson
  body per municipality and a lighter user load would meet it; at 8 clients the result moves
  ±10 % between runs.
- **Quiz submission p99 < 100 ms**: a passing submission writes the attempt, the module and
  course completion and the certificate in one transaction; 20 at once queue on 2 workers (and on
  SQLite's single writer). Issuing the certificate and its e-mail after the commit, in a
  background job, would shorten the request.
- **xAPI first page** (200–260 ms at Dalarna's scale, under 200 ms at national; alone 30–60 ms):
  four streams are read, each up to a page, turned into statements and merged; a union of the
  four streams' keys with one `ORDER BY … LIMIT` in SQL, then loading only that page's rows,
  would do a quarter of the work.
- **Same SQL count at both scales**: the coordinator dashboard reads the evaluations' comments
  only when a municipality has at least 5 evaluations (they are anonymous below that); the
  national data has none, so it runs one statement fewer. The count is bounded, not growing.
"""


def targets(runs, pack) -> list[str]:
    """Issue #16's targets, each met or missed in this run."""
    rows = []

    def row(what, config, value, ok):
        rows.append(f"| {what} | {config} | {value} | {'met' if ok else '**missed**'} |")

    for config, results, extra in runs:
        where = f"{config.scale}, {config.database}"
        by = {r.name: r for r in results}
        health = by["/healthz"].rps or 1
        lesson = by["lesson page"].rps / health
        row("lesson page ≥ 50 % of /healthz", where, f"{100 * lesson:.0f} %", lesson >= 0.5)
        if config.scale == "national":
            for name in ("coordinator dashboard", "admin overview", "GET /api/v1/coverage"):
                row(f"{name} p50 < 150 ms", where, f"{by[name].p50:.0f} ms", by[name].p50 < 150)
        xapi = by["xAPI first page"].p50
        row("xAPI page < 200 ms", where, f"{xapi:.0f} ms", xapi < 200)
        beside = by[BESIDE].rps / (by["lesson page"].rps or 1)
        row("lesson page unchanged (≥ 90 %) while 2 dashboards load", where,
            f"{100 * beside:.0f} %", beside >= 0.9)  # fmt: skip
        if config.scale == "national":
            slowest = max((r for r in results if r.alone is not None), key=lambda r: r.alone)
            row("no request over 1 s (alone)", where, f"{slowest.name}: {slowest.alone:.0f} ms",
                slowest.alone < 1000)  # fmt: skip

        if "quiz submission, 20 at once" in by:
            quiz = by["quiz submission, 20 at once"].p99
            row("quiz submission p99 < 100 ms", where, f"{quiz:.0f} ms", quiz < 100)
        row("marking 50 attendees < 200 ms", where, f"{extra['attendance_ms']:.0f} ms",
            extra["attendance_ms"] < 200)  # fmt: skip
        row("roster import of 10,000 rows < 5 s", where, f"{extra['roster_s']:.1f} s",
            extra["roster_s"] < 5)  # fmt: skip
    counts: dict[str, dict[str, dict]] = {}
    for config, results, _extra in runs:
        counts.setdefault(config.database, {})[config.scale] = {
            r.name: r.queries for r in results if r.queries is not None
        }
    for database, scales in counts.items():
        if len(scales) == 2:
            small, large = scales.values()
            differ = [f"{name} {small[name]}/{large[name]}" for name in small
                      if name in large and small[name] != large[name]]  # fmt: skip
            row("same SQL count at both scales", database, "; ".join(differ) or "all equal",
                not differ)  # fmt: skip
    for count, rate, peak in pack:
        if count >= 20000:
            row("print pack ≥ 300 certificates/s", f"{count:,}", f"{rate:.0f}/s", rate >= 300)
            row("print pack peak < 200 MB", f"{count:,}", f"{peak:.0f} MB", peak < 200)
    if not rows:
        return []
    return ["## Targets (issue #16)", "", "| target | where | this run | |", "|---|---|---|---|",
            *rows, "", CAUSES]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--scales", default="dalarna,national")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--output", default=str(ROOT / "docs" / "PERFORMANCE.md"))
    parser.add_argument("--tiny", action="store_true", help="national data at 0.2 %%, 1 s a row")
    parser.add_argument("--no-print-pack", action="store_true")
    args = parser.parse_args()
    size = 0.002 if args.tiny else 1.0
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    runs = []
    try:
        for database in args.databases.split(","):
            for scale in args.scales.split(","):
                config = Config(database, scale)
                print(f"{scale} on {database}")
                prepare(config, workdir, size)
                results, extra = run(config, args.seconds, args.clients)
                runs.append((config, results, extra))
        pack = []
        if not args.no_print_pack:
            for count in (100,) if args.tiny else (1000, 20000):
                rate, peak = print_pack(count)
                pack.append((count, rate, peak))
                print(f"print pack {count}: {rate:.0f} certificates/s, peak {peak:.0f} MB")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    text = report(runs, pack, args)
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(text + "\n", encoding="utf-8")
    print(f"\nWritten to {args.output}")


if __name__ == "__main__":
    sys.exit(main())
