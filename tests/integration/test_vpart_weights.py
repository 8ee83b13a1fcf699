"""The shard-key canonical bytes (router/vpart, docs/SHARDING.md) against the
real server: MariaDB is the specification.

Direct to the g0 master (SP_DIRECT_HOST/SP_DIRECT_PORT, default
127.0.0.1:23306, user app/app), schema `test_vpart`; no proxy. The C++ side is
`shardproxy-vpart --batch` (built with the rest; SHARDPROXY_VPART_BIN overrides).

  * WEIGHT_STRING: for every BMP code point and every supported collation, and
    for a corpus of strings (mixed case, accents, German sharp s, Turkish i,
    emoji, trailing spaces, NBSP, ignorables, empty), our weights equal
    HEX(WEIGHT_STRING(...)).
  * Equality: for every supported collation, two strings have equal canonical
    bytes iff MariaDB says `a = b` (a self-join over a column of that
    collation), and a literal compared with the column matches exactly the
    rows whose canonical bytes equal the literal's, from a utf8mb4 and from a
    latin1 connection alike.
  * Numbers, dates, binary strings: for each key type, every literal form the
    proxy pins to one vpart matches (`WHERE key = literal`) exactly the rows
    with the same canonical bytes; every `never_equal` matches no row; every
    stored value's canonical bytes (kStore of the INSERT literal) equal those of
    the value read back.

  /usr/bin/python3 -m pytest tests/integration/test_vpart_weights.py -v
"""

import os
import random
import subprocess
from pathlib import Path

import pymysql
import pytest

from conftest import BUILD_DIR, DIRECT_HOST, DIRECT_PORT, PASSWORD, USER

BIN = Path(os.environ.get("SHARDPROXY_VPART_BIN",
                          str(BUILD_DIR / "router/vpart/shardproxy-vpart")))
SCHEMA = "test_vpart"

UNICODE_COLLATIONS = ["utf8mb4_bin", "utf8mb4_general_ci", "utf8mb4_unicode_ci",
                      "utf8mb3_bin", "utf8mb3_general_ci", "utf8mb3_unicode_ci"]
LATIN1_COLLATIONS = ["latin1_swedish_ci", "latin1_bin"]
ALL_COLLATIONS = UNICODE_COLLATIONS + LATIN1_COLLATIONS


def charset_of(collation):
    return collation.split("_")[0]


def representable(s, collation):
    cs = charset_of(collation)
    if cs == "utf8mb3":
        return all(ord(ch) <= 0xFFFF for ch in s)
    if cs == "latin1":
        try:
            s.encode("cp1252")
            return True
        except UnicodeEncodeError:
            # MariaDB's latin1 also passes 0x81 0x8D 0x8F 0x90 0x9D through.
            return all(ord(ch) in (0x81, 0x8D, 0x8F, 0x90, 0x9D) or _cp1252_ok(ch) for ch in s)
    return True


def _cp1252_ok(ch):
    try:
        ch.encode("cp1252")
        return True
    except UnicodeEncodeError:
        return False


def latin1_bytes(s):
    """MariaDB's latin1 encoding of s (cp1252 + the five pass-through bytes)."""
    out = bytearray()
    for ch in s:
        if ord(ch) in (0x81, 0x8D, 0x8F, 0x90, 0x9D):
            out.append(ord(ch))
        else:
            out += ch.encode("cp1252")
    return bytes(out)


