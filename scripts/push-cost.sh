#!/usr/bin/env bash
# What a held (unchanged) picture costs the streamer, before and after SendingPeer.repeatVideo, in CPU time
# (io.facecast.rtc.PushCostBenchmark): N sender/receiver pairs in one JVM, 512x512@30. Build first:
# ./mvnw -B -q -o -DskipTests package. Runs under the shared-machine lock (flock ... nice).
#   scripts/push-cost.sh --pairs 4 --seconds 10
set -euo pipefail
cd "$(dirname "$0")/.."
cp=rtc/target/bench-classpath.txt
if [ ! -s "$cp" ] || [ rtc/pom.xml -nt "$cp" ]; then
  ./mvnw -B -q -o -pl rtc -am test-compile dependency:build-classpath -Dfacecast.deps=skip \
    -Dmdep.outputFile=target/bench-classpath.txt
elif [ "${FACECAST_BENCH_BUILD:-1}" != 0 ]; then # FACECAST_BENCH_BUILD=0: use the classes as they are
  ./mvnw -B -q -o -pl rtc -am test-compile -Dfacecast.deps=skip
fi
lock=(flock /tmp/facecast-heavy.lock nice -n "${FACECAST_NICE:-19}")
[ "${FACECAST_BENCH_LOCKED:-0}" = 1 ] && lock=() # the caller holds the lock already
exec "${lock[@]}" java -cp "rtc/target/test-classes:rtc/target/classes:$(cat "$cp")" \
  io.facecast.rtc.PushCostBenchmark "$@"
