#!/usr/bin/env bash
# Where the streamer's CPU goes, per thread and per Java method, with N sessions all speaking: runs
# scripts/streamer-cost.sh and, over its measuring window, reads every streamer thread's CPU time (utime and stime
# from /proc/PID/task/*/stat, context switches from .../status) and records a JFR profile (method samples and
# allocation samples), then prints both (scripts/streamer-profile.py). CPU time, not wall time: robust to a busy
# machine. Build first: ./mvnw -B -q -o -DskipTests package. Takes the shared-machine lock for the whole run.
#   scripts/streamer-profile.sh [--sessions 8] [--seconds 20] [--label NAME] [more streamer-cost.sh options]
set -euo pipefail
cd "$(dirname "$0")/.."
sessions=8 seconds=20 label=profile
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --sessions) sessions=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --label) label=$2; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
case "$sessions" in *,*) echo "one session count at a time" >&2; exit 2 ;; esac
out=$PWD/target/it-logs/$label
mkdir -p "$out"
if [ "${FACECAST_BENCH_LOCKED:-0}" != 1 ]; then
  export FACECAST_BENCH_LOCKED=1
  exec flock /tmp/facecast-heavy.lock nice -n "${FACECAST_NICE:-19}" "$0" --sessions "$sessions" \
    --seconds "$seconds" --label "$label" "${args[@]}"
fi

threads() { # tid name utime stime voluntary nonvoluntary (ticks, counts)
  for t in /proc/"$1"/task/*; do
    s=$(cat "$t/stat" 2>/dev/null) || continue
    name=${s#*(}; name=${name%)*}; rest=${s##*) }
    read -r -a f <<<"$rest"
    v=$(awk '/^voluntary_ctxt/{v=$2}/^nonvoluntary_ctxt/{n=$2}END{print v+0, n+0}' "$t/status" 2>/dev/null || echo "0 0")
    echo "${t##*/}|${name// /_}|${f[11]}|${f[12]}|$v"
  done
}

log=$out/cost.out
# The benchmark measures longer than the profile, so its stack is still up when the profile ends.
scripts/streamer-cost.sh --sessions "$sessions" --seconds $((seconds + 15)) --label "$label" "${args[@]}" >"$log" 2>&1 &
bench=$!
descendants() { local c; for c in $(pgrep -P "$1"); do echo "$c"; descendants "$c"; done; }
stop_bench() { # the benchmark and the three processes it started, by pid (a failed benchmark does not exit)
  local pids; pids=$(descendants $bench)
  kill $bench $pids 2>/dev/null || true
}
trap stop_bench EXIT
deadline=$((SECONDS + ${FACECAST_PROFILE_START_TIMEOUT:-300}))
until grep -q -- "-- $sessions session(s) speaking --" "$log" 2>/dev/null; do
  if ! kill -0 $bench 2>/dev/null || grep -q '^Exception in thread "main"' "$log" || [ $SECONDS -gt $deadline ]; then
    cat "$log"; echo "benchmark failed before measuring" >&2; exit 1
  fi
  sleep 0.2
done
streamer=$(pgrep -f -- "-jar $PWD/streamer/target/facecast-streamer.jar" | head -1 || true)
[ -n "$streamer" ] || { echo "no streamer process found" >&2; exit 1; }
jfr=$out/streamer-profile.jfr
rm -f "$jfr"
threads "$streamer" >"$out/threads.0"
t0=$(date +%s.%N)
# One attach only: the recording ends and writes itself after the duration.
jcmd "$streamer" JFR.start name=profile settings=profile "duration=${seconds}s" "filename=$jfr" >/dev/null
sleep "$seconds"
threads "$streamer" >"$out/threads.1"
t1=$(date +%s.%N)
wait $bench || true
trap - EXIT
cat "$log"
python3 scripts/streamer-profile.py --sessions "$sessions" --elapsed "$(awk "BEGIN{print $t1 - $t0}")" \
  "$out/threads.0" "$out/threads.1" "$jfr"
