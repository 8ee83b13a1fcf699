"""A session's backend connection dies between two statements (KILL of its
backend thread on g0): what the client sees next.

How the backend thread of a session is found: through the target,
`SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE '%<marker>%'`
(the query's own row carries its text). Through the proxy that ID is the
session's backend thread on g0; direct, it is the connection itself. It is
killed with `KILL <id>` from a monitor connection straight on g0, between
statements.

* State the proxy cannot replay (an open transaction, autocommit=0, a user
  variable, a temporary table, LOCK TABLES, GET_LOCK, SQL PREPARE): the next
  statement, whatever it is (COMMIT included), gets ERR 1184 / 08S01
  "shardproxy: the session's server state was lost ... reconnect", then the
  proxy closes the client connection. Nothing of the killed transaction is
  on g0. Direct, MariaDB closes the connection at the KILL: the next
  statement fails with a connection error; that is how the tests of this
  group are proven with SP_PORT=23306.
* State the proxy replays (SET NAMES, sql_mode, time_zone, isolation level,
  the current schema, autocommit on, LAST_INSERT_ID()): the next statement
  succeeds on a new backend thread, with every session variable as it was.
  Direct MariaDB has no such thing: proxy_only.
"""

import time
import uuid

import pymysql
import pymysql.err
import pytest

from conftest import DB, DIRECT_MODE, connect, connect_direct, connect_monitor, rows_of

STATE_LOST_ERRNO = 1184
STATE_LOST_SQLSTATE = "08S01"
STATE_LOST_PREFIX = "shardproxy: the session's server state was lost"
# A client-side "the connection is gone" from PyMySQL.
CONNECTION_ERRNOS = (2013, 2006, 2014, 2055, 0)
ALT_DB = DB + "_alt"

SNAPSHOT = ("SELECT @@character_set_client, @@character_set_connection, "
            "@@character_set_results, @@collation_connection, @@sql_mode, @@time_zone, "
            "@@tx_isolation, DATABASE()")


# ------------------------------------------------------------------ helpers

@pytest.fixture(scope="module", autouse=True)
def keep_sqlstate():
    """PyMySQL drops the SQLSTATE of an ERR packet; keep it on the exception
    (e.sqlstate) for the checks below. Restored at the end of the module."""
    orig = pymysql.err.raise_mysql_exception

    def raise_with_sqlstate(data):
        try:
            orig(data)
        except pymysql.MySQLError as e:
            e.sqlstate = data[4:9].decode("ascii", "replace") if data[3:4] == b"#" else None
            raise

    pymysql.err.raise_mysql_exception = raise_with_sqlstate
    yield
    pymysql.err.raise_mysql_exception = orig


@pytest.fixture(scope="module")
def tables(schema):
    d = connect_direct()
    try:
        with d.cursor() as cur:
            cur.execute(f"CREATE DATABASE IF NOT EXISTS `{ALT_DB}`")
            cur.execute("DROP TABLE IF EXISTS t_sl")
            cur.execute("CREATE TABLE t_sl (id INT PRIMARY KEY, tag VARCHAR(40)) ENGINE=InnoDB")
            cur.execute("DROP TABLE IF EXISTS t_rp")
            cur.execute("CREATE TABLE t_rp (id INT AUTO_INCREMENT PRIMARY KEY, v INT,"
                        " s VARCHAR(10) CHARACTER SET utf8mb4) ENGINE=InnoDB")
            cur.execute(f"DROP TABLE IF EXISTS `{ALT_DB}`.t_alt")
            cur.execute(f"CREATE TABLE `{ALT_DB}`.t_alt (id INT PRIMARY KEY, what VARCHAR(20))")
            cur.execute(f"INSERT INTO `{ALT_DB}`.t_alt VALUES (1, 'alt schema')")
    finally:
        d.close()
    yield
    d = connect_direct()
    try:
        with d.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS t_sl")
            cur.execute("DROP TABLE IF EXISTS t_rp")
            cur.execute(f"DROP DATABASE IF EXISTS `{ALT_DB}`")
    finally:
        d.close()


def run(c, *sqls):
    with c.cursor() as cur:
        for s in sqls:
            cur.execute(s)


