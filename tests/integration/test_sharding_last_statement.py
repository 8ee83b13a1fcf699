"""What a single server answers about "the last statement" after a statement
that ran on several groups, the DDL warning for keys without the shard key,
DROP DATABASE forgetting its tables' rules, the proxy's own 1049, INSERT ...
SELECT pushed down within one group, and tables without a rule.

The sandbox: trade sharded over g0 (vparts 0-511) and g1 (512-1023); the
integer keys 1, 3, 4, 7, 42 hash to g0 and 2, 5, 6, 8 to g1 (checked in
test_sharding_routing.py). Tables here are prefixed lt_ and dropped at the end.
"""

import json

import pymysql
import pytest

from conftest import connect, connect_direct, rows_of

pytestmark = [pytest.mark.proxy_only, pytest.mark.sandbox]

G0 = (1, 3, 4, 7, 42)
G1 = (2, 5, 6, 8)


def direct(port, db=None):
    return pymysql.connect(host="127.0.0.1", port=port, user="app", password="app",
                           database=db, autocommit=True)


@pytest.fixture
def trade(proxy):
    c = connect(database="trade")
    with c.cursor() as cur:
        for t in ("lt_o", "lt_u", "lt_copy", "lt_single", "lt_b"):
            cur.execute(f"DROP TABLE IF EXISTS {t}")
        cur.execute("CREATE TABLE lt_o (id BIGINT PRIMARY KEY, buyer_id BIGINT NOT NULL, "
                    "amount INT) DBPARTITION BY HASH(buyer_id)")
    yield c
    with c.cursor() as cur:
        for t in ("lt_o", "lt_u", "lt_copy", "lt_single", "lt_b"):
            cur.execute(f"DROP TABLE IF EXISTS {t}")
    c.close()


def warnings_of(cur):
    cur.execute("SHOW WARNINGS")
    return cur.fetchall()


def test_primary_key_without_shard_key_warns(trade):
    with trade.cursor() as cur:
        # lt_o was made by the fixture: its PRIMARY KEY (id) lacks buyer_id.
        cur.execute("DROP TABLE lt_o")
        cur.execute("CREATE TABLE lt_o (id BIGINT PRIMARY KEY, buyer_id BIGINT NOT NULL, "
                    "amount INT, UNIQUE KEY u_amount (amount)) DBPARTITION BY HASH(buyer_id)")
        w = warnings_of(cur)
        assert len(w) == 1, w
        level, code, msg = w[0]
        assert (level, code) == ("Warning", 1503)
        assert "u_amount" in msg and "PRIMARY" in msg and "buyer_id" in msg
        assert "unique only within each group" in msg
        # The table was made and routes.
        cur.execute("INSERT INTO lt_o (id, buyer_id, amount) VALUES (1, 1, 10), (2, 2, 20)")
        assert cur.rowcount == 2
        # A key that includes the shard key: no warning.
        cur.execute("CREATE TABLE lt_u (id BIGINT, buyer_id BIGINT, PRIMARY KEY (buyer_id, id)) "
                    "DBPARTITION BY HASH(buyer_id)")
        assert warnings_of(cur) == ()
        # Broadcast and single tables: never.
        cur.execute("CREATE TABLE lt_b (id INT PRIMARY KEY) BROADCAST")
        assert warnings_of(cur) == ()


def test_warning_count_in_ok_packet(trade):
    with trade.cursor() as cur:
        cur.execute("DROP TABLE lt_o")
        cur.execute("CREATE TABLE lt_o (id BIGINT PRIMARY KEY, buyer_id BIGINT) "
                    "DBPARTITION BY HASH(buyer_id)")
        # PyMySQL keeps the OK packet's warning count.
        assert cur._result.warning_count == 1
        cur.execute("SELECT @@warning_count")
        assert cur.fetchone()[0] == 1
        # Answered by the proxy: the SELECT is now the previous statement.
        cur.execute("SELECT @@warning_count")
        assert cur.fetchone()[0] == 0


