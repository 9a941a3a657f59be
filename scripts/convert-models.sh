#!/usr/bin/env bash
# Regenerates the bundled models in models/ from Real-ESRGAN's ncnn release files with
# `upscale convert`, and prints their sha256 for models/manifest.json. The conversion is
# deterministic: the same sources give the same bytes.
#   scripts/convert-models.sh [SOURCE_DIR]   (default: ../shared/models-src)
set -euo pipefail
cd "$(dirname "$0")/.."
src=${1:-../shared/models-src}
upscale=build/release/src/cli/upscale
[ -x "$upscale" ] || scripts/build.sh release --target upscale
"$upscale" convert "$src/realesr-animevideov3-x4.param" models/realesr-animevideov3.safetensors
"$upscale" convert "$src/realesr-general-x4v3.param" models/realesr-general-x4v3.safetensors
"$upscale" convert "$src/realesrgan-x4plus-anime.param" models/realesrgan-x4plus-anime.safetensors
