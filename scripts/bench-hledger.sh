#!/usr/bin/env bash
# Side by side with plain-text accounting: the same book (customers, invoices, payments) as a
# settle database and as an hledger journal; times `settle report aging` (the full five-bucket
# aged report) against `hledger balance` of the receivables per customer, and peak memory of
# both, at 10k, 100k and 1M invoices.
#
#   scripts/bench-hledger.sh               # all sizes (1M takes hledger minutes and gigabytes)
#   SIZES="10000 100000" scripts/bench-hledger.sh
#
# Installs hledger from Debian's packages when it is missing. The journal is written from the
# settle database by scripts/journal_from_db.py, so both tools read exactly the same book.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"10000 100000 1000000"}
TODAY=2026-11-23
OUT=bench-out
mkdir -p "$OUT"

if ! command -v hledger >/dev/null; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get install -y --no-install-recommends hledger || { $SUDO apt-get update && $SUDO apt-get install -y --no-install-recommends hledger; }
fi
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)"; exit 1; }

cargo build --release --quiet
BIN=target/release/settle
echo "hledger: $(hledger --version)"

for n in $SIZES; do
    db="$OUT/book-$n.db"
    journal="$OUT/book-$n.journal"
    customers=$(( n / 100 > 40 ? n / 100 : 40 ))
    [ -f "$db" ] || "$BIN" --db "$db" --today "$TODAY" demo --busy --customers "$customers" --invoices "$n" --seed 42
    [ -f "$journal" ] || python3 scripts/journal_from_db.py "$db" > "$journal"
    echo "== $n invoices ($(grep -c '^[0-9]' "$journal") journal transactions)"
    runs=10; [ "$n" -ge 100000 ] && runs=3; [ "$n" -ge 1000000 ] && runs=1
    hyperfine -N --warmup 0 --runs "$runs" --style basic --export-markdown "$OUT/vs-hledger-$n.md" \
        -n "settle report aging" "$BIN --db $db --today $TODAY report aging" \
        -n "hledger balance receivables per customer" \
        "hledger -f $journal balance assets:receivables --end 2026-11-24 --flat --no-total"
    /usr/bin/time -f "   settle: %M KB max RSS" "$BIN" --db "$db" --today "$TODAY" report aging >/dev/null
    /usr/bin/time -f "   hledger: %M KB max RSS" \
        hledger -f "$journal" balance assets:receivables --end 2026-11-24 --flat --no-total >/dev/null
done
