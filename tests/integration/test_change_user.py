"""COM_CHANGE_USER and COM_RESET_CONNECTION from libmysqlclient: the C++
program tests/drivers/change_user_test.cc (built by the root CMake as
`change_user_test`) run against the target and direct; the state after each
reset must be what MariaDB gives, and the observations equal."""

import os
import subprocess
from pathlib import Path

import pytest

from conftest import BUILD_DIR, DB, DIRECT_HOST, DIRECT_PORT, HOST, PASSWORD, PORT, USER

BIN = Path(os.environ.get("CHANGE_USER_TEST_BIN",
                          str(BUILD_DIR / "tests/drivers/change_user_test")))


def run(host, port):
    r = subprocess.run([str(BIN), host, str(port), USER, PASSWORD, DB],
                       capture_output=True, text=True, timeout=120)
    return r.returncode, r.stdout, r.stderr


def test_change_user_and_reset_connection(schema, proxy):
    if not BIN.exists():
        pytest.fail(f"{BIN} not built (cmake --build <dir> --target change_user_test)")
    rc, out, err = run(HOST, PORT)
    assert rc == 0, f"through {HOST}:{PORT}:\n{out}\n{err}"
    rc_d, out_d, err_d = run(DIRECT_HOST, DIRECT_PORT)
    assert rc_d == 0, f"direct:\n{out_d}\n{err_d}"
    assert out.splitlines() == out_d.splitlines()
    assert proxy.alive()
