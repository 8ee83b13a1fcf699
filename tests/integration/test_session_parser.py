"""The session's parser stage (issue 3 in the proxy) and the fast framing
checks, through the proxy with real clients:

- CREATE TABLE ... DBPARTITION BY HASH(col) / BROADCAST: the clause never
  reaches MariaDB (the table exists, SHOW CREATE TABLE has no trace of it);
- EXPLAIN SHARDING <stmt>: answered by the proxy (group, target, sql, reason);
- SELECT CONNECTION_ID() alone: the proxy's connection id (handshake, KILL);
- client charsets gbk/big5/sjis/cp932: refused at connect, on SET NAMES /
  SET CHARACTER SET / SET character_set_client and COM_CHANGE_USER (1115),
  the session staying usable;
- what our grammar cannot read still runs (passed through to g0), and
  MariaDB's own 1064 for invalid SQL reaches the client unchanged;
- a wrong sequence id or an oversized pre-auth frame is answered at once;
- a slowly streamed result reaches the client as it comes.

Tests marked proxy_only describe proxy features MariaDB does not have."""

import struct
import time

import pymysql
import pytest

import rawmysql
from conftest import DB, HOST, PASSWORD, PORT, USER, connect, connect_direct, rows_of

CLIENT_DEPRECATE_EOF = 0x01000000
REASON = "passthrough: routing arrives with the routing issue"


def err_of(excinfo):
    return excinfo.value.args[0], excinfo.value.args[1]


@pytest.fixture
def fresh_tables(schema):
    names = ["sp_parse_hash", "sp_parse_bcast", "sp_parse_m1", "sp_parse_m2", "sp_parse_trg"]
    d = connect_direct()
    with d.cursor() as cur:
        for n in names:
            cur.execute(f"DROP TABLE IF EXISTS `{n}`")
    yield names
    with d.cursor() as cur:
        for n in names:
            cur.execute(f"DROP TABLE IF EXISTS `{n}`")
    d.close()


# ---------------------------------------------------------------- a. sharding clause

@pytest.mark.proxy_only
def test_dbpartition_clause_refused_in_an_unsharded_schema(conn, fresh_tables):
    # test_itest is not declared sharded: the clause cannot be honoured, so
    # the statement is refused (1235) and nothing is created.
    for ddl in ("CREATE TABLE sp_parse_hash (id INT PRIMARY KEY) DBPARTITION BY HASH(id)",
                "CREATE TABLE sp_parse_bcast (id INT PRIMARY KEY) broadcast"):
        with pytest.raises(pymysql.MySQLError) as e:
            rows_of(conn, ddl)
        assert e.value.args[0] == 1235, e.value.args
    d = connect_direct()
    try:
        assert rows_of(d, "SHOW TABLES LIKE 'sp_parse_%'") == ()
    finally:
        d.close()


@pytest.mark.proxy_only
def test_sharding_clause_in_a_sharded_schema_is_cut_before_the_backends(proxy, schema):
    c = connect(database="trade")
    try:
        rows_of(c, "DROP TABLE IF EXISTS sp_parse_hash")
        rows_of(c, "CREATE TABLE sp_parse_hash (id INT PRIMARY KEY, v VARCHAR(20)) "
                   "ENGINE=InnoDB DBPARTITION BY HASH(id)")
        rows_of(c, "INSERT INTO sp_parse_hash (id, v) VALUES (1, 'a')")
        assert rows_of(c, "SELECT id, v FROM sp_parse_hash WHERE id = 1") == ((1, "a"),)
        for port in (23306, 23316):  # on both groups, without the clause
            d = connect_direct(port=port, database="trade")
            try:
                ddl = rows_of(d, "SHOW CREATE TABLE sp_parse_hash")[0][1]
                assert "DBPARTITION" not in ddl.upper(), ddl
            finally:
                d.close()
        rows_of(c, "DROP TABLE sp_parse_hash")
    finally:
        c.close()


@pytest.mark.proxy_only
def test_sharding_clause_in_a_multi_statement_is_refused(fresh_tables, proxy):
    c = connect(client_flag=pymysql.constants.CLIENT.MULTI_STATEMENTS, database="trade")
    try:
        with pytest.raises(pymysql.MySQLError) as e:
            with c.cursor() as cur:
                cur.execute("CREATE TABLE sp_parse_m1 (id INT) DBPARTITION BY HASH(id); SELECT 7")
        assert e.value.args[0] == 1235, e.value.args
    finally:
        c.close()


