"""The production stack for the reliability tests: a throwaway PostgreSQL cluster, gunicorn, load.

Everything runs on the loopback interface, in temporary directories, as subprocesses with an
explicit environment: the tests never touch the machine's own PostgreSQL server nor pytest-django's
test database, so they behave the same whatever DATABASE_URL the test run itself was given.
Every wait is bounded, and every process started here is stopped by the context manager that
started it, even when a test fails.
"""

import contextlib
import glob
import http.client
import itertools
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parents[2]
SHIPPED_FIXTURES = ["epci", "communes", "reference", "charter", "places"]
SUPERUSER = "postgres"
# The database, on each module's cluster, that the site serves.
SITE_DATABASE = "solozere"
# Bounds on every wait, in seconds.
COMMAND_TIMEOUT = 300
PG_CTL_TIMEOUT = 30
GUNICORN_START_TIMEOUT = 60
GUNICORN_STOP_TIMEOUT = 15
REQUEST_TIMEOUT = 30
# The environment passed on to subprocesses: nothing of the test run's own Django settings.
INHERITED_VARIABLES = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "TZ", "VIRTUAL_ENV")
SERVICE_UNAVAILABLE_TITLE = "Service momentanément indisponible"


def postgres_bindir():
    """PostgreSQL's programs: `pg_config --bindir`, else the newest /usr/lib/postgresql/*/bin."""
    candidates = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        result = subprocess.run(
            [pg_config, "--bindir"], capture_output=True, text=True, timeout=30, check=False
        )
        if result.returncode == 0:
            candidates.append(Path(result.stdout.strip()))
    versions = glob.glob("/usr/lib/postgresql/*/bin")
    candidates += sorted(map(Path, versions), key=lambda p: int(p.parent.name), reverse=True)
    for directory in candidates:
        if all((directory / program).is_file() for program in ("initdb", "pg_ctl", "pg_dump")):
            return directory
    raise RuntimeError(
        "PostgreSQL's server programs (initdb, pg_ctl, pg_dump, pg_restore) were not found: "
        "install the postgresql package (its bin directory is found through pg_config or "
        "/usr/lib/postgresql/*/bin)."
    )


