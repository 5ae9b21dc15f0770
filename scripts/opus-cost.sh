#!/usr/bin/env bash
# What the Opus settings a streamer can ask for (--opus-params) cost and sound like, at the codec: the renderer's own
# speech (FreeTTS, resampled to 48 kHz) through the system's libopus configured as libwebrtc configures it (VOIP,
# complexity 9, VBR, in-band FEC as browsers offer it, 20 ms frames). Prints CPU time per second of audio (process
# CPU time, robust to a busy machine), bitrate, and the decoded speech against the input (log-spectral distance in
# 50 Hz-8 kHz, segmental SNR). Needs libopus0 and python3-numpy. Build first: ./mvnw -B -q -o -DskipTests package
set -euo pipefail
cd "$(dirname "$0")/.."
text=${1:-"This is Facecast speaking without a pause. Every sentence here is rendered, queued on the bus, paced by the streamer and sent over WebRTC, while you measure it."}
raw=$(mktemp --suffix=.raw)
trap 'rm -f "$raw"' EXIT
cp="renderer/target/classes:$(ls renderer/target/lib/*.jar | tr '\n' ':')"
nice -n "${FACECAST_NICE:-19}" java -cp "$cp" scripts/opus/OpusSpeech.java "$text" "$raw"
nice -n "${FACECAST_NICE:-19}" python3 scripts/opus/opus-cost.py "$raw"