CORPUS = [
    "", " ", "  ", "a", "A", "a ", "a  ", " a", "A ", "ab", "AB", "aB", "abc", "ABC", "abc ",
    "e", "é", "É", "è", "ê", "ë", "E", "e\u0301", "ae", "æ", "Æ", "o", "ö", "Ö", "oe", "ø",
    "u", "ü", "Ü", "ue", "y", "ý", "ÿ", "s", "S", "ss", "SS", "ß", "ẞ", "sß", "strasse",
    "straße", "STRASSE", "Straße", "i", "I", "ı", "İ", "ǐ", "n", "ñ", "Ñ", "c", "ç", "Ç",
    "a\t", "a\n", "a\u00a0", "\u00a0", "a\u3000", "a\u2002", "a\x00", "\x00", "a\x00b",
    "ab\u200b", "\u200b", "\u00ad", "a\u00adb",
    "😀", "😁", "a😀", "a😁", "𝒜", "\U00020000", "\ufffd", "\uffff", "\ufeff",
    "中", "文", "中文", "\u3400", "\uf900", "한", "ᄒ", "ㅎ", "ア", "あ", "ｱ", "Ａ", "ａ",
    "σ", "ς", "Σ", "ß ", "€", "\u0081", "ﬁ", "fi", "Ǆ", "ǆ", "ǅ", "dž", "µ", "μ", "Μ",
    "x y", "x  y", "42", "042", "4.2e1", "-0", "0", "0.0", "Ω", "Ω", "K", "K", "Å", "Å",
]


class Vpart:
    """shardproxy-vpart --batch: many questions, one process."""

    def __init__(self):
        if not BIN.exists():
            pytest.fail(f"{BIN} not built (cmake --build <dir> --target shardproxy-vpart)")

    def ask(self, lines):
        data = "".join("\t".join(fields) + "\n" for fields in lines)
        r = subprocess.run([str(BIN), "--batch"], input=data.encode(), capture_output=True,
                           timeout=600)
        assert r.returncode == 0, r.stderr.decode(errors="replace")
        out = r.stdout.decode().split("\n")[:-1]
        assert len(out) == len(lines), r.stderr.decode(errors="replace")
        return [o.split("\t") for o in out]

    def weights(self, collation, strings):
        res = self.ask([("weight", "-", collation, "-", s.encode("utf-8").hex(), "-", "0")
                        for s in strings])
        out = []
        for s, r in zip(strings, res):
            assert r[0] == "weight", f"{collation} {s!r}: {r}"
            out.append(r[1])
        return out

    def keys(self, purpose, column_type, collation, values):
        """values: (kind, text_bytes_or_str, charset, negative). Returns the output rows."""
        lines = []
        for kind, text, charset, negative in values:
            if isinstance(text, str):
                text = text.encode("utf-8")
            lines.append((purpose, column_type, collation or "-", kind, text.hex(),
                          charset or "-", "1" if negative else "0"))
        return self.ask(lines)


@pytest.fixture(scope="module")
def vp():
    return Vpart()


@pytest.fixture(scope="module")
def db(sandbox):
    conn = pymysql.connect(host=DIRECT_HOST, port=DIRECT_PORT, user=USER, password=PASSWORD,
                           charset="utf8mb4", autocommit=True)
    with conn.cursor() as c:
        c.execute(f"CREATE DATABASE IF NOT EXISTS {SCHEMA}")
        c.execute(f"USE {SCHEMA}")
        c.execute("SET sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,"
                  "NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION'")
    yield conn
    conn.close()


def server_weight_hex(cur, collation, strings):
    cs = charset_of(collation)
    out = []
    for s in strings:
        cur.execute(f"SELECT HEX(WEIGHT_STRING(CONVERT(%s USING {cs}) COLLATE {collation}))", (s,))
        out.append(cur.fetchone()[0] or "")
    return out


def random_strings(seed, n):
    rnd = random.Random(seed)
    pools = [list(range(0x20, 0x7F)), list(range(0xA0, 0x250)), list(range(0x370, 0x530)),
             list(range(0x3040, 0x3100)), list(range(0x4E00, 0x4E40)), list(range(0xAC00, 0xAC40)),
             [0x20, 0x20, 0x20, 0xA0, 0x3000, 0x200B, 0x0, 0x9], list(range(0x1F600, 0x1F610))]
    out = []
    for _ in range(n):
        k = rnd.randint(0, 6)
        out.append("".join(chr(rnd.choice(rnd.choice(pools))) for _ in range(k)))
    return out


# ---------------------------------------------------------------------------
# WEIGHT_STRING

