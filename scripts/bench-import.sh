#!/usr/bin/env bash
# Times `settle import csv` of a 100k-line invoice file and `settle import payments` of the
# matching payments, into a fresh database (release build). The files come from a demo book
# exported with `settle export`, so they are realistic and reproducible (fixed seed and day).
# Usage: scripts/bench-import.sh [INVOICES]   (default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-100000}"
OUT="${BENCH_OUT:-bench-out}/import"
mkdir -p "$OUT"
rm -f "$OUT"/*.db "$OUT"/*.db-* "$OUT"/*.csv
rm -rf "$OUT/backups"
cargo build --release --quiet
S=target/release/settle
DAY=2026-11-23
$S --db "$OUT/source.db" --today $DAY demo --busy --customers 2000 --invoices "$N" --seed 42 >/dev/null
$S --db "$OUT/source.db" export csv --what customers --out "$OUT/customers.csv" >/dev/null
$S --db "$OUT/source.db" export csv --what invoices --out "$OUT/invoices.csv" >/dev/null
$S --db "$OUT/source.db" export csv --what payments --out "$OUT/payments.csv" >/dev/null
lines=$(($(wc -l <"$OUT/invoices.csv") - 1))
plines=$(($(wc -l <"$OUT/payments.csv") - 1))

t() { local s e; s=$EPOCHREALTIME; "$@" >/dev/null; e=$EPOCHREALTIME; awk -v s="$s" -v e="$e" 'BEGIN { printf "%.2f", e - s }'; }
csv_s=$(t $S --db "$OUT/target.db" --today $DAY import csv "$OUT/invoices.csv")
again_s=$(t $S --db "$OUT/target.db" --today $DAY import csv "$OUT/invoices.csv")
pay_s=$(t $S --db "$OUT/target.db" --today $DAY import payments "$OUT/payments.csv")
dry_s=$(t $S --db "$OUT/target.db" --today $DAY import payments "$OUT/payments.csv" --dry-run)
if ! diff <($S --db "$OUT/source.db" --today $DAY report aging --format csv) \
          <($S --db "$OUT/target.db" --today $DAY report aging --format csv) >/dev/null; then
  echo "the imported book's aging differs from the source" >&2
  exit 1
fi
echo "import csv, $lines invoices into a fresh db:   ${csv_s}s"
echo "import csv again (all unchanged):            ${again_s}s"
echo "import payments, $plines lines:                 ${pay_s}s"
echo "import payments again, dry run (all seen):   ${dry_s}s"
