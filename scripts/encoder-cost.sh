#!/usr/bin/env bash
# What the video encoder costs per session and what picture it delivers (io.facecast.rtc.EncoderCostBenchmark):
# N webrtc-java sender/receiver pairs in one JVM, 512x512@30, the default avatar's idle frame with a changing mouth.
# Build first: ./mvnw -B -q -o -DskipTests package. Runs under the shared-machine lock (flock ... nice).
#   scripts/encoder-cost.sh --sessions 4 --seconds 20 --codec VP8 --max-bitrate 2500000
set -euo pipefail
cd "$(dirname "$0")/.."
cp=rtc/target/bench-classpath.txt
if [ ! -s "$cp" ] || [ rtc/pom.xml -nt "$cp" ]; then
  ./mvnw -B -q -o -pl rtc -am test-compile dependency:build-classpath -Dfacecast.deps=skip \
    -Dmdep.outputFile=target/bench-classpath.txt
elif [ "${FACECAST_BENCH_BUILD:-1}" != 0 ]; then # FACECAST_BENCH_BUILD=0: use the classes as they are
  ./mvnw -B -q -o -pl rtc -am test-compile -Dfacecast.deps=skip
fi
image=()
if [[ " $* " != *" --image "* ]] && [ -f renderer/target/facecast-renderer.jar ]; then
  pack=target/encoder-cost/default
  [ -d "$pack" ] || java -jar renderer/target/facecast-renderer.jar pack export-default --out "$pack" >/dev/null
  idle=$(ls "$pack"/idle/*.png "$pack"/idle*.png 2>/dev/null | head -1 || true)
  [ -n "$idle" ] && image=(--image "$idle")
fi
lock=(flock /tmp/facecast-heavy.lock nice)
[ "${FACECAST_BENCH_LOCKED:-0}" = 1 ] && lock=() # the caller holds the lock already
exec "${lock[@]}" java -cp "rtc/target/test-classes:rtc/target/classes:$(cat "$cp")" \
  io.facecast.rtc.EncoderCostBenchmark "${image[@]}" "$@"
