"""Restoring a mysqldump through the proxy: a ~200 MiB dump of extended
INSERTs of ~1 MiB each, whose rows differ in NULLs, signs and literal kinds
(so no two statements share a digest and none collapses), is piped into the
real `mariadb` CLI. Row counts and per-column checksums must equal what was
generated, and the proxy's RSS, sampled during the restore, must stay under
the bound documented in docs/OPERATIONS.md ("Restoring a dump").

Knobs: SP_DUMP_MIB (size of the dump, default 200), SP_DUMP_RSS_MIB (the
bound on RSS growth in MiB; default by build: see RSS_GROWTH_BOUND_MIB),
SP_DUMP_KEEP=1 (keep the generated file under var/). With SP_PORT on a MariaDB port the same restore
runs direct (the reference timing); the RSS check is then skipped.
"""

import os
import shutil
import subprocess
import tempfile
import threading
import time
import zlib
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import HOST, PASSWORD, PORT, ROOT, USER, connect

SCHEMA = "test_dump"  # matches the sandbox grant pattern test\_%
DUMP_MIB = int(os.environ.get("SP_DUMP_MIB", "200"))
STATEMENT_BYTES = 1 << 20  # mysqldump's default net_buffer_length
# How much the proxy's RSS may grow during the restore (MiB over its RSS just
# before it), by build (docs/OPERATIONS.md, "Restoring a dump"):
#  - Release: per thread parsing a 1 MiB INSERT, the statement, its digest
#    and its model (~20 MiB at most for dense rows), plus a template cache
#    bounded by parser_cache.max_bytes (16 MiB per thread); measured +11 MiB;
#  - Debug+ASan: the same plus ASan's quarantine of freed memory (256 MiB by
#    default) and its shadow memory; measured +332 MiB.
# Without the byte cap every statement's template stayed cached (~6-17 MiB
# each): gigabytes after a few hundred statements.
RSS_GROWTH_BOUND_MIB = {"release": 64, "asan": 512}

ROWS_TABLE = "dump_rows"
EVENTS_TABLE = "dump_events"

NAMES = ["alice", "Bob O'Neil", "Zoë Ægir", "日本語の名前", "emoji 😀🚀", 'say "hi"',
         "back\\slash", "tab\there", "Ñandú", "Łódź", "ünïcødé", "", "x" * 60]
WORDS = ["lorem", "ipsum", "dolor", "sit", "amet", "Größe", "naïve", "日本", "😀",
         "it's", 'quo"te', "a\\b", "line\nbreak", "tab\t", "percent%", "under_score",
         "zero\0byte", "ctrl\x1a"]


def sql_string(s):
    """mysqldump's escaping of a string value (mysql_real_escape_string)."""
    out = s.replace("\\", "\\\\").replace("\0", "\\0").replace("\n", "\\n")
    out = out.replace("\r", "\\r").replace("\x1a", "\\Z").replace("'", "\\'")
    out = out.replace('"', '\\"')
    return "'" + out + "'"


class Lcg:
    """A small deterministic generator (faster than random.Random per call)."""

    def __init__(self, seed):
        self.x = seed

    def next(self, n):
        self.x = (self.x * 6364136223846793005 + 1442695040888963407) & (2**64 - 1)
        return (self.x >> 33) % n


def make_pools(rng):
    names = []
    for i in range(512):
        n = NAMES[i % len(NAMES)] + ("" if i < len(NAMES) else f" {i}")
        names.append(n[:64])
    notes = []
    for i in range(1024):
        k = rng.next(120)
        notes.append(" ".join(WORDS[rng.next(len(WORDS))] for _ in range(k)))
    blobs = [bytes(rng.next(256) for _ in range(rng.next(33))) for _ in range(256)]
    enc = lambda s: s.encode("utf-8")
    return ([(sql_string(n), zlib.crc32(enc(n))) for n in names],
            [(sql_string(n), zlib.crc32(enc(n)), len(enc(n))) for n in notes],
            [("0x" + b.hex().upper() if b else "''", zlib.crc32(b)) for b in blobs])


