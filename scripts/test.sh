#!/usr/bin/env bash
# README command 2 (and what CI runs): install what is missing, build everything with the
# tests, run the whole test suite, then fuzz the model readers for a bounded time.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc)
scripts/build.sh release -j "$jobs"
# The video tests need the ffmpeg tool and its encoders (install-deps.sh installs them): here a
# missing one fails those tests instead of skipping them.
UPSCALE_REQUIRE_FFMPEG=1 ctest --preset release -j "$jobs"
scripts/fuzz.sh
