"""Fixtures for the integration tests: real MariaDB sandbox, the proxy, real
clients. See README.md in this directory for the environment variables.

The *target* is what the tests talk to (the proxy by default, 127.0.0.1:6033).
The *direct* server is g0's master (127.0.0.1:23306): tests compare what a
client sees through the target with what it sees direct, and use it (as the
`monitor` user) to look at the server side (processlist).

When SP_PORT is itself a MariaDB port (the sandbox ports, SP_DIRECT_PORT, or
SP_DIRECT=1) the proxy is not started and tests marked `proxy_only` skip: this
is how the tests themselves are proven against plain MariaDB.
"""

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pymysql
import pytest

ROOT = Path(__file__).resolve().parents[2]

HOST = os.environ.get("SP_HOST", "127.0.0.1")
PORT = int(os.environ.get("SP_PORT", "6033"))
USER = os.environ.get("SP_USER", "app")
PASSWORD = os.environ.get("SP_PASSWORD", "app")
DB = os.environ.get("SP_DB", "test_itest")
DIRECT_HOST = os.environ.get("SP_DIRECT_HOST", "127.0.0.1")
DIRECT_PORT = int(os.environ.get("SP_DIRECT_PORT", "23306"))
MONITOR_USER = os.environ.get("SP_MONITOR_USER", "monitor")
MONITOR_PASSWORD = os.environ.get("SP_MONITOR_PASSWORD", "monitor")
SANDBOX_PORTS = {23306, 23307, 23316, 23317, 23399}  # g0a g0b g1a g1b ref
DIRECT_MODE = (os.environ.get("SP_DIRECT") == "1" or PORT in SANDBOX_PORTS
               or PORT == DIRECT_PORT)
SHARDPROXY_BIN = os.environ.get("SHARDPROXY_BIN",
                                str(ROOT / "build/debug/proxy/shardproxy"))
BUILD_DIR = Path(os.environ.get("SHARDPROXY_BUILD_DIR", str(ROOT / "build/debug")))
PROXY_CONFIG = os.environ.get("SP_PROXY_CONFIG", str(ROOT / "conf/sandbox.yaml"))
LOG_DIR = ROOT / "var/test-logs"
SANDBOX_DIR = Path(os.environ.get("SANDBOX_DIR", str(ROOT / "var/sandbox")))


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "proxy_only: needs the proxy itself (skipped when SP_PORT is a MariaDB port)")
    config.addinivalue_line("markers", "sandbox: needs scripts/sandbox.sh and its g0 master")


def pytest_collection_modifyitems(config, items):
    # Tests that kill or freeze a sandbox server run last.
    items.sort(key=lambda it: 1 if "test_failure.py" in str(it.fspath) else 0)
    if not DIRECT_MODE:
        return
    skip = pytest.mark.skip(reason=f"proxy-specific; SP_PORT={PORT} is a direct MariaDB port")
    for item in items:
        if "proxy_only" in item.keywords:
            item.add_marker(skip)


