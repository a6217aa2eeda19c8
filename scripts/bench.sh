#!/usr/bin/env bash
# Benchmarks (not tests: never part of ./mvnw verify). Usage: scripts/bench.sh coldstart [runs] | writeunits
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -Pbenchmarks -DskipTests -Dinlet.fuzz.skip=true package -pl benchmarks -am
cp="benchmarks/target/classes:$(cat benchmarks/target/bench.classpath)"
case "${1:-}" in
  coldstart) exec java --enable-native-access=ALL-UNNAMED -cp "$cp" dev.inlet.bench.ColdStart "${2:-15}" ;;
  writeunits) exec java --enable-native-access=ALL-UNNAMED -cp "$cp" dev.inlet.bench.WriteUnits ;;
  *) echo "usage: scripts/bench.sh coldstart [runs] | writeunits" >&2; exit 2 ;;
esac
