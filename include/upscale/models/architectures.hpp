#pragma once
// The architectures the product reads, each with the variants it tells apart, in words: what
// `upscale --list-models -v` prints.

#include <span>
#include <string_view>

#include "upscale/models/architecture.hpp"

namespace upscale::models {

struct ArchitectureInfo {
    Architecture arch;
    std::string_view variants;
};

[[nodiscard]] std::span<const ArchitectureInfo> readableArchitectures();

}  // namespace upscale::models
