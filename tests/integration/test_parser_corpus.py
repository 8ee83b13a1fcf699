"""The SQL corpus (tests/parser_corpus/) against real MariaDB and our parser.

Self-contained: does not use tests/integration/conftest.py fixtures.

  * every VALID statement is accepted by MariaDB: PREPARE'd by default (parse +
    name resolution, nothing runs), or executed where an annotation says so
    (inside a transaction that is rolled back, or on throwaway objects);
  * every INVALID statement is rejected by MariaDB with ER_PARSE_ERROR (1064)
    and by `shardproxy-parse` (error 1064 with a position);
  * the corpus keeps at least 400 distinct statement shapes and 100 invalid ones.

Server: SHARDPROXY_CORPUS_DSN "host:port:user:password" (default
127.0.0.1:23306:app:app, the sandbox g0 master). If it is unreachable the
server half is skipped with a message. Run:

  /usr/bin/python3 -m pytest tests/integration/test_parser_corpus.py -v

Annotation syntax and schema mapping: tests/parser_corpus/README.md.
"""

import json
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

pymysql = pytest.importorskip("pymysql")

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "parser_corpus"
ER_PARSE_ERROR = 1064
ER_UNSUPPORTED_PS = 1295

# Schemas of the corpus and the names they get on the server during the test
# (so the test never touches real application data). Override with
# SHARDPROXY_CORPUS_SCHEMA_MAP="trade=trade,account=account" to use the real ones.
DEFAULT_SCHEMA_MAP = {
    "trade": "shardproxy_corpus_trade",
    "account": "shardproxy_corpus_account",
    "shardproxy_corpus": "shardproxy_corpus",
}


# ---------------------------------------------------------------- corpus file format


@dataclass
class Entry:
    """One corpus statement and its annotations."""

    file: str
    index: int  # 0-based position in its file (the golden key)
    line: int  # 1-based line where the statement text starts
    sql: str
    mode: str = "prepare"  # prepare | exec | exec-bare | server-skip
    before: list = field(default_factory=list)
    after: list = field(default_factory=list)
    allow_errors: set = field(default_factory=set)
    sql_mode: str = ""
    use: str = "trade"
    strip_sharding: bool = False
    note: str = ""

    @property
    def name(self):
        return f"{self.file}#{self.index}(line {self.line})"


def read_corpus_file(path: Path):
    """Splits a corpus file: an entry ends with a line whose last non-blank
    character is ';' (the ';' is not part of the statement). Lines starting with
    '--' before an entry's first SQL line are corpus comments; those starting
    with '-- @' are annotations for the next entry."""
    entries = []
    pending = {}
    lines_acc = []
    start_line = 0
    rel = path.name
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        line = raw.rstrip()
        if not lines_acc:
            stripped = line.strip()
            if not stripped:
                continue
            if stripped.startswith("-- @"):
                key, _, value = stripped[4:].partition(" ")
                pending.setdefault(key, []).append(value.strip())
                continue
            if stripped.startswith("--"):
                continue
            start_line = lineno
        lines_acc.append(raw)
        if line.endswith(";"):
            text = "\n".join(lines_acc).rstrip()
            text = text[:-1].rstrip()
            entries.append(make_entry(rel, len(entries), start_line, text, pending))
            pending = {}
            lines_acc = []
    assert not lines_acc, f"{path}: unterminated entry starting at line {start_line}"
    assert not pending, f"{path}: annotations {pending} not followed by a statement"
    return entries


KNOWN_ANNOTATIONS = {"prepare", "exec", "exec-bare", "server-skip", "before", "after",
                     "allow-error", "sql-mode", "use", "strip-sharding", "note"}


def make_entry(file, index, line, sql, ann):
    unknown = set(ann) - KNOWN_ANNOTATIONS
    assert not unknown, f"{file}:{line}: unknown annotation(s) {unknown}"
    e = Entry(file=file, index=index, line=line, sql=sql)
    for m in ("prepare", "exec", "exec-bare", "server-skip"):
        if m in ann:
            e.mode = m
            if m == "server-skip":
                e.note = ann[m][0]
                assert e.note, f"{file}:{line}: @server-skip needs a reason"
    e.before = ann.get("before", [])
    e.after = ann.get("after", [])
    for v in ann.get("allow-error", []):
        e.allow_errors |= {int(x) for x in re.split(r"[,\s]+", v) if x}
    assert ER_PARSE_ERROR not in e.allow_errors, f"{file}:{line}: 1064 can never be allowed"
    if "sql-mode" in ann:
        e.sql_mode = ann["sql-mode"][0]
    if "use" in ann:
        e.use = ann["use"][0]
    e.strip_sharding = "strip-sharding" in ann
    return e