def test_show_warnings_after_scatter_combines_groups(trade):
    with trade.cursor() as cur:
        cur.execute("INSERT INTO lt_o (id, buyer_id, amount) VALUES (1, 1, 1), (2, 2, 2)")
        # A warning on each group: amount truncated (strict mode off for the session).
        cur.execute("SET SESSION sql_mode = ''")
        cur.execute("UPDATE lt_o SET amount = 'x1'")
        assert cur.rowcount == 2
        w = warnings_of(cur)
        assert len(w) == 2, w
        assert all(code == 1292 or code == 1366 for _, code, _ in w), w
        # Again: SHOW WARNINGS does not clear them.
        assert len(warnings_of(cur)) == 2
        with pytest.raises(pymysql.err.MySQLError) as e:
            cur.execute("UPDATE lt_o SET amount = 'x2'")
            cur.execute("SHOW WARNINGS LIMIT 1")
        assert e.value.args[0] == 1235


def test_row_count_found_rows_after_scatter(trade):
    with trade.cursor() as cur:
        cur.execute("INSERT INTO lt_o (id, buyer_id, amount) VALUES (1, 1, 1), (2, 2, 2), (3, 3, 3), (5, 5, 5)")
        assert rows_of(trade, "SELECT ROW_COUNT()") == ((4,),)
        # The lone SELECT is now the previous statement.
        assert rows_of(trade, "SELECT ROW_COUNT()") == ((-1,),)
        cur.execute("UPDATE lt_o SET amount = amount + 1 WHERE buyer_id IN (1, 2, 5)")
        assert cur.rowcount == 3
        assert rows_of(trade, "SELECT ROW_COUNT() AS n") == ((3,),)
        cur.execute("SELECT id FROM lt_o")
        assert len(cur.fetchall()) == 4
        assert rows_of(trade, "SELECT FOUND_ROWS()") == ((4,),)
        cur.execute("SELECT ROW_COUNT()")
        assert cur.description[0][0] == "ROW_COUNT()"
        assert cur.fetchone() == (-1,)
        cur.execute("DELETE FROM lt_o")
        assert rows_of(trade, "select row_count()") == ((4,),)
        # Inside another statement: a clear error rather than one group's value.
        cur.execute("DELETE FROM lt_o")
        with pytest.raises(pymysql.err.MySQLError) as e:
            cur.execute("SELECT ROW_COUNT() + 1")
        assert e.value.args[0] == 1235
        assert "lone SELECT" in e.value.args[1]


def test_last_insert_id_after_scatter(trade):
    with trade.cursor() as cur:
        cur.execute("CREATE TABLE lt_single (id INT AUTO_INCREMENT PRIMARY KEY, v INT)")
        cur.execute("INSERT INTO lt_single (v) VALUES (1)")
        first = rows_of(trade, "SELECT LAST_INSERT_ID()")[0][0]
        assert first >= 1
        # A scatter write that generates no id keeps it, as MariaDB does.
        cur.execute("INSERT INTO lt_o (id, buyer_id, amount) VALUES (1, 1, 1), (2, 2, 2)")
        assert rows_of(trade, "SELECT LAST_INSERT_ID()") == ((first,),)


def test_drop_database_forgets_rules(proxy):
    c = connect(database=None)
    try:
        with c.cursor() as cur:
            cur.execute("CREATE DATABASE IF NOT EXISTS account")
            cur.execute("DROP TABLE IF EXISTS account.lt_gone")
            cur.execute("CREATE TABLE account.lt_gone (id INT, k INT) DBPARTITION BY HASH(k)")
            cur.execute("EXPLAIN SHARDING SELECT * FROM account.lt_gone WHERE k = 1")
            assert len(cur.fetchall()) == 1
            # Every table of account is dropped with it: keep the others.
            cur.execute("SELECT table_name FROM information_schema.tables "
                        "WHERE table_schema = 'account'")
            others = [r[0] for r in cur.fetchall() if r[0] != "lt_gone"]
        if others:
            pytest.skip(f"account has other tables {others}; not dropping it")
        with c.cursor() as cur:
            cur.execute("DROP DATABASE account")
            cur.execute("CREATE DATABASE account")
            # Created again as a plain table: a single table, not the old rule.
            cur.execute("CREATE TABLE account.lt_gone (id INT, k INT)")
            cur.execute("EXPLAIN SHARDING SELECT * FROM account.lt_gone WHERE k = 2")
            rows = cur.fetchall()
            assert len(rows) == 1 and rows[0][0] == "g0", rows
            cur.execute("DROP TABLE account.lt_gone")
    finally:
        c.close()
    for port in (23306, 23316):
        d = direct(port)
        try:
            assert rows_of(d, "SHOW DATABASES LIKE 'account'") == (("account",),)
        finally:
            d.close()


