#!/usr/bin/python3
"""Generates router/vpart/collation_tables.inc: the collation weights that
router/vpart needs, read from a running MariaDB with WEIGHT_STRING().

    /usr/bin/python3 router/vpart/tools/gen_collation_tables.py \
        [--host 127.0.0.1] [--port 23306] [--user app] [--password app] [--database test] \
        [--out router/vpart/collation_tables.inc]

For every BMP code point (SEQUENCE engine: seq_0_to_65535) it asks
HEX(WEIGHT_STRING(CONVERT(CHAR(cp USING utf32) USING cs) COLLATE c)) for
utf8mb4_general_ci and utf8mb4_unicode_ci, checks that the utf8mb3 twins give
the same weights, and writes them compactly:

  - runs {first, count, weight, step}: code points first .. first+count-1
    weigh weight + i*step (step 0 or 1), for code points with one weight;
  - for unicode_ci, code points with 0 or 2+ weights that are not UCA's
    implicit weights, as a flat list cp, n, w1 .. wn;
  - general_ci: code points not in a run weigh their own value;
    unicode_ci: code points not listed get the implicit weights (the rule is
    in collation.cc and re-checked here against the server for every one).

Also latin1 (MariaDB's latin1 is cp1252 with the five undefined bytes passed
through): the Unicode code point of each byte and latin1_swedish_ci's weight
of each byte. Surrogates (U+D800..U+DFFF) are skipped: they cannot occur in
well-formed UTF-8, and collation.cc refuses them.

The output is deterministic for a given server version; re-run it only when
the MariaDB major version changes, and review the diff.
"""

import argparse
import sys

import pymysql

UNICODE_COLLATIONS = [("general_ci", "utf8mb4_general_ci", "utf8mb3_general_ci"),
                      ("unicode_ci", "utf8mb4_unicode_ci", "utf8mb3_unicode_ci")]


def implicit_weights(cp):
    """UCA 4.0.0 implicit weights as MariaDB computes them (ctype-uca.c)."""
    if 0x3400 <= cp <= 0x4DB5:
        base = 0xFB80
    elif 0x4E00 <= cp <= 0x9FA5 or 0xF900 <= cp <= 0xFA2D:
        base = 0xFB40
    else:
        base = 0xFBC0
    return [base + (cp >> 15), (cp & 0x7FFF) | 0x8000]


def is_surrogate(cp):
    return 0xD800 <= cp <= 0xDFFF


def weights_of(cur, collation, charset):
    cur.execute(
        "SELECT seq, HEX(WEIGHT_STRING(CONVERT(CHAR(seq USING utf32) USING %s) COLLATE %s)) "
        "FROM seq_0_to_65535" % (charset, collation))
    out = {}
    for cp, hexw in cur.fetchall():
        if is_surrogate(cp):
            continue
        hexw = hexw or ""
        if len(hexw) % 4:
            sys.exit(f"{collation}: U+{cp:04X} has odd weight string {hexw!r}")
        out[cp] = [int(hexw[i:i + 4], 16) for i in range(0, len(hexw), 4)]
    if len(out) != 65536 - 2048:
        sys.exit(f"{collation}: expected {65536 - 2048} code points, got {len(out)}")
    return out


def runs_of(single):
    """single: {cp: weight}. Returns [(first, count, weight, step)]."""
    runs = []
    cps = sorted(single)
    i = 0
    while i < len(cps):
        first = cps[i]
        j = i + 1
        step = None
        while j < len(cps) and cps[j] == cps[j - 1] + 1:
            d = single[cps[j]] - single[cps[j - 1]]
            if step is None and d in (0, 1):
                step = d
            if d != step:
                break
            j += 1
        runs.append((first, j - i, single[first], step or 0))
        i = j
    return runs


