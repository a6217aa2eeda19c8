#!/usr/bin/env bash
# Benchmarks (not tests: never part of ./mvnw verify). Figures and how to read them: docs/performance.md.
#   scripts/bench.sh coldstart [runs]        cold start: floor, Inlet, Inlet + X-Ray SDK, the Powertools peer and the Micronaut peer, interleaved
#   scripts/bench.sh classes                 classes loaded by floor, Inlet and Inlet + X-Ray SDK, by library (-Xlog:class+load)
#   scripts/bench.sh memory [runs]           cold start by memory setting (1024 MB down to 128 MB)
#   scripts/bench.sh flags [runs]            cold start by JAVA_TOOL_OPTIONS candidate
#   scripts/bench.sh warm [jmh options]      JMH: warm receiver work per provider, 1 KB and 64 KB bodies
#   scripts/bench.sh warmwork [invocations] [rounds] [warm-up]  warm work per webhook under AWS's runtime client:
#                                            Inlet's Rheo receiver vs a bare put+send floor, duration and CPU ratios
#   scripts/bench.sh throughput [threads] [requests per thread] [rounds, a multiple of 6]
#   scripts/bench.sh writeunits              DynamoDB write units of one event's whole life
#   scripts/bench.sh httpstart [runs]        fresh JVM to first response: JDK HttpServer vs ./inlet local's Jetty
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -Pbenchmarks -DskipTests -Dinlet.fuzz.skip=true package -pl benchmarks,benchmarks/peer,benchmarks/peer-micronaut,benchmarks/peer-floor,benchmarks/inlet-xray -am
cp="benchmarks/target/classes:$(cat benchmarks/target/bench.classpath)"
# BENCH_JAVA_OPTS: options for the benchmark's own JVM, e.g. -Dbench.phases=true (init and request
# time per cold-start child) or -Dbench.jvm="-Xlog:class+load:file=/tmp/cl-%p.log" (added to the children).
read -r -a extra <<< "${BENCH_JAVA_OPTS:-}"
java=(java --enable-native-access=ALL-UNNAMED "${extra[@]}" -cp "$cp")
what="${1:-}"
shift || true
case "$what" in
  classes) exec "${java[@]}" dev.inlet.bench.ColdStart classes ;;
  coldstart) exec "${java[@]}" dev.inlet.bench.ColdStart "${1:-15}" ;;
  memory) exec "${java[@]}" dev.inlet.bench.ColdStart memory "${1:-9}" ;;
  flags) exec "${java[@]}" dev.inlet.bench.ColdStart flags "${1:-9}" ;;
  warm) exec "${java[@]}" org.openjdk.jmh.Main WarmIntake "$@" ;;
  warmwork) exec "${java[@]}" dev.inlet.bench.WarmWork "${1:-1000}" "${2:-5}" "${3:-1000}" ;;
  throughput) exec "${java[@]}" dev.inlet.bench.Throughput "$@" ;;
  writeunits) exec "${java[@]}" dev.inlet.bench.WriteUnits ;;
  httpstart) exec "${java[@]}" dev.inlet.bench.HttpStartup "${1:-15}" ;;
  *) echo "usage: scripts/bench.sh coldstart [runs] | classes | memory [runs] | flags [runs] | warm [jmh options] | warmwork [invocations] [rounds] [warm-up] | throughput [threads] [per thread] [rounds] | writeunits | httpstart [runs]" >&2; exit 2 ;;
esac
