// OmniSR (omni self-attention network): detection and the tensors it needs.

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "arch_detail.hpp"

namespace upscale::models::detail {

namespace {

/// Tensors in every OSA block, at the least.
constexpr std::size_t kOmniMinTensorsPerBlock = 40;
/// The channel attentions' head count, fixed by the architecture.
constexpr std::int64_t kChannelHeads = 4;

void addWeight(ShapeMap& out, const std::string& name, std::vector<std::int64_t> shape, bool bias) {
    const std::int64_t channels = shape[0];
    out[name + ".weight"] = std::move(shape);
    if (bias) {
        out[name + ".bias"] = {channels};
    }
}

void addOsaBlock(ShapeMap& out, const std::string& layer, std::int64_t f, const OmniSrParams& p) {
    const std::string mb = layer + "0.fn.";
    addConv(out, mb + "0", f, f, 1);
    addWeight(out, mb + "2", {f, 1, 3, 3}, true);
    out[mb + "4.gate.1.weight"] = {f / 4, f};
    out[mb + "4.gate.3.weight"] = {f, f / 4};
    addConv(out, mb + "5", f, f, 1);
    for (const int attention : {2, 8}) {  // window, then grid attention on tokens
        const std::string a = fmt::format("{}{}.", layer, attention);
        addWeight(out, a + "norm", {f}, true);
        out[a + "fn.to_qkv.weight"] = {3 * f, f};
        out[a + "fn.to_out.0.weight"] = {f, f};
        if (p.positionBias) {
            const std::int64_t side = 2LL * p.window - 1;
            out[a + "fn.rel_pos_bias.weight"] = {side * side, f / (f / 4)};
        }
    }
    for (const int ffn : {4, 6, 10, 12}) {
        const std::string a = fmt::format("{}{}.", layer, ffn);
        addWeight(out, a + "norm", {f}, true);
        out[a + "fn.project_in.weight"] = {2 * f, f, 1, 1};
        out[a + "fn.dwconv.weight"] = {2 * f, 1, 3, 3};
        out[a + "fn.project_out.weight"] = {f, f, 1, 1};
    }
    for (const int channel : {5, 11}) {  // channel attention in windows, then across them
        const std::string a = fmt::format("{}{}.", layer, channel);
        addWeight(out, a + "norm", {f}, true);
        out[a + "fn.temperature"] = {kChannelHeads, 1, 1};
        out[a + "fn.qkv.weight"] = {3 * f, f, 1, 1};
        out[a + "fn.qkv_dwconv.weight"] = {3 * f, 1, 3, 3};
        out[a + "fn.project_out.weight"] = {f, f, 1, 1};
    }
}

}  // namespace

int omniSrEsaChannels(int features) {
    return std::max(features / 4, 16);
}

std::optional<ArchSpec> detectOmniSr(const StateDict& weights) {
    const auto first = shapeOf(weights, "input.weight", 4);
    const auto up = shapeOf(weights, "up.0.weight", 4);
    if (!first || !up || !weights.contains("residual_layer.0.esa.conv1.weight") ||
        !weights.contains("residual_layer.0.residual_layer.0.layer.0.fn.0.weight")) {
        return std::nullopt;
    }
    int lastGroup = -1;
    int lastLayer = -1;  // in the first group: the blocks, then its 1x1 convolution
    for (const auto& [name, tensor] : weights) {
        lastGroup = std::max(lastGroup, indexAfter(name, "residual_layer."));
        lastLayer = std::max(lastLayer, indexAfter(name, "residual_layer.0.residual_layer."));
    }
    ArchSpec spec;
    spec.arch = Architecture::OmniSR;
    spec.numFeat = static_cast<int>((*first)[0]);
    spec.inChannels = static_cast<int>((*first)[1]);
    spec.numConv = 0;
    spec.numUpsample = 0;
    auto& p = spec.omnisr;
    p.numGroups = lastGroup + 1;
    p.numBlocks = lastLayer;
    if (p.numBlocks < 1 ||
        static_cast<std::size_t>(p.numGroups) * p.numBlocks * kOmniMinTensorsPerBlock >
            weights.size()) {
        return std::nullopt;
    }
    p.bias = weights.contains("input.bias");
    const std::string table = "residual_layer.0.residual_layer.0.layer.2.fn.rel_pos_bias.weight";
    p.positionBias = weights.contains(table);
    if (p.positionBias) {
        const auto rows = shapeOf(weights, table, 2);
        const auto side = rows ? std::llround(std::sqrt(double((*rows)[0]))) : 0;
        if (!rows || side * side != (*rows)[0] || side % 2 == 0) {
            return std::nullopt;
        }
        p.window = static_cast<int>((side + 1) / 2);
    }
    if (spec.numFeat % 4 != 0 ||
        !splitShuffle((*up)[0], spec.inChannels, spec.outChannels, spec.scale)) {
        return std::nullopt;
    }
    return spec;
}

ShapeMap omniSrTensors(const ArchSpec& spec) {
    ShapeMap out;
    const auto& p = spec.omnisr;
    const std::int64_t f = spec.numFeat;
    const std::int64_t esa = omniSrEsaChannels(spec.numFeat);
    addWeight(out, "input", {f, spec.inChannels, 3, 3}, p.bias);
    for (int g = 0; g < p.numGroups; ++g) {
        const std::string group = fmt::format("residual_layer.{}.", g);
        for (int b = 0; b < p.numBlocks; ++b) {
            addOsaBlock(out, fmt::format("{}residual_layer.{}.layer.", group, b), f, p);
        }
        addWeight(out, fmt::format("{}residual_layer.{}", group, p.numBlocks), {f, f, 1, 1},
                  p.bias);
        addConv(out, group + "esa.conv1", f, esa, 1);
        addConv(out, group + "esa.conv_f", esa, esa, 1);
        addConv(out, group + "esa.conv2", esa, esa, 3);
        addConv(out, group + "esa.conv3", esa, esa, 3);
        addConv(out, group + "esa.conv4", esa, f, 1);
    }
    addWeight(out, "output", {f, f, 3, 3}, p.bias);
    addWeight(out, "up.0", {std::int64_t{spec.outChannels} * spec.scale * spec.scale, f, 3, 3},
              p.bias);
    return out;
}

double omniSrFlops(const ArchSpec& spec) {
    const auto& p = spec.omnisr;
    const double f = spec.numFeat;
    const double window = double(p.window) * p.window;
    // Per pixel and block: MBConv, two token attentions (qkv, scores over a window, output),
    // four gated FFNs, two channel attentions (qkv with its depthwise 3x3, F/4 x F/4 scores).
    const double mbconv = 2 * f * f * 2 + 2 * 9 * f;
    const double tokens = 2 * 3 * f * f + 2 * 2 * window * f + 2 * f * f;
    const double ffn = 2 * 2 * f * f + 2 * 9 * 2 * f + 2 * f * f;
    const double channel = 2 * 3 * f * f + 2 * 9 * 3 * f + 2 * 2 * f * f / 4 + 2 * f * f;
    const double block = mbconv + 2 * tokens + 4 * ffn + 2 * channel;
    const double esa = omniSrEsaChannels(spec.numFeat);
    const double group = p.numBlocks * block + 2 * f * f + 2 * f * esa * 2 + 2 * esa * esa;
    const double s2 = double(spec.scale) * spec.scale;
    return 2 * 9 * spec.inChannels * f + p.numGroups * group + 2 * 9 * f * f +
           2 * 9 * f * spec.outChannels * s2;
}

}  // namespace upscale::models::detail
