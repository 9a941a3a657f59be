// SPAN (swift parameter-free attention network): detection and the tensors it needs.

#include <fmt/format.h>

#include "arch_detail.hpp"

namespace upscale::models::detail {

namespace {

constexpr int kSpanBlocks = 6;

/// Conv3XC(cin, cout) with gain 2: a 1x1 skip, a 1x1 -> 3x3 (unpadded) -> 1x1 chain used in
/// training, and the 3x3 eval_conv the two fold into.
void addConv3xc(ShapeMap& out, const std::string& name, std::int64_t cin, std::int64_t cout) {
    addConv(out, name + ".sk", cin, cout, 1);
    addConv(out, name + ".conv.0", cin, 2 * cin, 1);
    addConv(out, name + ".conv.1", 2 * cin, 2 * cout, 3);
    addConv(out, name + ".conv.2", 2 * cout, cout, 1);
    addConv(out, name + ".eval_conv", cin, cout, 3);
}

}  // namespace

std::optional<ArchSpec> detectSpan(const StateDict& weights) {
    const auto first = shapeOf(weights, "conv_1.sk.weight", 4);
    const auto up = shapeOf(weights, "upsampler.0.weight", 4);
    if (!first || !up || !weights.contains("block_1.c1_r.sk.weight") ||
        !weights.contains("conv_cat.weight")) {
        return std::nullopt;
    }
    ArchSpec spec;
    spec.arch = Architecture::SPAN;
    spec.numFeat = static_cast<int>((*first)[0]);
    spec.inChannels = static_cast<int>((*first)[1]);
    spec.numConv = 0;
    spec.numUpsample = 0;
    spec.normalize = !weights.contains("no_norm");
    if (!splitShuffle((*up)[0], spec.inChannels, spec.outChannels, spec.scale)) {
        return std::nullopt;
    }
    return spec;
}

ShapeMap spanTensors(const ArchSpec& spec) {
    ShapeMap out;
    const std::int64_t f = spec.numFeat;
    addConv3xc(out, "conv_1", spec.inChannels, f);
    for (int b = 1; b <= kSpanBlocks; ++b) {
        for (const char* part : {"c1_r", "c2_r", "c3_r"}) {
            addConv3xc(out, fmt::format("block_{}.{}", b, part), f, f);
        }
    }
    addConv3xc(out, "conv_2", f, f);
    addConv(out, "conv_cat", 4 * f, f, 1);
    addConv(out, "upsampler.0", f, std::int64_t{spec.outChannels} * spec.scale * spec.scale, 3);
    if (!spec.normalize) {
        out["no_norm"] = {1};
    }
    return out;
}

}  // namespace upscale::models::detail
