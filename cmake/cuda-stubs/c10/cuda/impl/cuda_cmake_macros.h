#pragma once
// Stands in for the header a CUDA build of LibTorch generates at configure time, which a CPU-only
// package does not ship: the CUDA compile check (cmake/CudaCompileCheck.cmake) builds the
// engine's CUDA code against a CPU package's headers. It says what a shared CUDA LibTorch says.
#define C10_CUDA_BUILD_SHARED_LIBS
