#!/usr/bin/env bash
# Counts the tests JUnit skipped, with their reasons, from the surefire reports of every module
# (the fuzz executions included). Prints one line; run at the end of ./mvnw verify and by .ci/run.
#   scripts/skipped.sh [--since 'yyyy-mm-dd HH:MM:SS'  (UTC; only reports written after it)]
set -uo pipefail
cd "$(dirname "$0")/.."
since=()
if [[ "${1:-}" == "--since" && -n "${2:-}" ]]; then
  since=(-newermt "$2 UTC")
fi
mapfile -t reports < <(find functions -path '*/target/*' -name 'TEST-*.xml' "${since[@]}" 2>/dev/null | sort)
reasons=$(for f in "${reports[@]}"; do
  # One <skipped .../> per skipped test; a class skipped as a whole has one per test too.
  grep -o '<skipped[^>]*>' "$f" | sed -n '/message="/{s/.*message="\([^"]*\)".*/\1/p;b;};s/.*/(no reason given)/p'
done | sed 's/&quot;/"/g; s/&apos;/'"'"'/g; s/&lt;/</g; s/&gt;/>/g; s/&amp;/\&/g' | sort | uniq -c | sort -rn)
total=0
if [[ -n "$reasons" ]]; then
  total=$(awk '{ n += $1 } END { print n }' <<<"$reasons")
fi
if (( total == 0 )); then
  echo "== tests skipped: 0 (in ${#reports[@]} test reports)"
else
  summary=$(awk '{ n = $1; $1 = ""; sub(/^ /, ""); printf "%s%d x %s", (NR > 1 ? "; " : ""), n, $0 }' <<<"$reasons")
  echo "== tests skipped: $total (in ${#reports[@]} test reports): $summary"
fi
