#!/usr/bin/env bash
# Server-side cost of the fleet-state Lua scripts that run per request or per pass (signaling with --registry redis):
# the per-key request bucket (every public call), the session-quota hold (every create), and the orphan walk (every
# replica, once a second) over N sessions. The scripts are read from RedisFleetState.java, run against a throwaway
# redis-server on a free loopback port, and Redis's own INFO commandstats gives microseconds per call (time Redis
# spent executing, not wall-clock round trips, so it holds up on a busy machine).
# Usage: scripts/fleet-lua-cost.sh [sessions=1000]
set -euo pipefail
N=${1:-1000}
SRC="$(dirname "$0")/../signaling/src/main/java/io/facecast/signaling/fleet/RedisFleetState.java"
DIR=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$DIR" >"$DIR/log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DIR"' EXIT
cli() { redis-cli -p "$PORT" "$@"; }
for _ in $(seq 50); do cli ping >/dev/null 2>&1 && break; sleep 0.1; done
lua() { python3 - "$SRC" "$1" <<'PY'
import re, sys
src = open(sys.argv[1]).read()
m = re.search(r'String ' + sys.argv[2] + r' = """\n(.*?)""";', src, re.S)
print(m.group(1))
PY
}
sha() { cli SCRIPT LOAD "$(lua "$1")"; }
TAKE=$(sha TAKE_REQUEST); HOLD=$(sha HOLD_PLACE); ORPHANS=$(sha ORPHANS)
python3 - "$N" <<'PY' | cli --pipe >/dev/null
import sys
n = int(sys.argv[1])
def cmd(*a):
    out = "*%d\r\n" % len(a) + "".join("$%d\r\n%s\r\n" % (len(x.encode()), x) for x in a)
    sys.stdout.write(out)
for i in range(n):
    cmd("HSET", "facecast:session:s%d" % i, "streamer", "st1", "holder", "r-live")
    cmd("SADD", "facecast:sessions", "s%d" % i)
cmd("SET", "facecast:replica:r-live", "1")
PY
report() { cli INFO commandstats | tr -d '\r' | grep '^cmdstat_evalsha:' | sed 's/.*calls=\([0-9]*\),usec=\([0-9]*\),usec_per_call=\([0-9.]*\).*/\1 \2 \3/'; }
cli CONFIG RESETSTAT >/dev/null
cli -r 10000 EVALSHA "$TAKE" 1 facecast:key:k1:rate 1000 1000000 1000000 2000 >/dev/null
echo "take_request (per public call):   $(report | awk '{print $3}') us/call over $(report | awk '{print $1}') calls"
cli CONFIG RESETSTAT >/dev/null
for i in $(seq 200); do cli EVALSHA "$HOLD" 1 facecast:key:k1:sessions 1000 "hold:$i" 1000000 61000 facecast:session: >/dev/null; done
echo "hold_session_place (per create, up to 200 places held): $(report | awk '{print $3}') us/call"
cli CONFIG RESETSTAT >/dev/null
cli -r 100 EVALSHA "$ORPHANS" 1 facecast:sessions facecast: r-me >/dev/null
echo "orphans walk over $N sessions (per replica per second): $(report | awk '{print $3}') us/call"
