#pragma once
// The one place where the engine's code depends on the LibTorch version. The engine builds
// against LibTorch 1.13 (Debian's CPU package, or a CUDA build of it) and 2.x; CMake refuses
// older versions, and this header repeats the floor for builds that bypass CMake's check.

#include <torch/version.h>

#define UPSCALE_TORCH_AT_LEAST(major, minor) \
    (TORCH_VERSION_MAJOR > (major) ||        \
     (TORCH_VERSION_MAJOR == (major) && TORCH_VERSION_MINOR >= (minor)))

static_assert(UPSCALE_TORCH_AT_LEAST(1, 13), "The engine needs LibTorch 1.13 or later.");

#ifdef UPSCALE_WITH_CUDA
#include <ATen/cuda/CUDAGraph.h>

namespace upscale::engine::compat {

/// Starts capturing the current stream into `graph`. From LibTorch 2.1 the capture is
/// thread-local: other workers keep launching (and allocating) on their own streams meanwhile.
/// Older versions only capture in global mode, where another thread's allocation during the
/// capture fails it; the caller then falls back to plain forward passes.
inline void beginCapture(at::cuda::CUDAGraph& graph) {
#if UPSCALE_TORCH_AT_LEAST(2, 1)
    graph.capture_begin({0, 0}, cudaStreamCaptureModeThreadLocal);
#else
    graph.capture_begin();
#endif
}

}  // namespace upscale::engine::compat
#endif
