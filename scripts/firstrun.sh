#!/usr/bin/env bash
# The first run of ./inlet local from a fresh clone (docs/performance.md section 8): clones this repository
# (or the given one) into a temporary directory, runs ./inlet local on free ports until its banner, stops it,
# and prints the wall time to the banner, split into the build and the stack's start, with the CPU time of
# each (CPU time barely depends on what else runs: the idle-machine estimate on a busy machine) and the load.
#   scripts/firstrun.sh [repository=this one] [runs=1]
set -euo pipefail
src="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
runs="${2:-1}"
tck="$(getconf CLK_TCK)"
for run in $(seq "$runs"); do
  dir="$(mktemp -d /tmp/inlet-firstrun.XXXXXX)"
  git clone -q "$src" "$dir"
  cd "$dir"
  load0="$(cut -d' ' -f1-3 /proc/loadavg)"
  t0="$(date +%s%N)"
  ./inlet local --port 0 --dynamodb-port 0 --sqs-port 0 >out.txt 2>err.txt &
  pid=$!                                   # ./inlet execs java: the same process builds, then runs the stack
  built=""
  while kill -0 "$pid" 2>/dev/null && ! grep -q "Inlet is running locally" out.txt; do
    [ -z "$built" ] && [ -f functions/local/target/cli.stamp ] && built="$(date +%s%N)"
    sleep 0.05
  done
  t1="$(date +%s%N)"
  if ! grep -q "Inlet is running locally" out.txt; then
    echo "run $run: no banner" >&2; tail -20 err.txt >&2; exit 1
  fi
  # utime stime cutime cstime: the stack's JVM itself, and the build (children ./inlet waited for)
  read -r ut st cut cst < <(cut -d')' -f2- "/proc/$pid/stat" | awk '{print $12, $13, $14, $15}')
  kill "$pid"; wait "$pid" 2>/dev/null || true
  ms() { echo $(( ($1) / 1000000 )); }
  printf 'run %d: banner after %d ms (build %d ms, stack start %d ms); CPU: build %d ms, stack start %d ms; load before %s, after %s\n' \
    "$run" "$(ms "t1 - t0")" "$(ms "${built:-$t1} - t0")" "$(ms "t1 - ${built:-$t1}")" \
    $(( (cut + cst) * 1000 / tck )) $(( (ut + st) * 1000 / tck )) "$load0" "$(cut -d' ' -f1-3 /proc/loadavg)"
  cd /; rm -rf "$dir"
done