def free_port():
    """A TCP port nobody listens on at the moment, on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(command, *, timeout=COMMAND_TIMEOUT, **kwargs):
    """Run a command to completion; a failure raises with everything it printed."""
    result = subprocess.run(
        [str(part) for part in command],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        **kwargs,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(map(str, command))} exited with {result.returncode}:\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return result.stdout


class PostgresCluster:
    """A PostgreSQL cluster of its own: trust authentication, loopback only, a free port.

    initdb refuses to run as root: then the cluster belongs to the postgres account, which runs
    initdb and pg_ctl; the clients (psql, pg_dump, Django) connect over TCP either way.
    """

    def __init__(self, root):
        self.root = Path(root)
        self.data = self.root / "data"
        self.sockets = self.root / "sockets"
        self.log = self.root / "postgres.log"
        self.bindir = postgres_bindir()
        self.port = free_port()
        self.as_root = os.geteuid() == 0

    def _server_command(self, program, *arguments):
        command = [self.bindir / program, *arguments]
        return ["runuser", "-u", SUPERUSER, "--", *command] if self.as_root else command

    def _run_server_program(self, program, *arguments, timeout=PG_CTL_TIMEOUT + 15):
        # cwd: the postgres account may not be allowed into the test run's directory.
        return run(self._server_command(program, *arguments), timeout=timeout, cwd=self.root)

    def initialise(self):
        self.sockets.mkdir()
        if self.as_root:
            for path in (self.root, self.sockets):
                shutil.chown(path, SUPERUSER, SUPERUSER)
        self._run_server_program(
            "initdb",
            "--pgdata",
            self.data,
            "--username",
            SUPERUSER,
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--locale",
            "C.UTF-8",
            "--no-sync",
            timeout=120,
        )

    def start(self):
        """Start the server and wait until it accepts connections."""
        options = (
            f"-c listen_addresses=127.0.0.1 -k {self.sockets} -p {self.port} -c fsync=off "
            "-c max_connections=100"
        )
        try:
            self._run_server_program(
                "pg_ctl",
                "start",
                "--pgdata",
                self.data,
                "--log",
                self.log,
                "--wait",
                "--timeout",
                PG_CTL_TIMEOUT,
                "--options",
                options,
            )
        except RuntimeError as error:
            raise RuntimeError(f"{error}\nServer log:\n{self.server_log()}") from error

    def stop(self, mode="fast"):
        self._run_server_program(
            "pg_ctl",
            "stop",
            "--pgdata",
            self.data,
            "--mode",
            mode,
            "--wait",
            "--timeout",
            PG_CTL_TIMEOUT,
        )

    def is_running(self):
        command = self._server_command("pg_ctl", "status", "--pgdata", self.data)
        result = subprocess.run(
            command, capture_output=True, timeout=PG_CTL_TIMEOUT, cwd=self.root, check=False
        )
        return result.returncode == 0

    def url(self, database):
        return f"postgres://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def client_options(self):
        """Where psql, pg_dump and pg_restore find the server."""
        return ["--host", "127.0.0.1", "--port", self.port, "--username", SUPERUSER]

    def psql(self, sql, database="postgres"):
        """Run SQL; the result rows come back as lines of tab-separated values."""
        command = [
            self.bindir / "psql",
            "--no-psqlrc",
            "--tuples-only",
            "--no-align",
            "--field-separator",
            "\t",
            "--set",
            "ON_ERROR_STOP=1",
            "--command",
            sql,
            *self.client_options(),
            "--dbname",
            database,
        ]
        return run(command, timeout=60)

    def create_database(self, name, template="template0"):
        self.psql(f'CREATE DATABASE "{name}" TEMPLATE {template}')

    def server_log(self):
        try:
            return self.log.read_text(errors="replace")[-4000:]
        except OSError:
            return ""


@contextlib.contextmanager
def throwaway_cluster():
    """A started PostgreSQL cluster in a temporary directory, stopped and deleted afterwards."""
    root = tempfile.mkdtemp(prefix="solozere-reliability-pg-")
    cluster = PostgresCluster(root)
    try:
        cluster.initialise()
        cluster.start()
        yield cluster
    finally:
        try:
            if cluster.data.exists() and cluster.is_running():
                cluster.stop(mode="immediate")
        finally:
            shutil.rmtree(root, ignore_errors=True)


def redis_answers(url):
    """Whether a Redis server answers at `url`; CI (CI_REQUIRE_REDIS) fails rather than skip."""
    import redis

    try:
        return redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        if os.environ.get("CI_REQUIRE_REDIS"):
            raise
        return False


def django_env(database_url, **settings):
    """The environment for manage.py and gunicorn: production-like, on the given database."""
    environment = {name: os.environ[name] for name in INHERITED_VARIABLES if name in os.environ}
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "solozere.settings",
            "DATABASE_URL": database_url,
            "DEBUG": "false",
            "SECRET_KEY": "reliability-tests-only-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "WHITENOISE_USE_FINDERS": "true",
            "CONTRIBUTIONS_PER_HOUR": "1000000",
            "EMAIL_URL": "consolemail://",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    environment.update({name: str(value) for name, value in settings.items()})
    return environment


def manage(environment, *arguments, timeout=COMMAND_TIMEOUT):
    """Run manage.py in a subprocess; returns what it printed."""
    return run(
        [sys.executable, "manage.py", *arguments], timeout=timeout, cwd=BASE_DIR, env=environment
    )


def seed_database(cluster, name):
    """A new database with the schema and the real Lozère data (a site of production's size and
    content, loaded once per module); returns its URL."""
    cluster.create_database(name)
    environment = django_env(cluster.url(name))
    manage(environment, "migrate", "--no-input", "--verbosity", "0")
    manage(environment, "loaddata", *SHIPPED_FIXTURES, "--verbosity", "0")
    return cluster.url(name)


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes
    seconds: float

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")


class Server:
    """Where gunicorn listens, and how to ask it something."""

    def __init__(self, port, log):
        self.port = port
        self.log = log

    @property
    def origin(self):
        return f"http://127.0.0.1:{self.port}"

    def request(self, method, path, *, body=None, headers=None, timeout=REQUEST_TIMEOUT):
        """One request on a fresh connection; the connection errors are left to the caller."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        started = time.monotonic()
        try:
            connection.request(
                method, path, body=body, headers={"Connection": "close", **(headers or {})}
            )
            response = connection.getresponse()
            content = response.read()
            return Answer(
                status=response.status,
                headers={name.lower(): value for name, value in response.getheaders()},
                body=content,
                seconds=time.monotonic() - started,
            )
        finally:
            connection.close()

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def log_tail(self, characters=4000):
        try:
            return self.log.read_text(errors="replace")[-characters:]
        except OSError:
            return ""

    def tracebacks(self, limit=3, depth=12):
        """The end of the first tracebacks in gunicorn's log, where Django reports its 500s."""
        try:
            lines = self.log.read_text(errors="replace").splitlines()
        except OSError:
            return []
        found, block = [], None
        for line in lines:
            if line.startswith("Traceback (most recent call last):"):
                block = []
            elif block is not None and line.strip().strip("^~") == "":
                continue
            elif block is not None and not line.startswith(" "):
                found.append("\n".join([*block[-depth:], line]))
                block = None
                if len(found) == limit:
                    break
            elif block is not None:
                block.append(line)
        return found


