# Sourced by the benchmark scripts that run a module's test classes directly (push-cost, encoder-cost,
# streamer-cost): bench_classpath MODULE compiles MODULE's tests (and, the first time or after its pom changed, writes
# its dependency classpath) and sets BENCH_CP to classes, test classes and dependencies; BENCH_LOCK is the prefix
# that runs under the shared-machine lock at low priority (empty when the caller holds the lock already:
# FACECAST_BENCH_LOCKED=1). FACECAST_BENCH_BUILD=0 uses the classes as they are.
bench_classpath() {
  local module=$1 cp="$1/target/bench-classpath.txt"
  if [ ! -s "$cp" ] || [ "$module/pom.xml" -nt "$cp" ]; then
    ./mvnw -B -q -o -pl "$module" -am test-compile dependency:build-classpath -Dfacecast.deps=skip \
      -Dmdep.outputFile=target/bench-classpath.txt
  elif [ "${FACECAST_BENCH_BUILD:-1}" != 0 ]; then
    ./mvnw -B -q -o -pl "$module" -am test-compile -Dfacecast.deps=skip
  fi
  BENCH_CP="$module/target/test-classes:$module/target/classes:$(cat "$cp")"
  BENCH_LOCK=(flock /tmp/facecast-heavy.lock nice -n "${FACECAST_NICE:-19}")
  if [ "${FACECAST_BENCH_LOCKED:-0}" = 1 ]; then BENCH_LOCK=(); fi
}
