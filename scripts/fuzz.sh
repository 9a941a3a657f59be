#!/usr/bin/env bash
# Builds the libFuzzer targets of the model readers (clang, ASan + UBSan, in build/fuzz), runs every
# seed once (the test fixtures, the hostile files of tests/fuzz/corpus/ and the full-size ones of
# scripts/make-hostile-models.py), then fuzzes the three targets at once for a bounded time from
# those seeds with the dictionaries of tests/fuzz/. Fails on any crash, leak, sanitizer report or
# timeout; the input that caused it is left in build/fuzz/artifacts/.
#   scripts/fuzz.sh            60 s
#   FUZZ_SECONDS=300 scripts/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-60}"
build=build/fuzz
data=tests/data/models

source scripts/ccache-env.sh
# -O1 with line tables: quick to build, fast enough to fuzz, and readable stack traces.
CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=None \
    -DCMAKE_CXX_FLAGS="-O1 -gline-tables-only" -DUPSCALE_BUILD_FUZZERS=ON \
    -DUPSCALE_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target fuzz_pytorch fuzz_safetensors fuzz_ncnn -- -j "$(nproc)"

# Seeds: the small fixtures of each format and the hostile files of tests/fuzz/corpus/ (libFuzzer
# writes new inputs into these folders).
corpus="$build/corpus"
rm -rf "$corpus"
mkdir -p "$corpus/pytorch" "$corpus/safetensors" "$corpus/ncnn" "$build/artifacts"
cp "$data"/compact-*.pth "$data"/hostile-system.pth "$data"/span-x4-legacy.pth \
    "$data"/pickled-module.pth "$data"/torchscript-compact.pt "$corpus/pytorch/"
for target in pytorch safetensors ncnn; do
    cp tests/fuzz/corpus/"$target"/* "$corpus/$target/"
done
cp "$data"/compact-x4.safetensors "$data"/rrdb-x1.io.safetensors "$data"/rrdb-x2.io.safetensors \
    "$corpus/safetensors/"
# ncnn inputs are a u32 length, the .param text, then the .bin (here its first 4 KiB).
param="$data/realesr-animevideov3-x4.param"
seed="$corpus/ncnn/animevideov3"
len=$(stat -c %s "$param")
printf "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' $((len & 255)) $((len >> 8 & 255)) \
    $((len >> 16 & 255)) $((len >> 24 & 255)))" >"$seed"
cat "$param" >>"$seed"
head -c 4096 "$data/realesr-animevideov3-x4.bin" >>"$seed"

# The full-size hostile files (too large to check in, and to be a fuzzing seed): each is run once,
# whole, with the seeds, under ASan and UBSan, within the memory limit below.
large="$build/corpus-large"
rm -rf "$large"
python3 scripts/make-hostile-models.py --large "$large"

status=0
for target in pytorch safetensors ncnn; do
    echo "fuzz: every seed of $target once"
    seeds=("$corpus/$target"/*)
    if [ -d "$large/$target" ]; then
        seeds+=("$large/$target"/*)
    fi
    if ! "$build/tests/fuzz/fuzz_$target" -rss_limit_mb=2048 -timeout=30 \
        -artifact_prefix="$build/artifacts/${target}-seed-" "${seeds[@]}" \
        >"$build/seeds_$target.log" 2>&1; then
        echo "fuzz: a seed of fuzz_$target FAILED; see $build/seeds_$target.log" >&2
        tail -40 "$build/seeds_$target.log" >&2
        status=1
    fi
done

# The targets fuzz side by side, all for the same bounded time (the run takes that time once).
fuzz() {
    local target=$1
    local dict=()
    case "$target" in
        pytorch) dict=(-dict=tests/fuzz/pickle.dict) ;;
        ncnn) dict=(-dict=tests/fuzz/ncnn.dict) ;;
    esac
    if ! "$build/tests/fuzz/fuzz_$target" "$corpus/$target" "${dict[@]}" \
        -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -artifact_prefix="$build/artifacts/${target}-" -print_final_stats=1 \
        >"$build/fuzz_$target.log" 2>&1; then
        echo "fuzz: fuzz_$target FAILED; see $build/fuzz_$target.log and $build/artifacts/" >&2
        tail -40 "$build/fuzz_$target.log" >&2
        return 1
    fi
    grep -E "stat::number_of_executed_units|stat::new_units_added|stat::peak_rss_mb" \
        "$build/fuzz_$target.log" | sed "s/^/fuzz: $target /"
}
rm -f "$build"/fuzz_*.failed
echo "fuzz: pytorch, safetensors and ncnn side by side for ${seconds} s"
for target in pytorch safetensors ncnn; do
    fuzz "$target" || touch "$build/fuzz_$target.failed" &
done
wait
if compgen -G "$build/fuzz_*.failed" >/dev/null; then
    status=1
fi
exit "$status"
