#!/usr/bin/env bash
# Where the streamer's CPU and memory go with N sessions all speaking (io.facecast.it.StreamerCostBenchmark): the
# three real processes, webrtc-java receivers in the benchmark's JVM. Build first: ./mvnw -B -q -o -DskipTests package
# Runs under the shared-machine lock: flock /tmp/facecast-heavy.lock nice.
#   scripts/streamer-cost.sh --sessions 8 --seconds 30 [--streamer-jvm "FLAGS"] [--label NAME]
# A sweep: for n in 1 4 8; do scripts/streamer-cost.sh --sessions $n --label cost-$n; done
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-classpath.sh
bench_classpath integration-tests
exec "${BENCH_LOCK[@]}" java \
  --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED --add-exports=java.base/sun.nio.ch=ALL-UNNAMED \
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED -Dchronicle.analytics.disable=true -Dchronicle.announcer.disable=true \
  -cp "$BENCH_CP" \
  io.facecast.it.StreamerCostBenchmark "$@"
