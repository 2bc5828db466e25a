#!/usr/bin/env bash
# Benchmark: build demo books of 10k, 100k and 1M invoices, then time the whole
# `settle report aging` process (release build) and its peak memory.
#
#   scripts/bench.sh              # all three sizes
#   SIZES="100000" scripts/bench.sh
#
# Needs hyperfine (apt-get install hyperfine) and GNU time (/usr/bin/time). Books are kept in
# bench-out/ (git-ignored) and reused when they already exist.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"10000 100000 1000000"}
TODAY=2026-11-23
OUT=bench-out
mkdir -p "$OUT"

cargo build --release --quiet
BIN=target/release/settle

for n in $SIZES; do
    db="$OUT/book-$n.db"
    customers=$(( n / 100 > 40 ? n / 100 : 40 ))
    if [ ! -f "$db" ]; then
        echo "== building a demo book of $n invoices ($customers customers)"
        /usr/bin/time -f "   demo: %e s, %M KB max RSS" \
            "$BIN" --db "$db" --today "$TODAY" demo --busy --customers "$customers" --invoices "$n" --seed 42
    fi
    echo "== $n invoices"
    hyperfine -N --warmup 3 --min-runs 10 --style basic --export-markdown "$OUT/aging-$n.md" \
        -n "report aging (today)" "$BIN --db $db --today $TODAY report aging" \
        -n "report aging --as-of 2026-06-30" "$BIN --db $db --today $TODAY report aging --as-of 2026-06-30"
    /usr/bin/time -f "   report aging: %M KB max RSS" "$BIN" --db "$db" --today "$TODAY" report aging >/dev/null
    /usr/bin/time -f "   report aging --as-of 2026-06-30: %M KB max RSS" \
        "$BIN" --db "$db" --today "$TODAY" report aging --as-of 2026-06-30 >/dev/null
done
