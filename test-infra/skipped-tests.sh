#!/usr/bin/env bash
# Prints the skipped tests of the last `./mvnw verify`, counted by test class and reason, so a CI
# log shows what did not run and why: the Docker tier where no Docker engine answers, and the
# scenarios that need a backend stricter than the one they ran against.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
reports=(target/surefire-reports/TEST-*.xml target/failsafe-reports/TEST-*.xml)
if [ ${#reports[@]} -eq 0 ]; then
  echo "no test reports under target/: run ./mvnw verify first" >&2
  exit 1
fi
awk '
  /<testcase / {
    match($0, /classname="[^"]*"/)
    cls = substr($0, RSTART + 11, RLENGTH - 12)
    sub(/.*\./, "", cls)
  }
  /<skipped/ {
    reason = "(no reason given)"
    if (match($0, /message="[^"]*"/)) {
      reason = substr($0, RSTART + 9, RLENGTH - 10)
    } else if (match($0, /Assumption failed: .*/)) {
      reason = substr($0, RSTART + 19)
      sub(/]]>.*/, "", reason)
    }
    skipped[cls "\t" reason]++
  }
  END { for (k in skipped) print k "\t" skipped[k] }
' "${reports[@]}" | sort | awk -F'\t' '
  { printf "%4d skipped  %s: %s\n", $3, $1, $2; total += $3 }
  END { printf "%4d skipped in all\n", total }
'
