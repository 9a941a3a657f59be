#pragma once
// Which failures are the device (or the host) running out of memory. Private to the engine.

#include <exception>
#include <string>

namespace upscale::engine {

/// Whether `e` says that memory ran out, which smaller tiles can fix: LibTorch's
/// c10::OutOfMemoryError (what its CUDA caching allocator throws), std::bad_alloc (the host), and
/// the allocation-failure statuses of cuDNN and cuBLAS, which LibTorch reports as c10::Error
/// naming the status. Any other failure is not, whatever its text says about memory.
[[nodiscard]] bool isOutOfMemory(const std::exception& e);

/// The failure's message for a log line or an error: c10::Error's without its backtrace.
[[nodiscard]] std::string failureMessage(const std::exception& e);

}  // namespace upscale::engine
