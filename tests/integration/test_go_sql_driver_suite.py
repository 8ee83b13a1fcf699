"""go-sql-driver/mysql's OWN test suite (Debian's
golang-github-go-sql-driver-mysql-dev, 1.5.0), run twice: straight to g0's
master and through the proxy. Every top-level test that passes direct must
pass through the proxy too.

The test binary is built once (`go test -c`, GOPATH mode, offline) by
tests/drivers/go-sql-driver/run_suite.sh and run with `-test.v`; the
`--- PASS/FAIL/SKIP:` lines of top-level tests are compared. A run that dies
(panic, `-test.timeout`) marks the test in flight as failed and resumes with
the tests not yet run, so one hang does not hide the rest.

Summary: var/test-logs/go-sql-driver-suite.txt (raw outputs next to it,
go-sql-driver-suite-{direct,proxy}.out). Variables: SP_GOSQL_DB (default
test_gosql, must match the sandbox grant `test\\_%`), SP_GOSQL_TIMEOUT
(seconds per run of the binary, default 300), SP_GOSQL_RUN (a -test.run
regexp, to run a part of the suite).
"""

import os
import re
import signal
import subprocess
import time

import pytest

from conftest import (DIRECT_HOST, DIRECT_PORT, HOST, LOG_DIR, PASSWORD, PORT, ROOT, USER,
                      connect_direct)

pytestmark = [pytest.mark.proxy_only, pytest.mark.sandbox]

SCRIPT = ROOT / "tests/drivers/go-sql-driver/run_suite.sh"
SUITE_DB = os.environ.get("SP_GOSQL_DB", "test_gosql")
RUN_TIMEOUT = int(os.environ.get("SP_GOSQL_TIMEOUT", "300"))
RUN_FILTER = os.environ.get("SP_GOSQL_RUN", "")
MAX_RESUMES = 10
EXCERPT_LINES = 30

RESULT_RE = re.compile(r"^--- (PASS|FAIL|SKIP): (\S+) \(([\d.]+)s\)")
RUN_RE = re.compile(r"^=== RUN\s+(\S+)\s*$")


class SuiteRun:
    """The results of the suite against one server."""

    def __init__(self, label, addr):
        self.label = label
        self.addr = addr
        self.status = {}     # top-level test -> PASS / FAIL / SKIP / CRASH
        self.output = {}     # top-level test -> its lines of output
        self.seconds = 0.0
        self.invocations = 0
        self.raw = []        # every invocation's full output

    def names(self, status):
        return sorted(n for n, s in self.status.items() if s == status)

    def counts(self):
        c = {k: len(self.names(k)) for k in ("PASS", "FAIL", "SKIP", "CRASH")}
        return c

    def counts_line(self):
        c = self.counts()
        extra = f", crashed/timed out {c['CRASH']}" if c["CRASH"] else ""
        return (f"{self.label:6} {self.addr:21} pass {c['PASS']:3}  fail {c['FAIL']:3}  "
                f"skip {c['SKIP']:3}{extra}  ({self.seconds:.1f} s, "
                f"{self.invocations} run{'s' if self.invocations != 1 else ''})")

    def excerpt(self, name, n=EXCERPT_LINES):
        lines = [l for l in self.output.get(name, []) if l.strip()]
        if len(lines) > n:
            head = n // 3
            lines = lines[:head] + [f"    ... ({len(lines) - n} lines cut) ..."] \
                + lines[-(n - head):]
        return "\n".join("    | " + l for l in lines)


def parse(text, run):
    """Adds the top-level results in `text` to `run`; returns the test that
    was running when the output ended without a result (or None)."""
    current = None
    for line in text.splitlines():
        m = RUN_RE.match(line)
        if m and "/" not in m.group(1):
            current = m.group(1)
            run.output[current] = [line]
            continue
        m = RESULT_RE.match(line)        # top level only: subtests are indented
        if m:
            status, name = m.group(1), m.group(2)
            run.status[name] = status
            run.output.setdefault(name, []).append(line)
            if name == current:
                current = None
            continue
        if current is not None:
            run.output[current].append(line)
    return current


def condense_crash(lines):
    """A test's output up to a panic (`-test.timeout` or a crash), then the
    panic line and only the stack frames in the driver / its tests."""
    for i, line in enumerate(lines):
        if line.startswith("panic:"):
            break
    else:
        return lines + ["(the test binary ended without a result for this test)"]
    kept = lines[:i + 1]
    for j in range(i + 1, len(lines)):
        frame = lines[j]
        if frame.startswith("\t") and "go-sql-driver/mysql/" in frame:
            entry = f"    {lines[j - 1].strip()}  at {frame.strip().rsplit('/', 1)[-1]}"
            if entry not in kept:
                kept.append(entry)
    return kept


def go_env():
    env = dict(os.environ)
    env["GOCACHE"] = str(ROOT / "var/go-cache")
    return env