@pytest.mark.parametrize("collation", UNICODE_COLLATIONS)
def test_every_bmp_code_point_weighs_as_on_the_server(db, vp, collation):
    cs = charset_of(collation)
    with db.cursor() as c:
        c.execute(f"SELECT seq, HEX(WEIGHT_STRING(CONVERT(CHAR(seq USING utf32) USING {cs}) "
                  f"COLLATE {collation})) FROM seq_0_to_65535 WHERE seq NOT BETWEEN 55296 AND 57343")
        server = {cp: (w or "") for cp, w in c.fetchall()}
    cps = sorted(server)
    ours = vp.weights(collation, [chr(cp) for cp in cps])
    bad = [(hex(cp), server[cp], w) for cp, w in zip(cps, ours) if server[cp] != w]
    assert not bad, f"{len(bad)} code points differ, first: {bad[:10]}"


def test_every_latin1_byte_weighs_as_on_the_server(db, vp):
    with db.cursor() as c:
        c.execute("SELECT seq, HEX(CONVERT(CHAR(seq USING latin1) USING utf8mb4)), "
                  "HEX(WEIGHT_STRING(CHAR(seq USING latin1) COLLATE latin1_swedish_ci)), "
                  "HEX(WEIGHT_STRING(CHAR(seq USING latin1) COLLATE latin1_bin)) FROM seq_0_to_255")
        rows = c.fetchall()
    chars = [bytes.fromhex(r[1]).decode("utf-8") for r in rows]
    assert vp.weights("latin1_swedish_ci", chars) == [r[2] for r in rows]
    assert vp.weights("latin1_bin", chars) == [r[3] for r in rows]


@pytest.mark.parametrize("collation", ALL_COLLATIONS)
def test_weight_string_of_strings(db, vp, collation):
    strings = [s for s in CORPUS + random_strings(1, 300) if representable(s, collation)]
    with db.cursor() as c:
        server = server_weight_hex(c, collation, strings)
    ours = vp.weights(collation, strings)
    bad = [(s, a, b) for s, a, b in zip(strings, server, ours) if a != b]
    assert not bad, f"{len(bad)} strings differ, first: {bad[:5]}"


# ---------------------------------------------------------------------------
# Equality of strings: canonical bytes equal iff MariaDB says a = b

def canonical_strings(vp, collation, strings, purpose="compare", charset=None, encode=None):
    values = [("string", encode(s) if encode else s, charset, False) for s in strings]
    res = vp.keys(purpose, "varchar(100)", collation, values)
    out = []
    for s, r in zip(strings, res):
        assert r[0] == "one_vpart", f"{collation} {s!r}: {r}"
        out.append(r[1])
    return out


@pytest.mark.parametrize("collation", ALL_COLLATIONS)
def test_equal_canonical_bytes_iff_mariadb_equal(db, vp, collation):
    strings = []
    for s in CORPUS + random_strings(2, 200):
        if representable(s, collation) and s not in strings:
            strings.append(s)
    table = "eq_" + collation
    with db.cursor() as c:
        c.execute(f"DROP TABLE IF EXISTS {table}")
        c.execute(f"CREATE TABLE {table} (id INT PRIMARY KEY, s VARCHAR(100) "
                  f"CHARACTER SET {charset_of(collation)} COLLATE {collation} NOT NULL)")
        c.executemany(f"INSERT INTO {table} VALUES (%s, %s)", list(enumerate(strings)))
        c.execute(f"SELECT a.id, b.id FROM {table} a JOIN {table} b ON a.s = b.s")
        server_pairs = set(c.fetchall())
        # The stored value read back is what we were given (no conversion loss).
        c.execute(f"SELECT id, HEX(CONVERT(s USING utf8mb4)) FROM {table}")
        for i, h in c.fetchall():
            assert bytes.fromhex(h).decode() == strings[i]
    stored = canonical_strings(vp, collation, strings, purpose="store")
    compared = canonical_strings(vp, collation, strings)
    assert stored == compared
    ours = {(i, j) for i, a in enumerate(stored) for j, b in enumerate(stored) if a == b}
    missing = sorted(server_pairs - ours)
    extra = sorted(ours - server_pairs)
    assert not missing, "MariaDB equal, canonical bytes differ: " + str(
        [(strings[i], strings[j]) for i, j in missing[:10]])
    assert not extra, "canonical bytes equal, MariaDB not equal: " + str(
        [(strings[i], strings[j]) for i, j in extra[:10]])


