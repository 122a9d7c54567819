"""Production smoke test: `bin/serve` (migrate, seed, sync, gunicorn with several workers) on a
fresh PostgreSQL database and the machine's Redis in production mode, used over HTTP the way a
reverse proxy would; `bin/worker` beside it sends the outbox (README "Deploying").

Needs PostgreSQL and Redis on 127.0.0.1 (as in CI); skipped when either is unreachable, unless
REQUIRE_SERVICES is set (CI sets it, so there it fails instead).
"""

import http.cookiejar
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from pathlib import Path

import psycopg
import pytest
import redis
import requests
from aiosmtpd.controller import Controller

from app.config import ENV_KEYS, Config

ROOT = Path(__file__).resolve().parents[2]
# The server holding the smoke database (created and dropped here), and a Redis database.
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/3"
WORKERS = 2  # several, so the login limit must be shared to hold
STARTUP_SECONDS = 120  # migrations, seeding and the course sync on a busy CI machine
ADMIN = "admin@smoke.example"
LESSON = "/courses/end-user/grunder/varfor-resfritt"  # courses/end-user/1-grunder/01-…
LESSON_TITLE = "Varför resfria möten?"


class Inbox:
    """An SMTP server's handler (aiosmtpd) that keeps the recipients of what it receives."""

    def __init__(self):
        self.recipients: list[str] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.recipients.extend(envelope.rcpt_tos)
        return "250 OK"


def postgres_conninfo(database: str | None = None) -> str:
    """libpq's form of POSTGRES_URL (optionally another database on the same server)."""
    conninfo = re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql://", POSTGRES_URL)
    return conninfo if database is None else conninfo.rsplit("/", 1)[0] + "/" + database


