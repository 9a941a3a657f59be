#pragma once
// Faults the engine raises on purpose, so that tests can drive its recovery paths on any
// machine: a device out-of-memory error (recovered by halving the tile) and a non-finite
// reduced-precision output (recovered by redoing the batch in FP32). Process-wide, thread-safe.
// Nothing is injected unless a test asks.

namespace upscale::engine::faults {

/// The next `count` forward passes throw the error a GPU throws when it runs out of memory.
void injectOutOfMemory(int count);
/// The next `count` forward passes in FP16 or BF16 produce NaN, as an overflow does.
void injectNonFinite(int count);
void clear();

}  // namespace upscale::engine::faults