def backend_thread(c):
    """The backend thread of c's session on g0 (direct: c's own id)."""
    marker = "bt_" + uuid.uuid4().hex
    rows = rows_of(c, "SELECT ID FROM information_schema.PROCESSLIST"
                      f" WHERE INFO LIKE '%{marker}%'")
    assert len(rows) == 1, f"processlist row of the marker query: {rows}"
    return rows[0][0]


def kill_backend(thread_id, settle=0.5):
    """KILL thread_id on g0 from a monitor connection; returns when it is
    gone from the processlist, plus `settle` seconds."""
    m = connect_monitor()
    try:
        run(m, f"KILL {thread_id}")
        deadline = time.monotonic() + 5
        while rows_of(m, "SELECT 1 FROM information_schema.PROCESSLIST WHERE ID = %s",
                      (thread_id,)):
            assert time.monotonic() < deadline, f"thread {thread_id} still there after KILL"
            time.sleep(0.05)
    finally:
        m.close()
    time.sleep(settle)


def is_connection_error(e):
    if isinstance(e, pymysql.err.InterfaceError):
        return True
    return isinstance(e, pymysql.err.OperationalError) and e.args[0] in CONNECTION_ERRNOS + (1927,)


def expect_state_lost(c, sql):
    """sql, the first statement after the kill, is refused: ERR 1184 through
    the proxy (then the connection is closed), a lost connection direct."""
    with pytest.raises(pymysql.MySQLError) as ei:
        with c.cursor() as cur:
            cur.execute(sql)
            cur.fetchall()
    e = ei.value
    if DIRECT_MODE:
        assert is_connection_error(e), f"{sql!r} after KILL: want a connection error, got {e!r}"
    else:
        assert e.args[0] == STATE_LOST_ERRNO, f"{sql!r} after KILL: want errno 1184, got {e!r}"
        assert getattr(e, "sqlstate", None) == STATE_LOST_SQLSTATE, \
            f"{sql!r}: want SQLSTATE 08S01, got {getattr(e, 'sqlstate', None)!r} ({e!r})"
        msg = e.args[1]
        assert msg.startswith(STATE_LOST_PREFIX), f"message: {msg!r}"
        assert "reconnect" in msg, f"message does not say to reconnect: {msg!r}"
    expect_closed(c)


def expect_closed(c):
    """The client connection is closed: the next statement fails with a
    connection error, never a result and never another server ERR."""
    for sql in ("SELECT 1", "SELECT 2"):
        with pytest.raises(pymysql.MySQLError) as ei:
            with c.cursor() as cur:
                cur.execute(sql)
                cur.fetchall()
        assert is_connection_error(ei.value), \
            f"{sql!r} after the state-lost ERR: want a connection error, got {ei.value!r}"


def direct_rows(sql, args=None):
    d = connect_direct()
    try:
        return rows_of(d, sql, args)
    finally:
        d.close()


def fresh_session_works():
    c = connect()
    try:
        assert rows_of(c, "SELECT 'fresh'") == (("fresh",),)
    finally:
        c.close()


# ---------------------------------------------- state that cannot be replayed

LOCK_NAME = "sp_state_loss_" + uuid.uuid4().hex[:12]

# name -> (statements that create the state, the statement that uses it,
#          a check on g0 after the kill (or None))
UNREPLAYABLE = {
    "transaction": (["BEGIN", "INSERT INTO t_sl VALUES (1, 'txn')"], "COMMIT",
                    lambda: direct_rows("SELECT * FROM t_sl WHERE id = 1") == ()),
    "start_transaction_then_insert": (
        ["START TRANSACTION", "INSERT INTO t_sl VALUES (2, 'txn')"],
        "INSERT INTO t_sl VALUES (3, 'txn')",
        lambda: direct_rows("SELECT * FROM t_sl WHERE id IN (2, 3)") == ()),
    "autocommit_off": (["SET autocommit=0"], "INSERT INTO t_sl VALUES (4, 'ac0')",
                       lambda: direct_rows("SELECT * FROM t_sl WHERE id = 4") == ()),
    "autocommit_off_with_insert": (
        ["SET autocommit=0", "INSERT INTO t_sl VALUES (5, 'ac0')"], "COMMIT",
        lambda: direct_rows("SELECT * FROM t_sl WHERE id = 5") == ()),
    "user_variable": (["SET @x=1"], "SELECT @x", None),
    "temporary_table": (["CREATE TEMPORARY TABLE tmp_sl (a INT)",
                         "INSERT INTO tmp_sl VALUES (1)"], "SELECT * FROM tmp_sl", None),
    "lock_tables": (["LOCK TABLES t_sl WRITE"], "INSERT INTO t_sl VALUES (6, 'locked')",
                    lambda: direct_rows("SELECT * FROM t_sl WHERE id = 6") == ()),
    "get_lock": ([f"SELECT GET_LOCK('{LOCK_NAME}', 0)"], f"SELECT RELEASE_LOCK('{LOCK_NAME}')",
                 lambda: direct_rows(f"SELECT IS_FREE_LOCK('{LOCK_NAME}')") == ((1,),)),
    "sql_prepare": (["PREPARE s FROM 'INSERT INTO t_sl VALUES (7, ''prepared'')'"],
                    "EXECUTE s",
                    lambda: direct_rows("SELECT * FROM t_sl WHERE id = 7") == ()),
}


