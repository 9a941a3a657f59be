#!/usr/bin/env bash
# README command 1: install what is missing, build the release, and upscale the bundled sample
# with the default model. Prints where the result is.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh release --target upscale
out=build/release/samples
mkdir -p "$out"
build/release/src/cli/upscale docs/samples/coffee-cup.png -o "$out/coffee-cup_x4.png" --overwrite
echo
echo "Result: $(pwd)/$out/coffee-cup_x4.png"
