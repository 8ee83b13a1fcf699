"""SHOW [FULL] PROCESSLIST through the proxy lists the proxy's own sessions,
with MariaDB's columns; the ids are the ones each client got in its
handshake (conn.thread_id()). SHOW BACKEND PROCESSLIST (proxy-specific)
lists the backend threads, per group.

Direct, SHOW PROCESSLIST lists the server's sessions of the same user with
the same ids from the handshake: the non-BACKEND tests run there unchanged.
"""

import decimal
import threading
import time
import uuid

import pymysql
import pytest

from conftest import DB, connect, connect_direct, rows_of

PROCESSLIST_COLUMNS = ["Id", "User", "Host", "db", "Command", "Time", "State", "Info",
                       "Progress"]
BACKEND_COLUMNS = ["Group", "Id", "User", "Host", "db", "Command", "Time", "State", "Info"]
ALT_DB = DB + "_plist"


@pytest.fixture(scope="module")
def alt_schema(schema):
    d = connect_direct(database=None)
    try:
        with d.cursor() as cur:
            cur.execute(f"CREATE DATABASE IF NOT EXISTS `{ALT_DB}`")
    finally:
        d.close()
    yield ALT_DB
    d = connect_direct(database=None)
    try:
        with d.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{ALT_DB}`")
    finally:
        d.close()


@pytest.fixture
def sessions(alt_schema, proxy):
    """Three idle sessions: in DB, in the other schema, in no schema."""
    cs = [connect(), connect(database=alt_schema), connect(database=None)]
    yield cs
    for c in cs:
        try:
            c.close()
        except Exception:
            pass
    assert proxy.alive(), "proxy died:\n" + proxy.log_tail()


def show(c, sql):
    with c.cursor() as cur:
        cur.execute(sql)
        cols = [d[0] for d in cur.description]
        rows = cur.fetchall()
    return cols, [dict(zip(cols, r)) for r in rows]


def by_id(rows):
    out = {}
    for r in rows:
        assert r["Id"] not in out, f"Id {r['Id']} listed twice: {r} / {out[r['Id']]}"
        out[r["Id"]] = r
    return out


def backend_thread(c):
    marker = "bt_" + uuid.uuid4().hex
    rows = rows_of(c, "SELECT ID FROM information_schema.PROCESSLIST"
                      f" WHERE INFO LIKE '%{marker}%'")
    assert len(rows) == 1, rows
    return rows[0][0]


def check_host(row, c):
    """Host: the client's address; when it carries a port, the client's port."""
    ip, port = c._sock.getsockname()[:2]
    host = row["Host"]
    assert isinstance(host, str) and host, row
    if ":" in host:
        assert host.rsplit(":", 1)[1] == str(port), f"Host {host!r}, client is {ip}:{port}"


@pytest.mark.parametrize("full", [False, True])
def test_show_processlist_lists_sessions(sessions, full):
    main, alt, nodb = sessions
    for c in sessions:
        assert rows_of(c, "SELECT 1") == ((1,),)
    time.sleep(1.2)  # idle Time >= 1 for the other two
    # Longer than 100 characters: SHOW PROCESSLIST cuts Info there, FULL does not.
    sql = ("SHOW FULL PROCESSLIST" if full else "SHOW PROCESSLIST") + \
        " /* " + "padding-" * 20 + "end */"
    assert len(sql) > 100
    cols, rows = show(main, sql)
    assert cols == PROCESSLIST_COLUMNS
    ids = by_id(rows)
    for c in sessions:
        assert c.thread_id() in ids, \
            f"session {c.thread_id()} (its handshake id) missing from {sorted(ids)}"

    me = ids[main.thread_id()]
    assert me["User"] == "app" and me["db"] == DB, me
    assert me["Command"] == "Query", me
    assert me["Info"] == (sql if full else sql[:100]), me
    assert int(me["Time"]) >= 0, me
    check_host(me, main)

    for c, db in ((alt, ALT_DB), (nodb, None)):
        r = ids[c.thread_id()]
        assert r["User"] == "app", r
        assert r["db"] == db, r
        assert r["Command"] == "Sleep", r
        assert r["Info"] is None, r
        assert int(r["Time"]) >= 1, r
        check_host(r, c)


@pytest.mark.parametrize("full", [False, True])
def test_processlist_value_types_like_mariadb(sessions, full):
    """What a driver gets: Id and Time integers, Progress a number (MariaDB:
    BIGINT, INT, DECIMAL), not strings."""
    main = sessions[0]
    _, rows = show(main, "SHOW FULL PROCESSLIST" if full else "SHOW PROCESSLIST")
    me = by_id(rows)[main.thread_id()]
    assert isinstance(me["Id"], int), me
    assert isinstance(me["Time"], int), f"Time is {type(me['Time']).__name__}: {me}"
    assert isinstance(me["Progress"], (int, float, decimal.Decimal)), \
        f"Progress is {type(me['Progress']).__name__}: {me}"
    for r in rows:
        assert r["Command"] is not None and r["User"] is not None, r


def test_show_processlist_shows_running_statement(sessions):
    main, busy, _ = sessions
    done = {}

    def sleeper():
        try:
            done["rows"] = rows_of(busy, "SELECT SLEEP(1.5)")
        except pymysql.MySQLError as e:
            done["err"] = e

    th = threading.Thread(target=sleeper)
    th.start()
    try:
        deadline = time.monotonic() + 1.2
        row = None
        while time.monotonic() < deadline:
            _, rows = show(main, "SHOW FULL PROCESSLIST")
            row = by_id(rows).get(busy.thread_id())
            if row and row["Command"] == "Query":
                break
            time.sleep(0.1)
        assert row is not None, f"session {busy.thread_id()} missing"
        assert row["Command"] == "Query", row
        assert row["Info"] == "SELECT SLEEP(1.5)", row
        assert row["db"] == ALT_DB, row
    finally:
        th.join(10)
    assert done.get("rows") == ((0,),), done
    # Idle again afterwards.
    _, rows = show(main, "SHOW PROCESSLIST")
    assert by_id(rows)[busy.thread_id()]["Command"] == "Sleep"


def test_closed_session_leaves_processlist(sessions):
    main, _, nodb = sessions
    gone = nodb.thread_id()
    nodb.close()
    deadline = time.monotonic() + 3
    while True:
        _, rows = show(main, "SHOW PROCESSLIST")
        if gone not in by_id(rows):
            break
        assert time.monotonic() < deadline, f"closed session {gone} still listed"
        time.sleep(0.1)
    assert main.thread_id() in by_id(rows)


@pytest.mark.proxy_only
def test_show_backend_processlist(sessions):
    main, alt, _ = sessions
    mine, other = backend_thread(main), backend_thread(alt)
    cols, rows = show(main, "SHOW BACKEND PROCESSLIST")
    assert cols == BACKEND_COLUMNS
    assert rows, "no backend threads listed"
    assert {r["Group"] for r in rows} <= {"g0", "g1"}, rows
    g0 = {}
    for r in rows:
        if r["Group"] == "g0":
            g0[r["Id"]] = r
    assert mine in g0, f"this session's backend thread {mine} not among g0's {sorted(g0)}"
    assert other in g0, f"another session's backend thread {other} not among g0's {sorted(g0)}"
    assert g0[mine]["User"] == "app" and g0[mine]["db"] == DB, g0[mine]
    assert g0[other]["User"] == "app" and g0[other]["db"] == ALT_DB, g0[other]
    # The backend ids are g0's, not the proxy's session ids.
    _, plist = show(main, "SHOW PROCESSLIST")
    assert main.thread_id() in by_id(plist)