@pytest.mark.parametrize("collation", ["utf8mb4_general_ci", "utf8mb4_unicode_ci",
                                       "utf8mb4_bin", "latin1_swedish_ci"])
@pytest.mark.parametrize("conn_charset", ["utf8mb4", "latin1"])
def test_literal_matches_rows_with_its_canonical_bytes(db, vp, collation, conn_charset):
    """WHERE s = 'literal' finds exactly the rows with the literal's canonical
    bytes, whatever the connection's character set."""
    strings = []
    for s in CORPUS:
        if representable(s, collation) and s not in strings:
            strings.append(s)
    table = "lit_" + collation
    with db.cursor() as c:
        c.execute(f"DROP TABLE IF EXISTS {table}")
        c.execute(f"CREATE TABLE {table} (id INT PRIMARY KEY, s VARCHAR(100) "
                  f"CHARACTER SET {charset_of(collation)} COLLATE {collation} NOT NULL)")
        c.executemany(f"INSERT INTO {table} VALUES (%s, %s)", list(enumerate(strings)))
    stored = canonical_strings(vp, collation, strings, purpose="store")
    # (PyMySQL encodes a latin1 connection's text as cp1252: not the five pass-through bytes.)
    literals = [s for s in strings if conn_charset == "utf8mb4" or all(_cp1252_ok(ch) for ch in s)]
    if conn_charset == "latin1":
        ours = canonical_strings(vp, collation, literals, charset="latin1", encode=latin1_bytes)
    else:
        ours = canonical_strings(vp, collation, literals)
    conn = pymysql.connect(host=DIRECT_HOST, port=DIRECT_PORT, user=USER, password=PASSWORD,
                           database=SCHEMA, charset=conn_charset, autocommit=True)
    try:
        with conn.cursor() as c:
            for lit, key in zip(literals, ours):
                c.execute(f"SELECT id FROM {table} WHERE s = %s", (lit,))
                got = {r[0] for r in c.fetchall()}
                want = {i for i, k in enumerate(stored) if k == key}
                assert got == want, f"{lit!r} via {conn_charset}: server {got}, canonical {want}"
    finally:
        conn.close()
    if conn_charset == "latin1":
        assert ours == canonical_strings(vp, collation, literals)  # same bytes as from utf8mb4


# ---------------------------------------------------------------------------
# Numbers, dates, binary strings

# (column type, collation, stored values as (SQL literal, kind, text, negative),
#  compared values likewise)
def L(sql, kind=None, text=None, negative=False, charset=None):
    if kind is None:
        if sql.startswith("'"):
            kind, text = "string", sql[1:-1]
        elif sql.startswith("0x") or sql.startswith("X'"):
            kind, text = "hex", sql
        elif sql.startswith("b'") or sql.startswith("0b"):
            kind, text = "bit", sql
        else:
            body = sql.lstrip("-")
            negative = sql.startswith("-")
            kind = "float" if "e" in body.lower() else "decimal" if "." in body else "integer"
            text = body
    return (sql, kind, text, negative, charset)


INT_STORED = [L(x) for x in ["0", "1", "42", "-42", "127", "-128", "255", "100000",
                             "2147483647", "-2147483648", "9007199254740993",
                             "9223372036854775807", "-9223372036854775808"]]
INT_COMPARED = [L(x) for x in [
    "42", "'42'", "' 42'", "'042'", "'+42'", "'42 '", "'4.2e1'", "'42.0'", "42.0", "4.2e1",
    "0x2A", "b'101010'", "0b101010", "X'3432'", "'42abc'", "'abc'", "''", "42.5", "'42.5'",
    "-42", "'-42'", "-0", "'-0'", "0", "0.0", "-0.0", "1e0", "'1e0'", "300", "-129", "256",
    "-1", "18446744073709551615", "18446744073709551616", "0xFFFFFFFFFFFFFFFF",
    "9007199254740993", "'9007199254740993'", "9007199254740992e0", "9.007199254740993e15",
    "9223372036854775807", "'9223372036854775808'", "9223372036854775808",
    "-9223372036854775808", "-9223372036854775809", "2147483648", "'2147483647'",
    "127.0", "1.27e2", "'  127  '", "'\t127'"]]

