#!/usr/bin/env bash
# README command 1: install what is missing, build the release, and upscale the bundled sample
# with the default model. Prints where the result is.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh release --target upscale
out=build/release/samples
mkdir -p "$out"
build/release/src/cli/upscale docs/samples/coffee.png -o "$out/coffee_x4.png" --overwrite
echo
echo "Result: $(pwd)/$out/coffee_x4.png"
