#!/usr/bin/env bash
# The one list of what Facecast needs from the system, and the one place that installs it.
#
#   scripts/ensure-deps.sh run     what `./facecast up` needs: webrtc-java's native libraries, espeak-ng
#   scripts/ensure-deps.sh test    what `./mvnw -B verify` needs: run + Chromium, coturn, GStreamer, Node/npm, and
#                                  playwright-core in integration-tests/src/test/js (npm ci)
#   scripts/ensure-deps.sh ci      what .ci/run needs: test + a JDK and docker-compose (validates the compose file)
#   scripts/ensure-deps.sh bench   what `./facecast bench capacity` needs: run + aiortc, tshark, matplotlib
#   scripts/ensure-deps.sh list GROUP   prints the group's Debian packages, one line
#
# Missing packages are installed through apt-get when this runs as root on a system with apt; otherwise the script
# exits 3 after ONE line naming the packages and the command that installs them. Nothing is done (and nothing is
# printed) when everything is there, so callers run it every time. FACECAST_DEPS=skip turns it off (then tests that
# need a missing tool skip themselves, as before).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)

# Native libraries that webrtc-java's linux-x86_64 library links (no display or sound server is used at run time),
# and espeak-ng (brings libespeak-ng1 and its data) for the renderer's "espeak:<voice>" backend.
RUN_PKGS=(libpulse0 libudev1 libx11-6 libxfixes3 libxrandr2 libxcomposite1 libdbus-1-3 espeak-ng libespeak-ng1)
# chromium + nodejs/npm: the demo page test (playwright-core drives Debian's Chromium; no browser is downloaded);
# coturn: the TURN relay test; GStreamer (webrtcbin, libnice, VP8/Opus) with its Python bindings and numpy: the
# standard player that measures lip-sync and interruption (tools/meter/facecast_meter.py, also ./facecast meter);
# prometheus: promtool checks each process's /metrics exposition and the alert rules (deploy/prometheus).
# redis-server: signaling replicas' shared fleet state, started per test class (docs/fleet.md).
# tshark (brings dumpcap): the fleet tests capture the client host's UDP to measure video gaps on the wire.
# binutils (objcopy, which jlink --strip-debug runs) and libgif7 (the jlink'd runtime's libsplashscreen links it;
# the image's ldd closure must resolve): the container-image test (docker/build-images.py).
# iproute2 (ip: network namespaces, veth pairs, a bridge; NetnsLab): the multi-host lab (FleetNetnsTest and others);
# docker-compose (Debian's v1 parses docker-compose.yml without an engine): the compose profile's check. Without
# them those tests skip, so a fresh machine's test run would pass without running them.
TEST_PKGS=("${RUN_PKGS[@]}" chromium coturn python3 binutils libgif7 \
    gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-nice \
    gir1.2-gst-plugins-bad-1.0 python3-gst-1.0 python3-numpy prometheus redis-server tshark iproute2 docker-compose)
# CI (a machine with nothing but what it installs) also gets the JDK itself.
CI_PKGS=("${TEST_PKGS[@]}" openjdk-17-jdk-headless)
# The capacity benchmark only (tools/capacity): its receivers (aiortc, with PyAV and numpy; GStreamer's webrtcbin
# with its Python bindings for --receiver gst), the loopback capture (tshark brings dumpcap) and the plots
# (matplotlib). Neither `run` nor the tests need aiortc or matplotlib.
BENCH_PKGS=("${RUN_PKGS[@]}" python3 python3-aiortc python3-av python3-numpy tshark python3-matplotlib \
    gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-nice \
    gir1.2-gst-plugins-bad-1.0 python3-gst-1.0)

group=${1:-run}
case "$group" in
  run) pkgs=("${RUN_PKGS[@]}") ;;
  test) pkgs=("${TEST_PKGS[@]}") ;;
  ci) pkgs=("${CI_PKGS[@]}") ;;
  bench) pkgs=("${BENCH_PKGS[@]}") ;;
  skip) exit 0 ;;
  list)
    case "${2:-run}" in
      run) echo "${RUN_PKGS[*]}" ;; test) echo "${TEST_PKGS[*]} nodejs npm" ;; ci) echo "${CI_PKGS[*]} nodejs npm" ;;
      bench) echo "${BENCH_PKGS[*]}" ;;
      *) echo "usage: scripts/ensure-deps.sh list run|test|ci|bench" >&2; exit 2 ;;
    esac
    exit 0 ;;
  *) echo "usage: scripts/ensure-deps.sh run|test|ci|bench|skip|list GROUP" >&2; exit 2 ;;
esac
[ "${FACECAST_DEPS:-}" = skip ] && exit 0

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

need=()
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in "${pkgs[@]}"; do installed "$pkg" || need+=("$pkg"); done
else
  # Not Debian: check the one thing every process needs by its file; the rest is up to the person.
  [ -e /usr/lib/x86_64-linux-gnu/libpulse.so.0 ] || [ -e /usr/lib64/libpulse.so.0 ] || need+=(libpulse0)
fi
# A JDK 17 (javac: ./mvnw compiles its own downloader and the project); .ci/run's group names it anyway.
command -v javac >/dev/null 2>&1 || { [[ " ${need[*]} " == *" openjdk-17-jdk-headless "* ]] || need+=(openjdk-17-jdk-headless); }
if [ "$group" = test ] || [ "$group" = ci ]; then
  # Node may come from another packaging (with npm bundled): only ask Debian for it when the commands are missing.
  command -v node >/dev/null 2>&1 || need+=(nodejs)
  command -v npm >/dev/null 2>&1 || need+=(npm)
fi

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "facecast: installing ${need[*]} (apt-get) ..."
    export DEBIAN_FRONTEND=noninteractive
    # Another apt-get may hold the lock (a second build, unattended upgrades): wait for it rather than fail.
    apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "facecast: missing ${need[*]}; install with: sudo apt-get install -y ${need[*]}   (or FACECAST_DEPS=skip to go on without)" >&2
    exit 3
  fi
fi

if [ "$group" = test ] || [ "$group" = ci ]; then
  # playwright-core, pinned by package-lock.json; npm ci only when node_modules does not match the lock yet.
  js="$ROOT/integration-tests/src/test/js"
  if [ ! -f "$js/node_modules/.package-lock.json" ] || [ "$js/package-lock.json" -nt "$js/node_modules/.package-lock.json" ]; then
    echo "facecast: npm ci in integration-tests/src/test/js (playwright-core; no browser is downloaded) ..."
    if ! (cd "$js" && npm ci --no-audit --no-fund --loglevel=error >/dev/null); then
      echo "facecast: npm ci failed in $js; run it there to see why (or FACECAST_DEPS=skip to go on without)" >&2
      exit 3
    fi
  fi
fi
