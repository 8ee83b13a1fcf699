"""Differential tests of the router: the same rows in the reference server
`ref` (127.0.0.1:23399, one plain MariaDB) and behind the proxy (trade and
account sharded over g0 = vparts 0-511 and g1 = 512-1023), the same statements
sent to both, results and errors compared.

The rows are the demo's (scripts/demo-data.sh, tables prefixed `rt_`), loaded
by the script itself through the proxy and, with TARGET=ref, into ref. Rows
from several groups are concatenated in group order, so results are compared
sorted. What the proxy refuses (a merge, a cross-group join, a shard-key
update, a second group in a transaction) is checked on its own: ERR 1235 from
the proxy where ref answers. Writes run on tables of their own (rt_w_*),
created fresh for each test. Every table is dropped through the proxy at the
end.
"""

import os
import subprocess

import pymysql
import pytest
import xxhash

from conftest import HOST, PASSWORD, PORT, ROOT, USER, connect

pytestmark = [pytest.mark.proxy_only, pytest.mark.sandbox]

PREFIX = "rt_"
REF_HOST, REF_PORT = "127.0.0.1", 23399
DEMO_TABLES = (("trade", "merchants"), ("trade", "orders"), ("trade", "order_items"),
               ("account", "accounts"), ("account", "ledger"))


def vpart_of_int(v):
    """docs/SHARDING.md: integer keys hash their decimal ASCII."""
    return xxhash.xxh3_64_intdigest(str(v).encode()) % 1024


def group_of(vp):
    return "g0" if vp < 512 else "g1"


# Integer keys used below and their groups (computed, not assumed).
G0_KEYS = [k for k in (1, 3, 4, 7, 42) if group_of(vpart_of_int(k)) == "g0"]
G1_KEYS = [k for k in (2, 5, 6, 8) if group_of(vpart_of_int(k)) == "g1"]
assert G0_KEYS == [1, 3, 4, 7, 42] and G1_KEYS == [2, 5, 6, 8]


def ref_connect(db, charset="utf8mb4"):
    return pymysql.connect(host=REF_HOST, port=REF_PORT, user=USER, password=PASSWORD,
                           database=db, charset=charset, autocommit=True, connect_timeout=10,
                           read_timeout=60)


