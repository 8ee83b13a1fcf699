#!/usr/bin/python3
"""Writes the SQL of the trade/account demo (scripts/demo-data.sh).

    generate.py --target proxy|ref [--prefix P] [--out FILE]

The rows are the same for every target and every run (a fixed linear
congruential generator, no clock, no `random` module); only the DDL differs:
--target proxy adds the sharding clauses (DBPARTITION BY HASH / BROADCAST),
--target ref writes plain CREATE TABLE for the stand-alone reference server.
--prefix is put before every table name (tests load the demo as `rt_...`).

Every statement is idempotent as a whole: DROP TABLE IF EXISTS, CREATE TABLE,
then multi-row INSERTs that name their columns.
"""

import argparse
import sys

ROWS_PER_INSERT = 100

N_MERCHANTS = 40
N_BUYERS = 500
N_ORDERS = 2000
N_ACCOUNTS = 1000
N_LEDGER_ACCOUNTS = 600

STATUSES = ("new", "paid", "shipped", "delivered", "cancelled", "refunded")
CITIES = ("Berlin", "Lisboa", "Hangzhou", "Osaka", "Nairobi", "Lima", "Oslo", "Quito")
SKUS = ("SKU-TEA", "SKU-MUG", "SKU-PEN", "SKU-LAMP", "SKU-BOOK", "SKU-SOCK", "SKU-CAP")
FIRST = ("Ana", "Bo", "Chen", "Dara", "Eli", "Femi", "Gus", "Hana", "Ivo", "Jun")
LAST = ("Silva", "Berg", "Wang", "Okafor", "Kim", "Rossi", "Novak", "Sato")

# Edge keys, kept so that the tests find them in the demo (see docs/SHARDING.md,
# "Canonical bytes"): integer keys 0, negative, the BIGINT limits; unsigned keys
# beyond the signed range; general_ci string keys that differ only in case,
# accents, trailing blanks, a character above U+FFFF and the empty string.
EDGE_BUYERS = (0, -7, 9223372036854775807, -9223372036854775808)
EDGE_USERS = (0, 9223372036854775808, 18446744073709551615)
EDGE_LEDGER = (
    # (account_id, entry_no): equal ids under utf8mb4_general_ci share one
    # primary-key space, so their entry numbers differ.
    ("Ab", 1), ("aB ", 2),                  # 'Ab' = 'aB' = 'ab  '
    ("Müller", 1), ("MULLER", 2), ("muller", 3),   # ü weighs as U
    ("Straße", 1),                          # ß weighs as S: = 'STRASE'
    ("Zoë", 1), ("Åsa", 1), ("İpek", 1),
    ("acc-😀", 1),                          # above U+FFFF: weight FFFD
    ("", 1),                                # empty: the empty canonical bytes
)