def port_open(host, port, timeout=0.5):
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_port(host, port, seconds, proc=None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            return False
        if port_open(host, port):
            return True
        time.sleep(0.1)
    return False


def connect(**kw):
    """A PyMySQL connection to the target (proxy or direct per SP_PORT)."""
    args = dict(host=HOST, port=PORT, user=USER, password=PASSWORD, database=DB,
                charset="utf8mb4", autocommit=True, connect_timeout=10, read_timeout=60,
                write_timeout=60)
    args.update(kw)
    return pymysql.connect(**args)


def connect_direct(**kw):
    """The same, straight to g0's master: the reference behaviour."""
    args = dict(host=DIRECT_HOST, port=DIRECT_PORT, user=USER, password=PASSWORD, database=DB,
                charset="utf8mb4", autocommit=True, connect_timeout=10, read_timeout=60,
                write_timeout=60)
    args.update(kw)
    return pymysql.connect(**args)


def connect_monitor(**kw):
    """Direct to g0's master as `monitor` (PROCESS: sees every session)."""
    args = dict(host=DIRECT_HOST, port=DIRECT_PORT, user=MONITOR_USER,
                password=MONITOR_PASSWORD, autocommit=True, connect_timeout=10, read_timeout=60)
    args.update(kw)
    return pymysql.connect(**args)


class ProxyProcess:
    """The proxy under test (None-like when testing direct)."""

    def __init__(self, proc=None, log_path=None):
        self.proc = proc
        self.log_path = log_path

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def alive(self):
        """True when there is no proxy to check, or it still runs."""
        return self.proc is None or self.proc.poll() is None

    def rss_kib(self):
        if self.proc is None:
            return 0
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def log_tail(self, n=40):
        if not self.log_path or not Path(self.log_path).exists():
            return ""
        lines = Path(self.log_path).read_text(errors="replace").splitlines()
        return "\n".join(lines[-n:])


def sanitizer_report(log_path, max_lines=40):
    """The first sanitizer report in the proxy log (or its tail)."""
    lines = Path(log_path).read_text(errors="replace").splitlines()
    for i, line in enumerate(lines):
        if "ERROR: AddressSanitizer" in line or "runtime error:" in line \
                or "ERROR: LeakSanitizer" in line:
            return "\n".join(lines[i:i + max_lines])
    return "\n".join(lines[-max_lines:])


@pytest.fixture(scope="session")
def sandbox():
    """Brings the sandbox up (scripts/sandbox.sh up) unless its five ports
    (the four group instances and ref) already answer. SP_NO_SANDBOX=1 skips
    it (for a hand-started server)."""
    if os.environ.get("SP_NO_SANDBOX") == "1":
        return
    # Already up (scripts/test.sh starts it before pytest): nothing to do.
    if all(port_open("127.0.0.1", p) for p in SANDBOX_PORTS):
        return
    script = ROOT / "scripts/sandbox.sh"
    if not script.exists():
        pytest.fail(f"{script} does not exist")
    r = subprocess.run([str(script), "up"], cwd=ROOT, capture_output=True, text=True,
                       timeout=600)
    if r.returncode != 0:
        pytest.fail(f"sandbox.sh up failed rc={r.returncode}\n{r.stdout}\n{r.stderr}")


def stop_proxy(proc, seconds=15):
    """Stops a proxy process by its pid: SIGTERM, SIGKILL after `seconds`.
    Returns its exit code."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode


@pytest.fixture(scope="session")
def proxy(sandbox):
    """Starts $SHARDPROXY_BIN --config conf/sandbox.yaml unless the target is a
    MariaDB port; stops it by pid at the end. Its log: var/test-logs/."""
    if DIRECT_MODE or os.environ.get("SP_EXTERNAL_PROXY") == "1":
        yield ProxyProcess()
        return
    if port_open(HOST, PORT):
        pytest.fail(f"something already listens on {HOST}:{PORT}; stop it or set SP_EXTERNAL_PROXY=1")
    if not os.access(SHARDPROXY_BIN, os.X_OK):
        pytest.fail(f"proxy binary {SHARDPROXY_BIN} not found (set SHARDPROXY_BIN)")
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log_path = LOG_DIR / f"shardproxy-{time.strftime('%Y%m%d-%H%M%S')}.log"
    logf = open(log_path, "wb")
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=1")
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
    proc = subprocess.Popen([SHARDPROXY_BIN, "--config", PROXY_CONFIG], cwd=ROOT,
                            stdout=logf, stderr=subprocess.STDOUT, env=env)
    p = ProxyProcess(proc, log_path)
    if not wait_port(HOST, PORT, 30, proc):
        proc.kill()
        proc.wait()
        logf.close()
        pytest.fail(f"proxy did not listen on {HOST}:{PORT} within 30 s; log {log_path}:\n"
                    + p.log_tail())
    try:
        yield p
    finally:
        rc = stop_proxy(proc)
        logf.close()
        # A sanitizer report or a crash at shutdown is a test failure too.
        if rc != 0:
            pytest.fail(f"proxy exited with {rc} after SIGTERM (want 0); log {log_path}:\n"
                        + sanitizer_report(log_path))


@pytest.fixture(scope="session")
def schema(proxy):
    """The test schema exists (created direct, so it is there whatever the
    proxy does with DDL)."""
    c = connect_direct(database=None)
    try:
        with c.cursor() as cur:
            cur.execute(f"CREATE DATABASE IF NOT EXISTS `{DB}`")
    finally:
        c.close()
    return DB


@pytest.fixture
def conn(schema, proxy):
    """A fresh PyMySQL connection to the target."""
    c = connect()
    yield c
    try:
        c.close()
    except Exception:
        pass
    assert proxy.alive(), "proxy died during the test:\n" + proxy.log_tail()


@pytest.fixture
def dconn(schema):
    """A fresh PyMySQL connection straight to g0's master."""
    c = connect_direct()
    yield c
    try:
        c.close()
    except Exception:
        pass


def go_build(src, out):
    """Builds the Go program `src` (database/sql + Debian's go-sql-driver,
    offline in GOPATH mode) into `out`; fails the test if it does not build."""
    import shutil
    go = shutil.which("go") or "/usr/lib/go/bin/go"
    env = dict(os.environ, GOPATH="/usr/share/gocode", GO111MODULE="off", GOFLAGS="",
               GOCACHE=str(ROOT / "var/go-cache"), CGO_ENABLED="0")
    r = subprocess.run([go, "build", "-o", str(out), str(src)], env=env, capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, f"go build failed:\n{r.stdout}\n{r.stderr}"
    return out


def rows_of(c, sql, args=None):
    with c.cursor() as cur:
        cur.execute(sql, args)
        return cur.fetchall()
