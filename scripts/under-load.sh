#!/usr/bin/env bash
# The "no flakiness by construction" proof (issue 28): the storm, backlog and reliability tests, N times in
# a row, with one core kept busy by a busy loop the whole time. Not part of ./mvnw verify.
#   scripts/under-load.sh [runs]        (default 10; tests: UNDER_LOAD_TESTS, default the three below)
# Builds once (main and test code of functions/local and what it needs, no Lambda jars), then runs just
# those tests N times: Maven's test phase finds everything compiled already, so a run is the tests plus a
# few seconds of Maven. Prints one line per run (its tests, failures, errors, skips and test time from the
# surefire reports, its wall time, the load average at its start and end), then a summary line. Exits 1
# when any run failed; a failed run's surefire reports are kept in target/under-load/run-N.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-10}"
tests="${UNDER_LOAD_TESTS:-StormTest,SweeperBacklogTest,ReliabilityTest}"
module=functions/local
reports="$module/target/surefire-reports"
kept="$module/target/under-load"
mvn_args=(-B -o -q -Dinlet.fuzz.skip=true -Dinlet.shade.skip=true -Dinlet.skipped.report.skip=true
          -Dsurefire.failIfNoSpecifiedTests=false -pl "$module" -am)

load() { cut -d' ' -f1-3 /proc/loadavg; }

busy=""
stop_busy() {
  if [ -n "$busy" ]; then
    kill "$busy" 2>/dev/null || true
    wait "$busy" 2>/dev/null || true
    busy=""
  fi
}
trap stop_busy EXIT
trap 'stop_busy; exit 130' INT TERM

echo "== under load: $tests, $runs runs, on $(nproc) cores; build first (load $(load))"
./mvnw "${mvn_args[@]}" -DskipTests test-compile

yes > /dev/null &
busy=$!
echo "== busy loop started (pid $busy): $(date -u +%FT%TZ)"
rm -rf "$kept"

passed=0
failed_runs=()
total_tests=0
total_seconds=0
for run in $(seq 1 "$runs"); do
  IFS=, read -r -a classes <<< "$tests"
  for c in "${classes[@]}"; do rm -f "$reports/TEST-"*".$c.xml" "$reports/"*".$c.txt"; done
  load_start=$(load)
  started=$(date +%s)
  rc=0
  ./mvnw "${mvn_args[@]}" -Dtest="$tests" test > "/tmp/under-load-$$-run.log" 2>&1 || rc=$?
  wall=$(( $(date +%s) - started ))
  # Sums over this run's reports: tests, failures, errors, skipped, time (from each <testsuite> element).
  read -r n f e s t < <(for c in "${classes[@]}"; do
      head -n 3 "$reports/TEST-"*".$c.xml" 2>/dev/null | grep -o '<testsuite [^>]*>' || true
    done | awk '
      function attr(name,   m) { return match($0, name "=\"[^\"]*\"") ? substr($0, RSTART + length(name) + 2, RLENGTH - length(name) - 3) : 0 }
      { n += attr("tests"); f += attr("failures"); e += attr("errors"); s += attr("skipped"); t += attr("time") }
      END { printf "%d %d %d %d %.1f\n", n, f, e, s, t }')
  suites=$(for c in "${classes[@]}"; do ls "$reports/TEST-"*".$c.xml" 2>/dev/null; done | wc -l)
  if [ "$rc" -eq 0 ] && [ "$f" -eq 0 ] && [ "$e" -eq 0 ] && [ "$suites" -eq "${#classes[@]}" ] && [ "$n" -gt 0 ]; then
    result=PASS
    passed=$((passed + 1))
  else
    result=FAIL
    failed_runs+=("$run")
    mkdir -p "$kept/run-$run"
    cp "$reports/"*.xml "$reports/"*.txt "$kept/run-$run/" 2>/dev/null || true
    cp "/tmp/under-load-$$-run.log" "$kept/run-$run/maven.log"
  fi
  total_tests=$((total_tests + n))
  total_seconds=$((total_seconds + wall))
  printf 'run %2d/%d %s: tests %d, failures %d, errors %d, skipped %d, test time %s s, wall %d s, mvn rc %d, load %s -> %s\n' \
    "$run" "$runs" "$result" "$n" "$f" "$e" "$s" "$t" "$wall" "$rc" "$load_start" "$(load)"
done
rm -f "/tmp/under-load-$$-run.log"
stop_busy
echo "== summary: $passed/$runs runs passed ($total_tests tests in all, ${total_seconds} s), busy loop on the whole time;" \
     "failed runs: ${failed_runs[*]:-none}; load at end $(load); $(date -u +%FT%TZ)"
[ "${#failed_runs[@]}" -eq 0 ]
