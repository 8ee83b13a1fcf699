"""Session state lost with a killed backend thread, from Go's database/sql
with Debian's go-sql-driver/mysql: tests/drivers/go/state_loss.go (built
offline in GOPATH mode, like prepared.go). The program exits non-zero on any
mismatch. Direct (SP_PORT a MariaDB port) it runs in "direct" mode: MariaDB
closes the killed connection, which proves the program's logic."""

import subprocess

import pytest

from conftest import (go_build, DB, DIRECT_HOST, DIRECT_MODE, DIRECT_PORT, HOST, MONITOR_PASSWORD,
                      MONITOR_USER, PASSWORD, PORT, ROOT, USER)

SRC = ROOT / "tests/drivers/go/state_loss.go"


@pytest.fixture(scope="module")
def go_binary(tmp_path_factory):
    return go_build(SRC, tmp_path_factory.mktemp("go") / "state_loss")


@pytest.mark.sandbox
def test_go_state_loss(schema, proxy, go_binary):
    mode = "direct" if DIRECT_MODE else "proxy"
    r = subprocess.run([str(go_binary), HOST, str(PORT), USER, PASSWORD, DB, DIRECT_HOST,
                        str(DIRECT_PORT), MONITOR_USER, MONITOR_PASSWORD, mode],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, f"{r.stdout}\n{r.stderr}"
    assert "go state loss: ok" in r.stdout
    assert proxy.alive(), "proxy died:\n" + proxy.log_tail()
