// RRDBNet (ESRGAN, Real-ESRGAN): detection from BasicSR-style keys, the tensors it needs, and the
// renaming of the original ESRGAN and BSRGAN key styles to BasicSR's.

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "arch_detail.hpp"

namespace upscale::models::detail {

namespace {

constexpr int kRdbConvs = 5;
constexpr int kMaxUpsample = 4;

/// "model.<N>.<rest>" -> N and rest.
bool splitIndex(std::string_view key, std::string_view prefix, int& index, std::string& rest) {
    index = indexAfter(key, prefix);
    if (index < 0) {
        return false;
    }
    rest = std::string(key.substr(key.find('.', prefix.size()) + 1));
    return true;
}

/// "RDB2.conv3.0.weight" (old) -> "rdb2.conv3.weight"; empty when it is not such a key.
std::string rdbName(std::string_view rest, bool trailingZero) {
    if (rest.size() < 4 || !rest.starts_with("RDB")) {
        return {};
    }
    std::string out = "rdb" + std::string(rest.substr(3));
    if (trailingZero) {
        // convJ.0.weight -> convJ.weight
        const auto dot = out.find(".0.");
        if (dot == std::string::npos) {
            return {};
        }
        out.erase(dot, 2);
    }
    return out;
}

/// Original ESRGAN: model.0, model.1.sub.N.RDBk.convJ.0, model.1.sub.B, model.3, model.6, ...
StateDict renameOldArch(StateDict weights) {
    int lastModel = -1;
    int lastSub = -1;
    for (const auto& [name, tensor] : weights) {
        lastModel = std::max(lastModel, indexAfter(name, "model."));
        lastSub = std::max(lastSub, indexAfter(name, "model.1.sub."));
    }
    const int length = lastModel + 1;
    if (length < 5 || (length - 5) % 3 != 0 || lastSub < 0) {
        return weights;
    }
    const int upsamples = (length - 5) / 3;
    StateDict out;
    for (auto& [name, tensor] : weights) {
        int index = -1;
        std::string rest;
        std::string renamed;
        if (splitIndex(name, "model.1.sub.", index, rest)) {
            if (index == lastSub) {
                renamed = "conv_body." + rest;
            } else if (const std::string rdb = rdbName(rest, true); !rdb.empty()) {
                renamed = fmt::format("body.{}.{}", index, rdb);
            }
        } else if (splitIndex(name, "model.", index, rest)) {
            if (index == 0) {
                renamed = "conv_first." + rest;
            } else if (index % 3 == 0 && index / 3 <= upsamples) {
                renamed = fmt::format("conv_up{}.{}", index / 3, rest);
            } else if (index == 3 * upsamples + 2) {
                renamed = "conv_hr." + rest;
            } else if (index == 3 * upsamples + 4) {
                renamed = "conv_last." + rest;
            }
        }
        // Keys that fit no role keep their name, so the weight check reports them.
        out.insert_or_assign(renamed.empty() ? name : renamed, std::move(tensor));
    }
    return out;
}

/// BSRGAN: RRDB_trunk.N.RDBk.convJ, trunk_conv, upconvN, HRconv, conv_last.
StateDict renameBsrgan(StateDict weights) {
    StateDict out;
    for (auto& [name, tensor] : weights) {
        int index = -1;
        std::string rest;
        std::string renamed;
        if (splitIndex(name, "RRDB_trunk.", index, rest)) {
            if (const std::string rdb = rdbName(rest, false); !rdb.empty()) {
                renamed = fmt::format("body.{}.{}", index, rdb);
            }
        } else if (name.starts_with("trunk_conv.")) {
            renamed = "conv_body." + name.substr(11);
        } else if (name.starts_with("HRconv.")) {
            renamed = "conv_hr." + name.substr(7);
        } else if (name.starts_with("upconv")) {
            renamed = "conv_up" + name.substr(6);
        }
        out.insert_or_assign(renamed.empty() ? name : renamed, std::move(tensor));
    }
    return out;
}

}  // namespace

StateDict renameEsrganKeys(StateDict weights) {
    if (weights.contains("model.0.weight")) {
        return renameOldArch(std::move(weights));
    }
    if (weights.contains("RRDB_trunk.0.RDB1.conv1.weight")) {
        return renameBsrgan(std::move(weights));
    }
    return weights;
}

std::optional<ArchSpec> detectRrdb(const StateDict& weights) {
    const auto first = shapeOf(weights, "conv_first.weight", 4);
    const auto grow = shapeOf(weights, "body.0.rdb1.conv1.weight", 4);
    const auto last = shapeOf(weights, "conv_last.weight", 4);
    if (!first || !grow || !last) {
        return std::nullopt;
    }
    ArchSpec spec;
    spec.arch = Architecture::RRDBNet;
    spec.numFeat = static_cast<int>((*first)[0]);
    spec.numGrow = static_cast<int>((*grow)[0]);
    spec.outChannels = static_cast<int>((*last)[0]);
    spec.numConv = 0;
    for (const auto& [name, tensor] : weights) {
        spec.numBlock = std::max(spec.numBlock, indexAfter(name, "body.") + 1);
    }
    spec.numUpsample = 0;
    while (spec.numUpsample < kMaxUpsample &&
           weights.contains(fmt::format("conv_up{}.weight", spec.numUpsample + 1))) {
        ++spec.numUpsample;
    }
    // The x2 and x1 variants pixel-unshuffle the input by 2 or 4 before the first conv, so it
    // sees 4 or 16 times the channels: that ratio tells them apart (in == out channels).
    const std::int64_t ratio = (*first)[1] / spec.outChannels;
    if ((*first)[1] % spec.outChannels != 0) {
        return std::nullopt;
    }
    spec.unshuffle = ratio == 1 ? 1 : ratio == 4 ? 2 : ratio == 16 ? 4 : 0;
    const int upscale = 1 << spec.numUpsample;
    if (spec.unshuffle == 0 || upscale % spec.unshuffle != 0) {
        return std::nullopt;
    }
    spec.inChannels = spec.outChannels;
    spec.scale = upscale / spec.unshuffle;
    return spec;
}

ShapeMap rrdbTensors(const ArchSpec& spec) {
    ShapeMap out;
    const std::int64_t f = spec.numFeat;
    const std::int64_t g = spec.numGrow;
    const std::int64_t in = std::int64_t{spec.inChannels} * spec.unshuffle * spec.unshuffle;
    addConv(out, "conv_first", in, f, 3);
    for (int b = 0; b < spec.numBlock; ++b) {
        for (int r = 1; r <= 3; ++r) {
            for (int c = 1; c <= kRdbConvs; ++c) {
                addConv(out, fmt::format("body.{}.rdb{}.conv{}", b, r, c), f + (c - 1) * g,
                        c == kRdbConvs ? f : g, 3);
            }
        }
    }
    addConv(out, "conv_body", f, f, 3);
    for (int u = 1; u <= spec.numUpsample; ++u) {
        addConv(out, fmt::format("conv_up{}", u), f, f, 3);
    }
    addConv(out, "conv_hr", f, f, 3);
    addConv(out, "conv_last", f, spec.outChannels, 3);
    return out;
}

}  // namespace upscale::models::detail
