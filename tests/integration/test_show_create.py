"""SHOW CREATE TABLE through the proxy shows the sharding clause
(docs/SHARDING.md, "Dumps"): MariaDB's own `Create Table` text from the
table's first group with ` DBPARTITION BY HASH(`col`)` (sharded) or
` BROADCAST` appended, so that the text, or a `mariadb-dump` taken through the
proxy, restores the same placement through the proxy. Single tables and
unsharded schemas are relayed unchanged. The config key
show_create_table_sharding and `SET SESSION shardproxy_show_sharding` hide it.

Tables h5_* in `trade` (sharded over g0 and g1), created and dropped here
through the proxy.
"""

import shutil
import subprocess
from pathlib import Path

import pymysql
import pytest
import yaml

from conftest import (HOST, PASSWORD, PORT, PROXY_CONFIG, ROOT, SHARDPROXY_BIN, USER, connect,
                      connect_direct, rows_of, stop_proxy, wait_port)
from rawmysql import RawConn

pytestmark = [pytest.mark.proxy_only, pytest.mark.sandbox]

SCHEMA = "trade"
G1_DIRECT_PORT = 23316
TABLES = ("h5_orders", "h5_orders_copy", "h5_rates", "h5_rates_copy", "h5_notes", "h5_dump",
          "h5_quoted")
COM_STMT_PREPARE = 0x16

ORDERS_DDL = ("CREATE TABLE h5_orders (id BIGINT NOT NULL, Buyer_Id BIGINT NOT NULL, "
              "note VARCHAR(20), PRIMARY KEY (Buyer_Id, id)) ENGINE=InnoDB "
              "DEFAULT CHARSET=utf8mb4 DBPARTITION BY HASH(buyer_id)")


def drop_all(c):
    with c.cursor() as cur:
        for t in TABLES:
            cur.execute(f"DROP TABLE IF EXISTS {SCHEMA}.{t}")


@pytest.fixture(scope="module")
def tables(proxy):
    c = connect(database=SCHEMA)
    drop_all(c)
    with c.cursor() as cur:
        cur.execute(ORDERS_DDL)
        cur.execute("CREATE TABLE h5_rates (code CHAR(3) PRIMARY KEY, rate DECIMAL(10,4)) "
                    "BROADCAST")
        cur.execute("CREATE TABLE h5_notes (id INT PRIMARY KEY, body TEXT)")
        cur.execute("CREATE TABLE `h5_quoted` (`the key` BIGINT NOT NULL, v INT, "
                    "PRIMARY KEY (`the key`)) DBPARTITION BY HASH(`the key`)")
        cur.execute("CREATE TABLE h5_dump (k BIGINT NOT NULL PRIMARY KEY, v VARCHAR(10)) "
                    "DBPARTITION BY HASH(k)")
        for k in range(1, 21):
            cur.execute("INSERT INTO h5_dump (k, v) VALUES (%s, %s)", (k, f"v{k}"))
    try:
        yield c
    finally:
        try:
            drop_all(c)
        finally:
            c.close()


def show_create(c, table):
    with c.cursor() as cur:
        cur.execute(f"SHOW CREATE TABLE {table}")
        rows = cur.fetchall()
        return rows, cur.description


def direct_create(table, port=None):
    """MariaDB's own text, from g0's master (the table's first group)."""
    kw = {"database": SCHEMA}
    if port:
        kw["port"] = port
    d = connect_direct(**kw)
    try:
        return show_create(d, table)
    finally:
        d.close()


def explain(c, sql):
    return rows_of(c, "EXPLAIN SHARDING " + sql)


def err_of(c, sql):
    with pytest.raises(pymysql.err.MySQLError) as e:
        with c.cursor() as cur:
            cur.execute(sql)
    return e.value.args[0], e.value.args[1]


# ------------------------------------------------------------------ the clause

def test_sharded_table_shows_the_clause(tables):
    rows, desc = show_create(tables, "h5_orders")
    drows, ddesc = direct_create("h5_orders")
    assert len(rows) == 1 and rows[0][0] == "h5_orders"
    # MariaDB's text, then the clause, the column spelled as the table spells it.
    assert rows[0][1] == drows[0][1] + " DBPARTITION BY HASH(`Buyer_Id`)"
    # The column metadata is the server's.
    assert desc == ddesc


