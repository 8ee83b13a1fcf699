"""Idle sessions and clients that go away mid-statement: the proxy does
what a direct MariaDB does.

1. `SET @@SESSION.wait_timeout = 2`, then idle 3.5 s: the client connection
   is closed (PyMySQL: OperationalError 2013 / 2006 on the next query), never
   an ERR such as 1429. The same steps are run direct on g0 for reference.
2. The client disconnects 0.25 s into an autocommit
   `INSERT ... VALUES (SLEEP(1))`: the statement completes, the row is on g0.
3. The same inside a transaction: the transaction is rolled back, no row of
   it is on g0 and it holds nothing any more.
"""

import threading
import time
import uuid

import pymysql
import pytest

import rawmysql
from conftest import (DB, HOST, PASSWORD, PORT, USER, connect, connect_direct, connect_monitor,
                      rows_of)

CONNECTION_CLOSED_ERRNOS = (2013, 2006)


def run(c, *sqls):
    with c.cursor() as cur:
        for s in sqls:
            cur.execute(s)


def backend_thread_raw(r):
    """The backend thread of a raw session on g0 (direct: its own id)."""
    marker = "bt_" + uuid.uuid4().hex
    v = r.query_scalar("SELECT ID FROM information_schema.PROCESSLIST"
                       f" WHERE INFO LIKE '%{marker}%'")
    assert v is not None
    return int(v)


@pytest.fixture
def table(schema):
    name = "t_idle_" + uuid.uuid4().hex[:8]
    d = connect_direct()
    try:
        run(d, f"CREATE TABLE {name} (v INT) ENGINE=InnoDB")
    finally:
        d.close()
    yield name
    d = connect_direct()
    try:
        run(d, f"DROP TABLE IF EXISTS {name}")
    finally:
        d.close()


def direct_rows(sql, args=None):
    d = connect_direct()
    try:
        return rows_of(d, sql, args)
    finally:
        d.close()


# ------------------------------------------------------------- wait_timeout

def wait_timeout_outcome(make_conn):
    """SET wait_timeout=2, idle 3.5 s, then SELECT 1: returns the exception
    (or None when the query worked) and how long the query took."""
    c = make_conn()
    try:
        run(c, "SET @@SESSION.wait_timeout = 2")
        assert rows_of(c, "SELECT @@SESSION.wait_timeout")[0][0] == 2
        time.sleep(3.5)
        t0 = time.monotonic()
        try:
            rows_of(c, "SELECT 1")
            return None, time.monotonic() - t0
        except pymysql.MySQLError as e:
            return e, time.monotonic() - t0
    finally:
        try:
            c.close()
        except Exception:
            pass


def test_wait_timeout_closes_client_connection_like_direct(schema, proxy):
    results = {}

    def one(name, make_conn):
        results[name] = wait_timeout_outcome(make_conn)

    # Both at once, so the pair costs one wait.
    threads = [threading.Thread(target=one, args=("direct", connect_direct)),
               threading.Thread(target=one, args=("target", connect))]
    for th in threads:
        th.start()
    for th in threads:
        th.join(30)
    assert not any(th.is_alive() for th in threads), "a query hung after wait_timeout"

    derr, _ = results["direct"]
    assert isinstance(derr, pymysql.err.OperationalError) and \
        derr.args[0] in CONNECTION_CLOSED_ERRNOS, f"reference (direct) outcome: {derr!r}"

    err, secs = results["target"]
    assert err is not None, "the query after wait_timeout succeeded (direct: connection closed)"
    assert isinstance(err, pymysql.err.OperationalError), repr(err)
    assert err.args[0] != 1429, f"an ERR instead of a closed connection: {err!r}"
    assert err.args[0] in CONNECTION_CLOSED_ERRNOS, \
        f"want a closed connection (2013/2006) like direct ({derr.args[0]}), got {err!r}"
    assert secs < 2.0, f"the closed connection took {secs:.2f}s to notice"
    # The proxy itself is fine: a new session works.
    c = connect()
    try:
        assert rows_of(c, "SELECT 1") == ((1,),)
    finally:
        c.close()
    assert proxy.alive()


def test_wait_timeout_socket_closed_without_a_statement(schema, proxy):
    """Without sending anything: after wait_timeout the client socket is
    closed by the other side (the client reads EOF), as MariaDB does."""
    r = rawmysql.RawConn(HOST, PORT, timeout=10)
    try:
        r.login(USER, PASSWORD, DB)
        r.send_packet(bytes([rawmysql.COM_QUERY]) + b"SET @@SESSION.wait_timeout = 2", 0)
        _, p = r.read_packet()
        assert p[:1] == b"\x00", p
        r.sock.settimeout(6)
        t0 = time.monotonic()
        try:
            data = r.sock.recv(4096)
        except ConnectionResetError:
            data = b""
        except (TimeoutError, OSError) as e:
            pytest.fail(f"the client socket is still open {time.monotonic() - t0:.1f}s into"
                        f" an idle wait_timeout of 2 s ({e!r})")
        secs = time.monotonic() - t0
        # MariaDB sends nothing before it closes; an ERR packet (0xFF) would be wrong.
        assert data == b"", f"want EOF, the proxy sent {data[:40]!r}"
        assert 1.5 < secs < 4.5, f"closed after {secs:.2f}s (wait_timeout=2)"
    finally:
        r.close()


# ------------------------------------------------ client gone mid-statement

def disconnect_during(table, before=(), settle=1.5):
    """Raw session: run `before` (each must answer OK), send an
    INSERT ... (SLEEP(1)) and close the socket 0.25 s later. Returns the
    backend thread id and sleeps `settle` seconds."""
    r = rawmysql.RawConn(HOST, PORT, timeout=10)
    r.login(USER, PASSWORD, DB)
    tid = backend_thread_raw(r)
    for sql in before:
        p = r.command(bytes([rawmysql.COM_QUERY]) + sql.encode())
        assert p[:1] == b"\x00", f"{sql}: {p!r}"
    r.send_packet(bytes([rawmysql.COM_QUERY]) + f"INSERT INTO {table} VALUES (SLEEP(1))".encode(), 0)
    time.sleep(0.25)
    r.close()
    time.sleep(settle)
    return tid


def open_trx_of(thread_id):
    m = connect_monitor()
    try:
        return rows_of(m, "SELECT COUNT(*) FROM information_schema.INNODB_TRX"
                          " WHERE trx_mysql_thread_id = %s", (thread_id,))[0][0]
    finally:
        m.close()


def test_disconnect_during_autocommit_insert_completes(table, proxy):
    disconnect_during(table)
    rows = direct_rows(f"SELECT v FROM {table}")
    assert len(rows) == 1, \
        f"the autocommit INSERT the client left during was not completed (rows {rows}); direct it is"
    assert proxy.alive()


def test_disconnect_during_transaction_rolls_back(table, proxy):
    tid = disconnect_during(table, before=("BEGIN", f"INSERT INTO {table} VALUES (1)"))
    deadline = time.monotonic() + 3
    while open_trx_of(tid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert open_trx_of(tid) == 0, \
        f"backend thread {tid} still has the transaction open after its client left"
    assert direct_rows(f"SELECT v FROM {table}") == (), "rows of an abandoned transaction on g0"
    # Nothing is locked any more: the same rows can be written right away.
    d = connect_direct()
    try:
        run(d, "SET SESSION innodb_lock_wait_timeout = 2", f"INSERT INTO {table} VALUES (1)",
            f"DELETE FROM {table}")
    finally:
        d.close()
    assert proxy.alive()
