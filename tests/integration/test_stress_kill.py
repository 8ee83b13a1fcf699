"""Stress under the sanitizers: many clients, backend threads killed at
random, clients dropping their sockets mid-statement.

24 client threads run for ~20 s a mix of short SELECTs, autocommit INSERTs,
`SELECT SLEEP(0.2)`, transactions and SQL PREPARE/EXECUTE; a killer thread
KILLs random backend threads of user app on g0 (in this test's own schema,
so no other session using g0 is touched); clients randomly close their socket
mid-statement and reconnect. Errors of the affected sessions are expected
(1184 state lost, 1429, lost connections). At the end: the proxy lives, a
new session works, the proxy log has no sanitizer report, and every write
the proxy acknowledged (an OK to an autocommit INSERT / EXECUTE, or to a
COMMIT) is on g0.
"""

import collections
import random
import socket
import threading
import time
from pathlib import Path

import pymysql
import pytest
from pymysql.constants import COMMAND

from conftest import DB, connect, connect_direct, connect_monitor, rows_of, sanitizer_report

CLIENTS = 24
DURATION = 20.0
STRESS_DB = DB + "_stress"
TABLE = f"`{STRESS_DB}`.acked"


@pytest.fixture(scope="module")
def stress_schema(schema):
    d = connect_direct(database=None)
    try:
        with d.cursor() as cur:
            cur.execute(f"CREATE DATABASE IF NOT EXISTS `{STRESS_DB}`")
            cur.execute(f"DROP TABLE IF EXISTS {TABLE}")
            cur.execute(f"CREATE TABLE {TABLE} (id BIGINT PRIMARY KEY, worker INT,"
                        " kind VARCHAR(16)) ENGINE=InnoDB")
    finally:
        d.close()
    yield STRESS_DB
    d = connect_direct(database=None)
    try:
        with d.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{STRESS_DB}`")
    finally:
        d.close()


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.acked = set()          # ids whose write got OK
        self.ok = collections.Counter()
        self.errors = collections.Counter()
        self.samples = {}           # errno -> the first message seen
        self.unexpected = []        # (worker, statement, exception) of a kind never expected
        self.kills = 0
        self.drops = 0
        self.reconnects = 0

    def ack(self, ids):
        with self.lock:
            self.acked.update(ids)

    def count(self, what, err=None):
        with self.lock:
            if err is None:
                self.ok[what] += 1
            else:
                self.errors[f"{what}:{err}"] += 1


# Errors a session may get while its backend is killed or it is dropped.
EXPECTED_ERRNOS = {
    0,      # InterfaceError: the connection object is closed
    1184,   # shardproxy: the session's server state was lost
    1429,   # shardproxy: backend lost (the statement may or may not have run)
    1317,   # query interrupted (a KILL landed in the statement)
    1927,   # connection was killed (a KILL landed in the statement)
    2006, 2013, 2014, 2055,  # client-side: gone / lost / out of sync / lost
}


def errno_of(e):
    try:
        return int(e.args[0])
    except (IndexError, TypeError, ValueError):
        return -1


SLOW_SECONDS = 10.0  # the slowest operation takes ~0.3 s; a stall is a proxy hang


def slow(stats, n, what, t0):
    secs = time.monotonic() - t0
    if secs > SLOW_SECONDS:
        with stats.lock:
            stats.unexpected.append((n, what, f"took {secs:.1f}s"))


def worker(n, deadline, stats):
    rnd = random.Random(n * 7919 + int(time.time()))
    seq = 0
    conn = None

    def next_id():
        nonlocal seq
        seq += 1
        return n * 10_000_000 + seq

    while time.monotonic() < deadline:
        if conn is None:
            try:
                conn = connect(database=STRESS_DB, connect_timeout=10, read_timeout=20,
                               write_timeout=20)
                with stats.lock:
                    stats.reconnects += 1
            except pymysql.MySQLError as e:
                stats.count("connect", errno_of(e))
                time.sleep(0.1)
                continue
        op = rnd.random()
        what = "?"
        t0 = time.monotonic()
        try:
            with conn.cursor() as cur:
                if op < 0.25:
                    what = "select"
                    cur.execute("SELECT COUNT(*), MAX(id) FROM acked WHERE worker = %s", (n,))
                    cur.fetchall()
                elif op < 0.50:
                    what = "insert"
                    i = next_id()
                    cur.execute("INSERT INTO acked VALUES (%s, %s, 'insert')", (i, n))
                    stats.ack([i])
                elif op < 0.60:
                    what = "sleep"
                    cur.execute("SELECT SLEEP(0.2)")
                    cur.fetchall()
                elif op < 0.75:
                    what = "txn"
                    ids = [next_id(), next_id()]
                    cur.execute("BEGIN")
                    for i in ids:
                        cur.execute("INSERT INTO acked VALUES (%s, %s, 'txn')", (i, n))
                    if rnd.random() < 0.3:
                        cur.execute("SELECT SLEEP(0.05)")
                    if rnd.random() < 0.2:
                        cur.execute("ROLLBACK")
                    else:
                        cur.execute("COMMIT")
                        stats.ack(ids)
                elif op < 0.82:
                    what = "prepare"
                    i = next_id()
                    cur.execute("PREPARE ps FROM 'INSERT INTO acked VALUES (?, ?, ''prepared'')'")
                    cur.execute(f"SET @i = {i}, @w = {n}")
                    cur.execute("EXECUTE ps USING @i, @w")
                    stats.ack([i])
                    cur.execute("DEALLOCATE PREPARE ps")
                elif op < 0.90:
                    what = "drop"
                    # Send a statement and close the socket while it runs.
                    sql = rnd.choice(["SELECT SLEEP(0.3)",
                                      f"INSERT INTO acked VALUES ({next_id()}, {n}, 'dropped')",
                                      f"INSERT INTO acked SELECT {next_id()}, {n}, 'dropped'"
                                      " FROM DUAL WHERE SLEEP(0.2) = 0",
                                      "SELECT COUNT(*) FROM acked"])
                    conn._execute_command(COMMAND.COM_QUERY, sql)
                    time.sleep(rnd.uniform(0.0, 0.15))
                    sock = conn._sock
                    try:
                        if rnd.random() < 0.5:
                            sock.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
                    sock.close()
                    with stats.lock:
                        stats.drops += 1
                    conn = None
                    continue
                else:
                    what = "select_short"
                    cur.execute("SELECT 1")
                    assert cur.fetchall() == ((1,),)
            stats.count(what)
            slow(stats, n, what, t0)
        except pymysql.MySQLError as e:
            slow(stats, n, what, t0)
            en = errno_of(e)
            stats.count(what, en)
            with stats.lock:
                stats.samples.setdefault(en, str(e)[:200])
            if en not in EXPECTED_ERRNOS:
                with stats.lock:
                    stats.unexpected.append((n, what, repr(e)))
            try:
                conn.close()
            except Exception:
                pass
            conn = None
        except Exception as e:  # socket errors PyMySQL does not wrap, asserts
            stats.count(what, type(e).__name__)
            if not isinstance(e, OSError):
                with stats.lock:
                    stats.unexpected.append((n, what, repr(e)))
            try:
                conn.close()
            except Exception:
                pass
            conn = None
    if conn is not None:
        try:
            conn.close()
        except Exception:
            pass


def killer(deadline, stats, stop):
    rnd = random.Random(42)
    m = connect_monitor()
    try:
        while time.monotonic() < deadline and not stop.is_set():
            try:
                ids = [r[0] for r in rows_of(
                    m, "SELECT ID FROM information_schema.PROCESSLIST"
                       " WHERE USER = 'app' AND DB = %s AND ID <> CONNECTION_ID()",
                    (STRESS_DB,))]
                for tid in rnd.sample(ids, min(len(ids), rnd.choice([1, 1, 2, 3]))):
                    try:
                        with m.cursor() as cur:
                            cur.execute(f"KILL {tid}")
                        with stats.lock:
                            stats.kills += 1
                    except pymysql.MySQLError as e:
                        if errno_of(e) != 1094:  # already gone
                            raise
            except pymysql.MySQLError:
                try:
                    m.close()
                except Exception:
                    pass
                m = connect_monitor()
            time.sleep(rnd.uniform(0.02, 0.15))
    finally:
        m.close()


@pytest.mark.sandbox
def test_kill_and_drop_storm(stress_schema, proxy):
    stats = Stats()
    stop = threading.Event()
    deadline = time.monotonic() + DURATION
    threads = [threading.Thread(target=worker, args=(n + 1, deadline, stats), daemon=True)
               for n in range(CLIENTS)]
    kt = threading.Thread(target=killer, args=(deadline, stats, stop), daemon=True)
    for th in threads:
        th.start()
    kt.start()
    for th in threads:
        th.join(max(1.0, deadline - time.monotonic() + 40))
    stop.set()
    kt.join(10)
    hung = [th.name for th in threads if th.is_alive()]
    summary = (f"kills={stats.kills} drops={stats.drops} sessions={stats.reconnects} "
               f"acked={len(stats.acked)} ok={dict(stats.ok)} errors={dict(stats.errors)} "
               f"samples={stats.samples}")
    print(summary)

    assert proxy.alive(), "proxy died under the storm:\n" + (
        sanitizer_report(proxy.log_path) if proxy.log_path else "")
    if proxy.log_path and Path(proxy.log_path).exists():
        log = Path(proxy.log_path).read_text(errors="replace")
        assert "AddressSanitizer" not in log and "runtime error" not in log \
            and "LeakSanitizer" not in log, sanitizer_report(proxy.log_path)
    assert not hung, f"client threads still blocked 40 s after the end: {hung}\n{summary}"
    assert not stats.unexpected, f"unexpected errors: {stats.unexpected[:10]}\n{summary}"

    # A fresh session works.
    c = connect(database=STRESS_DB)
    try:
        assert rows_of(c, "SELECT 1") == ((1,),)
        assert rows_of(c, "SELECT COUNT(*) >= 0 FROM acked") == ((1,),)
    finally:
        c.close()

    # The storm really happened.
    assert stats.kills >= 20, summary
    assert stats.drops >= 10, summary
    assert stats.ok["insert"] >= 50 and stats.ok["txn"] >= 10, summary

    # Every client is gone: so are their backend threads (no leaked backend
    # connection, none left running a statement).
    deadline = time.monotonic() + 10
    while True:
        left = stress_backends()
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert not left, f"backend threads left on g0 after every client closed: {left[:10]}"

    # No acknowledged write is lost.
    present = {r[0] for r in direct_ids()}
    lost = sorted(stats.acked - present)
    assert not lost, f"{len(lost)} acknowledged writes missing on g0, e.g. {lost[:10]}\n{summary}"
    assert proxy.alive()


def stress_backends():
    m = connect_monitor()
    try:
        return rows_of(m, "SELECT ID, COMMAND, TIME, INFO FROM information_schema.PROCESSLIST"
                          " WHERE USER = 'app' AND DB = %s", (STRESS_DB,))
    finally:
        m.close()


def direct_ids():
    d = connect_direct(database=STRESS_DB)
    try:
        return rows_of(d, "SELECT id FROM acked")
    finally:
        d.close()