def test_broadcast_table_shows_broadcast(tables):
    rows, desc = show_create(tables, "trade.h5_rates")
    drows, ddesc = direct_create("h5_rates")
    assert rows[0][1] == drows[0][1] + " BROADCAST"
    assert desc == ddesc


def test_single_and_unsharded_tables_unchanged(tables):
    rows, desc = show_create(tables, "h5_notes")
    assert (rows, desc) == direct_create("h5_notes")
    assert "DBPARTITION" not in rows[0][1] and "BROADCAST" not in rows[0][1]
    # An unsharded schema (test_itest on g0): the raw relay.
    c = connect()
    d = connect_direct()
    try:
        for x in (c, d):
            with x.cursor() as cur:
                cur.execute("CREATE TABLE IF NOT EXISTS h5_plain (id INT PRIMARY KEY)")
        assert show_create(c, "h5_plain") == show_create(d, "h5_plain")
    finally:
        with d.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS h5_plain")
        c.close()
        d.close()


def test_identifier_quoting_follows_the_server(tables):
    c = connect(database=SCHEMA)
    try:
        rows, _ = show_create(c, "h5_quoted")
        assert rows[0][1].endswith(" DBPARTITION BY HASH(`the key`)")
        with c.cursor() as cur:
            cur.execute("SET SESSION sql_quote_show_create = 0")
        rows, _ = show_create(c, "h5_orders")
        assert rows[0][1].startswith("CREATE TABLE h5_orders (")
        assert rows[0][1].endswith(" DBPARTITION BY HASH(Buyer_Id)")
        with c.cursor() as cur:
            cur.execute("SET SESSION sql_quote_show_create = 1")
            cur.execute("SET SESSION sql_mode = 'ANSI_QUOTES'")
        rows, _ = show_create(c, "h5_orders")
        assert rows[0][1].startswith('CREATE TABLE "h5_orders" (')
        assert rows[0][1].endswith(' DBPARTITION BY HASH("Buyer_Id")')
        rows, _ = show_create(c, "h5_quoted")
        assert rows[0][1].endswith(' DBPARTITION BY HASH("the key")')
    finally:
        c.close()