def load(kind):
    out = []
    for p in sorted((CORPUS / kind).glob("*.sql")):
        out.extend(read_corpus_file(p))
    return out


VALID = load("valid")
INVALID = load("invalid")


# ---------------------------------------------------------------- schema mapping


def schema_map():
    env = os.environ.get("SHARDPROXY_CORPUS_SCHEMA_MAP")
    if not env:
        return dict(DEFAULT_SCHEMA_MAP)
    m = dict(DEFAULT_SCHEMA_MAP)
    for pair in env.split(","):
        k, _, v = pair.partition("=")
        m[k.strip()] = v.strip()
    return m


def map_schemas(sql, mapping, sql_mode=""):
    """Renames the corpus schemas in `sql` (bare, backquoted or, under
    ANSI_QUOTES, double-quoted identifiers; never inside strings). The corpus
    never uses these names for anything but schemas."""
    if all(k == v for k, v in mapping.items()):
        return sql
    modes = {m.strip().upper() for m in sql_mode.split(",")}
    ansi_quotes = bool(modes & {"ANSI_QUOTES", "ANSI"})
    backslash = "NO_BACKSLASH_ESCAPES" not in modes
    out = []
    i, n = 0, len(sql)
    word = re.compile(r"[A-Za-z0-9_$]+")
    while i < n:
        c = sql[i]
        if c == "'" or (c == '"' and not ansi_quotes):
            j = i + 1
            while j < n:
                if sql[j] == "\\" and backslash:
                    j += 2
                    continue
                if sql[j] == c:
                    if j + 1 < n and sql[j + 1] == c:
                        j += 2
                        continue
                    break
                j += 1
            out.append(sql[i:j + 1])
            i = j + 1
        elif c in "`\"":
            j = sql.find(c, i + 1)
            j = n - 1 if j < 0 else j
            name = sql[i + 1:j]
            out.append(c + mapping.get(name, name) + c)
            i = j + 1
        elif c.isalnum() or c in "_$":
            m = word.match(sql, i)
            w = m.group(0)
            # Only whole identifiers, not the tail of 0x.. or a qualified column.
            prev = sql[i - 1] if i > 0 else " "
            out.append(mapping.get(w, w) if prev != "." else w)
            i = m.end()
        else:
            out.append(c)
            i += 1
    return "".join(out)


SHARDING_SUFFIX = re.compile(
    r"\s*(DBPARTITION\s+BY\s+HASH\s*\(\s*`?\w+`?\s*\)(\s+DBPARTITIONS\s+\d+)?|BROADCAST)\s*$",
    re.IGNORECASE)
EXPLAIN_SHARDING = re.compile(r"^\s*EXPLAIN\s+SHARDING\s+", re.IGNORECASE)


def strip_sharding(sql):
    """What the proxy sends a backend: our sharding clauses removed."""
    out = EXPLAIN_SHARDING.sub("", sql)
    out = SHARDING_SUFFIX.sub("", out)
    assert out != sql, f"@strip-sharding on a statement without a sharding clause: {sql}"
    return out


# ---------------------------------------------------------------- server helpers


def dsn():
    host, port, user, pw = os.environ.get(
        "SHARDPROXY_CORPUS_DSN", "127.0.0.1:23306:app:app").split(":")
    return dict(host=host, port=int(port), user=user, password=pw)


def connect(db=None):
    return pymysql.connect(autocommit=True, charset="utf8mb4", database=db,
                           connect_timeout=5, read_timeout=60, write_timeout=60, **dsn())


def run(cur, sql):
    cur.execute(sql)
    if cur.description:
        cur.fetchall()
    while cur.nextset():
        pass


def prepare(cur, sql):
    """PREPARE through a hex literal so no client-side escaping or sql_mode
    (NO_BACKSLASH_ESCAPES, ANSI_QUOTES) can change the text."""
    hexed = sql.encode("utf-8").hex()
    run(cur, f"SET @corpus_q = CONVERT(X'{hexed}' USING utf8mb4)" if hexed
        else "SET @corpus_q = ''")
    run(cur, "PREPARE corpus_s FROM @corpus_q")
    run(cur, "DEALLOCATE PREPARE corpus_s")


def error_code(exc):
    return exc.args[0] if exc.args and isinstance(exc.args[0], int) else None


