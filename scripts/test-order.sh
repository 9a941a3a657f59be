#!/usr/bin/env bash
# Checks that no test depends on the order the tests run in or on running once per process: runs
# every test executable of a build whole, in one process, twice over and shuffled
# (GoogleTest's --gtest_repeat=2 --gtest_shuffle), then, with --ctest, the whole suite twice more
# through CTest (`ctest --repeat until-fail:2`, each test in its own process).
#   scripts/test-order.sh                       every executable of build/release, a random seed
#   scripts/test-order.sh --seed 1234 engine_tests    one executable, a given order
#   scripts/test-order.sh --ctest               also ctest --preset release --repeat until-fail:2
# Needs a release build (scripts/build.sh release). A failure prints the seed that reproduces it.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
preset=release
seed=$(((RANDOM << 15 | RANDOM) % 99999 + 1))
run_ctest=0
only=()
while [ $# -gt 0 ]; do
    case "$1" in
    --seed)
        seed=${2:?--seed needs a number}
        shift 2
        ;;
    --ctest)
        run_ctest=1
        shift
        ;;
    -h | --help)
        sed -n '2,9p' "$0"
        exit 0
        ;;
    *)
        only+=("$1")
        shift
        ;;
    esac
done
build="build/$preset"
if [ ! -d "$build/tests" ]; then
    echo "scripts/test-order.sh: no tests in $build; build them first: scripts/build.sh $preset" >&2
    exit 2
fi
# As CTest runs them (tests/CMakeLists.txt): in the executable's folder, with the bundled models.
export UPSCALE_MODELS_DIR="$root/models"
export UPSCALE_REQUIRE_FFMPEG="${UPSCALE_REQUIRE_FFMPEG:-1}"

mapfile -t executables < <(find "$build/tests" -type f -perm -u+x -name '*_tests' | sort)
failed=()
for exe in "${executables[@]}"; do
    name=$(basename "$exe")
    if [ ${#only[@]} -gt 0 ] && [[ ! " ${only[*]} " == *" $name "* ]]; then
        continue
    fi
    log="$build/test-order-$name.log"
    start=$SECONDS
    if (cd "$(dirname "$exe")" && "./$name" --gtest_repeat=2 --gtest_shuffle \
        --gtest_random_seed="$seed" >"$root/$log" 2>&1); then
        echo "test-order: $name passed twice, shuffled ($((SECONDS - start)) s)"
    else
        echo "test-order: $name FAILED with --gtest_random_seed=$seed; see $log" >&2
        grep -E "^\[  FAILED  \]|^Repeating all tests|Shuffling, seed" "$log" | head -20 >&2 || true
        failed+=("$name")
    fi
done

if [ "$run_ctest" = 1 ]; then
    start=$SECONDS
    if ctest --preset "$preset" -j "$(nproc)" --repeat until-fail:2 >"$build/test-order-ctest.log" 2>&1; then
        echo "test-order: ctest --repeat until-fail:2 passed ($((SECONDS - start)) s)"
    else
        echo "test-order: ctest --repeat until-fail:2 FAILED; see $build/test-order-ctest.log" >&2
        grep -E "\(Failed\)|\*\*\*Failed|Timeout" "$build/test-order-ctest.log" | head -20 >&2 || true
        failed+=(ctest)
    fi
fi

if [ ${#failed[@]} -gt 0 ]; then
    echo "test-order: failed: ${failed[*]} (seed $seed)" >&2
    exit 1
fi
echo "test-order: every test passed in any order and twice (seed $seed)"
