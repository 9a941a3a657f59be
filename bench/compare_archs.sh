#!/usr/bin/env bash
# RealPLKSR, DAT and OmniSR: the C++ engine against the same network in PyTorch eager
# (scripts/reference_archs/), on the same frames in the same run, through
# bench/compare_reference.sh, with random-weight models from bench/make_bench_models.py.
#   bench/compare_archs.sh [--size small|full] [--frames 2] [--width 256] [--height 256]
set -euo pipefail
cd "$(dirname "$0")/.."
size=small frames=2 width=256 height=256
while [ $# -gt 0 ]; do
    case "$1" in
        --size) size=$2 ;; --frames) frames=$2 ;; --width) width=$2 ;; --height) height=$2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift 2
done
python=${PYTHON:-/usr/bin/python3}
models=$(mktemp -d)
trap 'rm -rf "$models"' EXIT
"$python" bench/make_bench_models.py "$models" --size "$size"
for arch in realplksr dat omnisr; do
    bench/compare_reference.sh --model "$models/$arch.safetensors" --frames "$frames" \
        --width "$width" --height "$height" | sed -n '/^$/,$p'
done
