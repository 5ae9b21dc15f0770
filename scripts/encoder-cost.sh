#!/usr/bin/env bash
# What the video encoder costs per session and what picture it delivers (io.facecast.rtc.EncoderCostBenchmark):
# N webrtc-java sender/receiver pairs in one JVM, 512x512@30, the default avatar's idle frame with a changing mouth.
# Build first: ./mvnw -B -q -o -DskipTests package. Runs under the shared-machine lock (flock ... nice).
#   scripts/encoder-cost.sh --sessions 4 --seconds 20 --codec VP8 --max-bitrate 2500000
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-classpath.sh
bench_classpath rtc
image=()
if [[ " $* " != *" --image "* ]] && [ -f renderer/target/facecast-renderer.jar ]; then
  pack=target/encoder-cost/default
  [ -d "$pack" ] || java -jar renderer/target/facecast-renderer.jar pack export-default --out "$pack" >/dev/null
  idle=$(ls "$pack"/idle/*.png "$pack"/idle*.png 2>/dev/null | head -1 || true)
  [ -n "$idle" ] && image=(--image "$idle")
fi
exec "${BENCH_LOCK[@]}" java -cp "$BENCH_CP" \
  io.facecast.rtc.EncoderCostBenchmark "${image[@]}" "$@"
