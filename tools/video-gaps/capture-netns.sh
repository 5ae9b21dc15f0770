#!/usr/bin/env bash
# Captures the UDP of chosen hosts of a NetnsLab run (FleetNetnsTest, MultiHostSmokeTest) on each host's eth0, from
# the moment its namespace appears until it is deleted or this script is stopped. For evidence beside the client
# agent's own capture (client-wire.pcap): what a node's streamer sent, before the bridge.
#   tools/video-gaps/capture-netns.sh OUT_DIR HOST...    e.g. capture-netns.sh /tmp/cap node-1 node-2
set -o pipefail
out=$1; shift
mkdir -p "$out"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait' EXIT INT TERM
declare -A started
deadline=$((SECONDS + 1800))
while [ $SECONDS -lt $deadline ]; do
  for host in "$@"; do
    [ -n "${started[$host]:-}" ] && continue
    ns=$(ip netns list | awk '{print $1}' | grep -E "^fcl-[0-9]+-[0-9]+-${host}\$" | head -1)
    if [ -n "$ns" ] && ip -n "$ns" link show eth0 >/dev/null 2>&1; then
      ip netns exec "$ns" dumpcap -q -i eth0 -f udp -s 128 -P -w "$out/$host.pcap" >"$out/$host.log" 2>&1 &
      pids+=($!)
      started[$host]=$ns
      echo "capturing $host ($ns)"
    fi
  done
  # Done once every started namespace is gone again.
  if [ "${#started[@]}" -eq $# ]; then
    alive=0
    for host in "$@"; do ip netns list | grep -q "^${started[$host]} " && alive=1; ip netns list | grep -qx "${started[$host]}" && alive=1; done
    [ $alive -eq 0 ] && break
  fi
  sleep 0.2
done
