"""A dead and a frozen g0 master behind the proxy.

Killed (kill -9): the next statement gets ERR 1429 naming g0 at once, new
sessions too, the proxy lives; after `scripts/sandbox.sh up` statements work
again. Frozen (SIGSTOP: TCP stays up): an in-flight and a new statement get
the ERR within the probe window (3 misses of 1 s, plus margin: < 6 s); after
SIGCONT, recovery. A long statement on a healthy master is never cut.

These tests run last (conftest orders them) and always restore the master
(SIGCONT / sandbox up) in a finally."""

import os
import signal
import subprocess
import threading
import time

import pymysql
import pytest

from conftest import ROOT, SANDBOX_DIR, connect, rows_of

BACKEND_ERRNO = 1429  # errors::kBackendUnavailable
PROBE_WINDOW = 6.0  # 3 probe misses of 1 s + margin
RECOVERY_SECONDS = 20.0


def master_pid():
    pid_file = SANDBOX_DIR / "g0a" / "mariadb.pid"
    pid = int(pid_file.read_text().strip())
    with open(f"/proc/{pid}/comm") as f:
        assert f.read().strip() == "mariadbd", f"{pid_file} does not name a live mariadbd"
    return pid


def sandbox_up():
    r = subprocess.run([str(ROOT / "scripts/sandbox.sh"), "up"], cwd=ROOT, capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, f"sandbox.sh up failed:\n{r.stdout}\n{r.stderr}"


def assert_backend_error(exc, what):
    assert isinstance(exc, pymysql.MySQLError), f"{what}: {exc!r}"
    assert exc.args[0] == BACKEND_ERRNO, f"{what}: want errno {BACKEND_ERRNO}, got {exc.args}"
    assert "g0" in str(exc.args[1]), f"{what}: message does not name group g0: {exc.args[1]!r}"


def statement_error(sql="SELECT 1", conn=None):
    """Runs sql on conn (or a new connection, which may itself fail);
    returns (exception or None, seconds)."""
    t0 = time.monotonic()
    try:
        c = conn or connect(connect_timeout=15, read_timeout=30)
        try:
            rows_of(c, sql)
        finally:
            if conn is None:
                c.close()
    except pymysql.MySQLError as e:
        return e, time.monotonic() - t0
    return None, time.monotonic() - t0


def wait_recovered():
    """Polls with new sessions until SELECT 1 works; returns seconds taken."""
    t0 = time.monotonic()
    last = None
    while time.monotonic() - t0 < RECOVERY_SECONDS:
        err, _ = statement_error()
        if err is None:
            return time.monotonic() - t0
        last = err
        time.sleep(0.5)
    pytest.fail(f"no recovery within {RECOVERY_SECONDS}s; last error {last!r}")


@pytest.mark.proxy_only
@pytest.mark.sandbox
def test_killed_master(schema, proxy):
    c = connect()
    assert rows_of(c, "SELECT 1") == ((1,),)
    pid = master_pid()
    try:
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while os.path.exists(f"/proc/{pid}") and time.monotonic() < deadline:
            time.sleep(0.05)
        # The open session's next statement: ERR at once.
        err, secs = statement_error(conn=c)
        assert_backend_error(err, "statement on an open session")
        assert secs < 2.0, f"ERR took {secs:.2f}s"
        # A new session while g0 is down: ERR too (at connect or at the statement).
        err, secs = statement_error()
        assert_backend_error(err, "new session")
        assert secs < 2.0, f"ERR took {secs:.2f}s"
        assert proxy.alive(), "proxy died after the backend was killed:\n" + proxy.log_tail()
    finally:
        c.close()
        sandbox_up()
    took = wait_recovered()
    print(f"recovered {took:.1f}s after sandbox up")
    assert proxy.alive()


@pytest.mark.proxy_only
@pytest.mark.sandbox
def test_frozen_master(schema, proxy):
    inflight = connect(read_timeout=60)
    idle = connect(read_timeout=60)
    assert rows_of(idle, "SELECT 1") == ((1,),)
    result = {}

    def run_inflight():
        try:
            rows_of(inflight, "SELECT SLEEP(20)")
            result["err"] = None
        except pymysql.MySQLError as e:
            result["err"] = e
        result["at"] = time.monotonic()

    th = threading.Thread(target=run_inflight)
    pid = master_pid()
    try:
        th.start()
        time.sleep(0.5)
        stopped_at = time.monotonic()
        os.kill(pid, signal.SIGSTOP)
        # A new statement on an open session.
        err, secs = statement_error(conn=idle)
        assert_backend_error(err, "new statement, frozen master")
        assert secs < PROBE_WINDOW, f"ERR after {secs:.2f}s"
        # The in-flight one.
        th.join(PROBE_WINDOW + 5)
        assert not th.is_alive(), "in-flight statement still hangs on a frozen master"
        assert_backend_error(result["err"], "in-flight statement, frozen master")
        assert result["at"] - stopped_at < PROBE_WINDOW, \
            f"in-flight ERR after {result['at'] - stopped_at:.2f}s"
        # A brand-new session (handshake timeout or known-down group).
        err, secs = statement_error()
        assert_backend_error(err, "new session, frozen master")
        assert secs < PROBE_WINDOW, f"ERR after {secs:.2f}s"
        assert proxy.alive()
    finally:
        os.kill(pid, signal.SIGCONT)
        th.join(30)
        for c in (inflight, idle):
            try:
                c.close()
            except Exception:
                pass
    took = wait_recovered()
    print(f"recovered {took:.1f}s after SIGCONT")
    assert proxy.alive()


def test_long_statement_on_healthy_master_not_cut(schema, proxy):
    c = connect(read_timeout=60)
    try:
        t0 = time.monotonic()
        rows = rows_of(c, "SELECT SLEEP(8)")
        secs = time.monotonic() - t0
        assert rows == ((0,),)
        assert 7.5 < secs < 12, f"SLEEP(8) took {secs:.2f}s"
        assert rows_of(c, "SELECT 1") == ((1,),)
    finally:
        c.close()
