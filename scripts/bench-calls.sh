#!/usr/bin/env bash
# Times the call agenda, the cash-in forecast and customer behaviour on a demo book with
# agreements: scripts/bench-calls.sh [INVOICES] [AGREEMENTS]  (defaults 100000 and 400).
set -euo pipefail
cd "$(dirname "$0")/.."
invoices=${1:-100000}
agreements=${2:-400}
cargo build --release --quiet
bin=target/release/settle
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export SETTLE_DB="$dir/bench.db"
today=2026-11-23
"$bin" --today "$today" demo --busy --customers $((invoices / 50 + 1)) --invoices "$invoices" --seed 7
n=0
"$bin" --today "$today" invoice list | head -n "$agreements" | awk '{print $1}' | while read -r number; do
    n=$((n + 1))
    if [ $((n % 2)) = 0 ]; then
        "$bin" --today "$today" call log "$number" --outcome promise --promise-date "+$((n % 20))" >/dev/null
    else
        "$bin" --today "$today" call log "$number" --outcome plan --plan 4 --every 14 >/dev/null
    fi
done
run() {
    local label=$1
    shift
    /usr/bin/time -f "$label: %e s wall, %U s user" "$bin" "$@" >/dev/null
}
for _ in 1 2 3; do
    run "forecast (8 weeks)" --today "$today" report forecast
    run "behaviour (all customers)" --today "$today" report behaviour
    run "call agenda" --today 2026-12-10 call agenda
done
