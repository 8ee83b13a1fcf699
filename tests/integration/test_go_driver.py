"""Prepared statements from a real driver: Go's database/sql with Debian's
go-sql-driver/mysql (offline, GOPATH mode). The program is
tests/drivers/go/prepared.go; it exits non-zero on any mismatch."""

import os
import shutil
import subprocess

import pytest

from conftest import DB, HOST, PASSWORD, PORT, ROOT, USER

SRC = ROOT / "tests/drivers/go/prepared.go"


@pytest.fixture(scope="module")
def go_binary(tmp_path_factory):
    go = shutil.which("go") or "/usr/lib/go/bin/go"
    out = tmp_path_factory.mktemp("go") / "prepared"
    env = dict(os.environ, GOPATH="/usr/share/gocode", GO111MODULE="off", GOFLAGS="",
               GOCACHE=str(ROOT / "var/go-cache"), CGO_ENABLED="0")
    r = subprocess.run([go, "build", "-o", str(out), str(SRC)], env=env, capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, f"go build failed:\n{r.stdout}\n{r.stderr}"
    return out


def test_go_prepared_statements(schema, proxy, go_binary):
    r = subprocess.run([str(go_binary), HOST, str(PORT), USER, PASSWORD, DB],
                       capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, f"{r.stdout}\n{r.stderr}"
    assert "ok" in r.stdout
    assert proxy.alive()
