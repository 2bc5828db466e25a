#!/usr/bin/env bash
# Every command that reads a whole book, timed against its own SQL run by the sqlite3 shell on
# the same book, at 100k and 1M invoices (release build, whole processes, medians of runs
# taken in turns by scripts/turns.py), with the peak memory of both (GNU time); then the targets that compare
# settle with itself: linear growth, a past report against today's, check's first run, a
# bank import with unmatched lines against an all-matched one, and the demo build.
#
# On a shared machine the same run can take a fifth longer or shorter from one minute to the
# next, so every figure is a median of several runs taken in turns: a command and its SQL
# alternate run by run (runs × ROUNDS turns, ROUNDS default 2), the two imports alternate run
# by run, and the demo is built several times; a book copied for a run is written to disk before the run starts,
# so its copy's writing does not fall into the run's time. A growth is taken in turns too:
# on the larger book, the smaller book's command and SQL run in the same turns as its own
# (and its imports between the larger's), and the demo books of both sizes are built one
# after the other, again and again.
#
#   scripts/bench.sh                      # 100k and 1M
#   SIZES="100000" scripts/bench.sh
#   BENCH_OUT=/somewhere scripts/bench.sh # where the books and results go (default bench-out)
#   IMPORT_SIZES="100000" scripts/bench.sh # time the bank import at these sizes only
#                                          # (default: every size)
#
# The sqlite3 reference of a command is the SQL it runs (or, for exports and listings, a
# query giving the same rows), printed by the shell to /dev/null. The demo books are built
# by the script (`demo --busy`, the book every step of the ladder is in; their build is the
# demo's timing) and kept. Needs sqlite3, GNU time and python3 (apt-get install sqlite3
# time python3). The app's first frame is measured by
# scripts/bench-tui.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"100000 1000000"}
IMPORT_SIZES=${IMPORT_SIZES:-$SIZES}
TODAY=2026-11-23
AS_OF=2026-06-30
OUT=${BENCH_OUT:-bench-out}
mkdir -p "$OUT"
for tool in sqlite3 python3 /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }
done

cargo build --release --quiet
BIN=$(realpath "${CARGO_TARGET_DIR:-target}/release/settle")
SQL=$OUT/sql
mkdir -p "$SQL"
day() { date -d "$1 $2 days" +%F; }

ROUNDS=${ROUNDS:-2}

# The medians of several commands' runs, in ms, one per command on one line, taken run by
# run in turns (scripts/turns.py): `medians_ms RUNS CMD...` runs every command once per turn,
# RUNS × $ROUNDS turns after a warm-up. An empty command is not run, and its median is "—".
# PREPARES (an array, by the commands' places) holds what is run before each run of a command
# (untimed), if anything.
PREPARES=()
medians_ms() {
    local runs=$1 i
    shift
    local cmds=("$@") args=()
    for i in "${!cmds[@]}"; do args+=("${cmds[$i]}" "${PREPARES[$i]:-}"); done
    python3 scripts/turns.py --runs $((runs * ROUNDS)) "${args[@]}"
}

# A growth from the smaller book to this one, taken in turns (the smaller book's command
# and SQL were run in the same turns as this one's): "name|settle|sqlite3" in growth.txt,
# each the larger book's median over the smaller's ("—" where there is no SQL).
growth() {
    local name=$1 s=$2 q=$3 s0=$4 q0=$5
    echo "$name|$(awk -v a="$s" -v b="$s0" 'BEGIN { printf "%.1f", a / b }')|$(
        [ "$q" = — ] && echo — || awk -v a="$q" -v b="$q0" 'BEGIN { printf "%.1f", a / b }')" >>"$OUT/growth.txt"
}

# Peak memory of one run, in MB.
peak_mb() {
    /usr/bin/time -f "%M" -o "$OUT/rss.txt" "$@" >/dev/null 2>&1 || true
    awk '{ printf "%.1f", $1 / 1024 }' "$OUT/rss.txt"
}

