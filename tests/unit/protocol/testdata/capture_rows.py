#!/usr/bin/python3
"""Captures real MariaDB result-set packets for row_codec_test.cc.

Run against the sandbox `ref` instance (127.0.0.1:23399, app/app):
    /usr/bin/python3 tests/unit/protocol/testdata/capture_rows.py > /tmp/rows.txt
Prints, for every column of a TEMPORARY table (so nothing persists), its
column-definition payload, and per row the text-protocol payload (COM_QUERY)
and the binary-protocol payload (COM_STMT_EXECUTE), all in hex. The test's
golden vectors were pasted from this output.
"""
import struct
import sys

import pymysql

COLUMNS = [
    ("ti", "TINYINT"), ("tiu", "TINYINT UNSIGNED"), ("si", "SMALLINT"), ("mi", "MEDIUMINT"),
    ("i", "INT"), ("iu", "INT UNSIGNED"), ("bi", "BIGINT"), ("biu", "BIGINT UNSIGNED"),
    ("z", "INT(6) ZEROFILL"), ("f", "FLOAT"), ("d", "DOUBLE"), ("d3", "DOUBLE(10,3)"),
    ("f2", "FLOAT(7,2)"), ("de", "DECIMAL(10,2)"), ("y", "YEAR"), ("da", "DATE"),
    ("dt", "DATETIME"), ("dt3", "DATETIME(3)"), ("ts", "TIMESTAMP(6) NULL"), ("tm", "TIME"),
    ("tm2", "TIME(2)"), ("c", "CHAR(10)"), ("vc", "VARCHAR(20)"), ("bl", "BLOB"),
    ("e", "ENUM('a','bb')"), ("st", "SET('x','y')"), ("bt", "BIT(10)"), ("js", "JSON"),
]

ROWS = [
    "(1, 255, -32768, -8388608, -2147483648, 4294967295, -9223372036854775808,"
    " 18446744073709551615, 42, 0.1, 0.1, 1.5, 3.14159, 12345678.91, 2024, '2024-02-29',"
    " '2024-02-29 13:14:15', '2024-02-29 13:14:15.120', '2024-02-29 13:14:15.000001',"
    " '-838:59:59', '12:34:56.78', 'abc', 'hello', x'00ff', 'bb', 'x,y', b'1010101010',"
    " '{\"a\": 1}')",
    "(-1, 0, 0, 8388607, 0, 0, 0, 0, 0, 3.4e38, 1e100, -0.0005, -1, -0.01, 1901, '1000-01-01',"
    " '9999-12-31 23:59:59', '2000-01-01 00:00:00', '1970-01-02 00:00:00', '00:00:00',"
    " '-00:00:01.50', '', '', '', 'a', '', b'0', '[]')",
    "(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 1.17549e-38, 1.2345678901234567e-5,"
    " 123456.7891, 99999.99, 0, 0, '0000-00-00', '0000-00-00 00:00:00', NULL, NULL,"
    " '100:00:00', '838:59:59', NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
    "(0, 1, 1, 1, 1, 1, 1, 1, 1, 16777217, 123456789012345678, 0, 0, 0, 2155, NULL, NULL,"
    " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
    "(2, 2, 2, 2, 2, 2, 2, 2, 2, 1e15, 1e15, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL,"
    " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
    "(3, 3, 3, 3, 3, 3, 3, 3, 3, 1e16, 1e16, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL,"
    " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
    "(4, 4, 4, 4, 4, 4, 4, 4, 4, 0.0001, 0.0001, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL,"
    " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
    "(5, 5, 5, 5, 5, 5, 5, 5, 5, 0.00001, 0.00001, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL,"
    " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
    "(6, 6, 6, 6, 6, 6, 6, 6, 6, 1.2345678, 0.30000000000000004, 0, 0, 0, NULL, NULL, NULL,"
    " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
    "(7, 7, 7, 7, 7, 7, 7, 7, 7, -123.456, -1.5e-300, 0, 0, 0, NULL, NULL, NULL,"
    " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
    "(8, 8, 8, 8, 8, 8, 8, 8, 8, 100, 1e21, 0, 0, 0, NULL, NULL, NULL,"
    " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
]


def read_all(conn):
    out = []
    while True:
        p = conn._read_packet().get_all_data()
        out.append(p)
        if p[:1] == b"\xfe" and len(p) < 9:
            return out


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 23399
    conn = pymysql.connect(host="127.0.0.1", port=port, user="app", password="app",
                           database="test", sql_mode="")
    cur = conn.cursor()
    cur.execute("SET time_zone = '+00:00'")
    cur.execute("CREATE TEMPORARY TABLE rc (k INT AUTO_INCREMENT PRIMARY KEY, "
                + ", ".join(f"{n} {t}" for n, t in COLUMNS) + ")")
    names = ", ".join(n for n, _ in COLUMNS)
    for r in ROWS:
        cur.execute(f"INSERT INTO rc ({names}) VALUES {r}")
    sql = f"SELECT {names} FROM rc ORDER BY k"

    # Text protocol: column count, defs, EOF, rows, EOF.
    conn._execute_command(0x03, sql)
    pkts = read_all(conn)  # count + defs + EOF
    ncols = pkts[0][0]
    for p in pkts[1:1 + ncols]:
        print("coldef", p.hex())
    for p in read_all(conn)[:-1]:
        print("text", p.hex())

    # Binary protocol.
    conn._execute_command(0x16, sql)
    ok = conn._read_packet().get_all_data()
    stmt_id, = struct.unpack_from("<I", ok, 1)
    read_all(conn)  # column defs + EOF (no params)
    conn._execute_command(0x17, struct.pack("<IBI", stmt_id, 0, 1))
    read_all(conn)  # count + defs + EOF
    for p in read_all(conn)[:-1]:
        print("binary", p.hex())
    conn.close()


if __name__ == "__main__":
    main()