@pytest.fixture(scope="module")
def server():
    try:
        conn = connect()
    except pymysql.err.OperationalError as exc:
        pytest.skip(f"MariaDB at {dsn()['host']}:{dsn()['port']} unreachable ({exc}); "
                    "start the sandbox: scripts/sandbox.sh up")
    mapping = schema_map()
    cur = conn.cursor()
    created = []
    unavailable = {}
    for e in read_corpus_file(CORPUS / "schema.sql"):
        sql = map_schemas(e.sql, mapping)
        m = re.match(r"CREATE DATABASE (\w+)", sql)
        if m:
            db = m.group(1)
            run(cur, f"DROP DATABASE IF EXISTS `{db}`")
            created.append(db)
        try:
            run(cur, sql)
        except pymysql.err.MySQLError as exc:
            # Routines need CREATE ROUTINE, which a data-only user may lack: the
            # CALL entries then accept "does not exist" (1305) and say so.
            if sql.startswith("CREATE PROCEDURE") and error_code(exc) in (1044, 1142, 1370):
                name = re.match(r"CREATE PROCEDURE ([\w.]+)", sql).group(1)
                unavailable[name] = str(exc)
                continue
            raise
    state = {"conn": conn, "mapping": mapping, "unavailable": unavailable}
    yield state
    try:
        conn.ping(reconnect=True)
        cur = conn.cursor()
        for db in created:
            run(cur, f"DROP DATABASE IF EXISTS `{db}`")
    finally:
        conn.close()


def fresh_conn(server, entry):
    """A connection per statement with exec side effects; a shared one otherwise."""
    db = server["mapping"].get(entry.use, entry.use)
    conn = server["conn"]
    conn.ping(reconnect=True)
    cur = conn.cursor()
    run(cur, f"USE `{db}`")
    run(cur, "SET SESSION sql_mode = DEFAULT" if not entry.sql_mode
        else f"SET SESSION sql_mode = '{entry.sql_mode}'")
    return conn, cur


def check_valid_on_server(server, e):
    """Returns None if MariaDB accepts the statement, else a failure message."""
    mapping = server["mapping"]
    sql = strip_sharding(e.sql) if e.strip_sharding else e.sql
    sql = map_schemas(sql, mapping, e.sql_mode)
    conn, cur = fresh_conn(server, e)
    try:
        for b in e.before:
            run(cur, map_schemas(b, mapping, e.sql_mode))
        try:
            if e.mode == "prepare":
                prepare(cur, sql)
            elif e.mode == "exec":
                run(cur, "START TRANSACTION")
                run(cur, sql)
            else:  # exec-bare
                run(cur, sql)
        except pymysql.err.MySQLError as exc:
            code = error_code(exc)
            if code == ER_UNSUPPORTED_PS and e.mode == "prepare":
                return f"{e.name}: PREPARE cannot take it; annotate @exec / @exec-bare ({exc})"
            if code in e.allow_errors:
                return None
            if code == 1305 and "CALL" in sql.upper() and server["unavailable"]:
                return None  # routines could not be created (privileges), see fixture
            return f"{e.name}: server rejected [{code}] {exc.args[1:]}\n  SQL: {sql}"
        return None
    finally:
        try:
            run(cur, "ROLLBACK")
        except pymysql.err.MySQLError:
            pass
        for a in e.after:
            try:
                run(cur, map_schemas(a, mapping))
            except pymysql.err.MySQLError as exc:
                print(f"{e.name}: @after failed: {exc}")
        if e.mode != "prepare":
            # Session state an executed statement may have changed.
            conn.close()
            conn.connect()


# ---------------------------------------------------------------- our parser


def parse_bin():
    p = os.environ.get("SHARDPROXY_PARSE_BIN") or str(
        ROOT / "build" / "debug" / "parser" / "shardproxy-parse")
    return p if os.path.exists(p) and os.access(p, os.X_OK) else None


def our_parse(sql, sql_mode=""):
    """Runs shardproxy-parse on one statement; returns its list of JSON objects."""
    args = [parse_bin()]
    if sql_mode:
        args.append(f"--sql-mode={sql_mode}")
    proc = subprocess.run(args, input=(sql + ";\n").encode(), capture_output=True,
                          timeout=30)
    out = []
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        line = line.strip()
        if line.startswith("{"):
            out.append(json.loads(line))
    if not out and proc.stdout.strip().startswith(b"["):
        out = json.loads(proc.stdout)
    return proc.returncode, out, proc.stderr.decode("utf-8", "replace")


