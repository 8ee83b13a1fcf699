"""Where the proxy puts the rows of sharded tables.

The demo (scripts/demo-data.sh, tables prefixed `rt_sp_`) is loaded through
the proxy; then each group's master is read directly and every row is checked
against a vpart computed here, independently of the proxy:

    vpart = XXH3_64(canonical bytes of the shard key) % 1024   (docs/SHARDING.md)

with canonical bytes written from the doc: decimal ASCII for integer keys, and
for the utf8mb4_general_ci key MariaDB's WEIGHT_STRING (asked of the reference
server `ref`, which holds no sharded table) without its trailing space weights
(00 20). Groups (conf/sandbox.yaml): vparts 0-511 on g0, 512-1023 on g1.

Checks: every row is on the group that owns its vpart, no row is on both, the
per-group counts add up to the rows seen through the proxy (and to the rows
the demo generator wrote), and a broadcast table is whole on every group.
The tables are dropped through the proxy at the end.
"""

import importlib.util
import os
import subprocess

import pymysql
import pytest
import xxhash

from conftest import HOST, PASSWORD, PORT, ROOT, USER, connect, rows_of

pytestmark = [pytest.mark.proxy_only, pytest.mark.sandbox]

PREFIX = "rt_sp_"
VPARTS = 1024
GROUPS = {"g0": ("127.0.0.1", 23306, range(0, 512)), "g1": ("127.0.0.1", 23316, range(512, 1024))}
REF = ("127.0.0.1", 23399)