# The SQL of each command, as of $TODAY (and $AS_OF).
write_sql() {
    local b0=$TODAY b1 b2 b3
    b1=$(day "$TODAY" -30)
    b2=$(day "$TODAY" -60)
    b3=$(day "$TODAY" -90)
    cat >"$SQL/aging.sql" <<EOF
SELECT c.id, c.name, a.nd, a.b1, a.b2, a.b3, a.b4 FROM (
  SELECT customer_id,
    SUM(CASE WHEN due >= '$b0' THEN open_cents ELSE 0 END) AS nd,
    SUM(CASE WHEN due < '$b0' AND due >= '$b1' THEN open_cents ELSE 0 END) AS b1,
    SUM(CASE WHEN due < '$b1' AND due >= '$b2' THEN open_cents ELSE 0 END) AS b2,
    SUM(CASE WHEN due < '$b2' AND due >= '$b3' THEN open_cents ELSE 0 END) AS b3,
    SUM(CASE WHEN due < '$b3' THEN open_cents ELSE 0 END) AS b4
  FROM (SELECT customer_id, due, open_cents FROM invoices INDEXED BY invoices_open
        WHERE is_open = 1 AND currency = 'EUR') GROUP BY customer_id
) a JOIN customers c ON c.id = a.customer_id;
EOF
    cat >"$SQL/aging-as-of.sql" <<EOF
SELECT currency, customer_id, due, open_cents FROM invoices INDEXED BY invoices_open_rows
 WHERE is_open = 1 AND issued <= '$AS_OF';
SELECT p.invoice_id, p.amount_cents, i.currency, i.customer_id, i.due
 FROM payments p INDEXED BY payments_paid JOIN invoices i ON i.id = p.invoice_id
 WHERE p.paid_on > '$AS_OF' AND i.issued <= '$AS_OF';
SELECT id, name FROM customers;
EOF
    local ladder_kinds="'nudge_sent', 'reminder_sent', 'call_logged', 'firm_reminder_sent', 'formal_notice_sent',
                'handed_to_agency', 'dispute_opened', 'dispute_resolved'"
    cat >"$SQL/agenda.sql" <<EOF
SELECT id, name, profile FROM customers ORDER BY name COLLATE NOCASE;
SELECT id, customer_id, due, open_cents, currency, number
 FROM invoices INDEXED BY invoices_open_rows WHERE is_open = 1 ORDER BY id;
SELECT invoice_id, on_date, kind, channel FROM events INDEXED BY events_ladder
 WHERE kind IN ($ladder_kinds) ORDER BY invoice_id, on_date, id;
WITH w AS (SELECT DISTINCT invoice_id AS id FROM payments WHERE paid_on BETWEEN '$(day "$TODAY" -30)' AND '$TODAY')
SELECT i.id, i.number, i.customer_id, i.issued, i.due, i.amount_cents, i.currency, i.steps_done,
       p.id, p.paid_on, p.amount_cents, p.kind
 FROM w JOIN invoices i ON i.id = w.id JOIN payments p ON p.invoice_id = i.id
 WHERE i.is_open = 0 AND (i.steps_done & 64) = 0
 ORDER BY i.id, p.paid_on, p.id;
SELECT i.id, i.customer_id, i.number, i.due, i.currency, i.steps_done, i.amount_cents,
       (SELECT max(p.paid_on) FROM payments p WHERE p.invoice_id = i.id) AS paid
 FROM invoices i
 WHERE i.id IN (SELECT invoice_id FROM payments WHERE paid_on BETWEEN '$(day "$TODAY" -30)' AND '$TODAY')
   AND i.is_open = 0 AND (i.steps_done & 62) != 0
   AND NOT EXISTS (SELECT 1 FROM payments w WHERE w.invoice_id = i.id AND w.kind = 'write_off')
   AND NOT EXISTS (SELECT 1 FROM events e WHERE e.invoice_id = i.id AND e.kind = 'thank_you_sent')
   AND (NOT EXISTS (SELECT 1 FROM events e WHERE e.invoice_id = i.id AND e.kind = 'claim_sent')
        OR EXISTS (SELECT 1 FROM events e WHERE e.invoice_id = i.id AND e.kind IN ('claim_paid', 'claim_waived')))
   AND paid BETWEEN '$(day "$TODAY" -30)' AND '$TODAY'
 ORDER BY paid DESC, i.id;
EOF
    cat >"$SQL/check.sql" <<EOF
SELECT id, name, profile FROM customers ORDER BY name COLLATE NOCASE;
SELECT id, customer_id, due, open_cents, currency, number, amount_cents, issued
 FROM invoices INDEXED BY invoices_open_rows WHERE is_open = 1 ORDER BY id;
SELECT invoice_id, on_date, kind, channel FROM events INDEXED BY events_ladder
 WHERE kind IN ($ladder_kinds) ORDER BY invoice_id, on_date, id;
SELECT invoice_id, kind, on_date FROM notified INDEXED BY notified_invoice ORDER BY invoice_id;
EOF
    cat >"$SQL/invoice-list.sql" <<EOF
SELECT i.number, c.name, i.due, i.amount_cents, i.open_cents, i.currency
 FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE i.is_open = 1 ORDER BY i.due, i.number;
EOF
    cat >"$SQL/customer-list.sql" <<EOF
SELECT id, name, contact, email, phone, vat, language, profile, kind, terms_days, archived
 FROM customers ORDER BY name COLLATE NOCASE;
EOF
    local invoices="SELECT i.number AS number, c.name AS customer, i.issued AS issued, i.due AS due,
  printf('%.2f', i.amount_cents / 100.0) AS amount, i.currency AS currency, i.reference AS reference,
  i.description AS description, printf('%.2f', i.open_cents / 100.0) AS open,
  CASE i.disputed WHEN 1 THEN 'yes' ELSE 'no' END AS disputed
 FROM invoices i JOIN customers c ON c.id = i.customer_id ORDER BY i.id;"
    printf '.headers on\n.mode csv\n%s\n' "$invoices" >"$SQL/export-invoices-csv.sql"
    printf '.mode json\n%s\n' "$invoices" >"$SQL/export-invoices-json.sql"
    cat >"$SQL/export-payments-csv.sql" <<EOF
.headers on
.mode csv
SELECT p.paid_on AS date, i.number AS invoice, c.name AS counterparty,
  printf('%.2f', p.amount_cents / 100.0) AS amount, i.currency AS currency, p.kind AS kind,
  p.method AS method, p.note AS note
 FROM payments p JOIN invoices i ON i.id = p.invoice_id JOIN customers c ON c.id = i.customer_id ORDER BY p.id;
EOF
    cat >"$SQL/export-events-csv.sql" <<EOF
.headers on
.mode csv
SELECT e.on_date AS date, c.name AS customer, i.number AS invoice, e.kind AS kind, e.channel AS channel,
  e.detail AS detail
 FROM events e NOT INDEXED JOIN customers c ON c.id = e.customer_id LEFT JOIN invoices i ON i.id = e.invoice_id
 ORDER BY e.on_date, e.id;
EOF
    local paid="SELECT i.customer_id, i.due, p.settled
 FROM (SELECT invoice_id, MAX(paid_on) AS settled, MAX(kind = 'write_off') AS written_off
       FROM payments GROUP BY invoice_id) p
 JOIN invoices i ON i.id = p.invoice_id
 WHERE i.is_open = 0 AND p.written_off = 0 AND p.settled <= '$TODAY';"
    cat >"$SQL/forecast.sql" <<EOF
SELECT id, customer_id, due, open_cents, disputed FROM invoices INDEXED BY invoices_open_rows
 WHERE is_open = 1 AND currency = 'EUR' AND issued <= '$TODAY';
$paid
EOF
    printf 'SELECT id, name FROM customers ORDER BY name COLLATE NOCASE;\n%s\n' "$paid" >"$SQL/behaviour.sql"
}
write_sql

