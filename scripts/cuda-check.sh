#!/usr/bin/env bash
# The CUDA compile check: compiles every engine source as a CUDA build of LibTorch would
# (UPSCALE_WITH_CUDA) against the LibTorch headers installed (Debian's CPU package is enough) and
# the CUDA toolkit's headers at $CUDA_HOME (default /usr/local/cuda), in build/cuda-check.
# Compile only, nothing is linked or run: it needs no GPU and no CUDA LibTorch, and fails when a
# CUDA source no longer compiles. scripts/cuda-check.sh [extra cmake --build args, e.g. -j 2]
set -euo pipefail
cd "$(dirname "$0")/.."
cuda_home=${CUDA_HOME:-/usr/local/cuda}
if [[ ! -f "$cuda_home/include/cuda_runtime_api.h" || ! -f "$cuda_home/include/cublas_v2.h" ]]; then
    echo "cuda-check.sh: no CUDA toolkit at $cuda_home (cuda_runtime_api.h and cublas_v2.h" \
         "are missing). Install NVIDIA's CUDA toolkit (e.g. the cuda-toolkit package from" \
         "NVIDIA's Debian repository) and set CUDA_HOME to it." >&2
    exit 1
fi
if [[ -f scripts/ccache-env.sh ]]; then
    source scripts/ccache-env.sh
fi
cmake -S . -B build/cuda-check -G Ninja -DCMAKE_BUILD_TYPE=Release -DUPSCALE_ENGINE_ONLY=ON \
    -DUPSCALE_BUILD_TESTS=OFF -DUPSCALE_CUDA_COMPILE_CHECK=ON -DCUDAToolkit_ROOT="$cuda_home" \
    >/dev/null
cmake --build build/cuda-check --target upscale_engine_cuda_check "$@"
echo "cuda-check.sh: the engine's CUDA sources compile (LibTorch headers, CUDA at $cuda_home)."
