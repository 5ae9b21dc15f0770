#!/usr/bin/env bash
# Bus ingest cost vs number of sessions (issue 10): builds the streamer and runs IngestBenchmark.
# Usage: scripts/ingest-bench.sh [seconds=10] [bus-dir] [N...]   (prints CSV; CPU is the ingest thread's CPU time)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -o -pl streamer -am package -DskipTests -Djacoco.skip=true >&2  # up to date: the figures are of this tree
exec java -Xmx512m --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED --add-exports=java.base/sun.nio.ch=ALL-UNNAMED \
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED -Dchronicle.analytics.disable=true -Dchronicle.announcer.disable=true \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "streamer/target/facecast-streamer.jar:streamer/target/lib/*" io.facecast.streamer.ingest.bench.IngestBenchmark "$@"