# One line of the table: the command, settle and sqlite3 (median ms, peak MB), the ratio.
# On the larger book, the smaller one's command and SQL ($SMALL_DB, if set) run in the same
# turns, for the growth.
row() {
    local name=$1 runs=$2 sql=$3
    shift 3
    local s q s0 q0 sm qm reference="" small_ref="" cmds
    [ -n "$sql" ] && reference="sqlite3 -batch $DB '.read $SQL/$sql'"
    cmds=("$BIN --db $DB --today $TODAY $*" "$reference")
    if [ -n "$SMALL_DB" ]; then
        [ -n "$sql" ] && small_ref="sqlite3 -batch $SMALL_DB '.read $SQL/$sql'"
        cmds+=("$BIN --db $SMALL_DB --today $TODAY $*" "$small_ref")
    fi
    read -r s q s0 q0 < <(medians_ms "$runs" "${cmds[@]}")
    [ -n "$SMALL_DB" ] && growth "$name" "$s" "$q" "$s0" "$q0"
    sm=$(peak_mb "$BIN" --db "$DB" --today "$TODAY" "$@")
    if [ -n "$sql" ]; then
        qm=$(peak_mb sqlite3 -batch "$DB" ".read $SQL/$sql")
        ratio=$(awk -v s="$s" -v q="$q" 'BEGIN { printf "%.2f×", s / q }')
    else
        qm="—" ratio="—"
    fi
    printf '| `%s` | %s ms | %s MB | %s ms | %s MB | %s |\n' "$name" "$s" "$sm" "$q" "$qm" "$ratio" | tee -a "$TABLE"
    echo "$n|$name|$s" >>"$OUT/times.txt"
}

