#pragma once
// The engine's side of fault injection: each call consumes one injected fault, if any.

namespace upscale::engine::faults {

[[nodiscard]] bool takeOutOfMemory();
[[nodiscard]] bool takeNonFinite();

}  // namespace upscale::engine::faults
