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


# ---- sharded: sysbench's tables DBPARTITION BY HASH(id) over g0 and g1 -------

SHARDED_DB = "shardproxy_sbtest"  # declared sharded in conf/sandbox.yaml
SHARDED_LUA = str(__import__("conftest").ROOT / "bench/sysbench/sharded.lua")


def sysbench_sharded(step, ps_mode, timeout):
    cmd = ["sysbench", SHARDED_LUA, f"--mysql-host={HOST}", f"--mysql-port={PORT}",
           f"--mysql-user={USER}", f"--mysql-password={PASSWORD}", f"--mysql-db={SHARDED_DB}",
           "--auto_inc=off", "--tables=2", "--table-size=5000", f"--threads={THREADS}",
           f"--time={RUN_SECONDS}", "--report-interval=0", "--db-driver=mysql", "--verbosity=5",
           f"--db-ps-mode={ps_mode}", step]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                       env={"SB_SCRIPT": "oltp_point_select", "PATH": "/usr/bin:/bin"})
    return r.returncode, r.stdout, r.stderr


@pytest.mark.proxy_only
@pytest.mark.parametrize("ps_mode", ["auto", "disable"])
def test_sysbench_point_select_sharded(schema, proxy, ps_mode):
    # The schema exists on both groups (the sandbox creates only its own list).
    for port in (23306, 23316):
        d = connect_direct(port=port, database=None)
        try:
            with d.cursor() as cur:
                cur.execute(f"CREATE DATABASE IF NOT EXISTS {SHARDED_DB}")
        finally:
            d.close()
    rc, out, err = sysbench_sharded("cleanup", ps_mode, 120)
    rc, out, err = sysbench_sharded("prepare", ps_mode, 180)
    assert rc == 0, f"prepare failed:\n{out}\n{err}"
    try:
        # The rows really are spread: each group holds part of sbtest1.
        counts = []
        for port in (23306, 23316):
            d = connect_direct(port=port, database=SHARDED_DB)
            try:
                with d.cursor() as cur:
                    cur.execute("SELECT COUNT(*) FROM sbtest1")
                    counts.append(cur.fetchone()[0])
            finally:
                d.close()
        assert sum(counts) == 5000 and min(counts) > 0, counts
        rc, out, err = sysbench_sharded("run", ps_mode, RUN_SECONDS + 60)
        assert rc == 0, f"run failed:\n{out}\n{err}"
        assert "FATAL" not in out + err, out + err
        assert stat(out, "queries") > 0
        ignored = [l for l in (out + err).splitlines() if "Ignoring error" in l]
        assert stat(out, "ignored errors") == 0, "\n".join(ignored[:20])
        assert stat(out, "reconnects") == 0, out
        print(f"sharded point select ps_mode={ps_mode}: {stat(out, 'queries')} queries, "
              f"per group rows {counts}")
    finally:
        sysbench_sharded("cleanup", ps_mode, 120)
    assert proxy.alive()