DEC_STORED = [L(x) for x in ["0", "1.5", "1.50", "-1.5", "1.505", "1.504", "-0.001", "12345678.99",
                             "'2.25'", "3", "-3.00", "0.01", "99999999.99", "-99999999.99"]]
DEC_COMPARED = [L(x) for x in [
    "1.5", "1.50", "1.500000", "'1.5'", "' 1.50 '", "'1.5e0'", "1.5e0", "15e-1", "1.505",
    "1.51", "1.50000000000000000001", "-1.5", "'-1.5'", "3", "'3'", "3.0", "-3", "0", "-0.00",
    "0.01", "1e-2", "'0.010'", "12345678.99", "123456789", "99999999.99", "'1.5x'", "0x03",
    "2.25", "2.250", "1.51e0"]]

DATE_STORED = [L(x) for x in ["'2024-01-05'", "'2024-1-6'", "20240107", "'2024-01-08 00:00:00'",
                              "'2024-01-09 10:20:30'", "'20240110'", "'2024-02-29'",
                              "'1000-01-01'", "'9999-12-31'"]]
DATE_COMPARED = [L(x) for x in [
    "'2024-01-05'", "'2024-1-5'", "'2024-01-5'", "20240105", "'20240105'",
    "'2024-01-05 00:00:00'", "'2024-01-05 00:00:00.000'", "'2024-01-05 00:00:01'",
    "'2024-01-05T00:00:00'", "'2024-01-09'", "'2024-01-09 10:20:30'", "'2024/01/05'",
    "'24-01-05'", "'2024-01-05 '", "' 2024-01-05'", "'2024-02-29'", "'2024-02-30'",
    "'2023-02-29'", "20240105000000", "20240105102030", "'1000-01-01'", "'9999-12-31'",
    "20240105.0", "'0000-00-00'", "'2024-00-05'"]]

DATETIME_STORED = [L(x) for x in ["'2024-01-05 10:20:30'", "'2024-01-05 10:20:30.5'",
                                  "'2024-01-05 10:20:30.123456'", "'2024-01-05'",
                                  "20240105102031", "'2024-01-05T10:20:32.100'",
                                  "'2024-1-5 1:2:3'"]]
DATETIME_COMPARED = [L(x) for x in [
    "'2024-01-05 10:20:30'", "'2024-01-05 10:20:30.0'", "'2024-01-05 10:20:30.000000'",
    "'2024-01-05 10:20:30.5'", "'2024-01-05 10:20:30.50'", "'2024-01-05 10:20:30.123456'",
    "'2024-01-05 10:20:30.1234560'", "'2024-01-05 10:20:30.1234561'", "'2024-01-05T10:20:30'",
    "20240105102030", "'20240105102030'", "'2024-01-05'", "'2024-01-05 00:00:00'", "20240105",
    "'2024-1-5 10:20:30'", "'2024-01-05 10:20:32.1'", "'2024-01-05 01:02:03'",
    "'2024-01-05 1:2:3'", "'2024-01-05 10:20'", "'2024-01-05 10:20:30.'"]]

BIN_STORED = [L(x) for x in ["'abc'", "'ABC'", "'abc '", "X'00'", "X'616263'", "''", "'ab'", "42"]]
BIN_COMPARED = [L(x) for x in ["'abc'", "'ABC'", "'abc '", "0x616263", "X'616263'", "X'00'",
                               "''", "'ab'", "X'6162630000'", "42", "'42'",
                               "'abcdefghijkl'"]] + [
    L("'abc\\0\\0'", "string", "abc\0\0"), L("'abc \\0'", "string", "abc \0"),
    L("X'0000000000'"), L("X'3432000000'"), L("'abcde'")]

