#!/usr/bin/env bash
# tests/fuzz/seed.sh NAME OUTDIR: writes seed inputs for fuzzer NAME into OUTDIR,
# one statement per file, taken at fuzz time from the SQL corpus
# (tests/parser_corpus/{valid,invalid}/*.sql; entries end with a line ending in ';').
# Exits 1 (no seeds) for fuzzers it does not know. Called by scripts/test.sh.
set -euo pipefail
name=$1
out=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
case "$name" in
  digest_fuzz | parser_fuzz) ;;
  *) exit 1 ;;
esac
mkdir -p "$out"
shopt -s nullglob
files=("$root"/tests/parser_corpus/valid/*.sql "$root"/tests/parser_corpus/invalid/*.sql)
((${#files[@]})) || exit 1
awk -v out="$out" '
  FNR == 1 { buf = "" }
  buf == "" && /^--/ { next }                       # corpus comments / annotations
  { buf = buf $0 "\n" }
  /;[ \t\r]*$/ { n++; f = sprintf("%s/seed_%05d.sql", out, n); printf "%s", buf > f; close(f); buf = "" }
' "${files[@]}"
