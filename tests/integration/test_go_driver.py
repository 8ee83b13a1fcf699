"""Prepared statements from a real driver: Go's database/sql with Debian's
go-sql-driver/mysql (offline, GOPATH mode). The program is
tests/drivers/go/prepared.go; it exits non-zero on any mismatch."""

import subprocess

import pytest

from conftest import go_build, DB, HOST, PASSWORD, PORT, ROOT, USER

SRC = ROOT / "tests/drivers/go/prepared.go"


@pytest.fixture(scope="module")
def go_binary(tmp_path_factory):
    return go_build(SRC, tmp_path_factory.mktemp("go") / "prepared")


def test_go_prepared_statements(schema, proxy, go_binary):
    r = subprocess.run([str(go_binary), HOST, str(PORT), USER, PASSWORD, DB],
                       capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, f"{r.stdout}\n{r.stderr}"
    assert "ok" in r.stdout
    assert proxy.alive()
