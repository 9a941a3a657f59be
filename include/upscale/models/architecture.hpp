#pragma once
// Architectures known to the product, detected from a state dict's keys and shapes, with their
// hyper-parameters inferred. LibTorch-free: the networks themselves live in network.hpp.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "upscale/models/state_dict.hpp"

namespace upscale::models {

enum class Architecture { Compact };

/// "SRVGGNetCompact"
[[nodiscard]] std::string_view architectureName(Architecture arch);
[[nodiscard]] core::Result<Architecture> architectureFromName(std::string_view name);

struct ArchSpec {
    Architecture arch = Architecture::Compact;
    int inChannels = 3;
    int outChannels = 3;
    int numFeat = 64;
    int numConv = 16;
    int scale = 4;

    /// "SRVGGNetCompact (64 features, 16 convs, 4x)"
    [[nodiscard]] std::string describe() const;
    bool operator==(const ArchSpec&) const = default;
};

/// Detects the architecture; UnsupportedFormat (listing a few keys and the supported
/// architectures) when the keys match none.
[[nodiscard]] core::Result<ArchSpec> detectArchitecture(const StateDict& weights,
                                                        std::string_view source);

/// Every tensor the architecture has, by name, with its shape.
[[nodiscard]] std::map<std::string, std::vector<std::int64_t>, std::less<>> expectedTensors(
    const ArchSpec& spec);

/// ModelMismatch naming the missing, unexpected and wrongly shaped tensors (a few of each).
[[nodiscard]] core::Result<void> checkWeights(const ArchSpec& spec, const StateDict& weights,
                                              std::string_view source);

}  // namespace upscale::models
