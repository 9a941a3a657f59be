// RealPLKSR (partial large kernel CNN): detection and the tensors it needs.

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "arch_detail.hpp"

namespace upscale::models::detail {

namespace {

/// Tensors in every PLK block, at the least (channel mixer, large kernel, refine, a norm).
constexpr std::size_t kPlkMinTensorsPerBlock = 8;

bool perfectSquare(std::int64_t value, int& root) {
    const auto r = static_cast<std::int64_t>(std::llround(std::sqrt(double(value))));
    if (r < 1 || r * r != value) {
        return false;
    }
    root = static_cast<int>(r);
    return true;
}

}  // namespace

std::optional<ArchSpec> detectRealPlksr(const StateDict& weights) {
    const auto stem = shapeOf(weights, "feats.0.weight", 4);
    const auto lk = shapeOf(weights, "feats.1.lk.conv.weight", 4);
    if (!stem || !lk || !weights.contains("feats.1.channel_mixer.0.weight") ||
        !weights.contains("feats.1.refine.weight")) {
        return std::nullopt;
    }
    int last = -1;
    for (const auto& [name, tensor] : weights) {
        last = std::max(last, indexAfter(name, "feats."));
    }
    // feats: stem, the blocks, a dropout (no tensors), the head.
    const int blocks = last - 2;
    if (blocks < 1 || static_cast<std::size_t>(blocks) * kPlkMinTensorsPerBlock > weights.size() ||
        weights.contains(fmt::format("feats.{}.weight", last - 1))) {
        return std::nullopt;
    }
    const auto head = shapeOf(weights, fmt::format("feats.{}.weight", last), 4);
    if (!head) {
        return std::nullopt;
    }
    ArchSpec spec;
    spec.arch = Architecture::RealPLKSR;
    spec.numFeat = static_cast<int>((*stem)[0]);
    spec.inChannels = static_cast<int>((*stem)[1]);
    spec.outChannels = spec.inChannels;  // the head's output adds the input, repeated
    spec.numConv = 0;
    spec.numUpsample = 0;
    auto& p = spec.realplksr;
    p.numBlocks = blocks;
    p.kernelDim = static_cast<int>((*lk)[0]);
    p.kernelSize = static_cast<int>((*lk)[2]);
    p.attention = weights.contains("feats.1.attn.f.0.weight");
    p.layerNorm = weights.contains("feats.1.layer_norm.weight");
    p.dysample = weights.contains("to_img.init_pos");
    if ((*head)[0] % spec.inChannels != 0 ||
        !perfectSquare((*head)[0] / spec.inChannels, spec.scale) || p.kernelSize % 2 == 0 ||
        p.kernelDim > spec.numFeat) {
        return std::nullopt;
    }
    if (p.dysample) {
        const auto offset = shapeOf(weights, "to_img.offset.weight", 4);
        const std::int64_t perGroup = 2LL * spec.scale * spec.scale;
        if (!offset || (*offset)[0] % perGroup != 0) {
            return std::nullopt;
        }
        p.dysampleGroups = static_cast<int>((*offset)[0] / perGroup);
        if ((*head)[0] % p.dysampleGroups != 0) {
            return std::nullopt;
        }
    }
    return spec;
}

ShapeMap realPlksrTensors(const ArchSpec& spec) {
    ShapeMap out;
    const auto& p = spec.realplksr;
    const std::int64_t f = spec.numFeat;
    const std::int64_t shuffled = std::int64_t{spec.inChannels} * spec.scale * spec.scale;
    addConv(out, "feats.0", spec.inChannels, f, 3);
    for (int b = 1; b <= p.numBlocks; ++b) {
        const std::string block = fmt::format("feats.{}.", b);
        addConv(out, block + "channel_mixer.0", f, 2 * f, 3);
        addConv(out, block + "channel_mixer.2", 2 * f, f, 3);
        addConv(out, block + "lk.conv", p.kernelDim, p.kernelDim, p.kernelSize);
        if (p.attention) {
            addConv(out, block + "attn.f.0", f, f, 3);
        }
        addConv(out, block + "refine", f, f, 1);
        const std::string norm = block + (p.layerNorm ? "layer_norm" : "norm");
        out[norm + ".weight"] = {f};
        out[norm + ".bias"] = {f};
    }
    addConv(out, fmt::format("feats.{}", p.numBlocks + 2), f, shuffled, 3);
    if (p.dysample) {
        const std::int64_t offsets = 2LL * p.dysampleGroups * spec.scale * spec.scale;
        addConv(out, "to_img.offset", shuffled, offsets, 1);
        out["to_img.scope.weight"] = {offsets, shuffled, 1, 1};
        out["to_img.init_pos"] = {1, offsets, 1, 1};
        if (spec.scale != 1) {
            addConv(out, "to_img.end_conv", shuffled, spec.outChannels, 1);
        }
    }
    return out;
}

double realPlksrFlops(const ArchSpec& spec) {
    const auto& p = spec.realplksr;
    const double f = spec.numFeat;
    const double shuffled = double(spec.inChannels) * spec.scale * spec.scale;
    auto conv = [](double cin, double cout, double k) { return 2.0 * k * k * cin * cout; };
    const double block = conv(f, 2 * f, 3) + conv(2 * f, f, 3) +
                         conv(p.kernelDim, p.kernelDim, p.kernelSize) +
                         (p.attention ? conv(f, f, 3) : 0.0) + conv(f, f, 1);
    double total = conv(spec.inChannels, f, 3) + p.numBlocks * block + conv(f, shuffled, 3);
    if (p.dysample) {
        const double offsets = 2.0 * p.dysampleGroups * spec.scale * spec.scale;
        total += 2 * conv(shuffled, offsets, 1) + conv(shuffled, spec.outChannels, 1);
    }
    return total;
}

}  // namespace upscale::models::detail
