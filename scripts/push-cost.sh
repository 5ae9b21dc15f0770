#!/usr/bin/env bash
# What a held (unchanged) picture costs the streamer, before and after SendingPeer.repeatVideo, in CPU time
# (io.facecast.rtc.PushCostBenchmark): N sender/receiver pairs in one JVM, 512x512@30. Build first:
# ./mvnw -B -q -o -DskipTests package. Runs under the shared-machine lock (flock ... nice).
#   scripts/push-cost.sh --pairs 4 --seconds 10
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-classpath.sh
bench_classpath rtc
exec "${BENCH_LOCK[@]}" java -cp "$BENCH_CP" \
  io.facecast.rtc.PushCostBenchmark "$@"
