// Checks on what detection inferred, made before anything is sized from it: a file whose shapes
// imply an impossible network, or one with more layers than it has tensors, is refused with the
// architecture named; so are models for other than RGB images, when one is loaded to be run.

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

#include <fmt/format.h>

#include "arch_detail.hpp"

namespace upscale::models::detail {

namespace {

// Far above every published network, far below what would exhaust memory when sized.
constexpr int kMaxFeatures = 4096;
constexpr int kMaxScale = 16;
constexpr int kMaxChannels = 4;

std::string_view channelName(int channels) {
    switch (channels) {
        case 1:
            return "grey";
        case 2:
            return "grey and alpha";
        case 3:
            return "RGB";
        case 4:
            return "RGBA";
        default:
            return "unknown";
    }
}

// Left by multi-GPU training (module.), GAN trainers (netG., generator.), wrappers (model.) and
// torch.compile (_orig_mod.); they nest, as in "module.module." or "module._orig_mod.".
constexpr std::array<std::string_view, 5> kKeyPrefixes = {"module.", "netG.", "model.",
                                                          "_orig_mod.", "generator."};
constexpr int kMaxPrefixes = 4;

/// The prefix every key has, unless what follows it is always a number: then it names a
/// Sequential (the original ESRGAN's "model.0.weight"), not a wrapper.
std::optional<std::string_view> commonPrefix(const StateDict& weights) {
    for (const std::string_view prefix : kKeyPrefixes) {
        bool all = !weights.empty();
        bool allIndexed = true;
        for (const auto& [name, tensor] : weights) {
            all = all && name.starts_with(prefix);
            allIndexed = allIndexed && name.size() > prefix.size() &&
                         std::isdigit(static_cast<unsigned char>(name[prefix.size()])) != 0;
        }
        if (all && !allIndexed) {
            return prefix;
        }
    }
    return std::nullopt;
}

bool within(int value, int low, int high) {
    return value >= low && value <= high;
}

}  // namespace

core::Result<void> checkSpec(const ArchSpec& spec, const StateDict& weights,
                             std::string_view source) {
    const std::string_view arch = architectureName(spec.arch);
    const auto layers = static_cast<std::int64_t>(weights.size());
    if (spec.numConv > layers || spec.numBlock > layers) {
        return core::fail(core::ErrorCode::ModelMismatch,
                          fmt::format("'{}' does not fit {}: its keys number {} layers, but it "
                                      "holds only {} tensors. The file is damaged or was edited.",
                                      source, arch, std::max(spec.numConv, spec.numBlock),
                                      weights.size()));
    }
    if (!within(spec.inChannels, 1, kMaxChannels) || !within(spec.outChannels, 1, kMaxChannels) ||
        !within(spec.numFeat, 1, kMaxFeatures) || !within(spec.scale, 1, kMaxScale) ||
        spec.numConv < 0 || spec.numBlock < 0 || !within(spec.numGrow, 0, kMaxFeatures)) {
        return core::fail(core::ErrorCode::ModelMismatch,
                          fmt::format("'{}' describes an impossible {} network ({} input "
                                      "channels, {} output channels, {} features, scale {}): a "
                                      "size is zero or absurd. The file is damaged or was edited.",
                                      source, arch, spec.inChannels, spec.outChannels,
                                      spec.numFeat, spec.scale));
    }
    return {};
}

core::Result<void> checkChannels(const ArchSpec& spec, std::string_view source) {
    if (spec.inChannels != 3 || spec.outChannels != 3) {
        return core::fail(core::ErrorCode::UnsupportedFormat,
                          fmt::format("'{}' is a {} model for {} input and {} output channels "
                                      "({} to {}); only models that take and give RGB images (3 "
                                      "channels) can be run.",
                                      source, spec.describe(), spec.inChannels, spec.outChannels,
                                      channelName(spec.inChannels),
                                      channelName(spec.outChannels)));
    }
    return {};
}

StateDict stripKeyPrefixes(StateDict weights) {
    for (int i = 0; i < kMaxPrefixes; ++i) {
        const auto prefix = commonPrefix(weights);
        if (!prefix) {
            break;
        }
        StateDict stripped;
        for (auto& [name, tensor] : weights) {
            stripped.emplace(name.substr(prefix->size()), std::move(tensor));
        }
        weights = std::move(stripped);
    }
    return weights;
}

}  // namespace upscale::models::detail