def test_insert_select_co_located(trade):
    with trade.cursor() as cur:
        cur.execute("CREATE TABLE lt_copy (id BIGINT, buyer_id BIGINT NOT NULL, amount INT, "
                    "PRIMARY KEY (buyer_id, id)) DBPARTITION BY HASH(buyer_id)")
        rows = [(i, k, i * 10) for i, k in enumerate(G0 + G1, start=1)]
        cur.executemany("INSERT INTO lt_o (id, buyer_id, amount) VALUES (%s, %s, %s)", rows)
        # One key: one group.
        cur.execute("EXPLAIN SHARDING INSERT INTO lt_copy (id, buyer_id, amount) "
                    "SELECT id, buyer_id, amount FROM lt_o WHERE buyer_id = 2")
        plan = cur.fetchall()
        assert [r[0] for r in plan] == ["g1"], plan
        cur.execute("INSERT INTO lt_copy (id, buyer_id, amount) "
                    "SELECT id, buyer_id, amount FROM lt_o WHERE buyer_id = 2")
        assert cur.rowcount == 1
        # Every group copies its own rows.
        cur.execute("INSERT INTO lt_copy (id, buyer_id, amount) "
                    "SELECT id + 100, buyer_id, amount FROM lt_o")
        assert cur.rowcount == len(rows)
        cur.execute("SELECT id, buyer_id, amount FROM lt_copy")
        got = sorted(cur.fetchall())
        want = sorted([r for r in rows if r[1] == 2] + [(i + 100, k, a) for i, k, a in rows])
        assert got == want
        # Each group holds only rows of its own vparts (the co-location held).
        for port, keys in ((23306, G0), (23316, G1)):
            d = direct(port, "trade")
            try:
                ks = {r[0] for r in rows_of(d, "SELECT DISTINCT buyer_id FROM lt_copy")}
            finally:
                d.close()
            assert ks == set(keys), (port, ks)
        # The key from another column cannot be proven co-located: refused.
        with pytest.raises(pymysql.err.MySQLError) as e:
            cur.execute("INSERT INTO lt_copy (id, buyer_id) SELECT buyer_id, id FROM lt_o")
        assert e.value.args[0] == 1235
        assert "pushed down only when its shard key buyer_id" in e.value.args[1]


def test_table_without_rule_is_refused(trade):
    d = direct(23306, "trade")
    try:
        with d.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS lt_single")
            cur.execute("CREATE TABLE lt_single (id INT)")  # behind the proxy's back, on g0
        with trade.cursor() as cur:
            with pytest.raises(pymysql.err.MySQLError) as e:
                cur.execute("SELECT * FROM lt_single")
            assert e.value.args[0] == 1146
            assert "no rule for it" in e.value.args[1]
            with pytest.raises(pymysql.err.MySQLError) as e:
                cur.execute("INSERT INTO lt_single (id) VALUES (1)")
            assert e.value.args[0] == 1146
            # DESCRIBE still shows it; adopting it as a single table: CREATE
            # TABLE IF NOT EXISTS through the proxy records the rule.
            cur.execute("DESCRIBE lt_single")
            assert cur.fetchall()[0][0] == "id"
            cur.execute("CREATE TABLE IF NOT EXISTS lt_single (id INT)")
            cur.execute("INSERT INTO lt_single (id) VALUES (1)")
            cur.execute("SELECT id FROM lt_single")
            assert cur.fetchall() == ((1,),)
    finally:
        d.close()


