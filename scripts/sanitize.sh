#!/usr/bin/env bash
# Builds the libraries and the in-process test executables with sanitizers and runs their tests:
#   scripts/sanitize.sh asan    AddressSanitizer + UndefinedBehaviorSanitizer, in build/asan
#   scripts/sanitize.sh tsan    ThreadSanitizer, in build/tsan
# The presets (CMakePresets.json) choose the tests and set the sanitizers' options, so that
# `ctest --preset asan` alone reproduces a run. Each test executable is one CTest test that runs
# its tests in one process; any report fails it, and its output names the test that caused it.
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

# Only what the selected tests run (the test presets choose the same executables): the Qt
# application, the command line and the GPU tests are not built, nor the networks' pixel-exact
# comparisons, which only repeat under a sanitizer what the release run proves. The networks
# themselves are not instrumented: the sanitizer builds link the release build's library of them.
# docs/TESTING.md says what runs under which sanitizer and why.
case "$preset" in
asan)
    targets=(core_tests models_tests engine_tests media_tests video_tests
        pipeline_tests video_job_tests journal_tests)
    ;;
tsan)
    # What runs on several threads; the parsers are single-threaded (ASan's part).
    targets=(core_tests engine_tests video_tests pipeline_tests video_job_tests journal_tests)
    ;;
esac

start=$SECONDS
# The networks are the release build's (after scripts/build.sh release this is a no-op): compiled
# once, not once more per sanitizer (src/models/CMakeLists.txt).
cmake --preset release >/dev/null
cmake --build --preset release --target upscale_models -j "$jobs"
networks="$(pwd)/build/release/src/models/libupscale_models.a"
cmake --preset "$preset" -DUPSCALE_RELEASE_NETWORKS="$networks" >/dev/null
cmake --build --preset "$preset" --target "${targets[@]}" -j "$jobs"
echo "sanitize.sh $preset: the build took $((SECONDS - start)) s"
start=$SECONDS
ctest --preset "$preset" -j "$jobs"
echo "sanitize.sh $preset: the tests took $((SECONDS - start)) s"
