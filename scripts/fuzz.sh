#!/usr/bin/env bash
# Coverage-guided fuzzing of the parsers that read untrusted input (see docs/fuzzing.md).
#
#   scripts/fuzz.sh [DURATION] [TEST...]
#
# DURATION: how long each target fuzzes, in Jazzer's syntax (20s, 5m, 1h); default 5m.
# TEST: fuzz test classes to run (default: every *FuzzTest), e.g. `scripts/fuzz.sh 10m BusCodecFuzzTest`.
# Each target runs in its own JVM (Jazzer fuzzes one target per JVM) and stops at its first finding, which Jazzer
# writes as src/test/resources/<package>/<Class>Inputs/<method>/crash-<sha1>: rename it to say what it is and commit
# it with the fix, and `./mvnw -B verify` replays it from then on. The inputs each target found interesting are kept
# under <module>/.cifuzz-corpus/ (ignored by git) and resume the next run.
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${1:-5m}
shift || true
tests=${*:-'*FuzzTest'}

export JAZZER_FUZZ=1
export JAZZER_MAX_DURATION="$duration"
exec ./mvnw -B -Pfuzz -pl bus,rtc,renderer,signaling -am --fail-at-end verify \
    -Dtest="${tests// /,}" -Dsurefire.failIfNoSpecifiedTests=false