# ---------------------------------------------------------------- b. EXPLAIN SHARDING

@pytest.mark.proxy_only
def test_explain_sharding_answered_by_the_proxy(conn):
    with conn.cursor() as cur:
        cur.execute("EXPLAIN SHARDING SELECT * FROM t WHERE id = 5")
        names = [d[0] for d in cur.description]
        rows = cur.fetchall()
    assert names == ["group", "vparts", "sql", "reason"]
    # test_itest is not declared: unsharded on the default group g0.
    assert rows == (("g0", "all", "SELECT * FROM t WHERE id = 5", "one group"),)
    # In a sharded schema: every group, the statement as it would be sent
    # (without the sharding clause).
    rows = rows_of(conn, "explain /* why */ sharding CREATE TABLE trade.x (id INT) "
                         "DBPARTITION BY HASH(id)")
    assert [r[0] for r in rows] == ["g0", "g1"]
    assert all(r[2] == "CREATE TABLE trade.x (id INT) " for r in rows), rows
    # A sharding clause in an unsharded schema is refused (one row: the error).
    rows = rows_of(conn, "EXPLAIN SHARDING CREATE TABLE x (id INT) DBPARTITION BY HASH(id)")
    assert rows[0][0] is None and rows[0][3].startswith("refused: ERROR 1235"), rows
    # The session goes on, its transaction state reported correctly.
    conn.begin()
    rows_of(conn, "SELECT 1")
    assert rows_of(conn, "EXPLAIN SHARDING UPDATE t SET a = 1 WHERE id = 2")[0][0] == "g0"
    assert rows_of(conn, "SELECT @@in_transaction") == ((1,),)
    conn.rollback()


@pytest.mark.proxy_only
def test_explain_sharding_with_deprecate_eof():
    r = rawmysql.RawConn(HOST, PORT)
    try:
        r.login(USER, PASSWORD, DB, caps=rawmysql.DEFAULT_CAPS | CLIENT_DEPRECATE_EOF)
        r.send_packet(b"\x03EXPLAIN SHARDING SELECT 1", 0)
        seqs, packets = [], []
        while True:
            seq, p = r.read_packet()
            seqs.append(seq)
            packets.append(p)
            if p[:1] in (b"\xfe", b"\xff"):
                break
        assert packets[0] == b"\x04"              # 4 columns
        assert len(packets) == 1 + 4 + 1 + 1      # no EOF after the column definitions
        reason = b"no sharded table"
        assert packets[5] == b"\x02g0\x03all\x08SELECT 1" + bytes([len(reason)]) + reason
        assert packets[6][:1] == b"\xfe" and len(packets[6]) >= 7  # OK with the EOF header
        assert seqs == list(range(1, 8))
        r.send_packet(b"\x03SELECT 'still here'", 0)
        got = []
        while True:
            _, p = r.read_packet()
            got.append(p)
            if p[:1] in (b"\xfe", b"\xff"):
                break
        assert got[2] == b"\x0astill here", got
    finally:
        r.close()


@pytest.mark.proxy_only
def test_explain_sharding_in_multi_statement_is_refused(proxy):
    c = connect(client_flag=pymysql.constants.CLIENT.MULTI_STATEMENTS)
    try:
        with pytest.raises(pymysql.MySQLError) as ei:
            rows_of(c, "SELECT 1; EXPLAIN SHARDING SELECT 2")
        assert err_of(ei)[0] == 1235
        assert rows_of(c, "SELECT 3") == ((3,),)
    finally:
        c.close()


# ---------------------------------------------------------------- c. CONNECTION_ID()