@pytest.mark.sandbox
@pytest.mark.parametrize("next_stmt", ["uses_state", "select_1"])
@pytest.mark.parametrize("state", list(UNREPLAYABLE))
def test_unreplayable_state_lost(tables, proxy, state, next_stmt):
    setup, use, check = UNREPLAYABLE[state]
    d = connect_direct()
    try:
        run(d, "DELETE FROM t_sl WHERE id BETWEEN 1 AND 19")  # from an earlier variant
    finally:
        d.close()
    c = connect()
    try:
        run(c, *setup)
        if state == "get_lock":
            # The lock is held by the session's backend thread.
            assert direct_rows(f"SELECT IS_FREE_LOCK('{LOCK_NAME}')") == ((0,),)
        tid = backend_thread(c)
        kill_backend(tid)
        expect_state_lost(c, use if next_stmt == "uses_state" else "SELECT 1")
        if check is not None:
            assert check(), f"{state}: g0 still shows the killed session's work"
    finally:
        c.close()
    assert proxy.alive(), "proxy died:\n" + proxy.log_tail()
    fresh_session_works()


@pytest.mark.sandbox
def test_commit_after_kill_never_ok_pymysql_api(tables, proxy):
    """conn.begin()/conn.commit() (the driver's own API, as an ORM does):
    the commit raises, the rows are not on g0."""
    c = connect(autocommit=False)
    try:
        run(c, "INSERT INTO t_sl VALUES (20, 'api'), (21, 'api')")
        tid = backend_thread(c)
        kill_backend(tid)
        with pytest.raises(pymysql.MySQLError) as ei:
            c.commit()
        e = ei.value
        if DIRECT_MODE:
            assert is_connection_error(e), repr(e)
        else:
            assert e.args[0] == STATE_LOST_ERRNO, repr(e)
            assert e.args[1].startswith(STATE_LOST_PREFIX), repr(e)
        expect_closed(c)
    finally:
        c.close()
    assert direct_rows("SELECT * FROM t_sl WHERE id IN (20, 21)") == ()
    fresh_session_works()


@pytest.mark.sandbox
def test_state_lost_session_does_not_disturb_others(tables, proxy):
    """Only the session whose backend was killed is refused; another session
    of the same proxy (with its own open transaction) goes on."""
    victim = connect()
    bystander = connect()
    try:
        run(victim, "BEGIN", "INSERT INTO t_sl VALUES (30, 'victim')")
        run(bystander, "BEGIN", "INSERT INTO t_sl VALUES (31, 'bystander')")
        vt, bt = backend_thread(victim), backend_thread(bystander)
        assert vt != bt, "two sessions share one backend thread"
        kill_backend(vt)
        expect_state_lost(victim, "COMMIT")
        run(bystander, "INSERT INTO t_sl VALUES (32, 'bystander')", "COMMIT")
        assert backend_thread(bystander) == bt
    finally:
        victim.close()
        bystander.close()
    assert direct_rows("SELECT id FROM t_sl WHERE id BETWEEN 30 AND 39 ORDER BY id") == \
        ((31,), (32,))


# ---------------------------------------------------- state the proxy replays

