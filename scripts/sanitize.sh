#!/usr/bin/env bash
# Builds the libraries and the in-process test executables with sanitizers and runs their tests:
#   scripts/sanitize.sh asan    AddressSanitizer + UndefinedBehaviorSanitizer, in build/asan
#   scripts/sanitize.sh tsan    ThreadSanitizer, in build/tsan
# The presets (CMakePresets.json) choose the tests and set the sanitizers' options, so that
# `ctest --preset asan` alone reproduces a run. Any report fails the test that caused it.
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:?usage: scripts/sanitize.sh asan|tsan}
case "$preset" in
asan | tsan) ;;
*)
    echo "scripts/sanitize.sh: unknown preset '$preset'; use asan or tsan." >&2
    exit 2
    ;;
esac
source scripts/ccache-env.sh
jobs=${SANITIZE_JOBS:-$(nproc)}

# Only what the selected tests run: the Qt application, the command line and the GPU tests are
# not built, nor the networks' pixel-exact comparisons with their references, which only repeat
# under a sanitizer what the release run proves (see the test presets for which tests run and why).
targets=(core_tests models_tests engine_tests media_tests video_tests
    pipeline_tests video_job_tests journal_tests)

start=$SECONDS
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" --target "${targets[@]}" -j "$jobs"
echo "sanitize.sh $preset: the build took $((SECONDS - start)) s"
start=$SECONDS
ctest --preset "$preset" -j "$jobs"
echo "sanitize.sh $preset: the tests took $((SECONDS - start)) s"
