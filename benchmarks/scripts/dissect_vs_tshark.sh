#!/bin/sh
# Figure 3 of BENCHMARKS.md: `dissect --json` (-Xmx256m) against `tshark -T pdml` on one capture,
# taking turns, ROUNDS times each; wall time and peak RSS from /usr/bin/time -v, and their ratios
# to tshark's in the same round.
#   benchmarks/scripts/dissect_vs_tshark.sh CAPTURE [ROUNDS]
set -eu
cap=$1
rounds=${2:-2}
jar=$(dirname "$0")/../../kernel-ext/target/kernel-ext.jar
log=$(mktemp)
trap 'rm -f "$log"' EXIT
measure() { # prints "seconds kib exit"
  /usr/bin/time -v -o "$log" "$@" > /dev/null 2>&1 || true
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i] }
              /Maximum resident set size/ { kib = $2 }
              /Exit status/ { ex = $2 }
              END { printf "%.1f %d %d\n", s, kib, ex }' "$log"
}
echo "capture: $cap ($(stat -c %s "$cap") bytes); $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
i=1
while [ "$i" -le "$rounds" ]; do
  set -- $(measure tshark -T pdml -r "$cap"); ts=$1; tk=$2; te=$3
  set -- $(measure java -Xmx256m -jar "$jar" dissect "$cap" --json); ds=$1; dk=$2; de=$3
  awk -v i="$i" -v ts="$ts" -v tk="$tk" -v te="$te" -v ds="$ds" -v dk="$dk" -v de="$de" 'BEGIN {
    printf "round %d: tshark %.1f s %d MiB (exit %d) | dissect --json %.1f s %d MiB (exit %d) | ratio time %.2f, memory %.2f\n",
      i, ts, tk / 1024, te, ds, dk / 1024, de, ds / ts, dk / tk }'
  i=$((i + 1))
done
