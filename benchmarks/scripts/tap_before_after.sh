#!/bin/sh
# Figure 1, before and after a change to the tap: two benchmarks.jar builds take turns, each run
# measuring direct loopback and the tap (no socat) for ROUNDS rounds of 1 GiB; compare the ratios.
#   benchmarks/scripts/tap_before_after.sh BEFORE.jar AFTER.jar [TURNS] [ROUNDS]
# BEFORE.jar: kernel-ext of 67496f7 with this benchmarks module, e.g.
#   git worktree add /tmp/before 67496f7 && git -C /tmp/before checkout i13 -- benchmarks
#   (cd /tmp/before && ./mvnw -q -pl benchmarks -am package -DskipTests)
set -eu
before=$1
after=$2
turns=${3:-3}
rounds=${4:-2}
i=1
while [ "$i" -le "$turns" ]; do
  for jar in "$before" "$after"; do
    echo "== $jar (load $(cut -d' ' -f1 /proc/loadavg))"
    java -Dnosocat=true -cp "$jar" org.wirelab.bench.TapWire throughput "$rounds" 1024 | grep '^round'
  done
  i=$((i + 1))
done
