#!/usr/bin/env bash
# Long fuzzing run: repeats each coverage-guided fuzz target (30 s per round) for the given minutes,
# growing the corpus in functions/local/.cifuzz-corpus between rounds. A finding stops the run and
# Jazzer saves the crashing input under functions/local/src/test/resources/.../*Inputs/, where it
# becomes a regression test of ./mvnw verify: commit it with the fix.
#   scripts/fuzz-long.sh [minutes-per-target, default 30]
set -euo pipefail
cd "$(dirname "$0")/.."
minutes="${1:-30}"
rounds=$(( minutes * 2 ))
./mvnw -q -B -DskipTests package -pl functions/local -am
for target in ReceiverRequestFuzzTest BodyParserFuzzTest; do
  total=0
  for ((i = 1; i <= rounds; i++)); do
    log=$(mktemp)
    if ! JAZZER_FUZZ=1 JAZZER_INSTRUMENTATION_INCLUDES='dev.inlet.**:com.fasterxml.jackson.core.**' \
        ./mvnw -B -o surefire:test -pl functions/local -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false \
        -Dsurefire.redirectTestOutputToFile=false >"$log" 2>&1; then
      grep -E "FuzzTestFinding|Exception" "$log" | head -20
      echo "$target: finding in round $i (log: $log)" >&2
      exit 1
    fi
    runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -1)
    total=$(( total + ${runs:-0} ))
    echo "$target round $i/$rounds: ${runs:-0} inputs ($(grep -o 'cov: [0-9]*' "$log" | tail -1)), $total in all"
    rm -f "$log"
  done
  echo "$target: $total inputs in $minutes minutes, no finding"
done