def _load_generator():
    spec = importlib.util.spec_from_file_location("demo_generate",
                                                  ROOT / "scripts/demo/generate.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


GEN = _load_generator()


def _mysql(host, port, db=None, charset="utf8mb4"):
    return pymysql.connect(host=host, port=port, user=USER, password=PASSWORD, database=db,
                           charset=charset, autocommit=True, connect_timeout=10, read_timeout=60)


def _drop_everywhere(prefix):
    """DROP through the proxy (removes the rules), then any copy left on a
    group the proxy had no rule for (a crashed earlier run with another data_dir)."""
    c = connect(database=None)
    try:
        with c.cursor() as cur:
            for schema, table in reversed(GEN.TABLES):
                cur.execute(f"DROP TABLE IF EXISTS `{schema}`.`{prefix}{table}`")
    finally:
        c.close()
    for host, port, _ in GROUPS.values():
        g = _mysql(host, port)
        try:
            with g.cursor() as cur:
                for schema, table in reversed(GEN.TABLES):
                    cur.execute(f"DROP TABLE IF EXISTS `{schema}`.`{prefix}{table}`")
        finally:
            g.close()


def run_demo(prefix, target, port, out):
    env = dict(os.environ, TARGET=target, HOST=HOST, PORT=str(port), PREFIX=prefix, OUT=str(out))
    r = subprocess.run([str(ROOT / "scripts/demo-data.sh")], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, f"demo-data.sh ({target}) failed:\n{r.stdout}\n{r.stderr}"
    return r.stdout


@pytest.fixture(scope="module")
def demo(proxy, tmp_path_factory):
    _drop_everywhere(PREFIX)
    out = run_demo(PREFIX, "proxy", PORT, tmp_path_factory.mktemp("demo") / "demo.sql")
    try:
        yield out
    finally:
        c = connect(database=None)
        try:
            with c.cursor() as cur:
                for schema, table in reversed(GEN.TABLES):
                    cur.execute(f"DROP TABLE IF EXISTS `{schema}`.`{PREFIX}{table}`")
        finally:
            c.close()


@pytest.fixture(scope="module")
def ref():
    c = _mysql(*REF)
    yield c
    c.close()


# ---- canonical bytes, from docs/SHARDING.md ---------------------------------

def int_bytes(v):
    """TINYINT .. BIGINT, signed or unsigned: decimal ASCII, '-' when negative."""
    return str(int(v)).encode()


def general_ci_weights_ascii(s):
    """utf8mb4_general_ci weights of an ASCII string, by hand: 2 bytes per
    character, letters weigh as their upper case."""
    assert s.isascii()
    return b"".join(ord(ch.upper()).to_bytes(2, "big") for ch in s)


def strip_space_weights(w, width=2):
    space = (0x20).to_bytes(width, "big")
    while w.endswith(space) and len(w) % width == 0:
        w = w[:-width]
    return w


def ref_weight(ref, s):
    (hexw,), = rows_of(ref, "SELECT HEX(WEIGHT_STRING(CONVERT(%s USING utf8mb4) "
                            "COLLATE utf8mb4_general_ci))", (s,))
    return bytes.fromhex(hexw)


def vpart(canonical):
    return xxhash.xxh3_64_intdigest(canonical) % VPARTS


def group_of(vp):
    return next(name for name, (_, _, r) in GROUPS.items() if vp in r)


def test_doc_anchors(ref):
    # docs/SHARDING.md: 42 -> 401; 'Abc', 'aBC  ', 'ábc' in general_ci -> 00 41 00 42 00 43 -> 363.
    assert vpart(int_bytes(42)) == 401
    assert general_ci_weights_ascii("Abc") == bytes.fromhex("004100420043")
    for s in ("Abc", "aBC  ", "ábc"):
        assert strip_space_weights(ref_weight(ref, s)) == bytes.fromhex("004100420043"), s
    assert vpart(bytes.fromhex("004100420043")) == 363
    assert vpart(b"") == 194  # NULL / '' (tests/router_corpus/README.md)


# ---- the spread ---------------------------------------------------------------

SHARDED = {  # table: (schema, key column, primary-key columns, key -> canonical bytes kind)
    "orders": ("trade", "buyer_id", ("order_id",), "int"),
    "order_items": ("trade", "buyer_id", ("item_id",), "int"),
    "accounts": ("account", "user_id", ("user_id",), "int"),
    "ledger": ("account", "account_id", ("account_id", "entry_no"), "general_ci"),
}


def _group_rows(schema, table, key, pk):
    cols = ", ".join([key] + [c for c in pk if c != key])
    out = {}
    for name, (host, port, _) in GROUPS.items():
        g = _mysql(host, port, schema)
        try:
            out[name] = rows_of(g, f"SELECT {cols} FROM `{PREFIX}{table}`")
        finally:
            g.close()
    return out


def _pk_of(row, key, pk):
    names = [key] + [c for c in pk if c != key]
    vals = dict(zip(names, row))
    return tuple(vals[c] for c in pk)


@pytest.mark.parametrize("table", sorted(SHARDED))
def test_rows_live_on_the_group_of_their_vpart(demo, ref, table):
    schema, key, pk, kind = SHARDED[table]
    per_group = _group_rows(schema, table, key, pk)
    weights = {}
    misplaced = []
    for name, rows in per_group.items():
        for row in rows:
            k = row[0]
            if kind == "int":
                canonical = int_bytes(k)
            else:
                if k not in weights:
                    w = ref_weight(ref, k)
                    if k.isascii():  # the hand-written weights agree with MariaDB's
                        assert w == general_ci_weights_ascii(k), (k, w.hex())
                    weights[k] = strip_space_weights(w)
                canonical = weights[k]
            vp = vpart(canonical)
            if vp not in GROUPS[name][2]:
                misplaced.append((k, vp, f"on {name}, owner {group_of(vp)}"))
    assert not misplaced, f"{schema}.{PREFIX}{table}: rows on the wrong group: {misplaced[:20]}"

    # No row on both groups (by primary key; general_ci keys compared as MariaDB does).
    def norm(pkv):
        return tuple(weights.get(v, v) if isinstance(v, str) else v for v in pkv)
    g0 = {norm(_pk_of(r, key, pk)) for r in per_group["g0"]}
    g1 = {norm(_pk_of(r, key, pk)) for r in per_group["g1"]}
    assert not g0 & g1, f"rows on both groups: {sorted(g0 & g1)[:20]}"
    assert len(g0) == len(per_group["g0"]) and len(g1) == len(per_group["g1"])

    # The per-group counts add up to what the proxy shows and to what was loaded.
    c = connect(database=schema)
    try:
        through = rows_of(c, f"SELECT {', '.join(pk)} FROM `{PREFIX}{table}`")
    finally:
        c.close()
    expected = len(GEN.demo_rows()[table][1])
    assert len(per_group["g0"]) + len(per_group["g1"]) == len(through) == expected, (
        len(per_group["g0"]), len(per_group["g1"]), len(through), expected)
    assert {norm(r) for r in through} == g0 | g1
    # Both groups got rows: a sharding that sends everything to one group is no spread.
    assert per_group["g0"] and per_group["g1"]


def test_edge_keys_on_their_groups(demo, ref):
    """The demo's edge keys, one by one: where they are, what the doc says."""
    expect = {}
    for b in GEN.EDGE_BUYERS:
        expect[("trade", "orders", "buyer_id", b)] = group_of(vpart(int_bytes(b)))
    for u in GEN.EDGE_USERS:
        expect[("account", "accounts", "user_id", u)] = group_of(vpart(int_bytes(u)))
    for acc, _ in GEN.EDGE_LEDGER:
        expect[("account", "ledger", "account_id", acc)] = group_of(
            vpart(strip_space_weights(ref_weight(ref, acc))))
    wrong = []
    for (schema, table, col, k), owner in expect.items():
        for name, (host, port, _) in GROUPS.items():
            g = _mysql(host, port, schema)
            try:
                n = rows_of(g, f"SELECT COUNT(*) FROM `{PREFIX}{table}` WHERE {col} = %s", (k,))[0][0]
            finally:
                g.close()
            if (n > 0) != (name == owner):
                wrong.append((table, k, name, n, owner))
    assert not wrong, f"(table, key, group, rows there, owner): {wrong}"


def test_equal_general_ci_keys_share_a_group(demo, ref):
    """'Ab' and 'aB ' (and 'Müller', 'MULLER', 'muller') are equal under
    utf8mb4_general_ci, so they must be in one vpart: the rows of one key
    are never split."""
    for group_keys in (("Ab", "aB "), ("Müller", "MULLER", "muller")):
        parts = {vpart(strip_space_weights(ref_weight(ref, k))) for k in group_keys}
        assert len(parts) == 1, (group_keys, parts)
        homes = set()
        for name, (host, port, _) in GROUPS.items():
            g = _mysql(host, port, "account")
            try:
                n = rows_of(g, f"SELECT COUNT(*) FROM `{PREFIX}ledger` WHERE account_id = %s",
                            (group_keys[0],))[0][0]
            finally:
                g.close()
            if n:
                homes.add(name)
                assert n == len(group_keys), (name, group_keys, n)
        assert homes == {group_of(parts.pop())}, (group_keys, homes)


def test_broadcast_table_whole_on_every_group(demo):
    columns, rows = GEN.demo_rows()["merchants"]
    per_group = {}
    for name, (host, port, _) in GROUPS.items():
        g = _mysql(host, port, "trade")
        try:
            per_group[name] = rows_of(g, f"SELECT * FROM `{PREFIX}merchants` ORDER BY merchant_id")
        finally:
            g.close()
    assert len(per_group["g0"]) == len(rows)
    assert per_group["g0"] == per_group["g1"]
    c = connect(database="trade")
    try:
        assert rows_of(c, f"SELECT * FROM `{PREFIX}merchants` ORDER BY merchant_id") == per_group["g0"]
    finally:
        c.close()


def test_rules_recorded(demo):
    """SHOW CREATE TABLE through the proxy is the group's (the clause is cut
    before MariaDB sees it); the rule shows in EXPLAIN SHARDING: a point read
    on a sharded table names one group and a vpart, one on the broadcast
    table one group."""
    c = connect(database="trade")
    try:
        rows = rows_of(c, f"EXPLAIN SHARDING SELECT * FROM `{PREFIX}orders` WHERE buyer_id = 42")
        assert [(r[0], r[1]) for r in rows] == [("g0", "401")], rows
        rows = rows_of(c, f"EXPLAIN SHARDING SELECT * FROM `{PREFIX}merchants` WHERE merchant_id = 1")
        assert len(rows) == 1, rows
        rows = rows_of(c, f"EXPLAIN SHARDING SELECT * FROM `{PREFIX}orders` WHERE status = 'x'")
        assert sorted(r[0] for r in rows) == ["g0", "g1"], rows
    finally:
        c.close()


CS_TABLE = f"{PREFIX}charsets"


@pytest.fixture
def cs_table(proxy):
    c = connect(database="account")
    try:
        with c.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS `{CS_TABLE}`")
            cur.execute(f"CREATE TABLE `{CS_TABLE}` (k VARCHAR(32) CHARACTER SET utf8mb4 "
                        f"COLLATE utf8mb4_general_ci NOT NULL, how VARCHAR(64) NOT NULL, "
                        f"PRIMARY KEY (k, how)) DBPARTITION BY HASH(k)")
        yield CS_TABLE
    finally:
        with c.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS `{CS_TABLE}`")
        c.close()


# (connection charset as PyMySQL names it: "utf8" is utf8mb3, how the key is
# written) -> the value MariaDB stores.
# docs/SHARDING.md: a string is read in the character set it was written in
# (introducer, N'', else the connection's); a hex literal in the column's.
CS_WRITES = [
    ("utf8mb4", "'Müller'", "Müller"),
    ("latin1", "'Müller'", "Müller"),
    ("utf8", "'Müller'", "Müller"),
    ("utf8mb4", "N'Zoë'", "Zoë"),
    ("latin1", "_utf8mb4 0x5A6FC3AB", "Zoë"),
    ("utf8mb4", "0x4DC3BC6C6C6572", "Müller"),
    ("utf8mb4", "X'5A6FC3AB'", "Zoë"),
    ("latin1", "0x4DC3BC6C6C6572", "Müller"),
    ("latin1", "X'5A6FC3AB'", "Zoë"),
    ("utf8", "0x5A6FC3AB", "Zoë"),
]


def test_rows_written_in_any_charset_land_on_their_vpart(cs_table, ref):
    """Each INSERT's row is stored where its stored value's canonical bytes
    say, whatever the connection's character set and the literal's form."""
    wrong = []
    for i, (cs, literal, _) in enumerate(CS_WRITES):
        c = connect(database="account", charset=cs)
        try:
            with c.cursor() as cur:
                cur.execute(f"INSERT INTO `{cs_table}` (k, how) VALUES ({literal}, %s)",
                            (f"{i}: {cs} {literal}",))
        except pymysql.MySQLError as e:
            wrong.append(f"{cs} {literal}: refused {e.args} (MariaDB stores it)")
        finally:
            c.close()
    seen = 0
    for name, (host, port, parts) in GROUPS.items():
        g = _mysql(host, port, "account")
        try:
            for k, how in rows_of(g, f"SELECT k, how FROM `{cs_table}`"):
                seen += 1
                i = int(how.split(":")[0])
                assert k == CS_WRITES[i][2], (how, k)
                vp = vpart(strip_space_weights(ref_weight(ref, k)))
                if vp not in parts:
                    wrong.append(f"{how!r}: stored {k!r} on {name}, vpart {vp} is {group_of(vp)}'s")
        finally:
            g.close()
    assert not wrong, "rows refused or on the wrong group:\n" + "\n".join(wrong)
    assert seen == len(CS_WRITES)
