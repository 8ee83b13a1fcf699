"""The sandbox's stand-alone reference instance `ref` (127.0.0.1:23399).

Differential tests load the same rows into ref as into the sharded tables and
compare what the proxy answers with what one plain MariaDB answers; that only
means something if ref is a server of its own: up, writable, replicating from
nobody and to nobody, with the same users and application schemas as the group
instances (scripts/sandbox.sh, /work/shared/DESIGN.md "The sandbox contract").

These talk to MariaDB directly (no proxy): run with SP_PORT=23306 or through
scripts/test.sh. The `sandbox` fixture starts the sandbox (ref included) when
one of its ports does not answer.
"""

import uuid

import pymysql
import pytest

from conftest import MONITOR_PASSWORD, MONITOR_USER, PASSWORD, USER, port_open, rows_of

pytestmark = pytest.mark.sandbox

REF_HOST = "127.0.0.1"
REF_PORT = 23399
# The group instances, each of which must not see what is written on ref.
GROUP_PORTS = (23306, 23307, 23316, 23317)
# Created on every instance by scripts/sandbox.sh (APP_SCHEMAS).
APP_SCHEMAS = {"trade", "account", "app", "sbtest", "test"}
CHECK_DB = "test_ref_check"


def _connect(port, user=USER, password=PASSWORD, host=REF_HOST, **kw):
    args = dict(host=host, port=port, user=user, password=password, charset="utf8mb4",
                autocommit=True, connect_timeout=10, read_timeout=30, write_timeout=30)
    args.update(kw)
    return pymysql.connect(**args)


@pytest.fixture
def ref(sandbox):
    """app on ref."""
    if not port_open(REF_HOST, REF_PORT):
        pytest.fail(f"ref does not answer on {REF_HOST}:{REF_PORT}: scripts/sandbox.sh up ref")
    c = _connect(REF_PORT)
    yield c
    c.close()


@pytest.fixture
def ref_monitor(sandbox):
    """monitor on ref (may read replication status)."""
    c = _connect(REF_PORT, user=MONITOR_USER, password=MONITOR_PASSWORD)
    yield c
    c.close()


def test_ref_is_up_on_its_port(ref):
    (port, server_id, packet), = rows_of(ref, "SELECT @@port, @@server_id, @@max_allowed_packet")
    assert port == REF_PORT
    assert packet == 64 * 1024 * 1024
    # server_id unique among the sandbox instances.
    others = set()
    for p in GROUP_PORTS:
        if port_open(REF_HOST, p):
            c = _connect(p)
            try:
                others.add(rows_of(c, "SELECT @@server_id")[0][0])
            finally:
                c.close()
    assert server_id not in others, f"ref server_id {server_id} also on a group instance"


def test_ref_is_writable(ref):
    (ro,), = rows_of(ref, "SELECT @@global.read_only")
    assert ro == 0, "ref must be read_only=OFF"


def test_ref_is_not_a_replica(ref_monitor):
    assert rows_of(ref_monitor, "SHOW SLAVE STATUS") == ()
    assert rows_of(ref_monitor, "SHOW ALL SLAVES STATUS") == ()
    # ...and no replica follows it.
    assert rows_of(ref_monitor, "SHOW SLAVE HOSTS") == ()


def test_ref_has_the_users_and_schemas(ref):
    names = {r[0] for r in rows_of(ref, "SHOW DATABASES")}
    assert APP_SCHEMAS <= names, f"missing on ref: {APP_SCHEMAS - names}"
    # app has data privileges on application schemas only: nothing global but USAGE.
    grants = [r[0] for r in rows_of(ref, "SHOW GRANTS")]
    globals_ = [g for g in grants if " ON *.* " in g]
    assert all(g.startswith("GRANT USAGE ON *.*") for g in globals_), globals_
    with pytest.raises(pymysql.err.OperationalError) as e:
        with ref.cursor() as cur:
            cur.execute("CREATE DATABASE ref_not_an_app_schema")
    assert e.value.args[0] == 1044  # ER_DBACCESS_DENIED_ERROR


def test_ref_is_an_independent_server(ref):
    token = uuid.uuid4().hex
    with ref.cursor() as cur:
        cur.execute(f"CREATE DATABASE IF NOT EXISTS `{CHECK_DB}`")
        cur.execute(f"CREATE TABLE IF NOT EXISTS `{CHECK_DB}`.t "
                    "(id INT AUTO_INCREMENT PRIMARY KEY, token CHAR(32) NOT NULL)")
        cur.execute(f"INSERT INTO `{CHECK_DB}`.t (token) VALUES (%s)", (token,))
    try:
        assert rows_of(ref, f"SELECT COUNT(*) FROM `{CHECK_DB}`.t WHERE token = %s",
                       (token,)) == ((1,),)
        # Not on g0's master (required), nor on any other group instance that is up.
        checked = []
        for p in GROUP_PORTS:
            if p != 23306 and not port_open(REF_HOST, p):
                continue
            c = _connect(p)
            try:
                tables = rows_of(c, "SELECT COUNT(*) FROM information_schema.tables "
                                    "WHERE table_schema = %s AND table_name = 't'", (CHECK_DB,))
                if tables[0][0]:
                    found = rows_of(c, f"SELECT COUNT(*) FROM `{CHECK_DB}`.t WHERE token = %s",
                                    (token,))
                    assert found == ((0,),), f"a row written on ref is on port {p}"
            finally:
                c.close()
            checked.append(p)
        assert 23306 in checked
    finally:
        with ref.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{CHECK_DB}`")