def test_mariadb_cli_shows_the_clause(tables):
    r = subprocess.run(["mariadb", "-h", HOST, "-P", str(PORT), f"-u{USER}", f"-p{PASSWORD}",
                        SCHEMA, "-e", "SHOW CREATE TABLE h5_orders\\G"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "DBPARTITION BY HASH(`Buyer_Id`)" in r.stdout
    r = subprocess.run(["mariadb", "-h", HOST, "-P", str(PORT), f"-u{USER}", f"-p{PASSWORD}",
                        SCHEMA, "-N", "-B", "-e", "SHOW CREATE TABLE h5_rates"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.rstrip("\n").endswith(" BROADCAST")


# ------------------------------------------------------------------ round trip

def test_round_trip_recreates_the_rule(tables):
    c = tables
    for src, dst in (("h5_orders", "h5_orders_copy"), ("h5_rates", "h5_rates_copy")):
        text = show_create(c, src)[0][0][1]
        text = text.replace(f"CREATE TABLE `{src}`", f"CREATE TABLE `{dst}`", 1)
        with c.cursor() as cur:
            cur.execute(text)
        assert show_create(c, dst)[0][0][1] == text
        # The table is on g1 too (created on every group).
        assert direct_create(dst, port=G1_DIRECT_PORT)[0][0][0] == dst
    # The copy is sharded by Buyer_Id (key 2 is on g1, 1 on g0) ...
    plan = explain(c, "SELECT * FROM h5_orders_copy WHERE Buyer_Id = 2")
    assert [r[0] for r in plan] == ["g1"]
    plan = explain(c, "SELECT * FROM h5_orders_copy WHERE buyer_id = 1")
    assert [r[0] for r in plan] == ["g0"]
    # ... and the broadcast copy gets every write on every group.
    plan = explain(c, "INSERT INTO h5_rates_copy VALUES ('EUR', 1)")
    assert sorted(r[0] for r in plan) == ["g0", "g1"]


# ------------------------------------------------------------------ switches

def test_session_switch(tables):
    c = connect(database=SCHEMA)
    other = connect(database=SCHEMA)
    try:
        plain = direct_create("h5_orders")[0][0][1]
        for off in ("SET SESSION shardproxy_show_sharding = OFF",
                    "SET shardproxy_show_sharding = 0",
                    "SET @@session.shardproxy_show_sharding = 'off'",
                    "SET @@shardproxy_show_sharding = FALSE"):
            with c.cursor() as cur:
                cur.execute("SET SESSION shardproxy_show_sharding = ON")
                cur.execute(off)
            assert show_create(c, "h5_orders")[0][0][1] == plain, off
            assert show_create(c, "h5_rates")[0][0][1] == direct_create("h5_rates")[0][0][1]
        # Another session is not affected.
        assert show_create(other, "h5_orders")[0][0][1].endswith("HASH(`Buyer_Id`)")
        with c.cursor() as cur:
            cur.execute("SET SESSION shardproxy_show_sharding = DEFAULT")  # the config's: on
        assert show_create(c, "h5_orders")[0][0][1].endswith("HASH(`Buyer_Id`)")
        with c.cursor() as cur:
            cur.execute("SET shardproxy_show_sharding = OFF")
            cur.execute("SET shardproxy_show_sharding = 1")
        assert show_create(c, "h5_orders")[0][0][1].endswith("HASH(`Buyer_Id`)")
        # The session stays usable and in step (autocommit, warnings, results).
        assert rows_of(c, "SELECT 1") == ((1,),)
    finally:
        c.close()
        other.close()


def test_session_switch_refused_forms(tables):
    c = connect(database=SCHEMA, client_flag=pymysql.constants.CLIENT.MULTI_STATEMENTS)
    try:
        code, msg = err_of(c, "SET GLOBAL shardproxy_show_sharding = OFF")
        assert code == 1235 and "session variable" in msg and "show_create_table_sharding" in msg
        code, msg = err_of(c, "SET @@global.shardproxy_show_sharding = OFF")
        assert code == 1235
        code, msg = err_of(c, "SET shardproxy_show_sharding = OFF, autocommit = 1")
        assert code == 1235 and "alone" in msg
        code, msg = err_of(c, "SELECT 1; SET shardproxy_show_sharding = OFF")
        assert code == 1235 and "multi-statement" in msg
        code, msg = err_of(c, "SET STATEMENT shardproxy_show_sharding = OFF FOR SELECT 1")
        assert code == 1235
        code, msg = err_of(c, "SET shardproxy_show_sharding = maybe")
        assert code == 1231 and "shardproxy_show_sharding" in msg and "maybe" in msg
        # Nothing was changed; the session still works.
        assert show_create(c, "h5_orders")[0][0][1].endswith("HASH(`Buyer_Id`)")
    finally:
        c.close()
    # Prepared: refused at COM_STMT_PREPARE.
    raw = RawConn(HOST, PORT)
    try:
        raw.login(db=SCHEMA)
        p = raw.command(bytes([COM_STMT_PREPARE]) + b"SET shardproxy_show_sharding = OFF")
        assert p[:1] == b"\xff"
        assert int.from_bytes(p[1:3], "little") == 1235
        assert raw.query_scalar("SELECT 7") == "7"
    finally:
        raw.close()


@pytest.fixture
def quiet_proxy(tables, tmp_path):
    """A second proxy on the same rules with show_create_table_sharding: false."""
    cfg = yaml.safe_load(Path(PROXY_CONFIG).read_text())
    data_dir = Path(cfg.get("data_dir", "var/proxy"))
    if not data_dir.is_absolute():
        data_dir = ROOT / data_dir
    (tmp_path / "data").mkdir()
    shutil.copy(data_dir / "metadata.json", tmp_path / "data" / "metadata.json")
    port = PORT + 10000
    cfg["listen"]["port"] = port
    cfg["data_dir"] = str(tmp_path / "data")
    cfg["show_create_table_sharding"] = False
    path = tmp_path / "quiet.yaml"
    path.write_text(yaml.safe_dump(cfg))
    log = open(tmp_path / "quiet.log", "wb")
    proc = subprocess.Popen([SHARDPROXY_BIN, "--config", str(path)], cwd=ROOT, stdout=log,
                            stderr=subprocess.STDOUT)
    try:
        assert wait_port(HOST, port, 30, proc), (tmp_path / "quiet.log").read_text()
        yield port
    finally:
        stop_proxy(proc)
        log.close()


def test_config_key_hides_the_clause(quiet_proxy):
    c = connect(port=quiet_proxy, database=SCHEMA)
    try:
        assert show_create(c, "h5_orders") == direct_create("h5_orders")
        assert show_create(c, "h5_rates") == direct_create("h5_rates")
        with c.cursor() as cur:
            cur.execute("SET SESSION shardproxy_show_sharding = ON")
        assert show_create(c, "h5_orders")[0][0][1].endswith("HASH(`Buyer_Id`)")
        with c.cursor() as cur:
            cur.execute("SET SESSION shardproxy_show_sharding = DEFAULT")
        assert show_create(c, "h5_orders") == direct_create("h5_orders")
    finally:
        c.close()


def test_config_key_validated(tmp_path):
    cfg = yaml.safe_load(Path(PROXY_CONFIG).read_text())
    cfg["show_create_table_sharding"] = "sometimes"
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(cfg))
    r = subprocess.run([SHARDPROXY_BIN, "--config", str(path), "--check"], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode != 0
    assert "show_create_table_sharding: expected true or false" in r.stdout + r.stderr


# ------------------------------------------------------------------ mariadb-dump

# As docs/SHARDING.md ("Dumps") tells DBAs: no LOCK TABLES (refused in a
# sharded schema), column lists in the INSERTs (the proxy needs the shard key's
# position), no tablespaces (needs PROCESS).
DUMP_OPTIONS = ("--skip-lock-tables", "--skip-add-locks", "--complete-insert",
                "--no-tablespaces", "--skip-dump-date")

def dump(table, port=PORT):
    r = subprocess.run(["mariadb-dump", "-h", HOST, "-P", str(port), f"-u{USER}",
                        f"-p{PASSWORD}", *DUMP_OPTIONS, SCHEMA, table],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stdout


def restore(text):
    r = subprocess.run(["mariadb", "-h", HOST, "-P", str(PORT), f"-u{USER}", f"-p{PASSWORD}",
                        SCHEMA], input=text, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr


def direct_count(table, port):
    d = connect_direct(port=port, database=SCHEMA)
    try:
        return rows_of(d, f"SELECT COUNT(*) FROM {table}")[0][0]
    finally:
        d.close()


def test_mariadb_dump_restores_the_placement(tables):
    c = tables
    on_g0, on_g1 = direct_count("h5_dump", 23306), direct_count("h5_dump", G1_DIRECT_PORT)
    assert on_g0 > 0 and on_g1 > 0 and on_g0 + on_g1 == 20
    text = dump("h5_dump")
    assert "DBPARTITION BY HASH(`k`);" in text
    restore(text)
    # Restored through the proxy: the rule again, each row on its group.
    assert direct_count("h5_dump", 23306) == on_g0
    assert direct_count("h5_dump", G1_DIRECT_PORT) == on_g1
    assert [r[0] for r in explain(c, "SELECT * FROM h5_dump WHERE k = 2")] == ["g1"]
    assert show_create(c, "h5_dump")[0][0][1].endswith(" DBPARTITION BY HASH(`k`)")
    assert rows_of(c, "SELECT v FROM h5_dump WHERE k = 2") == (("v2",),)


def test_mariadb_dump_without_the_clause(quiet_proxy):
    """For a plain MariaDB: through a proxy with show_create_table_sharding:
    false, or the clause cut from the dump with the sed line of
    docs/SHARDING.md ("Dumps"); both give MariaDB's own CREATE TABLE."""
    quiet = dump("h5_dump", port=quiet_proxy)
    assert "CREATE TABLE `h5_dump`" in quiet
    assert "DBPARTITION" not in quiet and "BROADCAST" not in quiet
    full = dump("h5_dump")
    r = subprocess.run(["sed", "-E", r"s/ (DBPARTITION BY HASH\(.*\)|BROADCAST);$/;/"],
                       input=full, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0
    assert r.stdout == quiet
