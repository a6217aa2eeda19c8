#!/usr/bin/env bash
# Long fuzzing run: each coverage-guided fuzz target for the given minutes (JAZZER_MAX_DURATION
# overrides the 30 s that ./mvnw verify gives each). The corpus grows in functions/local/.cifuzz-corpus.
# A finding fails the run, and Jazzer saves the crashing input under
# functions/local/src/test/resources/dev/inlet/local/fuzz/*Inputs/, where it becomes a regression test
# of ./mvnw verify: commit it with the fix.
#   scripts/fuzz-long.sh [minutes-per-target, default 30]
set -uo pipefail
cd "$(dirname "$0")/.."
minutes="${1:-30}"
status=0
for target in ReceiverRequestFuzzTest BodyParserFuzzTest; do
  log="$(mktemp)"
  JAZZER_FUZZ=1 JAZZER_MAX_DURATION="${minutes}m" \
    JAZZER_INSTRUMENTATION_INCLUDES='dev.inlet.**:com.fasterxml.jackson.core.**' \
    ./mvnw -B verify -pl functions/local -am -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false \
      -Dinlet.fuzz.skip=true -Dsurefire.redirectTestOutputToFile=false >"$log" 2>&1
  rc=$?
  echo "$target: $(grep -E '^Done [0-9]+ runs' "$log" | tail -1) ($(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$log" | tail -1))"
  if [ $rc -ne 0 ]; then
    grep -E "FuzzTestFinding|Exception|ERROR\]" "$log" | head -20
    echo "$target: FINDING or failure, full log in $log" >&2
    status=1
  else
    rm -f "$log"
  fi
done
exit $status
