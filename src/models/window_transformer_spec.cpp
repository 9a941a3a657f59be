// SwinIR and HAT: detection from the keys and shapes of their published checkpoints, and the
// tensors each variant holds. The two share the token layout (conv_first, patch_embed.norm,
// layers.N.residual_group.blocks.M, norm, conv_after_body) and the upsamplers.

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "arch_detail.hpp"
#include "upscale/models/tiling.hpp"

namespace upscale::models::detail {

namespace {

constexpr int kMaxWindow = 64;

/// The side s of a [s*s] or (2w-1)^2-style count, or -1 when `count` is not a perfect square.
int squareRoot(std::int64_t count) {
    const auto root = static_cast<std::int64_t>(std::llround(std::sqrt(double(count))));
    return root > 0 && root * root == count ? static_cast<int>(root) : -1;
}

std::string blockName(int layer, int block) {
    return fmt::format("layers.{}.residual_group.blocks.{}", layer, block);
}

std::string blockKey(int layer, int block, std::string_view rest) {
    return fmt::format("{}.{}", blockName(layer, block), rest);
}

/// Groups and blocks, counted while consecutive ones exist (so that a stray high index in a key
/// costs nothing here and is reported as unexpected by checkWeights), with each group's heads
/// from its first block's bias table of (2w-1)^2 rows.
bool readShape(const StateDict& weights, WindowTransformerShape& shape) {
    const auto first = shapeOf(weights, "conv_first.weight", 4);
    const auto table = shapeOf(weights, blockKey(0, 0, "attn.relative_position_bias_table"), 2);
    const auto fc1 = shapeOf(weights, blockKey(0, 0, "mlp.fc1.weight"), 2);
    if (!first || !table || !fc1) {
        return false;
    }
    shape.embedDim = static_cast<int>((*first)[0]);
    const int side = squareRoot((*table)[0]);
    if (side < 1 || side % 2 == 0 || (side + 1) / 2 > kMaxWindow) {
        return false;
    }
    shape.windowSize = (side + 1) / 2;
    shape.mlpHidden = static_cast<int>((*fc1)[0]);
    shape.patchNorm = weights.contains("patch_embed.norm.weight");
    shape.depths.clear();
    shape.heads.clear();
    for (int layer = 0;; ++layer) {
        const auto heads =
            shapeOf(weights, blockKey(layer, 0, "attn.relative_position_bias_table"), 2);
        if (!heads) {
            break;
        }
        int depth = 1;
        while (weights.contains(blockKey(layer, depth, "norm1.weight"))) {
            ++depth;
        }
        if ((*heads)[1] > shape.embedDim || shape.embedDim % (*heads)[1] != 0) {
            return false;
        }
        shape.depths.push_back(depth);
        shape.heads.push_back(static_cast<int>((*heads)[1]));
    }
    return true;
}

/// The architecture, input channels (conv_first's) and width of a detected transformer.
ArchSpec baseSpec(Architecture arch, const StateDict& weights,
                  const WindowTransformerShape& shape) {
    ArchSpec spec;
    spec.arch = arch;
    spec.inChannels = static_cast<int>(weights.at("conv_first.weight").shape[1]);
    spec.numFeat = shape.embedDim;
    spec.numConv = 0;
    spec.numUpsample = 0;
    return spec;
}

/// Scale and output channels of a pixel-shuffle upsampler over `feat` channels ("upsample.0",
/// "upsample.2", ... each 4F for 2x, or one 9F for 3x) closed by conv_last; scale 1 when there is
/// no upsample.0.
bool readPixelShuffle(const StateDict& weights, std::int64_t feat, ArchSpec& spec) {
    const auto last = shapeOf(weights, "conv_last.weight", 4);
    if (!last || (*last)[1] != feat) {
        return false;
    }
    spec.outChannels = static_cast<int>((*last)[0]);
    spec.scale = 1;
    const auto up = shapeOf(weights, "upsample.0.weight", 4);
    if (up && (*up)[0] == 9 * feat) {
        spec.scale = 3;
        return true;
    }
    for (int stage = 0; stage < 4; ++stage) {
        const auto conv = shapeOf(weights, fmt::format("upsample.{}.weight", 2 * stage), 4);
        if (!conv) {
            break;
        }
        if ((*conv)[0] != 4 * feat) {
            return false;
        }
        spec.scale *= 2;
    }
    return true;
}

void addResidualConv(ShapeMap& out, const std::string& name, std::int64_t dim, ResidualConv kind) {
    if (kind == ResidualConv::One) {
        addConv(out, name, dim, dim, 3);
    } else if (kind == ResidualConv::Three) {
        addConv(out, name + ".0", dim, dim / 4, 3);
        addConv(out, name + ".2", dim / 4, dim / 4, 1);
        addConv(out, name + ".4", dim / 4, dim, 3);
    }
}

/// Normalisations, attention and MLP of one block.
void addBlock(ShapeMap& out, const std::string& name, const WindowTransformerShape& shape,
              int heads) {
    const std::int64_t c = shape.embedDim;
    const std::int64_t side = 2 * std::int64_t{shape.windowSize} - 1;
    addNorm(out, name + ".norm1", c);
    out[name + ".attn.relative_position_bias_table"] = {side * side, heads};
    addLinear(out, name + ".attn.qkv", c, 3 * c);
    addLinear(out, name + ".attn.proj", c, c);
    addNorm(out, name + ".norm2", c);
    addLinear(out, name + ".mlp.fc1", c, shape.mlpHidden);
    addLinear(out, name + ".mlp.fc2", shape.mlpHidden, c);
}

/// conv_first, patch_embed.norm, norm and conv_after_body.
void addStem(ShapeMap& out, const ArchSpec& spec, const WindowTransformerShape& shape,
             ResidualConv residual) {
    addConv(out, "conv_first", spec.inChannels, shape.embedDim, 3);
    if (shape.patchNorm) {
        addNorm(out, "patch_embed.norm", shape.embedDim);
    }
    addNorm(out, "norm", shape.embedDim);
    addResidualConv(out, "conv_after_body", shape.embedDim, residual);
}

void addPixelShuffle(ShapeMap& out, const ArchSpec& spec, std::int64_t embed, std::int64_t feat) {
    addConv(out, "conv_before_upsample.0", embed, feat, 3);
    if (spec.scale == 3) {
        addConv(out, "upsample.0", feat, 9 * feat, 3);
    }
    for (int stage = 0; spec.scale != 3 && (1 << stage) < spec.scale; ++stage) {
        addConv(out, fmt::format("upsample.{}", 2 * stage), feat, 4 * feat, 3);
    }
    addConv(out, "conv_last", feat, spec.outChannels, 3);
}

std::string depthsText(const std::vector<int>& depths) {
    const bool same =
        std::all_of(depths.begin(), depths.end(), [&](int d) { return d == depths.front(); });
    if (same && !depths.empty()) {
        return fmt::format("{} group{} of {} block{}", depths.size(), depths.size() == 1 ? "" : "s",
                           depths.front(), depths.front() == 1 ? "" : "s");
    }
    return fmt::format("groups of {} blocks", fmt::join(depths, "-"));
}

}  // namespace

std::optional<ArchSpec> detectSwinIR(const StateDict& weights) {
    if (weights.contains("relative_position_index_SA") ||
        weights.contains(blockKey(0, 0, "conv_block.cab.0.weight"))) {
        return std::nullopt;  // HAT
    }
    SwinIRParams p;
    if (!readShape(weights, p.shape)) {
        return std::nullopt;
    }
    ArchSpec spec = baseSpec(Architecture::SwinIR, weights, p.shape);
    p.residual =
        weights.contains("conv_after_body.0.weight") ? ResidualConv::Three : ResidualConv::One;
    p.imageRange = p.shape.windowSize == 7 ? 255.0 : 1.0;
    if (const auto mask = shapeOf(weights, blockKey(0, 1, "attn_mask"), 3)) {
        p.maskSize = squareRoot((*mask)[0]) * p.shape.windowSize;
    }
    const auto before = shapeOf(weights, "conv_before_upsample.0.weight", 4);
    if (before && weights.contains("conv_up1.weight")) {
        p.upsampler = SwinUpsampler::NearestConv;
        p.shape.upsampleFeat = static_cast<int>((*before)[0]);
        spec.scale = weights.contains("conv_up2.weight") ? 4 : 2;
        const auto last = shapeOf(weights, "conv_last.weight", 4);
        if (!last) {
            return std::nullopt;
        }
        spec.outChannels = static_cast<int>((*last)[0]);
    } else if (before) {
        p.upsampler = SwinUpsampler::PixelShuffle;
        p.shape.upsampleFeat = static_cast<int>((*before)[0]);
        if (!readPixelShuffle(weights, p.shape.upsampleFeat, spec) || spec.scale == 1) {
            return std::nullopt;
        }
    } else if (const auto up = shapeOf(weights, "upsample.0.weight", 4)) {
        p.upsampler = SwinUpsampler::PixelShuffleDirect;
        if (!splitShuffle((*up)[0], spec.inChannels, spec.outChannels, spec.scale)) {
            return std::nullopt;
        }
    } else {
        p.upsampler = SwinUpsampler::None;
        spec.scale = 1;
        const auto last = shapeOf(weights, "conv_last.weight", 4);
        if (!last) {
            return std::nullopt;
        }
        spec.outChannels = static_cast<int>((*last)[0]);
    }
    spec.swinir = p;
    return spec;
}

ShapeMap swinirTensors(const ArchSpec& spec) {
    ShapeMap out;
    const SwinIRParams& p = spec.swinir;
    const WindowTransformerShape& shape = p.shape;
    const std::int64_t c = shape.embedDim;
    const std::int64_t tokens = std::int64_t{shape.windowSize} * shape.windowSize;
    const std::int64_t windows = p.maskSize > 0 ? std::int64_t{p.maskSize / shape.windowSize} *
                                                      (p.maskSize / shape.windowSize)
                                                : 0;
    addStem(out, spec, shape, p.residual);
    for (std::size_t layer = 0; layer < shape.depths.size(); ++layer) {
        const int l = static_cast<int>(layer);
        for (int b = 0; b < shape.depths[layer]; ++b) {
            const std::string name = blockName(l, b);
            addBlock(out, name, shape, shape.heads[layer]);
            if (b % 2 == 1 && windows > 0) {
                out[name + ".attn_mask"] = {windows, tokens, tokens};
            }
        }
        addResidualConv(out, fmt::format("layers.{}.conv", l), c, p.residual);
    }
    const std::int64_t feat = shape.upsampleFeat;
    switch (p.upsampler) {
        case SwinUpsampler::PixelShuffle:
            addPixelShuffle(out, spec, c, feat);
            break;
        case SwinUpsampler::PixelShuffleDirect:
            addConv(out, "upsample.0", c, std::int64_t{spec.outChannels} * spec.scale * spec.scale,
                    3);
            break;
        case SwinUpsampler::NearestConv:
            addConv(out, "conv_before_upsample.0", c, feat, 3);
            addConv(out, "conv_up1", feat, feat, 3);
            if (spec.scale == 4) {
                addConv(out, "conv_up2", feat, feat, 3);
            }
            addConv(out, "conv_hr", feat, feat, 3);
            addConv(out, "conv_last", feat, spec.outChannels, 3);
            break;
        case SwinUpsampler::None:
            addConv(out, "conv_last", c, spec.outChannels, 3);
            break;
    }
    return out;
}

std::optional<ArchSpec> detectHat(const StateDict& weights) {
    const auto cab0 = shapeOf(weights, blockKey(0, 0, "conv_block.cab.0.weight"), 4);
    const auto cab3 = shapeOf(weights, blockKey(0, 0, "conv_block.cab.3.attention.1.weight"), 4);
    const auto oca =
        shapeOf(weights, "layers.0.residual_group.overlap_attn.relative_position_bias_table", 2);
    const auto before = shapeOf(weights, "conv_before_upsample.0.weight", 4);
    HatParams p;
    if (!cab0 || !cab3 || !oca || !before || !readShape(weights, p.shape)) {
        return std::nullopt;
    }
    // The cross-attention table has (w + o - 1)^2 rows; its unfold keeps one key window per query
    // window only when o - w is even.
    const int side = squareRoot((*oca)[0]);
    p.overlapWindow = side - p.shape.windowSize + 1;
    if (side < 0 || p.overlapWindow < p.shape.windowSize ||
        (p.overlapWindow - p.shape.windowSize) % 2 != 0 || p.overlapWindow > 2 * kMaxWindow) {
        return std::nullopt;
    }
    p.convCompressed = static_cast<int>((*cab0)[0]);
    p.convSqueezed = static_cast<int>((*cab3)[0]);
    p.residual =
        weights.contains("conv_after_body.weight") ? ResidualConv::One : ResidualConv::Identity;
    p.shape.upsampleFeat = static_cast<int>((*before)[0]);
    ArchSpec spec = baseSpec(Architecture::HAT, weights, p.shape);
    if (!readPixelShuffle(weights, p.shape.upsampleFeat, spec)) {
        return std::nullopt;
    }
    spec.hat = p;
    return spec;
}

ShapeMap hatTensors(const ArchSpec& spec) {
    ShapeMap out;
    const HatParams& p = spec.hat;
    const WindowTransformerShape& shape = p.shape;
    const std::int64_t c = shape.embedDim;
    const std::int64_t w = shape.windowSize;
    const std::int64_t o = p.overlapWindow;
    addStem(out, spec, shape, p.residual);
    out["relative_position_index_SA"] = {w * w, w * w};
    out["relative_position_index_OCA"] = {w * w, o * o};
    for (std::size_t layer = 0; layer < shape.depths.size(); ++layer) {
        const int l = static_cast<int>(layer);
        for (int b = 0; b < shape.depths[layer]; ++b) {
            const std::string name = blockName(l, b);
            addBlock(out, name, shape, shape.heads[layer]);
            const std::string cab = name + ".conv_block.cab";
            addConv(out, cab + ".0", c, p.convCompressed, 3);
            addConv(out, cab + ".2", p.convCompressed, c, 3);
            addConv(out, cab + ".3.attention.1", c, p.convSqueezed, 1);
            addConv(out, cab + ".3.attention.3", p.convSqueezed, c, 1);
        }
        const std::string oca = fmt::format("layers.{}.residual_group.overlap_attn", l);
        addNorm(out, oca + ".norm1", c);
        addLinear(out, oca + ".qkv", c, 3 * c);
        out[oca + ".relative_position_bias_table"] = {(w + o - 1) * (w + o - 1),
                                                      shape.heads[layer]};
        addLinear(out, oca + ".proj", c, c);
        addNorm(out, oca + ".norm2", c);
        addLinear(out, oca + ".mlp.fc1", c, shape.mlpHidden);
        addLinear(out, oca + ".mlp.fc2", shape.mlpHidden, c);
        addResidualConv(out, fmt::format("layers.{}.conv", l), c, p.residual);
    }
    addPixelShuffle(out, spec, c, shape.upsampleFeat);
    return out;
}

std::string describeWindowTransformer(const ArchSpec& spec) {
    if (spec.arch == Architecture::SwinIR) {
        const SwinIRParams& p = spec.swinir;
        static constexpr std::array<std::string_view, 4> kVariant = {"classical", "lightweight",
                                                                     "real-world", "restoration"};
        return fmt::format("SwinIR ({}, {} dim, {}, window {}{}, {}x)",
                           kVariant.at(static_cast<std::size_t>(p.upsampler)), p.shape.embedDim,
                           depthsText(p.shape.depths), p.shape.windowSize,
                           p.residual == ResidualConv::Three ? ", 3conv" : "", spec.scale);
    }
    const HatParams& p = spec.hat;
    // HAT-S compresses its convolution branch 24x, HAT and HAT-L 3x; HAT-L has 12 groups.
    const bool small = p.convCompressed > 0 && p.shape.embedDim / p.convCompressed >= 24;
    const char* variant = small ? "HAT-S" : (p.shape.depths.size() >= 12 ? "HAT-L" : "HAT");
    return fmt::format("{} ({} dim, {}, window {}, {}x)", variant, p.shape.embedDim,
                       depthsText(p.shape.depths), p.shape.windowSize, spec.scale);
}

double windowTransformerFlops(const ArchSpec& spec) {
    const bool hat = spec.arch == Architecture::HAT;
    const WindowTransformerShape& shape = hat ? spec.hat.shape : spec.swinir.shape;
    const double c = shape.embedDim;
    const double tokens = double(shape.windowSize) * shape.windowSize;
    const double s2 = double(spec.scale) * spec.scale;
    auto conv3 = [](double cin, double cout) { return 2.0 * 9.0 * cin * cout; };
    // Per token: qkv and proj (4C^2 multiply-adds), scores and weighted sum (2 x window tokens x
    // C), the MLP (2 x C x hidden).
    const double attention = 2.0 * (4 * c * c + 2 * tokens * c + 2 * c * shape.mlpHidden);
    double body = 0.0;
    for (const int depth : shape.depths) {
        body += depth * attention + conv3(c, c);
        if (hat) {
            const double outer = double(spec.hat.overlapWindow) * spec.hat.overlapWindow;
            body += depth * 2.0 * conv3(c, spec.hat.convCompressed) +
                    2.0 * (4 * c * c + 2 * outer * c + 2 * c * shape.mlpHidden);
        }
    }
    const double feat = shape.upsampleFeat;
    double head = conv3(spec.inChannels, c) + conv3(c, c);
    if (feat > 0) {
        // conv_before_upsample, the upsampling convolutions at growing resolutions, conv_last.
        head += conv3(c, feat) + s2 * conv3(feat, feat) * 2.0 + s2 * conv3(feat, spec.outChannels);
    } else {
        head += conv3(c, spec.outChannels * s2);
    }
    return body + head;
}

std::int64_t windowTransformerActivations(const ArchSpec& spec) {
    const bool hat = spec.arch == Architecture::HAT;
    const WindowTransformerShape& shape = hat ? spec.hat.shape : spec.swinir.shape;
    const std::int64_t c = shape.embedDim;
    const std::int64_t tokens = std::int64_t{shape.windowSize} * shape.windowSize;
    std::int64_t heads = 1;
    for (const int h : shape.heads) {
        heads = std::max<std::int64_t>(heads, h);
    }
    // The residual stream and a block's working set (qkv, MLP hidden), plus each token's row of
    // attention scores per head, which dominates for large windows.
    std::int64_t keys = tokens;
    if (hat) {
        keys = std::int64_t{spec.hat.overlapWindow} * spec.hat.overlapWindow;
    }
    const std::int64_t body = 6 * c + shape.mlpHidden + 2 * heads * keys;
    const std::int64_t s2 = std::int64_t{spec.scale} * spec.scale;
    return std::max(body, 2 * std::max<std::int64_t>(shape.upsampleFeat, 3) * s2);
}

}  // namespace upscale::models::detail

namespace upscale::models {

int tileMultiple(const ArchSpec& spec) {
    switch (spec.arch) {
        case Architecture::SwinIR:
            return spec.swinir.shape.windowSize;
        case Architecture::HAT:
            return spec.hat.shape.windowSize;
        default:
            return 1;
    }
}

}  // namespace upscale::models
