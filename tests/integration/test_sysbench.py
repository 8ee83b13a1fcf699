"""sysbench oltp_read_write through the target: prepare, a short run, cleanup,
with the default (server-side prepared statements) and --db-ps-mode=disable.
Zero errors allowed."""

import re
import subprocess

import pytest

from conftest import HOST, PASSWORD, PORT, USER, connect_direct

SB_DB = "test_sysbench"
RUN_SECONDS = 10
THREADS = 4


def sysbench(step, ps_mode, timeout):
    cmd = ["sysbench", "oltp_read_write", f"--mysql-host={HOST}", f"--mysql-port={PORT}",
           f"--mysql-user={USER}", f"--mysql-password={PASSWORD}", f"--mysql-db={SB_DB}",
           # Uniform keys over 4 x 25k rows: sysbench's default "special"
           # distribution makes hot rows, and MariaDB itself then reports the
           # odd deadlock (1213) as an ignored error even direct.
           "--tables=4", "--table-size=25000", "--rand-type=uniform", f"--threads={THREADS}",
           f"--time={RUN_SECONDS}", "--report-interval=0", "--db-driver=mysql",
           "--verbosity=5"]  # 5: each ignored error is printed (DEBUG: Ignoring error ...)
    if ps_mode:
        cmd.append(f"--db-ps-mode={ps_mode}")
    cmd.append(step)
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    return r.returncode, r.stdout, r.stderr


def stat(out, name):
    m = re.search(rf"^\s*{name}:\s+(\d+)", out, re.M)
    assert m, f"no '{name}:' in sysbench output:\n{out}"
    return int(m.group(1))


@pytest.mark.parametrize("ps_mode", [None, "disable"], ids=["ps-auto", "ps-disable"])
def test_sysbench_oltp_read_write(schema, proxy, ps_mode):
    d = connect_direct(database=None)
    try:
        with d.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS {SB_DB}")
            cur.execute(f"CREATE DATABASE {SB_DB}")
    finally:
        d.close()
    try:
        rc, out, err = sysbench("prepare", ps_mode, 120)
        assert rc == 0, f"prepare failed:\n{out}\n{err}"
        rc, out, err = sysbench("run", ps_mode, RUN_SECONDS + 60)
        assert rc == 0, f"run failed:\n{out}\n{err}"
        assert "FATAL" not in out + err, out + err
        transactions = stat(out, "transactions")
        assert transactions > 0
        ignored = [l for l in (out + err).splitlines() if "Ignoring error" in l]
        assert stat(out, "ignored errors") == 0, "\n".join(ignored[:20])
        assert stat(out, "reconnects") == 0, out
        # "errors:" appears in some sysbench versions' summary; 0 when present.
        for m in re.finditer(r"^\s*errors:\s+(\d+)", out, re.M):
            assert int(m.group(1)) == 0, out
        print(f"sysbench ps_mode={ps_mode or 'default'}: {transactions} transactions"
              f" in {RUN_SECONDS}s, {THREADS} threads")
        rc, out, err = sysbench("cleanup", ps_mode, 120)
        assert rc == 0, f"cleanup failed:\n{out}\n{err}"
    finally:
        d = connect_direct(database=None)
        try:
            with d.cursor() as cur:
                cur.execute(f"DROP DATABASE IF EXISTS {SB_DB}")
        finally:
            d.close()
    assert proxy.alive()
