#!/usr/bin/env bash
# What opening a workspace costs, for `make bench`: the wall time of one call
# of the release `chipwatch stats` and `chipwatch search huawei` (a process
# started, the workspace opened, the answer printed) on workspaces of 100,000
# and 1,000,000 sources (made once with `chipwatch generate-sample`, cached in
# target/bench/; the 1,000,000-source one, with 100,000 notes, is
# bench-footprint.sh's). Median and p95 of 20 calls each,
# after one warm-up call. Target: <= 50 ms at both sizes, as opening reads the
# header and schema only (crates/core/src/store.rs).
# Baselines from the same run, through the sqlite3 shell: counting the sources
# (a process that opens the file and reads one index), and PRAGMA quick_check
# (every page: what each open paid before, on files up to 128 MiB).
# CHIPWATCH_BENCH_CALLS changes the number of calls. Exit 1 when over target.
set -euo pipefail
cd "$(dirname "$0")/.."

CALLS=${CHIPWATCH_BENCH_CALLS:-20}
TARGET_MS=50
QUICK_CHECK_CALLS=3

echo "== opening cost: release chipwatch stats / search, $CALLS calls each"
cargo build --release --quiet -p chipwatch-cli
cli="$PWD/target/release/chipwatch"
source scripts/bench-sample.sh
command -v sqlite3 >/dev/null || { echo "bench-open: the sqlite3 shell is needed for the baselines (scripts/install-deps.sh)"; exit 1; }

ok=1

# timed CALLS CMD...: one warm-up call, then CALLS calls, each timed with
# bash's clock (no process of its own); prints "median p95" in ms.
timed() {
  local calls=$1
  shift
  "$@" >/dev/null 2>&1 || { echo "bench-open: failed: $*" >&2; "$@" >/dev/null; return 1; }
  local samples=() start end
  for ((i = 0; i < calls; i++)); do
    start=$EPOCHREALTIME
    "$@" >/dev/null 2>&1
    end=$EPOCHREALTIME
    samples+=("$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", (b - a) * 1000 }')")
  done
  # The median as the other benchmarks take it (the upper middle), p95 by rank.
  printf '%s\n' "${samples[@]}" | sort -g | awk '
    { v[NR] = $1 }
    END { p = int(NR * 0.95); if (p < NR * 0.95) p++; printf "%s %s\n", v[int(NR / 2) + 1], v[p] }'
}

# line LABEL MEDIAN P95 [TARGET]: one figure, against its target when it has one.
line() {
  local label=$1 median=$2 p95=$3 target=${4:-}
  if [[ -z $target ]]; then
    printf '%-56s median %9.1f ms   p95 %9.1f ms   (baseline)\n' "$label" "$median" "$p95"
  elif awk -v m="$median" -v p="$p95" -v t="$target" 'BEGIN { exit !(m <= t && p <= t) }'; then
    printf '%-56s median %9.1f ms   p95 %9.1f ms   target <= %d ms   ok\n' "$label" "$median" "$p95" "$target"
  else
    printf '%-56s median %9.1f ms   p95 %9.1f ms   target <= %d ms   NOT MET\n' "$label" "$median" "$p95" "$target"
    ok=0
  fi
}

for size in 100000 1000000; do
  case $size in
    100000) workspace=$(sample_workspace 100000 10000 open-100k) shown=100,000 ;;
    1000000) workspace=$(sample_workspace 1000000 100000 footprint-1m) shown=1,000,000 ;;
  esac
  mib=$(( $(stat -c %s "$workspace") / 1048576 ))
  echo
  echo "$shown sources ($mib MiB: $workspace)"
  read -r median p95 < <(timed "$CALLS" "$cli" --workspace "$workspace" stats)
  line "  chipwatch stats" "$median" "$p95" "$TARGET_MS"
  read -r median p95 < <(timed "$CALLS" "$cli" --workspace "$workspace" search huawei)
  line "  chipwatch search huawei" "$median" "$p95" "$TARGET_MS"
  read -r median p95 < <(timed "$CALLS" sqlite3 -readonly "$workspace" 'SELECT count(*) FROM sources')
  line "  sqlite3: SELECT count(*) FROM sources" "$median" "$p95"
  read -r median p95 < <(timed "$QUICK_CHECK_CALLS" sqlite3 -readonly "$workspace" 'PRAGMA quick_check')
  line "  sqlite3: PRAGMA quick_check, $QUICK_CHECK_CALLS calls (was on open)" "$median" "$p95"
done

echo
((ok)) || { echo "bench-open: some figures are over target"; exit 1; }
echo "bench-open: every figure within target"
