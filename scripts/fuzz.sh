#!/usr/bin/env bash
# Runs every hostile-input property (tests/cli/fuzz/) with many more cases than CI does, for a
# bounded time. Each property feeds arbitrary and nearly-valid text to one parser; none may
# panic, each must accept or name what was wrong.
#
#   scripts/fuzz.sh                         # 200,000 cases per property, at most 10 minutes
#   CASES=1000000 FUZZ_SECONDS=3600 scripts/fuzz.sh
#
# A failure prints the minimal failing input; proptest keeps it under
# tests/proptest-regressions/fuzz/ so the next run tries it first.
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=${CASES:-200000}
FUZZ_SECONDS=${FUZZ_SECONDS:-600}
echo "hostile input: $CASES cases per property, at most ${FUZZ_SECONDS}s"
PROPTEST_CASES=$CASES timeout --foreground "$FUZZ_SECONDS" \
    cargo test --release --test cli fuzz:: -- --test-threads 2