@pytest.mark.proxy_only
def test_connection_id_is_the_proxy_id(conn, proxy):
    ours = conn.thread_id()  # from the proxy's handshake
    with conn.cursor() as cur:
        cur.execute("SELECT CONNECTION_ID()")
        assert cur.fetchall() == ((ours,),)
        assert cur.description[0][0] == "CONNECTION_ID()"
        assert cur.description[0][1] == pymysql.constants.FIELD_TYPE.LONG
        cur.execute("select connection_id( ) as `my id`")
        assert cur.fetchall() == ((ours,),)
        assert cur.description[0][0] == "my id"
        cur.execute("SELECT Connection_Id() cid FROM dual")
        assert cur.fetchall() == ((ours,),)
    # The id KILL takes: KILL QUERY of our own id is fine (nothing else runs).
    with conn.cursor() as cur:
        cur.execute(f"KILL QUERY {ours}")
    # From another session, KILL CONNECTION with that id ends this one.
    other = connect()
    try:
        with other.cursor() as cur:
            cur.execute(f"KILL CONNECTION {rows_of(conn, 'SELECT CONNECTION_ID()')[0][0]}")
    finally:
        other.close()
    time.sleep(0.3)
    with pytest.raises(pymysql.MySQLError):
        rows_of(conn, "SELECT 1")


def test_connection_id_same_shape_as_direct(conn, dconn):
    # Whatever the value, the result's shape is MariaDB's.
    for c in (conn, dconn):
        with c.cursor() as cur:
            cur.execute("SELECT CONNECTION_ID() AS x")
            d = cur.description[0]
            assert (d[0], d[1], d[3], d[6]) == ("x", 3, 10, False), d
            assert isinstance(cur.fetchall()[0][0], int)


# ---------------------------------------------------------------- d. charsets

REFUSED = ["gbk", "big5", "sjis", "cp932"]


@pytest.mark.proxy_only
@pytest.mark.parametrize("charset", REFUSED)
def test_refused_charset_at_connect(schema, proxy, charset):
    with pytest.raises(pymysql.MySQLError) as ei:
        connect(charset=charset)
    code, msg = err_of(ei)
    assert code == 1115
    assert msg == (f"shardproxy: character set '{charset}' is not supported: its multi-byte "
                   "characters can contain the byte 0x5C (backslash), which the SQL lexer cannot "
                   "read safely; connect with utf8mb4")


@pytest.mark.proxy_only
@pytest.mark.parametrize("sql", [
    "SET NAMES gbk",
    "SET NAMES 'big5' COLLATE big5_bin",
    "SET CHARACTER SET sjis",
    "SET character_set_client = cp932",
    "SET @@session.character_set_client = 'gbk'",
])
def test_refused_charset_on_set(conn, sql):
    conn.begin()
    rows_of(conn, "SELECT 1")
    with pytest.raises(pymysql.MySQLError) as ei:
        rows_of(conn, sql)
    assert err_of(ei)[0] == 1115
    # Never reached the backend: same charset, same transaction.
    assert rows_of(conn, "SELECT @@character_set_client, @@in_transaction") == (("utf8mb4", 1),)
    conn.rollback()
    rows_of(conn, "SET NAMES latin1")  # allowed charsets still change
    assert rows_of(conn, "SELECT @@character_set_client") == (("latin1",),)


def change_user_packet(r, user, password, db, charset):
    auth = rawmysql.native_password_scramble(password.encode(), r.salt[:20])
    return (b"\x11" + user.encode() + b"\0" + bytes([len(auth)]) + auth + db.encode() + b"\0"
            + struct.pack("<H", charset) + b"mysql_native_password\0")


@pytest.mark.proxy_only
def test_refused_charset_on_change_user(schema, proxy):
    r = rawmysql.RawConn(HOST, PORT)
    try:
        r.login(USER, PASSWORD, DB)
        r.send_packet(change_user_packet(r, USER, PASSWORD, DB, 28), 0)  # gbk_chinese_ci
        _, p = r.read_packet()
        assert p[:1] == b"\xff"
        assert rawmysql.parse_err(p).errno == 1115
        # The session stays, with its old charset.
        assert r.query_scalar("SELECT @@character_set_client") == "utf8mb4"
        # A change-user with an allowed charset still works.
        r.send_packet(change_user_packet(r, USER, PASSWORD, DB, 8), 0)  # latin1_swedish_ci
        _, p = r.read_packet()
        assert p[:1] == b"\x00", p
        assert r.query_scalar("SELECT @@character_set_client") == "latin1"
    finally:
        r.close()


# ---------------------------------------------------------------- passthrough