CASES = [
    ("int", INT_STORED[:10], INT_COMPARED),
    ("int unsigned", [v for v in INT_STORED[:9] if not v[3]], INT_COMPARED),
    ("tinyint", INT_STORED[:6], INT_COMPARED),
    ("tinyint unsigned", [L("0"), L("1"), L("42"), L("127"), L("255")], INT_COMPARED),
    ("bigint", INT_STORED, INT_COMPARED),
    ("bigint unsigned", [v for v in INT_STORED if not v[3]] + [L("18446744073709551615")],
     INT_COMPARED),
    ("decimal(10,2)", DEC_STORED, DEC_COMPARED),
    ("decimal(10,2) unsigned", [v for v in DEC_STORED if not v[3] and v[0] != "-0.001"],
     DEC_COMPARED),
    ("decimal(20,0)", [L("1"), L("3"), L("12345678901234567890"), L("-5")], DEC_COMPARED
     + [L("12345678901234567890"), L("1.2345678901234567890e19")]),
    ("date", DATE_STORED, DATE_COMPARED),
    ("datetime", [v for v in DATETIME_STORED if "." not in v[0]], DATETIME_COMPARED),
    ("datetime(6)", DATETIME_STORED, DATETIME_COMPARED),
    ("varbinary(10)", BIN_STORED, BIN_COMPARED),
    ("binary(5)", BIN_STORED, BIN_COMPARED),
]


@pytest.mark.parametrize("column_type,stored,compared", CASES,
                         ids=[c[0].replace(" ", "_") for c in CASES])
def test_typed_keys_match_exactly_the_rows_with_their_canonical_bytes(db, vp, column_type,
                                                                      stored, compared):
    table = "k_" + column_type.replace(" ", "_").replace("(", "_").replace(")", "").replace(",", "_")
    store = vp.keys("store", column_type, None, [(k, t, cs, n) for _, k, t, n, cs in stored])
    for (sql, *_), r in zip(stored, store):
        assert r[0] == "one_vpart", f"{column_type}: storing {sql}: {r}"
    with db.cursor() as c:
        c.execute(f"DROP TABLE IF EXISTS {table}")
        c.execute(f"CREATE TABLE {table} (id INT PRIMARY KEY, k {column_type} NOT NULL)")
        for i, (sql, *_) in enumerate(stored):
            c.execute(f"INSERT INTO {table} VALUES ({i}, {sql})")
        c.execute(f"SELECT id, HEX(k) FROM {table} ORDER BY id")
        readback = c.fetchall()
        c.execute(f"SELECT id, CAST(k AS CHAR) FROM {table} ORDER BY id")
        readback_text = c.fetchall()
    keys = [r[1] for r in store]
    # The stored value's canonical bytes: the value read back gives the same.
    if column_type.startswith(("varbinary", "binary")):
        back = vp.keys("compare", column_type, None,
                       [("hex", "X'" + h + "'", None, False) for _, h in readback])
    else:
        back = vp.keys("compare", column_type, None,
                       [("string", t, None, False) for _, t in readback_text])
    for (sql, *_), k, b in zip(stored, keys, back):
        assert b[0] == "one_vpart" and b[1] == k, f"{column_type}: {sql} stored as {b}, ours {k}"

    answers = vp.keys("compare", column_type, None, [(k, t, cs, n) for _, k, t, n, cs in compared])
    pinned = 0
    with db.cursor() as c:
        for (sql, *_), ans in zip(compared, answers):
            try:
                c.execute(f"SELECT id FROM {table} WHERE k = {sql}")
                got = {r[0] for r in c.fetchall()}
            except pymysql.MySQLError as e:
                assert ans[0] != "one_vpart", f"{column_type} = {sql}: server error {e}, ours {ans}"
                continue
            if ans[0] == "one_vpart":
                pinned += 1
                want = {i for i, k in enumerate(keys) if k == ans[1]}
                assert got == want, (f"{column_type} = {sql}: server rows {got}, rows with "
                                     f"canonical bytes {ans[1]}: {want}")
            elif ans[0] == "never_equal":
                assert not got, f"{column_type} = {sql}: never_equal but server matched {got}"
            else:
                assert ans[0] == "all_groups", f"{column_type} = {sql}: {ans}"
    assert pinned >= 5, f"{column_type}: only {pinned} literals pinned to one vpart"


