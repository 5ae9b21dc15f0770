#!/usr/bin/env bash
# Shows the README's two commands working on a fresh Debian with nothing preinstalled beyond what the README says:
# a minimal Debian bookworm root (debootstrap --variant=minbase) plus a Java 17 JDK. Everything else (webrtc-java's
# native libraries, espeak-ng, Chromium, coturn, GStreamer, Node/npm, playwright-core, Maven itself and every Maven
# artifact) must come from the commands themselves.
#
#   sudo scripts/verify-fresh-debian.sh [DIR]      (default DIR: /tmp/facecast-fresh-debian; needs root and network)
#
# Steps: debootstrap bookworm into DIR from the mirror apt already uses here; install openjdk-17-jdk-headless (the
# README's one prerequisite); copy this working tree (tracked and untracked-not-ignored files: no target/, no
# node_modules/) to DIR/root/facecast; then, inside the chroot, `./facecast up` until its demo has run (then stopped)
# and `./mvnw -B verify`. Logs: DIR.up.log and DIR.verify.log (copied out of the root). Slow: the first run
# downloads a Debian base, Maven and the project's dependencies, and runs the whole test suite.
# FACECAST_FRESH_KEEP=1 keeps DIR afterwards; by default it is removed at the end. FACECAST_FRESH_REV=<commit>
# copies that commit (git archive) instead of the working tree.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
DIR=${1:-/tmp/facecast-fresh-debian}

[ "$(id -u)" -eq 0 ] || { echo "verify-fresh-debian: run as root (debootstrap and chroot need it)" >&2; exit 2; }
# The mirror apt uses on this machine (deb822 sources first, then the classic list).
MIRROR=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
[ -n "$MIRROR" ] || MIRROR=$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
MIRROR=${MIRROR:-http://deb.debian.org/debian}
command -v debootstrap >/dev/null 2>&1 || apt-get install -y -qq --no-install-recommends debootstrap

mounted=()
cleanup() {
  # iproute2 inside the root mounts run/netns when a test probes for network namespaces.
  umount -l "$DIR/run/netns" 2>/dev/null || true
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[$i]}" 2>/dev/null || true; done
  [ "${FACECAST_FRESH_KEEP:-}" = 1 ] || rm -rf "$DIR"
}
trap cleanup EXIT
mount_into() { mkdir -p "$DIR$2"; mount "${@:3}" "$1" "$DIR$2"; mounted+=("$DIR$2"); }

step() { echo "[$(date +%H:%M:%S)] $*"; }
if [ ! -x "$DIR/bin/bash" ]; then
  step "debootstrap --variant=minbase bookworm $DIR $MIRROR"
  debootstrap --variant=minbase bookworm "$DIR" "$MIRROR" >"$DIR.debootstrap.log" 2>&1 \
    || { echo "debootstrap failed; see $DIR.debootstrap.log" >&2; exit 1; }
fi
cp /etc/resolv.conf "$DIR/etc/resolv.conf"
mount_into proc /proc -t proc
mount_into sysfs /sys -t sysfs
mount_into /dev /dev --bind
mount_into devpts /dev/pts -t devpts
mount_into tmpfs /dev/shm -t tmpfs

in_root() { chroot "$DIR" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  LANG=C.UTF-8 "$@"; }

step "the README's prerequisite: openjdk-17-jdk-headless"
in_root bash -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jdk-headless >/dev/null'

# Only when this machine's own network needs it: the extra CA certificates it trusts (e.g. an egress proxy that
# re-signs TLS) go into the root too, or neither Maven nor npm can reach their registries from it.
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  step "this machine's extra CA certificates (/usr/local/share/ca-certificates) into the root"
  mkdir -p "$DIR/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$DIR/usr/local/share/ca-certificates/"
  in_root update-ca-certificates >/dev/null 2>&1
fi

step "copying ${FACECAST_FRESH_REV:-the working tree} to $DIR/root/facecast"
rm -rf "$DIR/root/facecast" && mkdir -p "$DIR/root/facecast"
if [ -n "${FACECAST_FRESH_REV:-}" ]; then
  (cd "$REPO" && git archive --format=tar "$FACECAST_FRESH_REV") | tar -xf - -C "$DIR/root/facecast"
else
  (cd "$REPO" && git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf -) | tar -xf - -C "$DIR/root/facecast"
fi

# Ports away from the defaults, so a stack already running on this machine is not in the way.
step "./facecast up (until the demo has run, then stopped)"
in_root bash -c 'cd /root/facecast && export FACECAST_SIGNALING_PORT=52051 FACECAST_RENDERER_PORT=52061 \
  FACECAST_STREAMER_PORT=52071 FACECAST_HTTP_PORT=18580 FACECAST_SIGNALING_INTERNAL_PORT=52052 \
  FACECAST_RENDERER_OPS_PORT=19461 FACECAST_STREAMER_OPS_PORT=19471; ./facecast up >/root/facecast-up.log 2>&1 & up=$!
  for _ in $(seq 1 1800); do grep -q "the stack keeps running" /root/facecast-up.log && break
    kill -0 $up 2>/dev/null || break; sleep 1; done
  ./facecast status >>/root/facecast-up.log 2>&1 || true
  kill -TERM $up 2>/dev/null; wait $up; grep -q "the stack keeps running" /root/facecast-up.log' \
  && up_ok=1 || up_ok=0
sed 's/^/  up | /' "$DIR/root/facecast-up.log" | tail -20

step "./mvnw -B verify"
in_root bash -c 'cd /root/facecast && ./mvnw -B verify >/root/facecast-verify.log 2>&1' && verify_ok=1 || verify_ok=0
grep -E "Tests run:|BUILD|ERROR|facecast:" "$DIR/root/facecast-verify.log" | tail -25 | sed 's/^/  verify | /'
# Both logs outlive DIR (removed at exit), beside debootstrap's.
cp "$DIR/root/facecast-up.log" "$DIR.up.log"; cp "$DIR/root/facecast-verify.log" "$DIR.verify.log"
echo "  logs: $DIR.up.log, $DIR.verify.log"

step "result: ./facecast up $([ $up_ok = 1 ] && echo OK || echo FAILED), ./mvnw -B verify $([ $verify_ok = 1 ] && echo OK || echo FAILED)"
[ $up_ok = 1 ] && [ $verify_ok = 1 ]
