#!/usr/bin/env bash
# The app's speed, release build, in a real terminal (a private tmux server, 120×40):
#   - first frame: the whole process from start to the first frame drawn, at 100k and 1M
#     demo invoices (SETTLE_EXIT_AFTER_FIRST_FRAME=1 quits right after it), with hyperfine;
#   - key presses: from reading a key to its redrawn frame, logged by the app itself
#     (SETTLE_FRAME_LOG) over a session of tab switches, moves, pages and drill-downs;
#   - memory: peak RSS of that whole session (GNU time).
#
#   scripts/bench-tui.sh                # 100k and 1M
#   SIZES="100000" scripts/bench-tui.sh
#
# Needs tmux, hyperfine and /usr/bin/time. Books are kept in bench-out/ (git-ignored; or
# $BENCH_OUT) and reused, like scripts/bench.sh does.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"100000 1000000"}
TODAY=2026-11-23
OUT=$(realpath "${BENCH_OUT:-bench-out}")
SOCK=settle-bench-$$
mkdir -p "$OUT"
trap 'tmux -L "$SOCK-app-$n" kill-server 2>/dev/null || true' EXIT

cargo build --release --quiet
BIN=$(realpath "${CARGO_TARGET_DIR:-target}/release/settle")

# Runs a shell command in a fresh 120×40 tmux server of its own and waits for it to finish.
in_tmux() {
    local sock="$SOCK-$RANDOM"
    # The window stays open after the signal, so the server is still there to answer.
    tmux -L "$sock" -f /dev/null new-session -d -s bench -x 120 -y 40 "$1; tmux -L $sock wait-for -S done; exec sleep 600"
    tmux -L "$sock" wait-for done
    tmux -L "$sock" kill-server
}

for n in $SIZES; do
    db="$OUT/book-$n.db"
    customers=$(( n / 100 > 40 ? n / 100 : 40 ))
    if [ ! -f "$db" ]; then
        echo "== building a demo book of $n invoices ($customers customers)"
        "$BIN" --db "$db" --today "$TODAY" demo --busy --customers "$customers" --invoices "$n" --seed 42
    fi
    echo "== $n invoices"
    in_tmux "hyperfine --warmup 3 --min-runs 20 --style basic --export-markdown '$OUT/first-frame-$n.md' \
        -n 'first frame, $n invoices' 'SETTLE_EXIT_AFTER_FIRST_FRAME=1 $BIN --db $db --today $TODAY' \
        > '$OUT/first-frame-$n.txt' 2>&1"
    grep -E "Time|Range" "$OUT/first-frame-$n.txt" | sed 's/^/   /'

    # A session: tab switches, moves, pages, drill-downs, then quit.
    log="$OUT/keys-$n.log"
    rm -f "$log"
    app="$SOCK-app-$n"
    tmux -L "$app" -f /dev/null new-session -d -s app -x 120 -y 40 \
        "SETTLE_FRAME_LOG=$log /usr/bin/time -f '%M' -o '$OUT/rss-$n.txt' $BIN --db $db --today $TODAY; tmux -L $app wait-for -S quit; exec sleep 600"
    keys=(j j j j j PageDown PageDown End Home 2 j j j '<' '<' s '>' 3 j j j PageDown End Home 1 j j Enter 4 1 2 Enter 3 1 j k j k j k)
    sleep 1
    for k in "${keys[@]}"; do
        tmux -L "$app" send-keys -t app "$k"
        sleep 0.1
    done
    tmux -L "$app" send-keys -t app Escape q q q
    tmux -L "$app" wait-for quit
    tmux -L "$app" kill-server
    awk -F'\t' '
        $2 == "Enter" { drill[++d] = $1; next }
        { nav[++m] = $1 }
        function report(name, a, k,   i, j, t, sum) {
            for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
            for (i = 1; i <= k; i++) sum += a[i]
            if (k) printf "   %s: %d keys, median %.2f ms, max %.2f ms\n", name, k, a[int((k + 1) / 2)] / 1000, a[k] / 1000
        }
        END { report("navigation keys (move, page, tab, sort)", nav, m); report("Enter (opens and loads a customer or an invoice)", drill, d) }
    ' "$log"
    echo "   peak memory of the session: $(( $(cat "$OUT/rss-$n.txt") / 1024 )) MB"
done