def services_problem() -> str | None:
    """Why PostgreSQL or Redis cannot be used, or None."""
    try:
        with psycopg.connect(postgres_conninfo(), connect_timeout=3):
            pass
    except psycopg.Error as error:
        return f"PostgreSQL is unreachable at {postgres_conninfo()}: {error}"
    client = redis.Redis.from_url(REDIS_URL, socket_timeout=3, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as error:
        return f"Redis is unreachable at {REDIS_URL}: {error}"
    finally:
        client.close()
    return None


@pytest.fixture(scope="module")
def services():
    problem = services_problem()
    if problem and os.environ.get("REQUIRE_SERVICES"):
        pytest.fail(f"{problem} (REQUIRE_SERVICES is set)")
    if problem:
        pytest.skip(f"{problem}; set REQUIRE_SERVICES=1 to fail instead")


@contextmanager
def fresh_database():
    """A new, empty PostgreSQL database (smoke_<random>); dropped afterwards."""
    name = f"smoke_{secrets.token_hex(4)}"
    with psycopg.connect(postgres_conninfo(), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield postgres_conninfo(name)
    finally:
        with psycopg.connect(postgres_conninfo(), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(database_url: str, port: int) -> dict[str, str]:
    """This process's environment without any app setting, then production settings.

    TRUSTED_PROXIES=1: the test plays the TLS-terminating reverse proxy (see `ProxiedClient`).
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ENV_KEYS
        and not key.startswith(("FLASK_", "GUNICORN_", "TEST_"))
        and key not in ("APP_ENV", "TRUSTED_HOSTS", "WEB_CONCURRENCY", "HOST", "PORT")
    }
    return {
        **env,
        # The same Python environment as the tests (flask, gunicorn, pybabel).
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "TRUSTED_HOSTS": "127.0.0.1",
        "TRUSTED_PROXIES": "1",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": str(WORKERS),
    }


@contextmanager
def running(command: list[str], env: dict[str, str], log: Path):
    """Run a script in its own process group, output to `log`; always end the whole group."""
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - our own scripts
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        try:
            yield process
        finally:
            stop(process)


def stop(process: subprocess.Popen, grace: float = 15) -> int:
    """TERM the process group, KILL it if it lingers; return the exit status."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        return process.wait(grace)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        return process.wait()


def flask(env: dict[str, str], *args: str) -> str:
    """Run `flask …` with the server's environment; return its output."""
    result = subprocess.run(  # noqa: S603 - fixed commands
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, f"flask {' '.join(args)}:\n{result.stdout}{result.stderr}"
    return result.stdout.strip()


class BehindTlsProxy(http.cookiejar.DefaultCookiePolicy):
    """Send Secure cookies over plain http, to the app behind the "proxy".

    In production the app sets its cookies Secure, and requests (like a browser) returns them
    only over https. Here the test is the TLS-terminating proxy itself: it speaks plain http to
    gunicorn and says `X-Forwarded-Proto: https`, as nginx does; a browser would have sent the
    cookie over its https connection to that proxy.
    """

    def return_ok_secure(self, cookie, request) -> bool:
        return True


class ProxiedClient(requests.Session):
    """A browser behind the reverse proxy: every request says https and the client's address.

    Over https, Flask-WTF also wants a same-origin Referer on a form (as browsers send it).
    """

    def __init__(self, base: str, address: str):
        super().__init__()
        self.base = base
        self.cookies.set_policy(BehindTlsProxy())
        self.headers.update(
            {
                "X-Forwarded-Proto": "https",
                "X-Forwarded-For": address,
                "Referer": base.replace("http://", "https://", 1) + "/",
            }
        )

    def prepare_request(self, request):
        """The Cookie header from the session's own jar: requests would copy the cookies into a
        jar of the default policy, which keeps Secure cookies for https."""
        prepared = super().prepare_request(request)
        prepared.headers.pop("Cookie", None)
        prepared.prepare_cookies(self.cookies)
        return prepared

    def request(self, method, url, *args, **kwargs):
        kwargs.setdefault("timeout", 60)
        kwargs.setdefault("allow_redirects", False)
        return super().request(method, self.base + url, *args, **kwargs)

    def form_token(self, path: str) -> str:
        """The CSRF token of the form on a page."""
        page = self.get(path)
        assert page.status_code == 200, page.text
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
        assert token, page.text
        return token.group(1)


def random_address() -> str:
    """A client address of this run alone: rate-limit counters in the shared Redis start at 0
    even when another run of this test uses the same Redis database at the same time."""
    return "10." + ".".join(str(secrets.randbelow(254) + 1) for _ in range(3))


def wait_until_serving(base: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, f"bin/serve exited ({process.returncode}):\n{tail(log)}"
        # Refused until gunicorn listens; may time out until a worker has booted.
        with suppress(requests.ConnectionError, requests.Timeout):
            answer = requests.get(base + "/healthz", timeout=2)
            assert (answer.status_code, answer.text) == (200, "ok"), answer.text
            return
        time.sleep(0.3)
    pytest.fail(f"bin/serve did not answer within {STARTUP_SECONDS} s:\n{tail(log)}")


def tail(log: Path, lines: int = 60) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def login_rate_limit() -> int:
    """The configured number of failed logins per address (e.g. "20 per minute" → 20)."""
    return int(Config.LOGIN_RATE_LIMIT.split()[0])


def failed_login(base: str, address: str) -> int:
    """One failed sign-in from `address` as a new visitor (its own connections and session)."""
    with ProxiedClient(base, address) as client:
        token = client.form_token("/login")
        answer = client.post(
            "/login",
            data={
                "email": f"nobody-{secrets.token_hex(4)}@smoke.example",
                "password": "fel-lösenord",
                "csrf_token": token,
            },
        )
        return answer.status_code


def login_lines(log: Path, status: int) -> list[str]:
    """The access-log lines of POST /login answered with `status`."""
    pattern = re.compile(rf'"POST /login HTTP/1\.[01]" {status} .* <(\d+)>$')
    return [
        match.group(1)
        for line in log.read_text(errors="replace").splitlines()
        if (match := pattern.search(line))
    ]


def test_production_server_end_to_end(services, tmp_path):
    smtp_inbox = Inbox()
    smtp = Controller(smtp_inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    try:
        with fresh_database() as database_url:
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            env = {**production_env(database_url, port), "JOBS_DIR": str(tmp_path / "jobs")}
            server_log, worker_log = tmp_path / "serve.log", tmp_path / "worker.log"
            jobs_log = tmp_path / "jobs.log"
            with running([str(ROOT / "bin" / "serve")], env, server_log) as server:
                wait_until_serving(base, server, server_log)
                password = secrets.token_urlsafe(16)
                flask(env, "users", "create", ADMIN, "--name", "Smoke Admin", "--role", "admin",
                      "--password", password)  # fmt: skip
                api_token = flask(env, "users", "token", ADMIN).splitlines()[-1]
                # The worker sends mail; the app servers only queue it (no MAIL_SERVER there).
                worker_env = {
                    **env, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp.port),
                    "MAIL_INTERVAL": "1",
                }  # fmt: skip
                with running([str(ROOT / "bin" / "worker")], worker_env, worker_log) as worker:
                    check_pages(base, password)
                    check_api(base, api_token)
                    check_shared_login_limit(base, server_log)
                    check_worker_sends_mail(base, smtp_inbox, worker, worker_log)
                    assert stop(worker) == 0, tail(worker_log)
                    assert "worker: stopping" in worker_log.read_text()
                with running([str(ROOT / "bin" / "jobs")], env, jobs_log) as jobs:
                    check_jobs_make_the_print_pack(base, password, env, jobs, jobs_log)
                assert server.poll() is None, tail(server_log)
    finally:
        smtp.stop()


def check_pages(base: str, password: str) -> None:
    """Sign in (CSRF token from the form), open a lesson, download a kit PDF."""
    with ProxiedClient(base, random_address()) as browser:
        token = browser.form_token("/login")
        session_cookie = next(c for c in browser.cookies if c.name == "session")
        assert session_cookie.secure, "production sets Secure cookies"
        signed_in = browser.post(
            "/login", data={"email": ADMIN, "password": password, "csrf_token": token}
        )
        assert signed_in.status_code == 302, signed_in.text
        lesson = browser.get(LESSON)
        assert lesson.status_code == 200, lesson.text[:2000]
        assert LESSON_TITLE in lesson.text
        pdf = browser.get("/kit/lektionsplan.pdf")
        assert pdf.status_code == 200, pdf.text[:2000]
        assert pdf.headers["Content-Type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF-") and len(pdf.content) > 1000


def check_api(base: str, token: str) -> None:
    """The API with the CLI's Bearer token (no cookie); without it, 401."""
    headers = {"X-Forwarded-Proto": "https"}
    refused = requests.get(base + "/api/v1/coverage", headers=headers, timeout=30)
    assert refused.status_code == 401
    coverage = requests.get(
        base + "/api/v1/coverage",
        headers={**headers, "Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert coverage.status_code == 200, coverage.text
    assert len(coverage.json()["municipalities"]) == 15


def check_shared_login_limit(base: str, server_log: Path) -> None:
    """The limit on failed logins holds across the workers: they count in Redis together.

    The allowed attempts go in parallel, each on new connections, so several workers serve them
    (the access log names each worker); with per-worker counters none of them would have
    reached the limit, so the next attempt could not be refused.
    """
    limit = login_rate_limit()
    address = random_address()
    with ThreadPoolExecutor(max_workers=2 * WORKERS) as pool:
        allowed = list(pool.map(lambda _: failed_login(base, address), range(limit)))
    assert allowed == [422] * limit
    assert failed_login(base, address) == 429
    assert failed_login(base, address) == 429
    assert failed_login(base, random_address()) == 422  # another address is not affected
    deadline = time.monotonic() + 5  # a worker logs the request just after answering it
    while len(login_lines(server_log, 422)) < limit + 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    workers = set(login_lines(server_log, 422))
    assert len(workers) >= 2, f"one worker served every attempt:\n{tail(server_log)}"


def check_worker_sends_mail(base, inbox: Inbox, worker: subprocess.Popen, log: Path) -> None:
    """A password reset asked for on an app server is queued there; bin/worker sends it."""
    with ProxiedClient(base, random_address()) as visitor:
        token = visitor.form_token("/password/forgot")
        asked = visitor.post("/password/forgot", data={"email": ADMIN, "csrf_token": token})
        assert asked.status_code == 302, asked.text
    deadline = time.monotonic() + 60
    while not inbox.recipients and time.monotonic() < deadline:
        assert worker.poll() is None, f"bin/worker exited ({worker.returncode}):\n{tail(log)}"
        time.sleep(0.3)
    assert inbox.recipients == [ADMIN], tail(log)


CERTIFY = """
from app import create_app
from app.auth.models import User
from app.certificates.services import issue_certificate
from app.core.time import utcnow
from app.courses.models import Course, CourseCompletion
from app.extensions import db

with create_app().app_context():
    admin = db.session.scalar(db.select(User).filter_by(email="{email}"))
    course = db.session.scalar(db.select(Course).filter_by(slug="end-user"))
    db.session.add(CourseCompletion(user_id=admin.id, course_id=course.id, method="online",
                                    completed_at=utcnow()))
    db.session.commit()
    issue_certificate(admin, course)
"""


def check_jobs_make_the_print_pack(base, password, env, jobs: subprocess.Popen, log: Path) -> None:
    """An app server queues the print pack on Redis; bin/jobs makes it; the app sends it."""
    certify = [sys.executable, "-c", CERTIFY.format(email=ADMIN)]
    subprocess.run(certify, cwd=ROOT, env=env, check=True, capture_output=True)  # noqa: S603
    with ProxiedClient(base, random_address()) as browser:
        token = browser.form_token("/login")
        browser.post("/login", data={"email": ADMIN, "password": password, "csrf_token": token})
        token = browser.form_token("/certificates/")
        started = browser.post("/certificates/print-pack", data={"csrf_token": token})
        assert started.status_code == 302 and "/jobs/" in started.headers["Location"], started.text
        job = started.headers["Location"].split("/jobs/")[1]
        deadline = time.monotonic() + 60
        while (state := browser.get(f"/jobs/{job}.json").json())["state"] != "done":
            assert state["state"] != "failed" and time.monotonic() < deadline, tail(log)
            assert jobs.poll() is None, f"bin/jobs exited ({jobs.returncode}):\n{tail(log)}"
            time.sleep(0.3)
        pack = browser.get(state["download"])
        assert pack.status_code == 200 and pack.content.startswith(b"%PDF-"), pack.text[:500]


@pytest.mark.parametrize("script", ["serve", "worker", "jobs"])
def test_scripts_refuse_to_start_without_production_settings(script):
    """Before touching anything: APP_ENV must say production, and no required variable is
    missing (both are named in the message)."""
    env = {key: value for key, value in production_env("unused", 0).items() if key != "APP_ENV"}
    command = [str(ROOT / "bin" / script)]
    development = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    assert development.returncode == 2
    assert "APP_ENV must be 'production'" in development.stderr
    env = {**env, "APP_ENV": "production", "SECRET_KEY": "", "PUBLIC_BASE_URL": ""}
    missing = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    assert missing.returncode == 2
    assert "set SECRET_KEY PUBLIC_BASE_URL" in missing.stderr