def run_demo(target, port, out):
    env = dict(os.environ, TARGET=target, HOST=HOST if target == "proxy" else REF_HOST,
               PORT=str(port), PREFIX=PREFIX, OUT=str(out))
    r = subprocess.run([str(ROOT / "scripts/demo-data.sh")], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, f"demo-data.sh ({target}) failed:\n{r.stdout}\n{r.stderr}"


def drop_demo(c, tables, prefix=PREFIX):
    with c.cursor() as cur:
        for schema, table in reversed(tables):
            cur.execute(f"DROP TABLE IF EXISTS `{schema}`.`{prefix}{table}`")


@pytest.fixture(scope="module")
def demo(proxy, tmp_path_factory):
    d = tmp_path_factory.mktemp("demo")
    run_demo("proxy", PORT, d / "proxy.sql")
    run_demo("ref", REF_PORT, d / "ref.sql")
    try:
        yield
    finally:
        c = connect(database=None)
        try:
            drop_demo(c, DEMO_TABLES)
        finally:
            c.close()
        r = ref_connect(None)
        try:
            drop_demo(r, DEMO_TABLES)
        finally:
            r.close()


class Pair:
    """One connection to the proxy and one to ref, same schema and charset."""

    def __init__(self, db, charset="utf8mb4"):
        self.p = connect(database=db, charset=charset)
        self.r = ref_connect(db, charset)

    def close(self):
        self.p.close()
        self.r.close()


@pytest.fixture(scope="module")
def trade(demo):
    pair = Pair("trade")
    yield pair
    pair.close()


@pytest.fixture(scope="module")
def account(demo):
    pair = Pair("account")
    yield pair
    pair.close()


def outcome(c, sql, args=None):
    """('rows', column names, sorted rows, rowcount) or ('err', errno, message)."""
    try:
        with c.cursor() as cur:
            cur.execute(sql, args)
            rows = cur.fetchall()
            names = tuple(d[0] for d in cur.description) if cur.description else None
            return ("rows", names, sorted(rows, key=repr), cur.rowcount)
    except pymysql.MySQLError as e:
        return ("err", e.args[0], e.args[1] if len(e.args) > 1 else "")


def assert_same(pair, sql, args=None):
    got, want = outcome(pair.p, sql, args), outcome(pair.r, sql, args)
    if got[0] == "err" and want[0] == "err":
        assert got[1] == want[1], f"{sql}\nproxy: {got}\nref:   {want}"
        return got
    assert got == want, f"{sql}\nproxy: {str(got)[:1500]}\nref:   {str(want)[:1500]}"
    return got


def explain(c, sql):
    with c.cursor() as cur:
        cur.execute("EXPLAIN SHARDING " + sql)
        return cur.fetchall()


# ---- reads: the same rows through the proxy as in ref --------------------------

O, I, M = f"{PREFIX}orders", f"{PREFIX}order_items", f"{PREFIX}merchants"
A, L = f"{PREFIX}accounts", f"{PREFIX}ledger"

TRADE_READS = [
    # point reads by key, every literal form docs/SHARDING.md pins
    f"SELECT * FROM {O} WHERE buyer_id = 42",
    f"SELECT * FROM {O} WHERE buyer_id = '42'",
    f"SELECT * FROM {O} WHERE buyer_id = 0x2A",
    f"SELECT * FROM {O} WHERE buyer_id = 4.2e1",
    f"SELECT * FROM {O} WHERE buyer_id = 42.0",
    f"SELECT * FROM {O} WHERE buyer_id = ' 042 '",
    f"SELECT * FROM {O} WHERE buyer_id = '4.2e1'",
    f"SELECT * FROM {O} WHERE buyer_id = b'101010'",
    f"SELECT * FROM {O} WHERE 42 = buyer_id",
    f"SELECT * FROM {O} WHERE buyer_id = 2",
    f"SELECT * FROM {O} WHERE buyer_id = -7",
    f"SELECT * FROM {O} WHERE buyer_id = 0",
    f"SELECT * FROM {O} WHERE buyer_id = '-0'",
    f"SELECT * FROM {O} WHERE buyer_id = 9223372036854775807",
    f"SELECT * FROM {O} WHERE buyer_id = -9223372036854775808",
    f"SELECT order_id, amount FROM {O} WHERE buyer_id = 2 AND status = 'paid'",
    f"SELECT order_id FROM {O} WHERE buyer_id = 42 AND buyer_id = 2",
    # values that never match, or that the proxy does not pin (all groups)
    f"SELECT * FROM {O} WHERE buyer_id = 9223372036854775808",
    f"SELECT * FROM {O} WHERE buyer_id = '9223372036854775808'",
    f"SELECT * FROM {O} WHERE buyer_id = '42abc'",
    f"SELECT * FROM {O} WHERE buyer_id = X'3432'",
    f"SELECT * FROM {O} WHERE buyer_id IS NULL",
    f"SELECT * FROM {O} WHERE buyer_id = NULL",
    f"SELECT * FROM {O} WHERE buyer_id <=> NULL",
    # IN lists within one group, across groups; ORs of equalities
    f"SELECT * FROM {O} WHERE buyer_id IN (1, 3, 4, 42)",
    f"SELECT * FROM {O} WHERE buyer_id IN (2, 5, 6, 8)",
    f"SELECT * FROM {O} WHERE buyer_id IN (1, 2, 42, 5)",
    f"SELECT * FROM {O} WHERE buyer_id IN ('1', 0x2, 42.0, 5) AND status <> 'new'",
    f"SELECT * FROM {O} WHERE buyer_id IN (NULL, 2)",
    f"SELECT * FROM {O} WHERE buyer_id NOT IN (1, 2, 3)",
    f"SELECT * FROM {O} WHERE buyer_id = 1 OR buyer_id = 2 OR buyer_id = 42",
    f"SELECT * FROM {O} WHERE (buyer_id = 2 OR buyer_id = 5) AND status = 'paid'",
    f"SELECT * FROM {O} WHERE buyer_id = 1 OR buyer_id IN (3, 8)",
    f"SELECT * FROM {O} WHERE buyer_id = 1 OR status = 'refunded'",
    # co-located joins on buyer_id
    f"SELECT o.order_id, o.buyer_id, i.item_id, i.sku FROM {O} o JOIN {I} i "
    f"ON o.buyer_id = i.buyer_id AND o.order_id = i.order_id WHERE o.buyer_id = 42",
    f"SELECT o.order_id, i.item_id FROM {O} o JOIN {I} i "
    f"ON o.buyer_id = i.buyer_id AND o.order_id = i.order_id WHERE o.buyer_id IN (1, 2, 3)",
    f"SELECT o.order_id, i.item_id, i.qty FROM {O} o JOIN {I} i "
    f"ON o.buyer_id = i.buyer_id AND o.order_id = i.order_id",
    f"SELECT o.order_id, i.item_id FROM {O} o JOIN {I} i USING (buyer_id, order_id) "
    f"WHERE o.status = 'paid'",
    f"SELECT o.order_id, i.item_id FROM {O} o, {I} i WHERE o.buyer_id = i.buyer_id "
    f"AND o.order_id = i.order_id AND i.qty = 5",
    f"SELECT o.order_id, i.item_id FROM {O} o LEFT JOIN {I} i ON o.buyer_id = i.buyer_id "
    f"AND o.order_id = i.order_id AND i.qty > 4 WHERE o.status = 'new'",
    f"SELECT o.order_id, i.item_id FROM {O} o JOIN {I} i ON o.order_id = i.order_id "
    f"WHERE o.buyer_id = 42 AND i.buyer_id = 42",
    # joins with the broadcast merchants
    f"SELECT o.order_id, m.name FROM {O} o JOIN {M} m ON o.merchant_id = m.merchant_id "
    f"WHERE o.buyer_id = 2",
    f"SELECT o.order_id, m.name, m.city FROM {O} o JOIN {M} m "
    f"ON o.merchant_id = m.merchant_id WHERE m.city = 'Oslo'",
    f"SELECT o.order_id, i.sku, m.name FROM {O} o JOIN {I} i ON i.buyer_id = o.buyer_id "
    f"AND i.order_id = o.order_id JOIN {M} m ON m.merchant_id = o.merchant_id "
    f"WHERE o.buyer_id IN (7, 8)",
    # the broadcast table alone: one group answers, so anything goes
    f"SELECT * FROM {M}",
    f"SELECT * FROM {M} ORDER BY merchant_id DESC LIMIT 3",
    f"SELECT city, COUNT(*) FROM {M} GROUP BY city",
    # concatenated scatters (no ORDER BY / LIMIT / aggregate)
    f"SELECT * FROM {O} WHERE status = 'refunded'",
    f"SELECT order_id, buyer_id FROM {O}",
    f"SELECT * FROM {I} WHERE sku = 'SKU-TEA' AND qty = 5",
    f"SELECT * FROM {O} WHERE buyer_id BETWEEN 40 AND 45",
    f"SELECT * FROM {O} WHERE amount > 2500",
    f"SELECT order_id, amount * 2 AS doubled, CONCAT(status, '!') AS s FROM {O} WHERE merchant_id = 7",
    # one group: ORDER BY, LIMIT, aggregates, DISTINCT are the group's own
    f"SELECT * FROM {O} WHERE buyer_id = 42 ORDER BY order_id LIMIT 2",
    f"SELECT * FROM {O} WHERE buyer_id IN (1, 3) ORDER BY order_id DESC LIMIT 2",
    f"SELECT COUNT(*), SUM(amount), MIN(created), MAX(created) FROM {O} WHERE buyer_id = 42",
    f"SELECT DISTINCT status FROM {O} WHERE buyer_id = 42",
    f"SELECT status, COUNT(*) FROM {O} WHERE buyer_id IN (2, 5) GROUP BY status",
    f"SELECT * FROM (SELECT * FROM {O} WHERE buyer_id = 42) t",
    f"SELECT * FROM {O} WHERE buyer_id = 42 FOR UPDATE",
]

ACCOUNT_READS = [
    # utf8mb4_general_ci: case, accents, trailing blanks find the same rows
    f"SELECT * FROM {L} WHERE account_id = 'Ab'",
    f"SELECT * FROM {L} WHERE account_id = 'aB'",
    f"SELECT * FROM {L} WHERE account_id = 'ab  '",
    f"SELECT * FROM {L} WHERE account_id = 'AB'",
    f"SELECT * FROM {L} WHERE account_id = 'áb'",
    f"SELECT * FROM {L} WHERE account_id = 'muller'",
    f"SELECT * FROM {L} WHERE account_id = 'MÜLLER'",
    f"SELECT * FROM {L} WHERE account_id = N'MÜLLER'",
    f"SELECT * FROM {L} WHERE account_id = _utf8mb4 0x4DC3BC6C6C6572",
    f"SELECT * FROM {L} WHERE account_id = 0x4D554C4C4552",
    f"SELECT * FROM {L} WHERE account_id = _latin1'muller'",
    f"SELECT * FROM {L} WHERE account_id = 'STRASE'",
    f"SELECT * FROM {L} WHERE account_id = 'strasse'",
    f"SELECT * FROM {L} WHERE account_id = 'ZOË'",
    f"SELECT * FROM {L} WHERE account_id = 'asa'",
    f"SELECT * FROM {L} WHERE account_id = 'ipek'",
    f"SELECT * FROM {L} WHERE account_id = 'İPEK'",
    f"SELECT * FROM {L} WHERE account_id = 'acc-😀'",
    f"SELECT * FROM {L} WHERE account_id = 'ACC-🙂'",
    f"SELECT * FROM {L} WHERE account_id = ''",
    f"SELECT * FROM {L} WHERE account_id = '   '",
    f"SELECT * FROM {L} WHERE account_id = 'acc-00042'",
    f"SELECT * FROM {L} WHERE account_id = 42",
    f"SELECT * FROM {L} WHERE account_id = 'Ab' COLLATE utf8mb4_bin",
    f"SELECT * FROM {L} WHERE BINARY account_id = 'Ab'",
    f"SELECT * FROM {L} WHERE account_id LIKE 'ACC-0000%'",
    f"SELECT * FROM {L} WHERE account_id IN ('ab', 'MULLER', 'acc-00001', 'ACC-00002', 'acc-00003')",
    f"SELECT * FROM {L} WHERE account_id = 'ab' OR account_id = 'zoe' OR account_id = 'acc-00007'",
    f"SELECT * FROM {L} WHERE account_id = 'Ab' AND entry_no = 1",
    f"SELECT * FROM {L} WHERE (account_id, entry_no) IN (('Ab', 1), ('muller', 3))",
    f"SELECT account_id, SUM(amount) FROM {L} WHERE account_id = 'acc-00100' GROUP BY account_id",
    # BIGINT UNSIGNED key
    f"SELECT * FROM {A} WHERE user_id = 18446744073709551615",
    f"SELECT * FROM {A} WHERE user_id = '18446744073709551615'",
    f"SELECT * FROM {A} WHERE user_id = 0xFFFFFFFFFFFFFFFF",
    f"SELECT * FROM {A} WHERE user_id = 9223372036854775808",
    f"SELECT * FROM {A} WHERE user_id = 0",
    f"SELECT * FROM {A} WHERE user_id = -1",
    f"SELECT * FROM {A} WHERE user_id = 1031676",
    f"SELECT * FROM {A} WHERE user_id IN (0, 1031676, 1039595, 18446744073709551615)",
    f"SELECT user_id, name FROM {A} WHERE balance > 99000",
]


# Either the same rows as ref or a refusal (1235), never other rows: shapes the
# proxy may refuse today (outer joins that keep broadcast rows, natural joins,
# correlated subqueries) but must not answer wrongly.
TRADE_SAME_OR_REFUSED = [
    f"SELECT m.merchant_id, o.order_id FROM {M} m LEFT JOIN {O} o "
    f"ON o.merchant_id = m.merchant_id AND o.buyer_id = 42",
    f"SELECT m.merchant_id, o.order_id FROM {M} m LEFT JOIN {O} o ON o.merchant_id = m.merchant_id",
    f"SELECT m.merchant_id, o.order_id FROM {O} o RIGHT JOIN {M} m ON o.merchant_id = m.merchant_id",
    f"SELECT m.merchant_id, o.order_id FROM {M} m LEFT JOIN {O} o ON o.merchant_id = m.merchant_id "
    f"WHERE o.buyer_id = 42",
    f"SELECT m.merchant_id FROM {M} m WHERE NOT EXISTS "
    f"(SELECT 1 FROM {O} o WHERE o.merchant_id = m.merchant_id AND o.buyer_id = 42)",
    f"SELECT o.order_id, i.item_id FROM {O} o NATURAL JOIN {I} i",
    f"SELECT o.order_id FROM {O} o WHERE o.buyer_id = (SELECT 42)",
    f"SELECT (SELECT COUNT(*) FROM {I} i WHERE i.buyer_id = o.buyer_id AND i.order_id = o.order_id) c, "
    f"o.order_id FROM {O} o WHERE o.buyer_id = 42",
    f"SELECT o.order_id FROM {O} o WHERE o.buyer_id = 42 AND o.order_id IN "
    f"(SELECT order_id FROM {I} WHERE buyer_id = 42)",
]


@pytest.mark.parametrize("sql", TRADE_SAME_OR_REFUSED)
def test_trade_read_same_or_refused(trade, sql):
    got, want = outcome(trade.p, sql), outcome(trade.r, sql)
    assert want[0] == "rows", want
    if got[0] == "err":
        assert got[1] == 1235 and got[2].startswith("shardproxy: "), (sql, got)
    else:
        assert got == want, f"{sql}\nproxy: {str(got)[:1500]}\nref:   {str(want)[:1500]}"


@pytest.mark.parametrize("sql", TRADE_READS)
def test_trade_read(trade, sql):
    got = assert_same(trade, sql)
    assert got[0] == "rows", got


@pytest.mark.parametrize("sql", ACCOUNT_READS)
def test_account_read(account, sql):
    got = assert_same(account, sql)
    assert got[0] == "rows", got


def test_reads_find_rows(trade, account):
    """The differential lists above mean something only if the keys exist."""
    for pair, sql in ((trade, f"SELECT 1 FROM {O} WHERE buyer_id = 42"),
                      (trade, f"SELECT 1 FROM {O} WHERE buyer_id = 2"),
                      (account, f"SELECT 1 FROM {L} WHERE account_id = 'Ab'"),
                      (account, f"SELECT 1 FROM {L} WHERE account_id = 'muller'"),
                      (account, f"SELECT 1 FROM {A} WHERE user_id = 1031676")):
        got = outcome(pair.p, sql)
        assert got[0] == "rows" and got[2], (sql, got)


def test_mixed_case_keys_one_vpart(account):
    """'Ab', 'aB', 'ab  ', 'áb' pin to one vpart, and the proxy finds both
    rows stored as 'Ab' and 'aB '."""
    plans = {w: explain(account.p, f"SELECT * FROM {L} WHERE account_id = {w}")
             for w in ("'Ab'", "'aB'", "'ab  '", "'áb'", "'AB'")}
    firsts = {w: (p[0][0], p[0][1]) for w, p in plans.items()}
    assert all(len(p) == 1 for p in plans.values()), plans
    assert len(set(firsts.values())) == 1, firsts
    got = outcome(account.p, f"SELECT account_id, entry_no FROM {L} WHERE account_id = 'ab  '")
    assert [r[:2] for r in got[2]] == [("Ab", 1), ("aB ", 2)], got


@pytest.mark.parametrize("charset", ["latin1", "utf8"])
def test_reads_from_other_connection_charsets(demo, charset):
    """A latin1 or utf8mb3 session sends its bytes in its own character set:
    the proxy must weigh them as MariaDB reads them."""
    pair = Pair("account", charset)
    try:
        for sql in (f"SELECT * FROM {L} WHERE account_id = 'MÜLLER'",
                    f"SELECT * FROM {L} WHERE account_id = 'Zoë'",
                    f"SELECT * FROM {L} WHERE account_id IN ('áb', 'Straße')",
                    f"SELECT * FROM {L} WHERE account_id = _utf8mb4 0x4DC3BC6C6C6572",
                    f"SELECT * FROM {L} WHERE account_id = 0x4DC3BC6C6C6572",
                    f"SELECT * FROM {L} WHERE account_id = X'5A6FC3AB'"):
            got = assert_same(pair, sql)
            assert got[0] == "rows" and got[2], (sql, got)
    finally:
        pair.close()


# ---- refusals: ERR 1235 where one MariaDB answers -------------------------------

REFUSED = [
    # (schema, statement, words the message must contain)
    ("trade", f"SELECT * FROM {O} ORDER BY order_id", ["ORDER BY", "g0", "g1"]),
    ("trade", f"SELECT * FROM {O} WHERE buyer_id IN (1, 2) ORDER BY order_id", ["ORDER BY"]),
    ("trade", f"SELECT * FROM {O} LIMIT 5", ["LIMIT"]),
    ("trade", f"SELECT * FROM {O} WHERE status = 'paid' LIMIT 1", ["LIMIT"]),
    ("trade", f"SELECT COUNT(*) FROM {O}", ["aggregate"]),
    ("trade", f"SELECT SUM(amount) FROM {O} WHERE buyer_id IN (1, 2)", ["aggregate"]),
    ("trade", f"SELECT MAX(order_id) FROM {O} WHERE buyer_id = 1 OR buyer_id = 2", ["aggregate"]),
    ("trade", f"SELECT buyer_id, COUNT(*) FROM {O} GROUP BY buyer_id", ["GROUP BY"]),
    ("trade", f"SELECT DISTINCT status FROM {O}", ["DISTINCT"]),
    ("trade", f"SELECT status FROM {O} UNION SELECT status FROM {O}", ["UNION"]),
    ("account", f"SELECT COUNT(*) FROM {L}", ["aggregate"]),
    ("account", f"SELECT * FROM {A} ORDER BY user_id LIMIT 3", []),
    # joins not on the shard key
    ("trade", f"SELECT o.order_id, i.item_id FROM {O} o JOIN {I} i ON o.order_id = i.order_id",
     [O, I, "shard key"]),
    ("trade", f"SELECT o.order_id, i.item_id FROM {O} o JOIN {I} i ON o.order_id = i.order_id "
     f"WHERE o.buyer_id = 42", [O, I]),
    ("trade", f"SELECT * FROM {O} WHERE order_id IN (SELECT order_id FROM {I} WHERE qty = 5)",
     [O, I]),
    ("account", f"SELECT a.user_id, l.account_id FROM {A} a JOIN {L} l ON l.user_id = a.user_id",
     [A, L]),
]


@pytest.mark.parametrize("schema,sql,words", REFUSED)
def test_refused_needs_merge_or_cross_group(trade, account, schema, sql, words):
    pair = trade if schema == "trade" else account
    want = outcome(pair.r, sql)
    assert want[0] == "rows", f"ref must answer {sql}: {want}"
    got = outcome(pair.p, sql)
    assert got[0] == "err" and got[1] == 1235, f"{sql}\nproxy: {str(got)[:500]}"
    assert got[2].startswith("shardproxy: "), got
    for w in words:
        assert w in got[2], f"{sql}: message does not name {w!r}: {got[2]}"


# ---- EXPLAIN SHARDING ---------------------------------------------------------

@pytest.mark.parametrize("key", [42, 2, -7, 18446744073709551615])
def test_explain_point_select(trade, account, key):
    pair, table, col = (account, A, "user_id") if key > 2**63 else (trade, O, "buyer_id")
    sql = f"SELECT * FROM {table} WHERE {col} = {key}"
    rows = explain(pair.p, sql)
    vp = vpart_of_int(key)
    assert len(rows) == 1, rows
    group, vparts, text, reason = rows[0]
    assert (group, vparts) == (group_of(vp), str(vp)), (rows, vp)
    assert text == sql
    assert reason


def test_explain_point_select_string_key(account):
    # 'Ab' in utf8mb4_general_ci: weights 00 41 00 42 (docs/SHARDING.md).
    vp = xxhash.xxh3_64_intdigest(bytes.fromhex("00410042")) % 1024
    rows = explain(account.p, f"SELECT * FROM {L} WHERE account_id = 'aB  '")
    assert [(r[0], r[1]) for r in rows] == [(group_of(vp), str(vp))], (rows, vp)


@pytest.mark.parametrize("literal", ["0x2A", "b'101010'", "'42'", "4.2e1", "42.0"])
def test_explain_pins_every_form_of_42(trade, literal):
    """docs/SHARDING.md, "Integer keys": hex and bit literals (0x2A), plain
    number strings and integral FLOAT literals are pinned like 42 itself."""
    rows = explain(trade.p, f"SELECT * FROM {O} WHERE buyer_id = {literal}")
    assert [(r[0], r[1]) for r in rows] == [("g0", "401")], rows


def test_explain_in_list_cut_per_group(trade):
    rows = explain(trade.p, f"SELECT * FROM {O} WHERE buyer_id IN (1, 2, 42, 5)")
    got = {r[0]: (r[1], r[2]) for r in rows}
    assert got == {
        "g0": (",".join(str(v) for v in sorted((vpart_of_int(1), vpart_of_int(42)))),
               f"SELECT * FROM {O} WHERE buyer_id IN (1, 42)"),
        "g1": (",".join(str(v) for v in sorted((vpart_of_int(2), vpart_of_int(5)))),
               f"SELECT * FROM {O} WHERE buyer_id IN (2, 5)"),
    }, rows


# ---- writes ---------------------------------------------------------------------

WO, WL = f"{PREFIX}w_orders", f"{PREFIX}w_ledger"
WO_DDL = (f"CREATE TABLE {WO} (id BIGINT NOT NULL PRIMARY KEY, buyer_id BIGINT NOT NULL, "
          f"v VARCHAR(20) NOT NULL, n INT NOT NULL DEFAULT 0, UNIQUE KEY (n), KEY (buyer_id))")
WL_DDL = (f"CREATE TABLE {WL} (account_id VARCHAR(32) CHARACTER SET utf8mb4 COLLATE "
          f"utf8mb4_general_ci NOT NULL, entry_no INT NOT NULL, memo VARCHAR(32) NOT NULL, "
          f"PRIMARY KEY (account_id, entry_no))")
WO_ROWS = ", ".join(f"({i}, {b}, 'r{i}', {i})" for i, b in enumerate(
    [1, 2, 3, 4, 5, 6, 7, 8, 42, 1, 2, 42, 5, 6], start=1))
WL_ROWS = ("('Ab', 1, 'x'), ('aB ', 2, 'x'), ('Müller', 1, 'x'), ('muller', 2, 'x'), "
           "('Zoë', 1, 'x'), ('acc-1', 1, 'x'), ('ACC-2', 1, 'x'), ('acc-3', 1, 'x')")


@pytest.fixture
def wtables(proxy, sandbox):
    """Fresh rt_w_orders (sharded by buyer_id, a UNIQUE n) and rt_w_ledger
    (sharded by a general_ci VARCHAR), the same rows in both."""
    pairs = {"trade": Pair("trade"), "account": Pair("account")}
    specs = (("trade", WO, WO_DDL, "buyer_id", f"INSERT INTO {WO} (id, buyer_id, v, n) VALUES {WO_ROWS}"),
             ("account", WL, WL_DDL, "account_id",
              f"INSERT INTO {WL} (account_id, entry_no, memo) VALUES {WL_ROWS}"))
    for schema, table, ddl, key, rows in specs:
        pair = pairs[schema]
        for c, clause in ((pair.p, f" DBPARTITION BY HASH({key})"), (pair.r, "")):
            with c.cursor() as cur:
                cur.execute(f"DROP TABLE IF EXISTS {table}")
                cur.execute(ddl + clause)
                cur.execute(rows)
    try:
        yield pairs
    finally:
        for schema, table, *_ in specs:
            for c in (pairs[schema].p, pairs[schema].r):
                try:
                    with c.cursor() as cur:
                        cur.execute(f"DROP TABLE IF EXISTS {table}")
                except pymysql.MySQLError:
                    pass
        for pair in pairs.values():
            pair.close()


def assert_tables_equal(pair, table):
    got = outcome(pair.p, f"SELECT * FROM {table}")
    want = outcome(pair.r, f"SELECT * FROM {table}")
    assert got == want, f"{table} differs\nproxy: {got}\nref:   {want}"


WRITES = [
    # by key, in each literal form
    f"UPDATE {WO} SET v = 'k1' WHERE buyer_id = 1",
    f"UPDATE {WO} SET v = 'k2' WHERE buyer_id = '2'",
    f"UPDATE {WO} SET v = 'k42' WHERE buyer_id = 4.2e1",
    f"UPDATE {WO} SET v = CONCAT(v, '+') WHERE buyer_id = 5 AND id > 5",
    # across groups
    f"UPDATE {WO} SET v = 'in' WHERE buyer_id IN (3, 6, 8)",
    f"UPDATE {WO} SET v = 'or' WHERE buyer_id = 4 OR buyer_id = 2",
    f"UPDATE {WO} SET n = n + 100 WHERE v LIKE 'r%'",
    f"UPDATE {WO} SET v = 'none' WHERE buyer_id = 999",
    f"DELETE FROM {WO} WHERE buyer_id = 7",
    f"DELETE FROM {WO} WHERE buyer_id IN (1, 6)",
    f"DELETE FROM {WO} WHERE v = 'or' AND id < 5",
    # multi-row INSERT across groups, and its variants
    f"INSERT INTO {WO} (id, buyer_id, v, n) VALUES (20, 1, 'a', 20), (21, 2, 'b', 21), "
    f"(22, 42, 'c', 22), (23, 5, 'd', 23), (24, 3, 'e', 24)",
    f"INSERT INTO {WO} (buyer_id, id, v, n) VALUES (8, 25, 'swapped', 25)",
    f"INSERT INTO {WO} SET id = 26, buyer_id = 6, v = 'set', n = 26",
    f"INSERT INTO {WO} (id, buyer_id, v, n) VALUES (20, 1, 'a', 20), (27, 2, 'x', 27) "
    f"ON DUPLICATE KEY UPDATE v = 'dup'",
    f"INSERT IGNORE INTO {WO} (id, buyer_id, v, n) VALUES (21, 2, 'ign', 21), (28, 1, 'ign', 28)",
    f"REPLACE INTO {WO} (id, buyer_id, v, n) VALUES (22, 42, 'rep', 22), (29, 8, 'rep', 29)",
    f"DELETE FROM {WO} WHERE id >= 28",
]


def test_writes_then_compare_table(wtables):
    pair = wtables["trade"]
    for sql in WRITES:
        got = assert_same(pair, sql)
        assert got[0] == "rows", got
        assert_tables_equal(pair, WO)


def test_writes_string_key(wtables):
    pair = wtables["account"]
    for sql in (f"UPDATE {WL} SET memo = 'case' WHERE account_id = 'AB'",
                f"UPDATE {WL} SET memo = 'acc' WHERE account_id = 'MULLER'",
                f"UPDATE {WL} SET memo = 'in' WHERE account_id IN ('zoe', 'ACC-1', 'acc-2')",
                f"DELETE FROM {WL} WHERE account_id = 'ab  ' AND entry_no = 2",
                f"INSERT INTO {WL} (account_id, entry_no, memo) VALUES ('AB', 3, 'n'), "
                f"('ZOE', 2, 'n'), ('acc-3', 2, 'n')",
                f"INSERT INTO {WL} (account_id, entry_no, memo) VALUES ('ab ', 1, 'dup')",
                f"DELETE FROM {WL} WHERE account_id IN ('müller', 'acc-3')"):
        assert_same(pair, sql)
        assert_tables_equal(pair, WL)
    for k in ("'ab'", "'MULLER'", "'zoë'", "'acc-3'"):
        assert_same(pair, f"SELECT * FROM {WL} WHERE account_id = {k}")


def test_insert_hex_literal_into_int_key(wtables):
    """docs/SHARDING.md: 0x2A is the integer 42 for an integer key."""
    pair = wtables["trade"]
    assert_same(pair, f"INSERT INTO {WO} (id, buyer_id, v, n) VALUES (40, 0x2A, 'hex', 40)")
    assert_tables_equal(pair, WO)
    assert_same(pair, f"SELECT * FROM {WO} WHERE buyer_id = 42")


def test_insert_hex_literal_string_key_latin1(wtables):
    """A hex literal is read in the column's character set (docs/SHARDING.md),
    not the connection's: from a latin1 session 0x4DC3BC6C6C6572 is 'Müller'
    and must be stored on Müller's group, where 'muller' finds it."""
    pl = Pair("account", "latin1")
    try:
        assert_same(pl, f"INSERT INTO {WL} (account_id, entry_no, memo) "
                        f"VALUES (0x4DC3BC6C6C6572, 9, 'hex')")
    finally:
        pl.close()
    pair = wtables["account"]
    assert_tables_equal(pair, WL)
    got = assert_same(pair, f"SELECT account_id, entry_no FROM {WL} WHERE account_id = 'muller'")
    assert ("Müller", 9) in got[2], got


def test_null_and_missing_shard_key(wtables):
    pair = wtables["trade"]
    for sql, ref_errnos in (
            (f"INSERT INTO {WO} (id, buyer_id, v, n) VALUES (50, NULL, 'null', 50)", {1048}),
            (f"INSERT INTO {WO} (id, v, n) VALUES (51, 'missing', 51)", {1364}),
            (f"INSERT INTO {WO} (id, buyer_id, v, n) VALUES (52, DEFAULT, 'default', 52)", {1364}),
            (f"INSERT INTO {WO} (id, buyer_id, v, n) VALUES (53, 1, 'ok', 53), (54, NULL, 'null', 54)",
             {1048})):
        want = outcome(pair.r, sql)
        assert want[0] == "err" and want[1] in ref_errnos, (sql, want)
        got = outcome(pair.p, sql)
        assert got[0] == "err" and got[1] == 1364, (sql, got)
        assert "shard key buyer_id" in got[2], got
        assert_tables_equal(pair, WO)
    # Reading by NULL finds nothing, in both.
    for sql in (f"SELECT * FROM {WO} WHERE buyer_id IS NULL",
                f"SELECT * FROM {WO} WHERE buyer_id = NULL"):
        assert assert_same(pair, sql)[2] == []


def test_update_of_shard_key_refused(wtables):
    pair = wtables["trade"]
    for sql in (f"UPDATE {WO} SET buyer_id = 2 WHERE id = 1",
                f"UPDATE {WO} SET buyer_id = 2 WHERE buyer_id = 1",
                f"UPDATE {WO} SET v = 'x', buyer_id = buyer_id + 1 WHERE buyer_id = 42"):
        got = outcome(pair.p, sql)
        assert got[0] == "err" and got[1] == 1235, (sql, got)
        assert "buyer_id" in got[2] and "shard key" in got[2], got
    # ... and nothing changed.
    got = outcome(pair.p, f"SELECT id, buyer_id FROM {WO}")
    want = outcome(pair.r, f"SELECT id, buyer_id FROM {WO}")
    assert got == want


def test_write_with_limit_over_groups_refused(wtables):
    pair = wtables["trade"]
    for sql in (f"UPDATE {WO} SET v = 'lim' WHERE id > 0 LIMIT 1",
                f"DELETE FROM {WO} ORDER BY id LIMIT 1"):
        got = outcome(pair.p, sql)
        assert got[0] == "err" and got[1] == 1235, (sql, got)
    assert_same(pair, f"UPDATE {WO} SET v = 'lim1' WHERE buyer_id = 1 ORDER BY id LIMIT 1")
    assert_tables_equal(pair, WO)


@pytest.mark.parametrize("sql", [
    # One group fails (duplicate PRIMARY KEY, or UNIQUE n between two rows of
    # that group: a unique key without the shard key is unique per group only),
    # the other would succeed. Split INSERTs and IN lists cut per group:
    f"INSERT INTO {WO} (id, buyer_id, v, n) VALUES (1, 1, 'dup', 60), (61, 2, 'new', 61)",
    f"INSERT INTO {WO} (id, buyer_id, v, n) VALUES (62, 2, 'new', 62), (1, 1, 'dup', 63)",
    f"UPDATE {WO} SET n = 70 WHERE buyer_id IN (3, 2)",   # g0: id 3 ok; g1: ids 2, 11 clash
    f"UPDATE {WO} SET n = 71 WHERE buyer_id IN (1, 8)",   # g0: ids 1, 10 clash; g1: id 8 ok
    # the same statement on every group:
    f"UPDATE {WO} SET n = 72 WHERE id IN (3, 2, 11)",     # g0: id 3 ok; g1: ids 2, 11 clash
])
def test_multi_group_write_is_all_or_nothing(wtables, sql):
    """ref: the statement fails and changes nothing. The proxy runs one
    transaction per group and commits only when every group succeeded
    (EXPLAIN SHARDING: "one transaction per group"): the table must be
    unchanged too."""
    pair = wtables["trade"]
    want = outcome(pair.r, sql)
    assert want[0] == "err" and want[1] == 1062, want
    got = outcome(pair.p, sql)
    assert got[0] == "err" and got[1] == 1062, got
    assert_tables_equal(pair, WO)


# ---- transactions: one group at a time ---------------------------------------------

def _txn_conn():
    return connect(database="trade")


def _ids(c):
    with c.cursor() as cur:
        cur.execute(f"SELECT id FROM {WO} WHERE id >= 80")
        return sorted(r[0] for r in cur.fetchall())


def test_transaction_second_group_refused(wtables):
    c = _txn_conn()
    try:
        with c.cursor() as cur:
            cur.execute("BEGIN")
            cur.execute(f"UPDATE {WO} SET v = 'txn' WHERE buyer_id = 1")  # g0
            with pytest.raises(pymysql.MySQLError) as e:
                cur.execute(f"UPDATE {WO} SET v = 'txn' WHERE buyer_id = 2")  # g1
            assert e.value.args[0] == 1235, e.value.args
            msg = e.value.args[1]
            assert "g0" in msg and "g1" in msg, msg
            # the transaction stays open on g0 and still works there
            cur.execute(f"UPDATE {WO} SET v = 'txn2' WHERE buyer_id = 42")
            cur.execute("ROLLBACK")
        assert_tables_equal(wtables["trade"], WO)
    finally:
        c.close()


def test_transaction_refusal_names_groups_in_their_roles(wtables):
    c = _txn_conn()
    try:
        with c.cursor() as cur:
            cur.execute("BEGIN")
            cur.execute(f"UPDATE {WO} SET v = 'txn' WHERE buyer_id = 1")  # g0
            with pytest.raises(pymysql.MySQLError) as e:
                cur.execute(f"UPDATE {WO} SET v = 'txn' WHERE buyer_id = 2")  # g1
            cur.execute("ROLLBACK")
        msg = e.value.args[1]
        assert "reaches group g1 while the transaction writes to group g0" in msg, msg
    finally:
        c.close()


@pytest.mark.parametrize("settings", ["", "SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci",
                                      "SET time_zone = '+03:00'"])
@pytest.mark.parametrize("first", ["none", "write g0", "read g1", "both groups before"])
@pytest.mark.parametrize("begin", ["BEGIN", "SET autocommit = 0"])
def test_transaction_rollback_undoes_every_write(wtables, begin, first, settings):
    """Whatever group the session touched first, ROLLBACK undoes the
    transaction's writes (here: a row on g1 in a fresh session, whose first
    connection is g0's); a second write group is refused. "both groups
    before": the session reached both groups before the transaction began."""
    c = _txn_conn()
    try:
        with c.cursor() as cur:
            if settings:  # replayed on each new connection, before it joins the transaction
                cur.execute(settings)
            if first == "both groups before":
                cur.execute(f"SELECT 1 FROM {WO} WHERE 1 = 0")  # every group
            cur.execute(begin)
            if first == "read g1":
                cur.execute(f"SELECT * FROM {WO} WHERE buyer_id = 2")
            elif first == "write g0":
                cur.execute(f"INSERT INTO {WO} (id, buyer_id, v, n) VALUES (80, 1, 't', 80)")
            try:
                cur.execute(f"INSERT INTO {WO} (id, buyer_id, v, n) VALUES (81, 2, 't', 81)")  # g1
                second = "ran"
            except pymysql.MySQLError as e:
                second = e.args[0]
            cur.execute("ROLLBACK")
            if begin.startswith("SET"):
                cur.execute("SET autocommit = 1")
        if first == "write g0":
            assert second == 1235, "a write to g1 after one to g0 in a transaction must be refused"
        else:
            assert second == "ran"
        check = _txn_conn()
        try:
            assert _ids(check) == [], "ROLLBACK left rows committed"
        finally:
            check.close()
    finally:
        c.close()


def test_transaction_read_other_group_then_write_it(wtables):
    """BEGIN; write g0; read g1; write g1: the read must not open a door."""
    c = _txn_conn()
    try:
        with c.cursor() as cur:
            cur.execute("BEGIN")
            cur.execute(f"INSERT INTO {WO} (id, buyer_id, v, n) VALUES (82, 1, 't', 82)")  # g0
            cur.execute(f"SELECT * FROM {WO} WHERE buyer_id = 2")  # g1
            with pytest.raises(pymysql.MySQLError) as e:
                cur.execute(f"INSERT INTO {WO} (id, buyer_id, v, n) VALUES (83, 2, 't', 83)")  # g1
            assert e.value.args[0] == 1235
            cur.execute("ROLLBACK")
        check = _txn_conn()
        try:
            assert _ids(check) == []
        finally:
            check.close()
    finally:
        c.close()


def test_transaction_commit_on_one_group(wtables):
    c = _txn_conn()
    try:
        with c.cursor() as cur:
            cur.execute("BEGIN")
            cur.execute(f"INSERT INTO {WO} (id, buyer_id, v, n) VALUES (84, 2, 't', 84), (85, 5, 't', 85)")
            cur.execute(f"UPDATE {WO} SET v = 'c' WHERE buyer_id IN (2, 5)")
            cur.execute("COMMIT")
        r = wtables["trade"].r
        with r.cursor() as cur:
            cur.execute(f"INSERT INTO {WO} (id, buyer_id, v, n) VALUES (84, 2, 't', 84), (85, 5, 't', 85)")
            cur.execute(f"UPDATE {WO} SET v = 'c' WHERE buyer_id IN (2, 5)")
        assert_tables_equal(wtables["trade"], WO)
    finally:
        c.close()


# ---- the session after a slow statement on several groups --------------------------

@pytest.mark.parametrize("sql", [
    f"SELECT SLEEP(0.7) FROM {WO} WHERE id IN (1, 2)",            # concatenated read, g0 + g1
    f"UPDATE {WO} SET v = CONCAT(v, '') WHERE SLEEP(0.7) = 0 AND id IN (1, 2)",   # write, g0 + g1
    f"SELECT SLEEP(0.7) FROM {WO} WHERE buyer_id = 1",            # one group (control)
])
def test_next_statement_after_slow_statement(wtables, sql):
    """A statement that runs longer than the proxy's client-gone watch
    (500 ms) must not cost the session its connection: the next statements
    run normally (as the mariadb CLI does when loading the demo)."""
    c = _txn_conn()
    try:
        with c.cursor() as cur:
            for i in range(4):
                cur.execute(sql)
                cur.fetchall()
                try:
                    cur.execute("SELECT 1")
                    assert cur.fetchall() == ((1,),)
                except pymysql.MySQLError as e:
                    pytest.fail(f"round {i}: the statement after {sql!r} failed: {e.args}")
    finally:
        c.close()
