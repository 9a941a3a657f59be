// DAT (Dual Aggregation Transformer): detection and the tensors it needs.

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "arch_detail.hpp"

namespace upscale::models::detail {

namespace {

/// Tensors in every DAT block, at the least (norms, attention, interaction, FFN).
constexpr std::size_t kDatMinTensorsPerBlock = 30;

/// Blocks per residual group, from the "layers.G.blocks.B." keys; empty when the groups or
/// blocks are not numbered 0..n-1 or claim more blocks than the file has tensors for.
std::vector<int> groupDepths(const StateDict& weights) {
    std::map<int, int> deepest;
    for (const auto& [name, tensor] : weights) {
        const int group = indexAfter(name, "layers.");
        if (group < 0) {
            continue;
        }
        const int block = indexAfter(name, fmt::format("layers.{}.blocks.", group));
        int& depth = deepest[group];
        depth = std::max(depth, block + 1);
        if (deepest.size() * kDatMinTensorsPerBlock > weights.size()) {
            return {};
        }
    }
    std::vector<int> depths;
    std::size_t blocks = 0;
    for (const auto& [group, depth] : deepest) {
        if (group != static_cast<int>(depths.size()) || depth < 1) {
            return {};
        }
        depths.push_back(depth);
        blocks += static_cast<std::size_t>(depth);
    }
    if (blocks * kDatMinTensorsPerBlock > weights.size()) {
        return {};
    }
    return depths;
}

/// The window of the first spatial attention, from its table of relative offsets: the last
/// row holds (height - 1, width - 1).
bool windowFromTable(const StateDict& weights, int& height, int& width) {
    const auto it = weights.find("layers.0.blocks.0.attn.attns.0.rpe_biases");
    if (it == weights.end() || it->second.shape.size() != 2 || it->second.shape[1] != 2 ||
        !isFloating(it->second.dtype) ||
        it->second.data.size() !=
            static_cast<std::size_t>(it->second.numel()) * dtypeSize(it->second.dtype)) {
        return false;
    }
    const std::vector<float> table = it->second.toFloat32();
    if (table.size() < 2) {
        return false;
    }
    const double h = table[table.size() - 2] + 1.0;
    const double w = table[table.size() - 1] + 1.0;
    if (!(h >= 1 && h <= 1024 && w >= 1 && w <= 1024) || h != std::floor(h) || w != std::floor(w)) {
        return false;
    }
    height = static_cast<int>(h);
    width = static_cast<int>(w);
    return it->second.shape[0] == std::int64_t{2 * height - 1} * (2 * width - 1);
}

/// The progressive upsampler's scale: 2x steps of 4F channels, or one 3x step of 9F.
bool upsampleScale(const StateDict& weights, std::int64_t feat, int& scale) {
    int steps = 0;
    while (const auto conv = shapeOf(weights, fmt::format("upsample.{}.weight", 2 * steps), 4)) {
        if (steps == 0 && (*conv)[0] == 9 * feat) {
            scale = 3;
            return !weights.contains("upsample.2.weight");
        }
        if ((*conv)[0] != 4 * feat || steps >= 4) {
            return false;
        }
        ++steps;
    }
    scale = 1 << steps;
    return true;
}

void addBatchNorm(ShapeMap& out, const std::string& name, std::int64_t dim) {
    addNorm(out, name, dim);
    out[name + ".running_mean"] = {dim};
    out[name + ".running_var"] = {dim};
}

void addResidualConv(ShapeMap& out, const std::string& name, std::int64_t dim, bool three) {
    if (!three) {
        addConv(out, name, dim, dim, 3);
        return;
    }
    addConv(out, name + ".0", dim, dim / 4, 3);
    addConv(out, name + ".2", dim / 4, dim / 4, 1);
    addConv(out, name + ".4", dim / 4, dim, 3);
}

/// The depthwise branch and the two interaction maps both kinds of block have.
void addInteraction(ShapeMap& out, const std::string& attn, std::int64_t dim) {
    out[attn + "dwconv.0.weight"] = {dim, 1, 3, 3};
    out[attn + "dwconv.0.bias"] = {dim};
    addBatchNorm(out, attn + "dwconv.1", dim);
    addConv(out, attn + "channel_interaction.1", dim, dim / 8, 1);
    addBatchNorm(out, attn + "channel_interaction.2", dim / 8);
    addConv(out, attn + "channel_interaction.4", dim / 8, dim, 1);
    addConv(out, attn + "spatial_interaction.0", dim, dim / 16, 1);
    addBatchNorm(out, attn + "spatial_interaction.1", dim / 16);
    addConv(out, attn + "spatial_interaction.3", dim / 16, 1, 1);
}

}  // namespace

std::string datVariant(const ArchSpec& spec) {
    const auto& p = spec.dat;
    if (p.direct) {
        return "DAT-light";
    }
    if (p.ffnHidden == 2 * spec.numFeat) {
        return p.splitWidth == 2 * p.splitHeight ? "DAT-S" : "DAT-2";
    }
    return "DAT";
}

std::string datDescription(const ArchSpec& spec) {
    const auto& p = spec.dat;
    return fmt::format("{} ({} features, {} blocks, {} heads, {}x{} windows, FFN {}, {}x)",
                       datVariant(spec), spec.numFeat, fmt::join(p.depths, "+"),
                       fmt::join(p.heads, "+"), p.splitHeight, p.splitWidth, p.ffnHidden,
                       spec.scale);
}

std::optional<ArchSpec> detectDat(const StateDict& weights) {
    const auto first = shapeOf(weights, "conv_first.weight", 4);
    const auto fc1 = shapeOf(weights, "layers.0.blocks.0.ffn.fc1.weight", 2);
    if (!first || !fc1 || !weights.contains("before_RG.1.weight") ||
        !weights.contains("layers.0.blocks.0.attn.attns.0.rpe_biases")) {
        return std::nullopt;
    }
    ArchSpec spec;
    spec.arch = Architecture::DAT;
    spec.numFeat = static_cast<int>((*first)[0]);
    spec.inChannels = static_cast<int>((*first)[1]);
    spec.outChannels = spec.inChannels;
    spec.numConv = 0;
    spec.numUpsample = 0;
    auto& p = spec.dat;
    p.depths = groupDepths(weights);
    if (p.depths.empty() || !windowFromTable(weights, p.splitHeight, p.splitWidth)) {
        return std::nullopt;
    }
    for (std::size_t g = 0; g < p.depths.size(); ++g) {
        // The channel blocks (odd) hold one temperature per head; a group of one block only
        // tells the spatial half's count, half the heads.
        if (const auto t =
                shapeOf(weights, fmt::format("layers.{}.blocks.1.attn.temperature", g), 3)) {
            p.heads.push_back(static_cast<int>((*t)[0]));
        } else if (const auto pos = shapeOf(
                       weights, fmt::format("layers.{}.blocks.0.attn.attns.0.pos.pos3.2.weight", g),
                       2)) {
            p.heads.push_back(static_cast<int>(2 * (*pos)[0]));
        } else {
            return std::nullopt;
        }
    }
    p.ffnHidden = static_cast<int>((*fc1)[0]);
    p.qkvBias = weights.contains("layers.0.blocks.0.attn.qkv.bias");
    p.threeConv = weights.contains("conv_after_body.4.weight");
    p.direct = !weights.contains("conv_last.weight");
    if (p.direct) {
        const auto up = shapeOf(weights, "upsample.0.weight", 4);
        if (!up || !splitShuffle((*up)[0], spec.inChannels, spec.outChannels, spec.scale)) {
            return std::nullopt;
        }
    } else {
        const auto before = shapeOf(weights, "conv_before_upsample.0.weight", 4);
        if (!before) {
            return std::nullopt;
        }
        p.upsampleFeat = static_cast<int>((*before)[0]);
        if (!upsampleScale(weights, p.upsampleFeat, spec.scale)) {
            return std::nullopt;
        }
    }
    // What the network's shapes need: even head counts that divide the features, the
    // interaction's F/16 channels and the position MLP's F/32, an even FFN width.
    const int f = spec.numFeat;
    const bool fits = f >= 32 && f % 2 == 0 && p.ffnHidden % 2 == 0 && p.ffnHidden > 0 &&
                      std::all_of(p.heads.begin(), p.heads.end(),
                                  [&](int h) { return h >= 2 && h % 2 == 0 && f % h == 0; });
    return fits ? std::optional<ArchSpec>(spec) : std::nullopt;
}

ShapeMap datTensors(const ArchSpec& spec) {
    ShapeMap out;
    const auto& p = spec.dat;
    const std::int64_t f = spec.numFeat;
    const std::int64_t half = f / 2;
    const std::int64_t pos = half / 4 / 4;
    addConv(out, "conv_first", spec.inChannels, f, 3);
    addNorm(out, "before_RG.1", f);
    for (std::size_t g = 0; g < p.depths.size(); ++g) {
        const std::int64_t heads = p.heads[g];
        for (int b = 0; b < p.depths[g]; ++b) {
            const std::string block = fmt::format("layers.{}.blocks.{}.", g, b);
            const std::string attn = block + "attn.";
            addNorm(out, block + "norm1", f);
            addNorm(out, block + "norm2", f);
            addLinear(out, attn + "qkv", f, 3 * f, p.qkvBias);
            addLinear(out, attn + "proj", f, f);
            addInteraction(out, attn, f);
            if (b % 2 == 1) {
                out[attn + "temperature"] = {heads, 1, 1};
            } else {
                for (int i = 0; i < 2; ++i) {
                    const std::string a = fmt::format("{}attns.{}.", attn, i);
                    out[a + "rpe_biases"] = {
                        std::int64_t{2 * p.splitHeight - 1} * (2 * p.splitWidth - 1), 2};
                    addLinear(out, a + "pos.pos_proj", 2, pos);
                    for (const char* stage : {"pos1", "pos2", "pos3"}) {
                        addNorm(out, fmt::format("{}pos.{}.0", a, stage), pos);
                        addLinear(out, fmt::format("{}pos.{}.2", a, stage), pos,
                                  std::string_view(stage) == "pos3" ? heads / 2 : pos);
                    }
                }
            }
            const std::int64_t hidden = p.ffnHidden;
            addLinear(out, block + "ffn.fc1", f, hidden);
            addNorm(out, block + "ffn.sg.norm", hidden / 2);
            out[block + "ffn.sg.conv.weight"] = {hidden / 2, 1, 3, 3};
            out[block + "ffn.sg.conv.bias"] = {hidden / 2};
            addLinear(out, block + "ffn.fc2", hidden / 2, f);
        }
        addResidualConv(out, fmt::format("layers.{}.conv", g), f, p.threeConv);
    }
    addNorm(out, "norm", f);
    addResidualConv(out, "conv_after_body", f, p.threeConv);
    const std::int64_t s2 = std::int64_t{spec.scale} * spec.scale;
    if (p.direct) {
        addConv(out, "upsample.0", f, spec.outChannels * s2, 3);
        return out;
    }
    const std::int64_t nf = p.upsampleFeat;
    addConv(out, "conv_before_upsample.0", f, nf, 3);
    if (spec.scale == 3) {
        addConv(out, "upsample.0", nf, 9 * nf, 3);
    } else {
        for (int step = 0; (1 << step) < spec.scale; ++step) {
            addConv(out, fmt::format("upsample.{}", 2 * step), nf, 4 * nf, 3);
        }
    }
    addConv(out, "conv_last", nf, spec.outChannels, 3);
    return out;
}

double datFlops(const ArchSpec& spec) {
    const auto& p = spec.dat;
    const double f = spec.numFeat;
    const double hidden = p.ffnHidden;
    const double window = double(p.splitHeight) * p.splitWidth;
    // Per token and block: qkv and proj, the attention itself (spatial: a window of tokens over
    // the features; channel: F/heads channels per feature), the depthwise branch and
    // interaction, the FFN with its depthwise gate.
    double blocks = 0.0;
    for (std::size_t g = 0; g < p.depths.size(); ++g) {
        for (int b = 0; b < p.depths[g]; ++b) {
            const double attention =
                b % 2 == 0 ? 2.0 * 2 * window * f : 2.0 * 2 * f * f / p.heads[g];
            blocks += 2 * f * 3 * f + 2 * f * f + attention + 2 * 9 * f + 2 * f * (f / 16) +
                      2 * f * hidden + 2 * 9 * hidden / 2 + 2 * hidden / 2 * f;
        }
        blocks += p.threeConv ? 2 * (9 * f * f / 4 + f * f / 16 + 9 * f * f / 4) : 2 * 9 * f * f;
    }
    auto conv3 = [](double cin, double cout) { return 2.0 * 9.0 * cin * cout; };
    double total = conv3(spec.inChannels, f) + blocks +
                   (p.threeConv ? 2 * (9 * f * f / 4 + f * f / 16 + 9 * f * f / 4) : conv3(f, f));
    const double s2 = double(spec.scale) * spec.scale;
    if (p.direct) {
        return total + conv3(f, spec.outChannels * s2);
    }
    const double nf = p.upsampleFeat;
    total += conv3(f, nf);
    double resolution = 1.0;
    if (spec.scale == 3) {
        total += conv3(nf, 9 * nf);
        resolution = 9.0;
    } else {
        for (int step = 0; (1 << step) < spec.scale; ++step) {
            total += resolution * conv3(nf, 4 * nf);
            resolution *= 4.0;
        }
    }
    return total + resolution * conv3(nf, spec.outChannels);
}

}  // namespace upscale::models::detail