class Lcg:
    """Knuth's MMIX LCG: the same numbers on every machine and Python."""

    def __init__(self, seed):
        self.x = seed & 0xFFFFFFFFFFFFFFFF

    def next(self, n):
        self.x = (self.x * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
        return (self.x >> 33) % n


def q(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'"


def dt(day, second):
    """A DATETIME in 2025: day 0..364, second 0..86399."""
    days = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    m = 0
    while day >= days[m]:
        day -= days[m]
        m += 1
    return "'2025-%02d-%02d %02d:%02d:%02d'" % (m + 1, day + 1, second // 3600,
                                              second // 60 % 60, second % 60)


def inserts(out, table, columns, rows):
    for i in range(0, len(rows), ROWS_PER_INSERT):
        chunk = rows[i:i + ROWS_PER_INSERT]
        out.append("INSERT INTO %s (%s) VALUES\n%s;" % (
            table, ", ".join(columns), ",\n".join("(" + ", ".join(r) + ")" for r in chunk)))


TRADE_DDL = {
    "merchants": (
        "CREATE TABLE {t} (\n"
        "  merchant_id INT NOT NULL PRIMARY KEY,\n"
        "  name VARCHAR(64) NOT NULL,\n"
        "  city VARCHAR(32) NOT NULL\n"
        ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci", None),
    "orders": (
        "CREATE TABLE {t} (\n"
        "  order_id BIGINT NOT NULL PRIMARY KEY,\n"
        "  buyer_id BIGINT NOT NULL,\n"
        "  merchant_id INT NOT NULL,\n"
        "  amount DECIMAL(12,2) NOT NULL,\n"
        "  status VARCHAR(16) NOT NULL,\n"
        "  created DATETIME NOT NULL,\n"
        "  KEY (buyer_id)\n"
        ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci", "buyer_id"),
    "order_items": (
        "CREATE TABLE {t} (\n"
        "  item_id BIGINT NOT NULL PRIMARY KEY,\n"
        "  order_id BIGINT NOT NULL,\n"
        "  buyer_id BIGINT NOT NULL,\n"
        "  sku VARCHAR(32) NOT NULL,\n"
        "  qty INT NOT NULL,\n"
        "  price DECIMAL(12,2) NOT NULL,\n"
        "  KEY (buyer_id, order_id)\n"
        ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci", "buyer_id"),
}
ACCOUNT_DDL = {
    "accounts": (
        "CREATE TABLE {t} (\n"
        "  user_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,\n"
        "  name VARCHAR(64) NOT NULL,\n"
        "  email VARCHAR(128) NOT NULL,\n"
        "  balance DECIMAL(14,2) NOT NULL,\n"
        "  created DATETIME NOT NULL\n"
        ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci", "user_id"),
    "ledger": (
        "CREATE TABLE {t} (\n"
        "  account_id VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NOT NULL,\n"
        "  entry_no INT NOT NULL,\n"
        "  user_id BIGINT UNSIGNED NOT NULL,\n"
        "  amount DECIMAL(14,2) NOT NULL,\n"
        "  memo VARCHAR(64) NOT NULL,\n"
        "  created DATETIME NOT NULL,\n"
        "  PRIMARY KEY (account_id, entry_no)\n"
        ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci", "account_id"),
}
# (schema, table) in load order; DROP runs in the reverse order.
TABLES = (("trade", "merchants"), ("trade", "orders"), ("trade", "order_items"),
          ("account", "accounts"), ("account", "ledger"))
# The shard key of each sharded table (None: broadcast).
SHARD_KEYS = {t: ddl[1] for t, ddl in list(TRADE_DDL.items()) + list(ACCOUNT_DDL.items())}


def demo_rows():
    """{table: (columns, rows)}, each row a list of SQL literals, in load order."""
    r = Lcg(20251204)
    data = {}
    merchants = [[str(m), q("%s %s" % (LAST[m % len(LAST)], ("Shop", "Store", "Mart", "Bazaar")[m % 4])),
                  q(CITIES[m % len(CITIES)])] for m in range(1, N_MERCHANTS + 1)]
    data["merchants"] = (("merchant_id", "name", "city"), merchants)

    orders, items = [], []
    item_id = 1
    for o in range(1, N_ORDERS + 1):
        order_id = 100000 + o
        if o <= len(EDGE_BUYERS):
            buyer = EDGE_BUYERS[o - 1]
        else:
            buyer = 1 + r.next(N_BUYERS)
        merchant = 1 + r.next(N_MERCHANTS)
        status = STATUSES[r.next(len(STATUSES))]
        created = dt(r.next(365), r.next(86400))
        total = 0
        for _ in range(1 + r.next(4)):
            qty = 1 + r.next(5)
            cents = 99 + r.next(20000)
            total += qty * cents
            items.append([str(item_id), str(order_id), str(buyer), q(SKUS[r.next(len(SKUS))]),
                          str(qty), "%d.%02d" % (cents // 100, cents % 100)])
            item_id += 1
        orders.append([str(order_id), str(buyer), str(merchant),
                       "%d.%02d" % (total // 100, total % 100), q(status), created])
    data["orders"] = (("order_id", "buyer_id", "merchant_id", "amount", "status", "created"), orders)
    data["order_items"] = (("item_id", "order_id", "buyer_id", "sku", "qty", "price"), items)

    users = []
    for u in range(1, N_ACCOUNTS + 1):
        if u <= len(EDGE_USERS):
            uid = EDGE_USERS[u - 1]
        else:
            uid = 1000000 + u * 7919  # spread, not 1..n
        users.append(uid)
    accounts = []
    for i, uid in enumerate(users):
        first, last = FIRST[r.next(len(FIRST))], LAST[r.next(len(LAST))]
        cents = r.next(10000000)
        accounts.append([str(uid), q("%s %s" % (first, last)),
                         q("%s.%s%d@example.com" % (first.lower(), last.lower(), i)),
                         "%d.%02d" % (cents // 100, cents % 100), dt(r.next(365), r.next(86400))])
    data["accounts"] = (("user_id", "name", "email", "balance", "created"), accounts)

    ledger = []
    for a in range(1, N_LEDGER_ACCOUNTS + 1):
        for e in range(1, 2 + r.next(5)):
            ledger.append(("ACC-%05d" % a, e))
    ledger.extend(EDGE_LEDGER)
    ledger_rows = []
    for acc, e in ledger:
        cents = r.next(200000) - 100000
        sign = "-" if cents < 0 else ""
        cents = abs(cents)
        ledger_rows.append([q(acc), str(e), str(users[r.next(len(users))]),
                            "%s%d.%02d" % (sign, cents // 100, cents % 100),
                            q(("deposit", "withdrawal", "fee", "refund", "transfer")[r.next(5)]),
                            dt(r.next(365), r.next(86400))])
    data["ledger"] = (("account_id", "entry_no", "user_id", "amount", "memo", "created"), ledger_rows)
    return data


def generate(target, prefix):
    sharded = target == "proxy"
    data = demo_rows()
    out = ["-- shardproxy demo data (scripts/demo-data.sh, target %s). Generated; do not edit." % target,
           "SET NAMES utf8mb4;"]
    for schema, ddls in (("trade", TRADE_DDL), ("account", ACCOUNT_DDL)):
        out.append("USE %s;" % schema)
        names = [t for s, t in TABLES if s == schema]
        for t in reversed(names):
            out.append("DROP TABLE IF EXISTS %s%s;" % (prefix, t))
        for t in names:
            sql, key = ddls[t]
            clause = ""
            if sharded:
                clause = " DBPARTITION BY HASH(%s)" % key if key else " BROADCAST"
            out.append(sql.format(t=prefix + t) + clause + ";")
        for t in names:
            columns, rows = data[t]
            inserts(out, prefix + t, columns, rows)
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--target", choices=("proxy", "ref"), required=True)
    ap.add_argument("--prefix", default="")
    ap.add_argument("--out", default="-")
    a = ap.parse_args()
    if a.prefix and not all(c.isalnum() or c == "_" for c in a.prefix):
        ap.error("--prefix: letters, digits and _ only")
    sql = generate(a.target, a.prefix)
    if a.out == "-":
        sys.stdout.write(sql)
    else:
        with open(a.out, "w", encoding="utf-8") as f:
            f.write(sql)


if __name__ == "__main__":
    main()
