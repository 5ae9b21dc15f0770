#!/usr/bin/env bash
# The loopback reproduction (io.facecast.it.VideoGapRepro), then the wire-vs-decoded analysis of what it captured.
# Build first: ./mvnw -B -q -o -DskipTests package. Needs root (dumpcap on lo). Runs under the shared-machine lock.
#   tools/video-gaps/loopback.sh [SECONDS] [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-30}
out=$(realpath -m "${2:-integration-tests/target/it-logs/video-gaps}")
cp=integration-tests/target/bench-classpath.txt
if [ ! -s "$cp" ] || [ integration-tests/pom.xml -nt "$cp" ]; then
  ./mvnw -B -q -o -pl integration-tests -am test-compile dependency:build-classpath -Dfacecast.deps=skip \
    -Dmdep.outputFile=target/bench-classpath.txt
fi
(cd integration-tests && flock /tmp/facecast-heavy.lock nice java \
  --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED --add-exports=java.base/sun.nio.ch=ALL-UNNAMED \
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED -Dchronicle.analytics.disable=true -Dchronicle.announcer.disable=true \
  -cp "target/test-classes:target/classes:$(cat "../$cp")" io.facecast.it.VideoGapRepro "$seconds" "$out")
python3 tools/video-gaps/rtp_gaps.py "$out/lo.pcap" "$out/frames.csv" --gap 50