def test_catalog_check_at_start(trade, proxy, tmp_path):
    """A second proxy (its own port and a copy of the rules) started after a
    table's groups were made to differ: the check logs it and refuses
    statements on it; DDL still reaches it."""
    import shutil
    import subprocess
    import time
    from conftest import ROOT, SHARDPROXY_BIN, PROXY_CONFIG, wait_port
    with trade.cursor() as cur:
        cur.execute("CREATE TABLE lt_b (id INT PRIMARY KEY, v INT) BROADCAST")
    d1 = direct(23316, "trade")
    d0 = direct(23306, "trade")
    try:
        with d1.cursor() as cur:
            cur.execute("ALTER TABLE lt_b MODIFY v BIGINT")  # g1 only
        with d0.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS lt_u")
            cur.execute("CREATE TABLE lt_u (id INT)")  # g0 only, no rule
        data = tmp_path / "data"
        data.mkdir()
        src = ROOT / "var/proxy/metadata.json"
        shutil.copy(src, data / "metadata.json")
        cfg = open(PROXY_CONFIG).read().replace("port: 6033", "port: 6039").replace(
            "data_dir: var/proxy", f"data_dir: {data}")
        (tmp_path / "proxy.yaml").write_text(cfg)
        log = open(tmp_path / "proxy.log", "wb")
        p = subprocess.Popen([SHARDPROXY_BIN, "--config", str(tmp_path / "proxy.yaml")], cwd=ROOT,
                             stdout=log, stderr=subprocess.STDOUT)
        try:
            assert wait_port("127.0.0.1", 6039, 30, p)
            text = ""
            for _ in range(100):
                text = (tmp_path / "proxy.log").read_text()
                if "catalog check:" in text and "quarantined" in text:
                    break
                time.sleep(0.1)
            assert "the broadcast table trade.lt_b has different definitions on its groups " \
                   "(column 2: g0 has `v int(11) NULL`, g1 has `v bigint(20) NULL`)" in text, text
            assert "table trade.lt_u exists on group(s) g0 but has no sharding rule" in text
            c = pymysql.connect(host="127.0.0.1", port=6039, user="app", password="app",
                                database="trade", autocommit=True)
            try:
                with c.cursor() as cur:
                    with pytest.raises(pymysql.err.MySQLError) as e:
                        cur.execute("SELECT * FROM lt_b")
                    assert e.value.args[0] == 1105
                    assert "different definitions" in e.value.args[1]
                    # The fix goes through: DDL reaches every group.
                    cur.execute("ALTER TABLE lt_b MODIFY v BIGINT")
            finally:
                c.close()
        finally:
            p.terminate()
            p.wait(timeout=15)
            log.close()
    finally:
        with d0.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS lt_u")
        d0.close()
        d1.close()


def test_ddl_commits_the_open_transaction(trade):
    """autocommit=0 (PyMySQL's default) or an open transaction: DDL on every
    group commits first, as MariaDB does, instead of counting as a write to
    a second group."""
    c = connect(database="trade", autocommit=False)
    try:
        with c.cursor() as cur:
            cur.execute("INSERT INTO lt_o (id, buyer_id, amount) VALUES (1, 1, 1)")  # g0
            cur.execute("CREATE TABLE lt_u (id BIGINT, buyer_id BIGINT, "
                        "PRIMARY KEY (buyer_id, id)) DBPARTITION BY HASH(buyer_id)")
            cur.execute("INSERT INTO lt_u (id, buyer_id) VALUES (2, 2)")  # g1: a new transaction
            c.rollback()
        # The row written before the DDL was committed by it; the one after rolled back.
        assert rows_of(trade, "SELECT id FROM lt_o") == ((1,),)
        assert rows_of(trade, "SELECT id FROM lt_u") == ()
    finally:
        c.close()