# A bank statement of the payments of the book in `dir`, every `every`-th line (0: none)
# naming no invoice.
statement() {
    python3 - "$1" "$2" "$3" <<'EOF'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["kind"] == "payment"]
every = int(sys.argv[3])
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["date", "amount", "counterparty", "communication"])
    for n, r in enumerate(rows):
        unmatched = every and n % every == 0
        w.writerow([r["date"], r["amount"], r["counterparty"], "thank you" if unmatched else "Invoice " + r["invoice"]])
EOF
}

: >"$OUT/times.txt"
SUMMARY=$OUT/summary.md
: >"$SUMMARY"
: >"$OUT/growth.txt"

# The demo books, built first, every size in turns (each size's build, then each again: 5
# builds of a book under 1M, 3 of 1M), so that a slow spell of the machine falls on both
# sides of the demo's growth: a size's median time is its demo's, and its last book is kept.
builds_of() { if [ "$1" -ge 1000000 ]; then echo 3; else echo 5; fi; }
for n in $SIZES; do : >"$OUT/demo-$n.txt"; done
for round in 1 2 3 4 5; do
    for n in $SIZES; do
        [ "$round" -le "$(builds_of "$n")" ] || continue
        customers=$((n / 100 > 40 ? n / 100 : 40))
        rm -f "$OUT/demo-$n.db" "$OUT/demo-$n.db-"*
        /usr/bin/time -f "%e %M" -a -o "$OUT/demo-$n.txt" "$BIN" --db "$OUT/demo-$n.db" --today "$TODAY" demo \
            --busy --customers "$customers" --invoices "$n" --seed 42 >/dev/null
        mv -f "$OUT/demo-$n.db" "$OUT/book-$n.db"
    done
done
# The builds leave gigabytes for the system to write out: done now, not during the timings.
sync