def snapshot(c):
    rows = rows_of(c, SNAPSHOT)
    assert len(rows) == 1
    return rows[0]


def replay_after_kill(c):
    """Kill c's backend thread; the next statement (the snapshot) must
    succeed, on a new backend thread. Returns the snapshot taken after."""
    tid = backend_thread(c)
    kill_backend(tid)
    after = snapshot(c)  # the next statement: no error at all
    new_tid = backend_thread(c)
    assert new_tid != tid, "the session still reports the killed backend thread"
    return after


@pytest.mark.proxy_only
@pytest.mark.sandbox
def test_autocommit_session_reconnects(tables, proxy):
    c = connect()
    try:
        before = snapshot(c)
        assert rows_of(c, "SELECT @@autocommit")[0][0] == 1
        tid = backend_thread(c)
        kill_backend(tid)
        assert rows_of(c, "SELECT 1") == ((1,),)  # the next statement: no error
        assert backend_thread(c) != tid
        assert snapshot(c) == before
        assert rows_of(c, "SELECT @@autocommit")[0][0] == 1
        run(c, "INSERT INTO t_sl VALUES (40, 'after reconnect')")
    finally:
        c.close()
    assert direct_rows("SELECT tag FROM t_sl WHERE id = 40") == (("after reconnect",),)


@pytest.mark.proxy_only
@pytest.mark.sandbox
def test_finished_transaction_leaves_no_state(tables, proxy):
    """A transaction that has ended (COMMIT / ROLLBACK) is no longer state:
    the session reconnects like an autocommit one."""
    c = connect()
    try:
        run(c, "BEGIN", "INSERT INTO t_sl VALUES (41, 'committed')", "COMMIT",
            "START TRANSACTION", "INSERT INTO t_sl VALUES (42, 'rolled back')", "ROLLBACK")
        before = snapshot(c)
        assert replay_after_kill(c) == before
    finally:
        c.close()
    assert direct_rows("SELECT id FROM t_sl WHERE id IN (41, 42)") == ((41,),)


@pytest.mark.proxy_only
@pytest.mark.sandbox
def test_set_names_latin1_replayed(tables, proxy):
    text = "café ñü àß"
    c = connect()
    try:
        run(c, "SET NAMES latin1")
        c.encoding = "latin1"  # PyMySQL now encodes / decodes latin1 too
        c.charset = "latin1"
        before = snapshot(c)
        assert before[:4] == ("latin1", "latin1", "latin1", "latin1_swedish_ci"), before
        with c.cursor() as cur:
            cur.execute("INSERT INTO t_rp (v, s) VALUES (1, %s)", (text,))
        assert rows_of(c, "SELECT %s, HEX(%s)", (text, text))[0] == (text, text.encode("latin1").hex().upper())
        after = replay_after_kill(c)
        assert after == before
        assert rows_of(c, "SELECT %s, HEX(%s)", (text, text))[0] == (text, text.encode("latin1").hex().upper())
        with c.cursor() as cur:
            cur.execute("INSERT INTO t_rp (v, s) VALUES (2, %s)", (text,))
        assert rows_of(c, "SELECT s FROM t_rp WHERE v IN (1, 2) ORDER BY v") == ((text,), (text,))
    finally:
        c.close()
    # Stored right (as utf8mb4 text on g0), before and after the reconnect.
    assert direct_rows("SELECT s FROM t_rp WHERE v IN (1, 2) ORDER BY v") == ((text,), (text,))


@pytest.mark.proxy_only
@pytest.mark.sandbox
def test_set_names_with_collation_replayed(tables, proxy):
    c = connect()
    try:
        run(c, "SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci")
        before = snapshot(c)
        assert before[3] == "utf8mb4_unicode_ci", before
        # Equal under utf8mb4_unicode_ci, not under utf8mb4_general_ci.
        assert rows_of(c, "SELECT 'ß' = 'ss'") == ((1,),)
        assert replay_after_kill(c) == before
        assert rows_of(c, "SELECT 'ß' = 'ss'") == ((1,),)
    finally:
        c.close()