def test_inserted_values_store_as_predicted(db, vp):
    """kStore: DECIMAL rounding, DATE truncation, BINARY padding, as MariaDB stores them."""
    # (column type, SQL literal, kind, text, negative, what MariaDB stores: CAST AS CHAR or HEX)
    cases = [("decimal(10,2)", "1.505", "decimal", "1.505", False, "1.51"),
             ("decimal(10,2)", "-1.505", "decimal", "1.505", True, "-1.51"),
             ("decimal(10,2)", "'2.345'", "string", "2.345", False, "2.35"),
             ("decimal(10,2)", "1.5", "decimal", "1.5", False, "1.50"),
             ("decimal(10,2)", "-0.001", "decimal", "0.001", True, "0.00"),
             ("date", "'2024-01-05 23:59:59'", "string", "2024-01-05 23:59:59", False,
              "2024-01-05"),
             ("binary(5)", "'ab'", "string", "ab", False, "6162000000"),
             ("int", "'  42  '", "string", "  42  ", False, "42"),
             ("int", "'4.2e1'", "string", "4.2e1", False, "42"),
             ("int", "0x2A", "hex", "0x2A", False, "42"),
             ("int", "b'101010'", "bit", "b'101010'", False, "42"),
             ("varchar(5)", "42", "integer", "42", False, "42"),
             ("varchar(5)", "-042", "integer", "042", True, "-42"),
             ("varchar(3)", "'abc   '", "string", "abc   ", False, "abc")]
    with db.cursor() as c:
        for ctype, sql, kind, text, negative, stored in cases:
            coll = "utf8mb4_general_ci" if ctype.startswith("varchar") else None
            c.execute("DROP TABLE IF EXISTS st")
            c.execute(f"CREATE TABLE st (k {ctype}{' COLLATE ' + coll if coll else ''})")
            c.execute(f"INSERT INTO st VALUES ({sql})")
            c.execute("SELECT CAST(k AS CHAR), HEX(k) FROM st")
            text_back, hex_back = c.fetchone()
            assert stored in (text_back, hex_back), (ctype, sql, text_back, hex_back)
            [ours] = vp.keys("store", ctype, coll, [(kind, text, None, negative)])
            if ctype.startswith("binary"):
                [back] = vp.keys("compare", ctype, coll, [("hex", "X'" + hex_back + "'", None,
                                                           False)])
            else:
                [back] = vp.keys("compare", ctype, coll, [("string", text_back, None, False)])
            assert ours[0] == "one_vpart" and ours[1] == back[1], (ctype, sql, ours, back)


def test_refused_values_for_insert(vp):
    cases = [("tinyint", "integer", "300", "1264"), ("int unsigned", "integer", "1", None),
             ("int", "string", "42abc", "1366"), ("int", "decimal", "4.5", "1366"),
             ("varchar(3)", "string", "abcd", "1406"), ("binary(2)", "string", "abc", "1406"),
             ("datetime", "string", "2024-01-05 10:20:30.5", "1235"),
             ("date", "string", "2024/01/05", "1235"), ("decimal(5,2)", "decimal", "999.995", "1264")]
    for ctype, kind, text, code in cases:
        coll = "utf8mb4_general_ci" if ctype.startswith("varchar") else None
        [r] = vp.keys("store", ctype, coll, [(kind, text, None, False)])
        if code is None:
            assert r[0] == "one_vpart", (ctype, text, r)
        else:
            assert r[0] == "error" and r[1] == code, (ctype, text, r)


def test_column_types_from_information_schema(db, vp):
    """FromColumnInfo reads what the server reports (via the CLI's COLUMN_TYPE)."""
    with db.cursor() as c:
        c.execute("DROP TABLE IF EXISTS ti")
        c.execute("CREATE TABLE ti (a INT UNSIGNED, b DECIMAL(12,3), c VARCHAR(7) COLLATE "
                  "utf8mb4_unicode_ci, d DATETIME(3), e FLOAT, f TEXT, g JSON, h TIMESTAMP NULL, "
                  "i CHAR(4) CHARACTER SET latin1, j VARCHAR(5) COLLATE utf8mb4_danish_ci, "
                  "k BINARY(16))")
        c.execute("SELECT COLUMN_NAME, COLUMN_TYPE, COLLATION_NAME FROM information_schema.COLUMNS "
                  "WHERE TABLE_SCHEMA = %s AND TABLE_NAME = 'ti' ORDER BY ORDINAL_POSITION",
                  (SCHEMA,))
        cols = c.fetchall()
    res = vp.keys("compare", "", None, [])  # warm-up: empty batch
    assert res == []
    refused = {"e", "f", "g", "h", "j"}
    for name, ctype, coll in cols:
        [r] = vp.keys("compare", ctype, coll, [("null", "", None, False)])
        if name in refused:
            assert r[0] == "error" and r[1] == "1235", (name, ctype, r)
        else:
            assert r[0] == "one_vpart" and r[1] == "", (name, ctype, r)


