"""The `mariadb` command-line client through the target."""

import os
import pty
import re
import select
import signal
import subprocess
import time

import pytest

from conftest import (DB, DIRECT_HOST, DIRECT_PORT, HOST, PASSWORD, PORT, USER,
                      connect_monitor, rows_of)

SCRIPT = """\
DROP TABLE IF EXISTS cli_orders;
CREATE TABLE cli_orders (
  id INT AUTO_INCREMENT PRIMARY KEY,
  customer VARCHAR(40) NOT NULL,
  amount DECIMAL(10,2),
  placed DATE,
  note TEXT
) CHARACTER SET utf8mb4;
INSERT INTO cli_orders (customer, amount, placed, note) VALUES
  ('alice', 10.50, '2024-01-01', NULL),
  ('bob', 99.99, '2024-02-29', 'tab\there'),
  ('carol', NULL, NULL, 'ünïcødé 日本 😀'),
  ('dave', 0, '1999-12-31', '');
SELECT LAST_INSERT_ID();
UPDATE cli_orders SET amount = amount * 2 WHERE amount > 5;
DELETE FROM cli_orders WHERE customer = 'dave';
SELECT * FROM cli_orders ORDER BY id;
SELECT customer, amount FROM cli_orders WHERE amount IS NULL;
SELECT COUNT(*), SUM(amount), MAX(placed) FROM cli_orders;
ALTER TABLE cli_orders ADD COLUMN flag TINYINT DEFAULT 1;
SELECT id, flag FROM cli_orders ORDER BY id DESC LIMIT 2;
SET @x = 'user var';
SELECT @x, DATABASE(), 1 + 1;
SELECT CAST('abc' AS SIGNED);
SHOW WARNINGS;
START TRANSACTION;
INSERT INTO cli_orders (customer) VALUES ('eve');
ROLLBACK;
SELECT COUNT(*) FROM cli_orders;
SHOW CREATE TABLE cli_orders;
SELECT * FROM cli_orders_missing;
SELECT 'after error';
DROP TABLE cli_orders;
"""


def run_cli(host, port, script):
    # --force: continue after the deliberate error; -vvv: echo statements and
    # "Query OK, n rows affected" lines; --table: boxed output like interactive.
    cmd = ["mariadb", "--no-defaults", "-h", host, "-P", str(port), "-u", USER,
           f"-p{PASSWORD}", "--protocol=TCP", "--force", "--table", "-vvv",
           "--show-warnings", "--default-character-set=utf8mb4", DB]
    r = subprocess.run(cmd, input=script, capture_output=True, text=True, timeout=60)
    # Timings differ run to run.
    norm = re.sub(r"\(\d+\.\d+ sec\)", "(T sec)", r.stdout)
    return r.returncode, norm, r.stderr


def test_cli_script_output_equal_to_direct(schema, proxy):
    rc_p, out_p, err_p = run_cli(HOST, PORT, SCRIPT)
    rc_d, out_d, err_d = run_cli(DIRECT_HOST, DIRECT_PORT, SCRIPT)
    assert out_p == out_d
    assert err_p == err_d
    assert rc_p == rc_d
    assert "ERROR 1146 (42S02)" in err_p
    assert "ünïcødé 日本 😀" in out_p
    assert "after error" in out_p
    assert "Query OK, 4 rows affected" in out_p
    assert proxy.alive()


def read_until(fd, patterns, timeout):
    """Read from the pty until one of the byte patterns appears; returns
    (buffer, matched pattern or None)."""
    buf = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            buf += chunk
            for p in patterns:
                if p in buf:
                    return buf, p
    return buf, None


def app_sleeps():
    m = connect_monitor()
    try:
        return [r for r in rows_of(m, "SELECT ID, USER, INFO FROM information_schema.PROCESSLIST"
                                      " WHERE INFO LIKE 'SELECT SLEEP(30)%'") if r[1] == USER]
    finally:
        m.close()


def test_cli_ctrl_c_kills_query(schema, proxy):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "dumb"
        os.execvp("mariadb", ["mariadb", "--no-defaults", "-h", HOST, "-P", str(PORT), "-u",
                              USER, f"-p{PASSWORD}", "--protocol=TCP", DB])
    try:
        buf, m = read_until(fd, [b"]> "], 15)
        assert m, f"no prompt: {buf!r}"
        os.write(fd, b"SELECT SLEEP(30);\n")
        time.sleep(1.5)
        assert len(app_sleeps()) == 1, "the SLEEP is not running on the server"
        t0 = time.monotonic()
        os.write(fd, b"\x03")  # Ctrl-C: the CLI sends KILL QUERY <id> on a new connection
        buf, m = read_until(fd, [b"Query execution was interrupted", b"]> "], 10)
        elapsed = time.monotonic() - t0
        assert m, f"no reaction to Ctrl-C within 10 s: {buf!r}"
        if m == b"]> ":
            buf += read_until(fd, [b"interrupted"], 1)[0]
        text = buf.decode(errors="replace")
        assert "Ctrl-C -- query killed" in text or "Query execution was interrupted" in text, text
        assert "Query execution was interrupted" in text or "1317" in text, text
        assert elapsed < 5, f"Ctrl-C took {elapsed:.1f}s"
        assert app_sleeps() == [], "SLEEP still running on the server after Ctrl-C"
        # The CLI session goes on.
        read_until(fd, [b"]> "], 5)
        os.write(fd, b"SELECT 'still connected';\n")
        buf, m = read_until(fd, [b"still connected |"], 10)
        assert m, buf
        os.write(fd, b"quit\n")
        read_until(fd, [b"Bye"], 5)
    finally:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
        os.close(fd)
    assert proxy.alive()