@contextlib.contextmanager
def gunicorn(environment, log_dir, *, workers=3, threads=4):
    """gunicorn serving the site on a free loopback port, until the block ends."""
    port = free_port()
    log = Path(log_dir) / f"gunicorn-{port}.log"
    # An empty STATIC_ROOT: the static files come from the finders, without collectstatic.
    static_root = Path(log_dir) / f"static-root-{port}"
    static_root.mkdir(parents=True, exist_ok=True)
    environment = {"STATIC_ROOT": str(static_root), **environment}
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "solozere.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        workers,
        "--worker-class",
        "gthread",
        "--threads",
        threads,
        "--timeout",
        30,
        "--graceful-timeout",
        5,
        # gunicorn's control socket defaults to one path in $HOME, shared by concurrent runs.
        "--no-control-socket",
    ]
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(part) for part in command],
            cwd=BASE_DIR,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(port, log)
    try:
        _wait_until_ready(server, process)
        yield server
    finally:
        _stop(process)


def _wait_until_ready(server, process):
    deadline = time.monotonic() + GUNICORN_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{server.log_tail()}")
        with contextlib.suppress(OSError):
            if server.get("/healthz", timeout=5).status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(
        f"gunicorn was not ready in {GUNICORN_START_TIMEOUT} s:\n{server.log_tail()}"
    )


def _stop(process):
    """SIGTERM to gunicorn's master; SIGKILL to its process group if it does not stop in time."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=GUNICORN_STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=GUNICORN_STOP_TIMEOUT)


CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf_cookie(answer):
    match = re.search(r"csrftoken=([^;]+)", answer.headers.get("set-cookie", ""))
    return match.group(1) if match else None


def form_submission(server, path, form_answer, fields):
    """The body and headers a browser POSTs: the CSRF cookie and token of the form's page."""
    token = CSRF_FIELD.search(form_answer.text)
    cookie = csrf_cookie(form_answer)
    if not token or not cookie:
        raise AssertionError(f"{path}: no CSRF cookie or token in the form page")
    body = urlencode({"csrfmiddlewaretoken": token.group(1), **fields})
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={cookie}",
        "Origin": server.origin,
        "Referer": server.origin + path,
    }
    return {"body": body, "headers": headers}


@dataclass
class Record:
    """One request made under load: when, what, and how it ended."""

    client: int
    method: str
    path: str
    started: float
    seconds: float
    status: int | None = None
    error: str | None = None
    body: bytes = b""
    # What the request stands for in the figures (its path, unless one-off paths share a label).
    label: str = ""

    @property
    def finished(self):
        return self.started + self.seconds


@dataclass
class Load:
    """Client threads running a scenario over and over until stopped, recording every answer.

    The scenario is called with the load, the client's number and its iteration; it makes its
    requests through `call`.
    """

    server: Server
    clients: int
    scenario: Callable[["Load", int, int], None]
    records: list = field(default_factory=list)

    def __post_init__(self):
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = []

    def call(self, client, method, path, label=None, **kwargs):
        """Make one request for a client thread, record it, and return the answer (or None)."""
        started = time.monotonic()
        record = Record(
            client=client,
            method=method,
            path=path,
            started=started,
            seconds=0.0,
            label=label or path,
        )
        answer = None
        try:
            answer = self.server.request(method, path, **kwargs)
            record.status = answer.status
            if answer.status >= 400:
                record.body = answer.body
        except (OSError, http.client.HTTPException) as error:
            record.error = f"{type(error).__name__}: {error}"
        record.seconds = time.monotonic() - started
        with self._lock:
            self.records.append(record)
        return answer

    def _client(self, number):
        iteration = 0
        while not self._stop.is_set():
            self.scenario(self, number, iteration)
            iteration += 1

    def start(self):
        for number in range(self.clients):
            thread = threading.Thread(target=self._client, args=(number,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def stop(self):
        """Ask the clients to finish their current step; each request is bounded by its timeout."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=REQUEST_TIMEOUT * 3)
        stuck = [thread for thread in self._threads if thread.is_alive()]
        if stuck:
            raise RuntimeError(f"{len(stuck)} client thread(s) did not finish")

    def run_for(self, seconds):
        self.start()
        try:
            time.sleep(seconds)
        finally:
            self.stop()


_unique_numbers = itertools.count()


def unique(path_template):
    """`path_template` with `{n}` made unique: a page nobody asked for yet, so not cached."""
    return path_template.format(n=next(_unique_numbers))


def percentile(values, fraction):
    """Nearest-rank percentile of a non-empty list; `fraction` between 0 and 1."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def latency_figures(records, duration):
    """Requests, throughput and latency (milliseconds) of a set of records."""
    latencies = [record.seconds * 1000 for record in records]
    if not latencies:
        return {"requests": 0}
    return {
        "requests": len(records),
        "throughput_per_second": round(len(records) / duration, 1),
        "p50_ms": round(percentile(latencies, 0.50), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "max_ms": round(max(latencies), 1),
    }


def describe(record):
    """One line about a request, for assertion messages."""
    outcome = record.error or f"HTTP {record.status}"
    excerpt = record.body[:300].decode("utf-8", errors="replace") if record.body else ""
    return f"{record.method} {record.path} → {outcome} in {record.seconds:.2f} s {excerpt}".strip()
