#!/usr/bin/env bash
# README command 2 (and what CI runs): install what is missing, build everything with the
# tests, run the whole test suite, run the unit and pipeline tests again under AddressSanitizer
# with UndefinedBehaviorSanitizer and under ThreadSanitizer, then fuzz the model readers for a
# bounded time. Each step prints how long it took, and the last line the total (the README's table
# of step times comes from these lines; docs/TESTING.md says what each step covers).
set -euo pipefail
cd "$(dirname "$0")/.."
step() {
    local start=$SECONDS
    "$@"
    echo "test.sh: '$*' took $((SECONDS - start)) s"
}
trap 'echo "test.sh: $SECONDS s in all"' EXIT
# The video tests need the ffmpeg tool and its encoders (install-deps.sh installs them): here a
# missing one fails those tests instead of skipping them.
export UPSCALE_REQUIRE_FFMPEG=1
# The farm's integration test starts a single-node Slurm cluster of its own
# (scripts/slurm-cluster.sh, packages from install-deps.sh) and stops it: here it must run.
export UPSCALE_REQUIRE_SLURM=1
jobs=$(nproc)
step scripts/install-deps.sh
step scripts/build.sh release -j "$jobs"
step ctest --preset release -j "$jobs"
step scripts/cuda-check.sh -j "$jobs"
step scripts/sanitize.sh asan
step scripts/sanitize.sh tsan
step scripts/fuzz.sh