# ---------------------------------------------------------------- digests (approximate)


def rough_digest(sql):
    """A deliberately simple normalisation (literals -> ?, IN/VALUES lists
    collapsed, comments dropped, case and whitespace folded) used only to guard
    the corpus size here; the C++ corpus test counts real digests."""
    s = re.sub(r"/\*(?![!+M]).*?\*/", " ", sql, flags=re.S)
    s = re.sub(r"(--\s|#)[^\n]*", " ", s)
    s = re.sub(r"'(?:[^'\\]|\\.|'')*'|\"(?:[^\"\\]|\\.|\"\")*\"", "?", s)
    s = re.sub(r"\b(0x[0-9a-fA-F]+|0b[01]+|\d+(\.\d*)?([eE][-+]?\d+)?|\.\d+)\b", "?", s)
    s = re.sub(r"[xXbB]\?", "?", s)
    s = re.sub(r"\s+", " ", s).strip().upper()
    s = re.sub(r"\(\s*\?(\s*,\s*\?)*\s*\)", "(?)", s)
    s = re.sub(r"\(\?\)(\s*,\s*\(\?\))+", "(?)", s)
    return s


# ---------------------------------------------------------------- tests


def test_corpus_size():
    files = {e.file for e in VALID}
    assert len(VALID) >= 400, f"only {len(VALID)} valid statements"
    assert len(INVALID) >= 100, f"only {len(INVALID)} invalid statements"
    digests = {rough_digest(e.sql) for e in VALID}
    assert len(digests) >= 400, f"only {len(digests)} distinct (approximate) digests"
    print(f"corpus: {len(VALID)} valid in {len(files)} files, ~{len(digests)} digests, "
          f"{len(INVALID)} invalid")


def test_valid_statements_accepted_by_mariadb(server):
    failures = []
    checked = skipped = 0
    for e in VALID:
        if e.mode == "server-skip":
            skipped += 1
            continue
        msg = check_valid_on_server(server, e)
        checked += 1
        if msg:
            failures.append(msg)
    print(f"MariaDB accepted {checked - len(failures)}/{checked} valid statements "
          f"({skipped} marked @server-skip)")
    assert not failures, f"{len(failures)} valid statements rejected:\n" + "\n".join(failures)


def test_invalid_statements_rejected_by_mariadb(server):
    failures = []
    for e in INVALID:
        sql = map_schemas(e.sql, server["mapping"], e.sql_mode)
        conn, cur = fresh_conn(server, e)
        code = None
        try:
            prepare(cur, sql)
        except pymysql.err.MySQLError as exc:
            code = error_code(exc)
        if code == ER_UNSUPPORTED_PS:
            try:
                run(cur, "START TRANSACTION")
                run(cur, sql)
                code = None
            except pymysql.err.MySQLError as exc:
                code = error_code(exc)
            finally:
                run(cur, "ROLLBACK")
        if code != ER_PARSE_ERROR:
            failures.append(f"{e.name}: expected 1064, got {code}\n  SQL: {e.sql}")
    print(f"MariaDB rejected {len(INVALID) - len(failures)}/{len(INVALID)} invalid "
          "statements with 1064")
    assert not failures, "\n".join(failures)


def test_invalid_statements_rejected_by_our_parser():
    if not parse_bin():
        pytest.skip("shardproxy-parse not built (set SHARDPROXY_PARSE_BIN or build "
                    "build/debug/parser/shardproxy-parse); parser half not run")
    failures = []
    for e in INVALID:
        rc, out, err = our_parse(e.sql, e.sql_mode)
        errs = [o.get("error") for o in out if isinstance(o, dict) and o.get("error")]
        if not errs:
            failures.append(f"{e.name}: our parser accepted it: {e.sql}")
            continue
        first = errs[0]
        if first.get("code") != ER_PARSE_ERROR or first.get("position") is None:
            failures.append(f"{e.name}: error without 1064/position: {first}")
    print(f"our parser rejected {len(INVALID) - len(failures)}/{len(INVALID)} invalid statements")
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)


def test_valid_statements_accepted_by_our_parser():
    if not parse_bin():
        pytest.skip("shardproxy-parse not built; parser half not run")
    failures = []
    for e in VALID:
        rc, out, err = our_parse(e.sql, e.sql_mode)
        if len(out) != 1 or out[0].get("error"):
            failures.append(f"{e.name}: {out or err}\n  SQL: {e.sql}")
    print(f"our parser accepted {len(VALID) - len(failures)}/{len(VALID)} valid statements")
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)