def fmt_rows(items, per_line):
    lines = []
    for i in range(0, len(items), per_line):
        lines.append("    " + ", ".join(items[i:i + per_line]) + ",")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=23306)
    ap.add_argument("--user", default="app")
    ap.add_argument("--password", default="app")
    ap.add_argument("--database", default="test", help="any schema: the SEQUENCE engine needs one")
    ap.add_argument("--out", default="router/vpart/collation_tables.inc")
    args = ap.parse_args()

    conn = pymysql.connect(host=args.host, port=args.port, user=args.user,
                           password=args.password, database=args.database,
                           charset="utf8mb4")
    cur = conn.cursor()
    cur.execute("SELECT VERSION()")
    version = cur.fetchone()[0]

    parts = []
    for short, c4, c3 in UNICODE_COLLATIONS:
        w4 = weights_of(cur, c4, "utf8mb4")
        w3 = weights_of(cur, c3, "utf8mb3")
        if w4 != w3:
            diff = [cp for cp in w4 if w4[cp] != w3[cp]][:10]
            sys.exit(f"{c4} and {c3} differ on the BMP, e.g. {diff}")
        if short == "general_ci":
            if any(len(w) != 1 for w in w4.values()):
                sys.exit("general_ci: a code point without exactly one weight")
            single = {cp: w[0] for cp, w in w4.items() if w[0] != cp}
            multi = {}
        else:
            single = {cp: w[0] for cp, w in w4.items() if len(w) == 1}
            multi = {cp: w for cp, w in w4.items()
                     if len(w) != 1 and w != implicit_weights(cp)}
        runs = runs_of(single)
        name = "GeneralCi" if short == "general_ci" else "UnicodeCi"
        parts.append(f"// {c4} (= {c3} on the BMP): {len(single)} code points in {len(runs)} runs"
                     + (" (every other code point weighs its own value)." if not multi else "."))
        parts.append(f"inline constexpr WeightRun k{name}Runs[] = {{")
        parts.append(fmt_rows([f"{{0x{a:04X}, {n}, 0x{w:04X}, {s}}}" for a, n, w, s in runs], 4))
        parts.append("};")
        if short == "unicode_ci":
            flat = []
            for cp in sorted(multi):
                ws = multi[cp]
                flat.append(f"0x{cp:04X}, {len(ws)}" + "".join(f", 0x{w:04X}" for w in ws))
            parts.append(f"// {c4}: the {len(multi)} code points with 0 or 2+ weights that are not the")
            parts.append("// implicit weights, as cp, n, w1 .. wn (n == 0: ignorable).")
            parts.append("inline constexpr uint16_t kUnicodeCiMulti[] = {")
            parts.append(fmt_rows(flat, 4))
            parts.append("};")

    cur.execute("SELECT seq, HEX(CONVERT(CHAR(seq USING latin1) USING utf32)), "
                "HEX(WEIGHT_STRING(CHAR(seq USING latin1) COLLATE latin1_swedish_ci)) "
                "FROM seq_0_to_255")
    rows = cur.fetchall()
    to_uni = [int(r[1], 16) for r in rows]
    sw = [int(r[2], 16) for r in rows]
    parts.append("// latin1 (MariaDB's: cp1252, the five bytes cp1252 leaves undefined pass through)")
    parts.append("// byte -> Unicode code point.")
    parts.append("inline constexpr uint16_t kLatin1ToUnicode[256] = {")
    parts.append(fmt_rows([f"0x{u:04X}" for u in to_uni], 8))
    parts.append("};")
    parts.append("// latin1_swedish_ci: the weight of each latin1 byte.")
    parts.append("inline constexpr uint8_t kLatin1SwedishCiWeights[256] = {")
    parts.append(fmt_rows([f"0x{w:02X}" for w in sw], 8))
    parts.append("};")

    header = f"""// GENERATED by router/vpart/tools/gen_collation_tables.py from MariaDB {version}
// (WEIGHT_STRING of every BMP code point). Do not edit; re-run the script and review the diff.
// Included by router/vpart/collation.cc, which defines WeightRun {{first, count, weight, step}}:
// code points first .. first+count-1 weigh weight + i*step.
// clang-format off
"""
    with open(args.out, "w") as f:
        f.write(header + "\n".join(parts) + "\n// clang-format on\n")
    print(f"wrote {args.out} from {version}")


if __name__ == "__main__":
    main()