def test_statement_our_grammar_cannot_read_still_runs(conn, fresh_tables):
    # HANDLER is not in the grammar yet (parser/README.md): passed through to g0.
    with conn.cursor() as cur:
        cur.execute("CREATE TABLE sp_parse_trg (id INT PRIMARY KEY, v VARCHAR(10))")
        cur.execute("INSERT INTO sp_parse_trg VALUES (2, 'two'), (1, 'one')")
        cur.execute("HANDLER sp_parse_trg OPEN")
        cur.execute("HANDLER sp_parse_trg READ `PRIMARY` FIRST")
        assert cur.fetchall() == ((1, "one"),)
        cur.execute("HANDLER sp_parse_trg CLOSE")


def test_invalid_sql_gets_mariadb_own_1064(conn, dconn):
    for sql in ("SELEC 1", "SELECT * FROM WHERE", "SELECT 'unterminated"):
        got = []
        for c in (conn, dconn):
            with pytest.raises(pymysql.MySQLError) as ei:
                rows_of(c, sql)
            got.append(err_of(ei))
        assert got[0] == got[1], got
        assert got[0][0] == 1064


def test_prepared_statements_still_work(fresh_tables, proxy):
    # COM_STMT_PREPARE text goes through the parser stage too (here via the
    # MariaDB CLI-less path: pymysql has no server-side PS; use SQL PREPARE).
    c = connect()
    try:
        rows_of(c, "PREPARE s FROM 'SELECT ? + 1'")
        rows_of(c, "SET @a = 41")
        assert rows_of(c, "EXECUTE s USING @a") == ((42,),)
    finally:
        c.close()


# ---------------------------------------------------------------- framing, latency

def test_http_request_is_refused_at_once(proxy):
    r = rawmysql.RawConn(HOST, PORT)
    try:
        r.read_greeting()
        t0 = time.monotonic()
        r.send_raw(b"GET / HTTP/1.1\r\nHost: example\r\n\r\n")
        _, p = r.read_packet()
        elapsed = time.monotonic() - t0
        assert p[:1] == b"\xff" and rawmysql.parse_err(p).errno == 1156
        assert elapsed < 1.0, elapsed
        r.sock.settimeout(2)
        try:
            assert r.sock.recv(1) == b""  # and closed
        except ConnectionResetError:
            pass  # closed with our unread bytes pending: a reset
    finally:
        r.close()


@pytest.mark.proxy_only
def test_oversized_handshake_frame_is_refused_at_once(proxy):
    r = rawmysql.RawConn(HOST, PORT)
    try:
        r.read_greeting()
        t0 = time.monotonic()
        r.send_raw(struct.pack("<I", 128 * 1024)[:3] + b"\x01" + b"\0" * 100)
        _, p = r.read_packet()
        assert p[:1] == b"\xff" and rawmysql.parse_err(p).errno == 1043
        assert time.monotonic() - t0 < 1.0
    finally:
        r.close()


def test_command_with_wrong_sequence_is_refused_at_once(proxy):
    r = rawmysql.RawConn(HOST, PORT)
    try:
        r.login(USER, PASSWORD, DB)
        t0 = time.monotonic()
        r.send_raw(struct.pack("<I", 1000)[:3] + b"\x05" + b"\x03SELECT")  # payload never completes
        _, p = r.read_packet()
        assert p[:1] == b"\xff" and rawmysql.parse_err(p).errno == 1156
        assert time.monotonic() - t0 < 1.0
    finally:
        r.close()


def test_slow_result_streams_to_the_client(proxy):
    # 60 000 bytes (MariaDB sends them at once, below the proxy's 64 KiB batch),
    # then 2 s of nothing: the first row must not wait for the end.
    r = rawmysql.RawConn(HOST, PORT)
    try:
        r.login(USER, PASSWORD, DB)
        t0 = time.monotonic()
        r.send_packet(b"\x03SELECT REPEAT('x', 60000) AS a UNION ALL SELECT SLEEP(2)", 0)
        r.read_until_eof_or_err()  # column count, definition, EOF
        _, row = r.read_packet()
        first = time.monotonic() - t0
        r.read_until_eof_or_err()
        total = time.monotonic() - t0
        print(f"first row after {first:.2f}s, end after {total:.2f}s")
        assert len(row) > 60000
        assert first < 1.0 and total >= 1.9
    finally:
        r.close()