class Expected:
    """What the restored tables must contain, accumulated while generating."""

    def __init__(self):
        self.rows = 0
        self.sum_id = 0
        self.sum_user = 0
        self.sum_flags = 0
        self.n_score = 0
        self.sum_score4 = 0  # sum of score * 4 (scores are multiples of 0.25)
        self.n_amount = 0
        self.sum_amount = 0  # in cents
        self.n_created = 0
        self.crc_created = 0
        self.crc_name = 0
        self.n_note = 0
        self.crc_note = 0
        self.len_note = 0
        self.n_data = 0
        self.crc_data = 0
        self.events = 0
        self.sum_event_value = 0


def row_values(i, rng, pools, exp):
    names, notes, blobs = pools
    r = rng.next(1 << 30)
    user = (i * 7919) % 100003
    flags = (r % 256) - 128
    name, name_crc = names[(r >> 8) % len(names)]
    exp.rows += 1
    exp.sum_id += i
    exp.sum_user += user
    exp.sum_flags += flags
    exp.crc_name += name_crc
    v = [str(i), str(user), name]
    # score DOUBLE: NULL, integer, decimal, negative, e-notation (exact multiples of 1/4).
    q = (r >> 3) % 8
    if q < 2:
        v.append("NULL")
    else:
        s4 = (r >> 11) % 400000 - 200000
        exp.n_score += 1
        exp.sum_score4 += s4
        if q == 2 and s4 % 4 == 0:
            v.append(str(s4 // 4))
        elif q == 3 and s4 % 4 == 0 and s4 != 0:
            v.append(f"{s4 // 4}e0")
        else:
            v.append(repr(s4 / 4))
    # amount DECIMAL(12,2): NULL or signed cents.
    if (r >> 5) % 5 == 0:
        v.append("NULL")
    else:
        cents = (r >> 7) % 20000000 - 10000000
        exp.n_amount += 1
        exp.sum_amount += cents
        sign = "-" if cents < 0 else ""
        v.append(f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}")
    # created DATETIME: NULL or a quoted date.
    if (r >> 9) % 4 == 0:
        v.append("NULL")
    else:
        d = f"20{10 + r % 15}-{1 + (r >> 4) % 12:02d}-{1 + (r >> 6) % 28:02d} " \
            f"{(r >> 2) % 24:02d}:{(r >> 10) % 60:02d}:{(r >> 12) % 60:02d}"
        exp.n_created += 1
        exp.crc_created += zlib.crc32(d.encode())
        v.append("'" + d + "'")
    # note TEXT: NULL half of the time, else 0..~900 bytes of escaped utf8mb4.
    if (r >> 13) % 2 == 0:
        v.append("NULL")
    else:
        text, crc, ln = notes[(r >> 14) % len(notes)]
        exp.n_note += 1
        exp.crc_note += crc
        exp.len_note += ln
        v.append(text)
    v.append(str(flags))
    # data VARBINARY(32): NULL, '' or a hex literal (mysqldump --hex-blob).
    if (r >> 15) % 3 == 0:
        v.append("NULL")
    else:
        lit, crc = blobs[(r >> 16) % len(blobs)]
        exp.n_data += 1
        exp.crc_data += crc
        v.append(lit)
    return "(" + ",".join(v) + ")"


HEADER = """\
/*M!999999\\- enable the sandbox mode */ 
-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)
--
-- Host: 127.0.0.1    Database: {schema}
-- ------------------------------------------------------
-- Server version\t10.11.19-MariaDB-0+deb12u1-log

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;
/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;
/*!40101 SET NAMES utf8mb4 */;
/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;
/*!40103 SET TIME_ZONE='+00:00' */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;
/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;

--
-- Current Database: `{schema}`
--

CREATE DATABASE /*!32312 IF NOT EXISTS*/ `{schema}` /*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci */;

USE `{schema}`;
"""

TABLE = """
--
-- Table structure for table `{table}`
--

DROP TABLE IF EXISTS `{table}`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `{table}` (
{columns}
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `{table}`
--

LOCK TABLES `{table}` WRITE;
/*!40000 ALTER TABLE `{table}` DISABLE KEYS */;
"""

TABLE_END = """/*!40000 ALTER TABLE `{table}` ENABLE KEYS */;
UNLOCK TABLES;
"""

FOOTER = """/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;

/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;
/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;
/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;
/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;
/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;
/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;

-- Dump completed on 2026-12-04  1:35:22
"""

ROWS_COLUMNS = """\
  `id` bigint(20) NOT NULL,
  `user_id` int(11) NOT NULL,
  `name` varchar(64) NOT NULL,
  `score` double DEFAULT NULL,
  `amount` decimal(12,2) DEFAULT NULL,
  `created` datetime DEFAULT NULL,
  `note` text DEFAULT NULL,
  `flags` tinyint(4) NOT NULL,
  `data` varbinary(32) DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_user` (`user_id`)"""

EVENTS_COLUMNS = """\
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `kind` varchar(16) NOT NULL,
  `value` bigint(20) DEFAULT NULL,
  PRIMARY KEY (`id`)"""


def write_dump(path, target_bytes):
    """Writes the dump; returns (Expected, number of INSERT statements)."""
    rng = Lcg(20261204)
    pools = make_pools(rng)
    exp = Expected()
    inserts = 0
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(HEADER.format(schema=SCHEMA))
        # A small table first, in the older one-line extended-INSERT layout.
        f.write(TABLE.format(table=EVENTS_TABLE, columns=EVENTS_COLUMNS))
        rows = []
        for i in range(1, 2001):
            value = "NULL" if i % 7 == 0 else str((i * 37) % 1000 - 500)
            if value != "NULL":
                exp.sum_event_value += int(value)
            rows.append(f"({i},'{('ins', 'upd', 'del')[i % 3]}',{value})")
            exp.events += 1
            if i % 500 == 0:
                f.write(f"INSERT INTO `{EVENTS_TABLE}` VALUES " + ",".join(rows) + ";\n")
                inserts += 1
                rows = []
        f.write(TABLE_END.format(table=EVENTS_TABLE))
        # The big table, in mariadb-dump 10.11's layout: one row per line.
        f.write(TABLE.format(table=ROWS_TABLE, columns=ROWS_COLUMNS))
        written = f.tell()
        i = 0
        prefix = f"INSERT INTO `{ROWS_TABLE}` VALUES\n"
        while written < target_bytes:
            parts = []
            size = len(prefix)
            while size < STATEMENT_BYTES:
                i += 1
                row = row_values(i, rng, pools, exp)
                parts.append(row)
                size += len(row) + 2
            stmt = prefix + ",\n".join(parts) + ";\n"
            f.write(stmt)
            written += len(stmt.encode("utf-8"))
            inserts += 1
        f.write(TABLE_END.format(table=ROWS_TABLE))
        f.write(FOOTER)
    return exp, inserts


class RssSampler:
    """Samples a process's VmRSS every `period` seconds in a thread."""

    def __init__(self, pid, period=0.2):
        self.pid = pid
        self.period = period
        self.peak_kib = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def status(self, field):
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        return 0

    def _run(self):
        while not self._stop.is_set():
            try:
                self.peak_kib = max(self.peak_kib, self.status("VmRSS"))
                self.samples += 1
            except OSError:
                return
            self._stop.wait(self.period)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def build_of(pid):
    """'asan' when the proxy runs with AddressSanitizer, else 'release'."""
    try:
        maps = Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return "release"
    return "asan" if "libasan" in maps else "release"


def drop_schema():
    c = connect(database=None)
    try:
        with c.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{SCHEMA}`")
    finally:
        c.close()


CHECK_SQL = f"""
SELECT COUNT(*), SUM(id), SUM(user_id), SUM(flags), COUNT(score), SUM(score * 4),
       COUNT(amount), SUM(amount), COUNT(created), SUM(CRC32(created)), SUM(CRC32(name)),
       COUNT(note), SUM(CRC32(note)), SUM(LENGTH(note)), COUNT(data), SUM(CRC32(data))
FROM `{SCHEMA}`.`{ROWS_TABLE}`"""


def test_restore_dump_through_proxy(sandbox, proxy):
    mariadb = shutil.which("mariadb")
    if mariadb is None:
        pytest.skip("the mariadb CLI is not installed")
    var = ROOT / "var"
    var.mkdir(exist_ok=True)
    tmpdir = Path(tempfile.mkdtemp(prefix="dump-restore-", dir=var))
    dump = tmpdir / "dump.sql"
    try:
        t0 = time.monotonic()
        exp, inserts = write_dump(dump, DUMP_MIB << 20)
        gen_s = time.monotonic() - t0
        size_mib = dump.stat().st_size / (1 << 20)
        drop_schema()

        sampler = None
        baseline_kib = proxy.rss_kib() if proxy.pid else 0
        t0 = time.monotonic()
        with open(dump, "rb") as f:
            cmd = [mariadb, f"-h{HOST}", f"-P{PORT}", f"-u{USER}", f"-p{PASSWORD}"]
            if proxy.pid:
                with RssSampler(proxy.pid) as sampler:
                    r = subprocess.run(cmd, stdin=f, capture_output=True, timeout=900)
            else:
                r = subprocess.run(cmd, stdin=f, capture_output=True, timeout=900)
        restore_s = time.monotonic() - t0
        assert r.returncode == 0, (
            f"mariadb exited {r.returncode}: {r.stderr.decode(errors='replace')[-2000:]}")
        assert proxy.alive(), "proxy died during the restore:\n" + proxy.log_tail()

        c = connect(database=SCHEMA, read_timeout=300)
        try:
            with c.cursor() as cur:
                cur.execute(CHECK_SQL)
                got = cur.fetchone()
                cur.execute(f"SELECT COUNT(*), SUM(value) FROM `{EVENTS_TABLE}`")
                events = cur.fetchone()
        finally:
            c.close()
        want = (exp.rows, exp.sum_id, exp.sum_user, exp.sum_flags, exp.n_score, exp.sum_score4,
                exp.n_amount, Decimal(exp.sum_amount) / 100, exp.n_created, exp.crc_created,
                exp.crc_name, exp.n_note, exp.crc_note, exp.len_note, exp.n_data, exp.crc_data)
        names = ("rows", "sum(id)", "sum(user_id)", "sum(flags)", "count(score)",
                 "sum(score*4)", "count(amount)", "sum(amount)", "count(created)",
                 "crc(created)", "crc(name)", "count(note)", "crc(note)", "length(note)",
                 "count(data)", "crc(data)")
        got_n = tuple(Decimal(str(v)) if v is not None else None for v in got)
        want_n = tuple(Decimal(str(v)) for v in want)
        diffs = [f"{n}: got {g}, want {w}" for n, g, w in zip(names, got_n, want_n) if g != w]
        assert not diffs, "restored data differs from the dump:\n" + "\n".join(diffs)
        assert tuple(int(v) for v in events) == (exp.events, exp.sum_event_value)

        msg = (f"dump {size_mib:.0f} MiB ({inserts} INSERTs, {exp.rows} rows) generated in "
               f"{gen_s:.1f} s; restored through {HOST}:{PORT} in {restore_s:.1f} s")
        if sampler is not None:
            build = build_of(proxy.pid)
            bound = int(os.environ.get("SP_DUMP_RSS_MIB", RSS_GROWTH_BOUND_MIB[build]))
            before_mib = baseline_kib / 1024
            peak_mib = sampler.peak_kib / 1024
            msg += (f"; proxy ({build}) RSS {before_mib:.0f} MiB before, peak {peak_mib:.0f} MiB"
                    f" ({sampler.samples} samples; VmHWM {sampler.status('VmHWM') / 1024:.0f}"
                    f" MiB), growth bound {bound} MiB")
            print(msg)
            assert sampler.samples > 0
            assert peak_mib - before_mib < bound, msg
        else:
            print(msg + " (direct: no proxy RSS)")
    finally:
        if os.environ.get("SP_DUMP_KEEP") != "1":
            shutil.rmtree(tmpdir, ignore_errors=True)
        try:
            drop_schema()
        except Exception:
            pass