def run_binary(binary, addr, args, timeout):
    """One run of the test binary; killed (its process group) on timeout."""
    cmd = ["bash", str(SCRIPT), "run", str(binary), addr, SUITE_DB,
           f"-test.timeout={RUN_TIMEOUT}s", *args]
    env = dict(os.environ, MYSQL_TEST_USER=USER, MYSQL_TEST_PASS=PASSWORD)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                            start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        out += f"\n(harness: killed after {timeout} s)\n".encode()
    return proc.returncode, out.decode(errors="replace")


def run_suite(binary, label, addr, tests):
    """Runs `tests` (names) against addr, resuming after a crash/timeout."""
    run = SuiteRun(label, addr)
    todo = list(tests)
    t0 = time.monotonic()
    while todo and run.invocations <= MAX_RESUMES:
        args = ["-test.run", "^(" + "|".join(re.escape(t) for t in todo) + ")$"]
        rc, out = run_binary(binary, addr, args, RUN_TIMEOUT + 60)
        run.invocations += 1
        run.raw.append(f"##### {label} run {run.invocations}: rc={rc} args={args}\n{out}")
        in_flight = parse(out, run)
        if in_flight is not None and in_flight not in run.status:
            run.status[in_flight] = "CRASH"
            run.output[in_flight] = condense_crash(run.output.get(in_flight, []))
        done = set(run.status)
        remaining = [t for t in todo if t not in done]
        if not remaining:
            break
        if in_flight is None:
            # Ended without finishing and without a test in flight (build/init
            # error, flag error): do not loop on it.
            for t in remaining:
                run.status[t] = "CRASH"
                run.output[t] = ["(not run: the test binary ended early)"] \
                    + out.splitlines()[-EXCERPT_LINES:]
            break
        todo = remaining
    for t in todo:
        run.status.setdefault(t, "CRASH")
    run.seconds = time.monotonic() - t0
    return run


@pytest.fixture(scope="module")
def suite_binary(tmp_path_factory):
    out = tmp_path_factory.mktemp("gosql") / "mysql.test"
    r = subprocess.run(["bash", str(SCRIPT), "build", str(out)], env=go_env(),
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, f"go test -c failed:\n{r.stdout}\n{r.stderr}"
    return out


@pytest.fixture(scope="module")
def suite_db(schema):
    c = connect_direct(database=None)
    try:
        with c.cursor() as cur:
            cur.execute(f"CREATE DATABASE IF NOT EXISTS `{SUITE_DB}`")
    finally:
        c.close()
    return SUITE_DB


def list_tests(binary):
    r = subprocess.run([str(binary), "-test.list", RUN_FILTER or "."], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, f"-test.list failed:\n{r.stdout}\n{r.stderr}"
    return [n for n in r.stdout.split()
            if n.startswith(("Test", "Example")) and re.match(r"^\w+$", n)]


def summarize(direct, through, regressions):
    lines = ["go-sql-driver/mysql 1.5.0 test suite: direct vs through shardproxy",
             time.strftime("%Y-%m-%d %H:%M:%S"),
             direct.counts_line(), through.counts_line(), ""]
    for run in (direct, through):
        for status in ("FAIL", "CRASH", "SKIP"):
            names = run.names(status)
            if names:
                lines.append(f"{run.label} {status}: {' '.join(names)}")
    fixed = [n for n in direct.names("FAIL") + direct.names("CRASH")
             if through.status.get(n) == "PASS"]
    if fixed:
        lines.append(f"fail direct, pass through the proxy: {' '.join(fixed)}")
    lines.append("")
    if regressions:
        lines.append(f"{len(regressions)} test(s) pass direct but not through the proxy:")
        for n in regressions:
            lines.append(f"  {n}: {through.status.get(n, 'missing')}")
            lines.append(through.excerpt(n))
    else:
        lines.append("every test that passes direct passes through the proxy")
    return "\n".join(lines) + "\n"


def test_go_sql_driver_suite_equal_to_direct(suite_db, proxy, suite_binary):
    tests = list_tests(suite_binary)
    assert tests, "the test binary lists no tests"
    direct = run_suite(suite_binary, "direct", f"{DIRECT_HOST}:{DIRECT_PORT}", tests)
    through = run_suite(suite_binary, "proxy", f"{HOST}:{PORT}", tests)

    LOG_DIR.mkdir(parents=True, exist_ok=True)
    (LOG_DIR / "go-sql-driver-suite-direct.out").write_text("\n".join(direct.raw))
    (LOG_DIR / "go-sql-driver-suite-proxy.out").write_text("\n".join(through.raw))
    regressions = [n for n in direct.names("PASS") if through.status.get(n) != "PASS"]
    summary = summarize(direct, through, regressions)
    if proxy.log_path:
        summary += f"proxy log: {proxy.log_path}\n"
    (LOG_DIR / "go-sql-driver-suite.txt").write_text(summary)
    print("\n" + summary)

    assert direct.counts()["PASS"] > 0, \
        "nothing passed direct: is g0's master up and the grant on test\\_% there?\n" + summary
    assert proxy.alive(), "proxy died during the suite:\n" + proxy.log_tail()
    assert not regressions, summary