def test_vpart_is_xxh3_of_the_canonical_bytes_mod_1024(vp):
    """The documented formula, computed independently (Debian's python3-xxhash)."""
    xxhash = pytest.importorskip("xxhash")
    rows = vp.keys("compare", "int", None, [("integer", str(i), None, False) for i in range(200)])
    rows += vp.keys("compare", "varchar(10)", "utf8mb4_general_ci",
                    [("string", s, None, False) for s in CORPUS if len(s) <= 10])
    for r in rows:
        assert r[0] == "one_vpart"
        assert int(r[2]) == xxhash.xxh3_64_intdigest(bytes.fromhex(r[1])) % 1024, r
    [r] = vp.keys("compare", "int", None, [("integer", "42", None, False)])
    assert (r[1], r[2]) == ("3432", "401")  # the example in docs/SHARDING.md


@pytest.mark.parametrize("collation", ["utf8mb4_general_ci", "latin1_swedish_ci", "utf8mb3_bin"])
def test_introducers_and_hex_strings(db, vp, collation):
    """_charset'..', _charset 0x.., N'..', X'..' compared with a string key match
    exactly the rows with the same canonical bytes."""
    strings = ["e", "é", "É", "E", "abc", "ABC", "ß", "s", "Ã©", "€"]
    table = "intro_" + collation
    with db.cursor() as c:
        c.execute(f"DROP TABLE IF EXISTS {table}")
        c.execute(f"CREATE TABLE {table} (id INT PRIMARY KEY, s VARCHAR(10) "
                  f"CHARACTER SET {charset_of(collation)} COLLATE {collation} NOT NULL)")
        c.executemany(f"INSERT INTO {table} VALUES (%s, %s)", list(enumerate(strings)))
    stored = canonical_strings(vp, collation, strings, purpose="store")
    # (SQL, kind, text bytes, charset)
    lits = [("_utf8mb4 0xC3A9", "hex", b"0xC3A9", "utf8mb4"),
            ("_latin1 X'E9'", "hex", b"X'E9'", "latin1"),
            ("_latin1 X'C3A9'", "hex", b"X'C3A9'", "latin1"),
            ("X'C3A9'", "hex", b"X'C3A9'", None),
            ("0x616263", "hex", b"0x616263", None),
            # the connection sends UTF-8: C3 A9 read as latin1 is 'Ã©'
            ("_latin1'\xe9'", "string", "é".encode(), "latin1"),
            ("_binary'abc'", "string", b"abc", "binary"),
            ("N'\xe9'", "string", "é".encode(), "N"),
            ("_utf8mb4'\xdf'", "string", "ß".encode(), "utf8mb4"),
            ("_latin1 X'80'", "hex", b"X'80'", "latin1")]
    answers = vp.keys("compare", "varchar(10)", collation, [(k, t, cs, False) for _, k, t, cs in lits])
    with db.cursor() as c:
        for (sql, *_), ans in zip(lits, answers):
            try:
                c.execute(f"SELECT id FROM {table} WHERE s = {sql}")
                got = {r[0] for r in c.fetchall()}
            except pymysql.MySQLError as e:
                assert ans[0] != "one_vpart", f"{collation} = {sql}: server error {e}, ours {ans}"
                continue
            if ans[0] == "one_vpart":
                want = {i for i, k in enumerate(stored) if k == ans[1]}
                assert got == want, f"{collation} = {sql}: server {got}, canonical {want}"
            else:
                assert ans[0] == "all_groups", (sql, ans)
