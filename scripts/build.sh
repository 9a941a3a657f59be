#!/usr/bin/env bash
# Configures and builds with a preset: scripts/build.sh [preset] [extra cmake --build args].
# Presets are in CMakePresets.json; the default is "release".
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ccache-env.sh
preset=${1:-release}
shift || true
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" "$@"