small=""
for n in $SIZES; do
    customers=$((n / 100 > 40 ? n / 100 : 40))
    DB=$OUT/book-$n.db
    # The smaller book, whose commands run in turns with this one's for the growth.
    SMALL_DB=""
    [ -n "$small" ] && SMALL_DB=$OUT/book-$small.db
    # Runs per round (ROUNDS rounds) of the commands, and of each import.
    runs=5 iruns=3
    [ "$n" -ge 1000000 ] && runs=4
    echo "== $n invoices, $customers customers (load: $(cut -d' ' -f1-3 /proc/loadavg))"
    read -r demo_s demo_mb < <(sort -n "$OUT/demo-$n.txt" | awk '{ s[NR] = $1; m = $2 > m ? $2 : m }
        END { printf "%s %.1f\n", s[int((NR + 1) / 2)], m / 1024 }')
    echo "$n|demo|$(awk -v s="$demo_s" 'BEGIN { printf "%.1f", s * 1000 }')" >>"$OUT/times.txt"
    echo "   demo: ${demo_s} s (median of $(builds_of "$n")), ${demo_mb} MB"
    if [ -n "$small" ]; then
        read -r demo_s0 _ < <(sort -n "$OUT/demo-$small.txt" | awk '{ s[NR] = $1 } END { print s[int((NR + 1) / 2)] }')
        growth "demo --invoices N" "$demo_s" — "$demo_s0" —
    fi
    # The app records its runs, check its alerts: the books they run on are copies.
    cp "$DB" "$OUT/check-$n.db"

    TABLE=$OUT/table-$n.md
    {
        echo "| command ($n invoices) | settle | peak | sqlite3, its SQL | peak | ratio |"
        echo "|---|---:|---:|---:|---:|---:|"
    } | tee "$TABLE"
    row "report aging" "$runs" aging.sql report aging
    row "report aging --as-of $AS_OF" "$runs" aging-as-of.sql report aging --as-of "$AS_OF"
    row "report agenda" "$runs" agenda.sql report agenda
    row "report agenda --format json" "$runs" agenda.sql report agenda --format json
    row "report forecast" "$runs" forecast.sql report forecast
    row "report behaviour" "$runs" behaviour.sql report behaviour
    row "invoice list" "$runs" invoice-list.sql invoice list
    row "customer list" "$runs" customer-list.sql customer list
    row "export csv --what invoices" "$runs" export-invoices-csv.sql export csv --what invoices
    row "export json --what invoices" "$runs" export-invoices-json.sql export json --what invoices
    row "export csv --what payments" "$runs" export-payments-csv.sql export csv --what payments
    row "export csv --what events" "$runs" export-events-csv.sql export csv --what events

    # check: its first run on a copy of the fresh book (every alert new, printed), then
    # with nothing new (the same day again); the smaller book's in turns, on its own copy.
    copy="sh -c 'cp $DB $OUT/check-$n.db && sync $OUT/check-$n.db'"
    cmds=("$BIN --db $OUT/check-$n.db --today $TODAY check --no-notify" "sqlite3 -batch $DB '.read $SQL/check.sql'")
    PREPARES=("$copy" "")
    if [ -n "$small" ]; then
        cmds+=("$BIN --db $OUT/check-$small.db --today $TODAY check --no-notify"
            "sqlite3 -batch $SMALL_DB '.read $SQL/check.sql'")
        PREPARES+=("sh -c 'cp $SMALL_DB $OUT/check-$small.db && sync $OUT/check-$small.db'" "")
    fi
    read -r first_ms q first_ms0 q0 < <(medians_ms 3 "${cmds[@]}")
    PREPARES=()
    [ -n "$small" ] && growth "check, first run" "$first_ms" "$q" "$first_ms0" "$q0"
    cp "$DB" "$OUT/check-$n.db" && sync "$OUT/check-$n.db"
    first_mb=$(peak_mb "$BIN" --db "$OUT/check-$n.db" --today "$TODAY" check --no-notify)
    DB_SAVED=$DB SMALL_SAVED=$SMALL_DB
    DB=$OUT/check-$n.db
    if [ -n "$small" ]; then
        SMALL_DB=$OUT/check-$small.db
        "$BIN" --db "$SMALL_DB" --today "$TODAY" check --no-notify >/dev/null
    fi
    printf '| `check --no-notify`, first run | %s ms | %s MB | %s ms | — | %s |\n' "$first_ms" "$first_mb" "$q" \
        "$(awk -v s="$first_ms" -v q="$q" 'BEGIN { printf "%.2f×", s / q }')" | tee -a "$TABLE"
    echo "$n|check, first run|$first_ms" >>"$OUT/times.txt"
    row "check --no-notify, nothing new" "$runs" check.sql check --no-notify
    DB=$DB_SAVED SMALL_DB=$SMALL_SAVED

    # Bank import: the book's customers and invoices imported into a fresh book, then a
    # statement of its payments, all matched or every tenth line naming no invoice.
    for m in $IMPORT_SIZES; do [ "$m" = "$n" ] && break; done
    if [ "$m" = "$n" ]; then
    imp=$OUT/import-$n
    rm -rf "$imp" && mkdir -p "$imp"
    "$BIN" --db "$DB" export csv --what customers --out "$imp/customers.csv" >/dev/null
    "$BIN" --db "$DB" export csv --what invoices --out "$imp/invoices.csv" >/dev/null
    "$BIN" --db "$DB" export csv --what payments --out "$imp/payments.csv" >/dev/null
    "$BIN" --db "$imp/target.db" --today "$TODAY" import customers "$imp/customers.csv" >/dev/null
    "$BIN" --db "$imp/target.db" --today "$TODAY" import csv "$imp/invoices.csv" >/dev/null
    rm -rf "$imp/backups"
    statement "$imp/payments.csv" "$imp/matched.csv" 0
    statement "$imp/payments.csv" "$imp/unmatched.csv" 10
    # The two kinds in turns, run after run, so a slow spell of the machine falls on both;
    # and the smaller book's two (if imported) between them, for the growth.
    both="$n"
    [ -n "$small" ] && [ -d "$OUT/import-$small" ] && both="$n $small"
    for size in $both; do
        for kind in matched unmatched; do : >"$OUT/import-$size-$kind.txt"; done
    done
    for _ in $(seq "$iruns"); do
        for size in $both; do
            for kind in matched unmatched; do
                dir=$OUT/import-$size
                cp "$dir/target.db" "$dir/run.db" && sync "$dir/run.db"
                rm -rf "$dir/backups"
                /usr/bin/time -f "%e %M" -a -o "$OUT/import-$size-$kind.txt" \
                    "$BIN" --db "$dir/run.db" --today "$TODAY" import payments "$dir/$kind.csv" >/dev/null
            done
        done
    done
    median_import() {
        sort -n "$OUT/import-$1-$2.txt" | awk '{ s[NR] = $1; m = $2 > m ? $2 : m }
            END { printf "%.0f %.1f\n", s[int((NR + 1) / 2)] * 1000, m / 1024 }'
    }
    for kind in matched unmatched; do
        read -r ms mb < <(median_import "$n" "$kind")
        printf '| `import payments`, %s | %s ms | %s MB | — | — | — |\n' \
            "$([ $kind = matched ] && echo "every line matched" || echo "10 % of the lines unmatched")" "$ms" "$mb" |
            tee -a "$TABLE"
        echo "$n|import $kind|$ms" >>"$OUT/times.txt"
        if [ "$both" != "$n" ]; then
            read -r ms0 _ < <(median_import "$small" "$kind")
            growth "import payments, $kind" "$ms" — "$ms0" —
        fi
    done
    fi
    printf '| `demo --invoices %s` | %s ms | %s MB | — | — | — |\n' "$n" \
        "$(awk -v s="$demo_s" 'BEGIN { printf "%.0f", s * 1000 }')" "$demo_mb" | tee -a "$TABLE"
    echo
    small=$n
done

# The targets that compare settle with itself.
python3 - "$OUT/times.txt" "$OUT/growth.txt" <<'EOF' | tee "$SUMMARY"
import sys
t = {}
for line in open(sys.argv[1]):
    n, name, ms = line.strip().split("|")
    t[(int(n), name)] = float(ms)
sizes = sorted({n for n, _ in t})
for n in sizes:
    g = lambda name: t.get((n, name))
    today, past = g("report aging"), g("report aging --as-of 2026-06-30")
    if today and past:
        print(f"- {n}: report aging --as-of 2026-06-30 / today: {past / today:.2f}× (target at 1M: ≤ 2×)")
    m, u = g("import matched"), g("import unmatched")
    if m and u:
        print(f"- {n}: import with 10 % unmatched / all matched: {u / m:.2f}× (target ≤ 1.2×)")
    f = g("check, first run")
    if f:
        print(f"- {n}: check, first run: {f / 1000:.2f} s (target at 1M: ≤ 3 s)")
growth = [line.rstrip("\n").split("|") for line in open(sys.argv[2])]
if growth:
    small, big = sizes[-2:]
    print(f"- growth from {small} to {big} invoices, each taken in turns (target: ≤ ~11×, demo ≤ 10×):")
    for name, s, q in growth:
        print(f"  - {name}: {s}×" + ("" if q == "—" else f" (its SQL in sqlite3: {q}×)"))
EOF