@pytest.mark.proxy_only
@pytest.mark.sandbox
def test_sql_mode_replayed(tables, proxy):
    c = connect()
    try:
        run(c, "SET sql_mode='ANSI_QUOTES,STRICT_ALL_TABLES'", "DELETE FROM t_rp WHERE v = 42",
            "INSERT INTO t_rp (v, s) VALUES (42, 'x')")
        before = snapshot(c)
        assert before[4] == "ANSI_QUOTES,STRICT_ALL_TABLES", before
        assert replay_after_kill(c) == before
        # Double quotes name a column under ANSI_QUOTES (else a string 'v').
        assert rows_of(c, 'SELECT "v" FROM "t_rp" WHERE "v" = 42') == ((42,),)
        # STRICT_ALL_TABLES: too long for VARCHAR(10) is an error, not a warning.
        with pytest.raises(pymysql.MySQLError) as ei:
            run(c, "INSERT INTO t_rp (v, s) VALUES (43, 'far too long for ten')")
        assert ei.value.args[0] == 1406, ei.value
    finally:
        c.close()


@pytest.mark.proxy_only
@pytest.mark.sandbox
def test_time_zone_replayed(tables, proxy):
    c = connect()
    try:
        run(c, "SET time_zone='+03:00'")
        before = snapshot(c)
        assert before[5] == "+03:00", before
        assert replay_after_kill(c) == before
        assert str(rows_of(c, "SELECT FROM_UNIXTIME(0)")[0][0]) == "1970-01-01 03:00:00"
    finally:
        c.close()


@pytest.mark.proxy_only
@pytest.mark.sandbox
def test_isolation_level_replayed(tables, proxy):
    c = connect()
    try:
        run(c, "SET SESSION TRANSACTION ISOLATION LEVEL SERIALIZABLE")
        before = snapshot(c)
        assert before[6] == "SERIALIZABLE", before
        assert replay_after_kill(c) == before
    finally:
        c.close()


@pytest.mark.proxy_only
@pytest.mark.sandbox
@pytest.mark.parametrize("how", ["use_statement", "com_init_db"])
def test_current_schema_replayed(tables, proxy, how):
    c = connect()
    try:
        if how == "use_statement":
            run(c, f"USE `{ALT_DB}`")
        else:
            c.select_db(ALT_DB)
        before = snapshot(c)
        assert before[7] == ALT_DB, before
        assert replay_after_kill(c) == before
        # Unqualified names resolve in the other schema.
        assert rows_of(c, "SELECT what FROM t_alt WHERE id = 1") == (("alt schema",),)
    finally:
        c.close()


@pytest.mark.proxy_only
@pytest.mark.sandbox
def test_all_replayable_state_together(tables, proxy):
    c = connect()
    try:
        run(c, "SET NAMES latin1", "SET sql_mode='ANSI_QUOTES,STRICT_ALL_TABLES'",
            "SET time_zone='+03:00'", "SET SESSION TRANSACTION ISOLATION LEVEL SERIALIZABLE",
            f"USE `{ALT_DB}`")
        c.encoding = "latin1"
        c.charset = "latin1"
        before = snapshot(c)
        assert before == ("latin1", "latin1", "latin1", "latin1_swedish_ci",
                          "ANSI_QUOTES,STRICT_ALL_TABLES", "+03:00", "SERIALIZABLE", ALT_DB), before
        assert replay_after_kill(c) == before
        # And again: a second kill of the new backend thread.
        assert replay_after_kill(c) == before
        assert rows_of(c, 'SELECT "what" FROM "t_alt" WHERE "id" = 1') == (("alt schema",),)
        assert rows_of(c, "SELECT 'é'") == (("é",),)
    finally:
        c.close()


@pytest.mark.proxy_only
@pytest.mark.sandbox
def test_last_insert_id_replayed(tables, proxy):
    c = connect()
    try:
        run(c, "INSERT INTO t_rp (v, s) VALUES (100, 'lid')")
        lid = rows_of(c, "SELECT LAST_INSERT_ID()")[0][0]
        assert lid > 0
        # Another session inserting meanwhile does not change this session's value.
        other = connect()
        try:
            run(other, "INSERT INTO t_rp (v, s) VALUES (101, 'other')")
        finally:
            other.close()
        tid = backend_thread(c)
        kill_backend(tid)
        assert rows_of(c, "SELECT LAST_INSERT_ID()")[0][0] == lid
        assert backend_thread(c) != tid
    finally:
        c.close()
