#include "upscale/models/architecture.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "arch_detail.hpp"

namespace upscale::models {

namespace {

constexpr std::string_view kCompactName = "SRVGGNetCompact";
constexpr std::string_view kRrdbName = "RRDBNet";
constexpr std::string_view kSpanName = "SPAN";
constexpr std::string_view kRealPlksrName = "RealPLKSR";
constexpr std::string_view kDatName = "DAT";
constexpr std::string_view kOmniSrName = "OmniSR";
constexpr std::string_view kSwinIRName = "SwinIR";
constexpr std::string_view kHatName = "HAT";
constexpr std::string_view kSupported =
    "SRVGGNetCompact (Real-ESRGAN Compact), RRDBNet (ESRGAN and Real-ESRGAN, in BasicSR, "
    "original ESRGAN or BSRGAN key style), SPAN, RealPLKSR, DAT (DAT, DAT-S, DAT-2, DAT-light), "
    "OmniSR, SwinIR (classical, lightweight, real-world, restoration), HAT (HAT-S, HAT, HAT-L)";
constexpr std::size_t kProblemsShown = 5;

}  // namespace

namespace detail {

std::string listSome(const std::vector<std::string>& items, std::size_t limit) {
    std::vector<std::string> shown(
        items.begin(), items.begin() + static_cast<std::ptrdiff_t>(std::min(items.size(), limit)));
    std::string text = fmt::format("{}", fmt::join(shown, ", "));
    if (items.size() > limit) {
        text += fmt::format(" (and {} more)", items.size() - limit);
    }
    return text;
}

tl::unexpected<core::Error> notSupported(const StateDict& weights, std::string_view source) {
    std::vector<std::string> keys;
    for (const auto& [name, tensor] : weights) {
        keys.push_back(fmt::format("{} {}", name, shapeToString(tensor.shape)));
    }
    const std::string shown = keys.empty() ? std::string("no tensors") : listSome(keys, 5);
    if (const auto name = recognizeUnsupported(weights)) {
        if (const auto known = architectureFromName(*name);
            known && architectureName(*known) == *name) {
            // A supported architecture whose keys are there but whose shapes form no variant
            // that its definition allows: a damaged or edited file, or a variant not read yet.
            return core::fail(core::ErrorCode::UnsupportedFormat,
                              fmt::format("'{}' looks like a {} model, but its weights form no {} "
                                          "network this program reads (keys: {}).",
                                          source, *name, *name, shown));
        }
        return core::fail(core::ErrorCode::UnsupportedFormat,
                          fmt::format("'{}' is a {} model; {} is not supported (keys: {}). "
                                      "Supported: {}.",
                                      source, *name, *name, shown, kSupported));
    }
    return core::fail(core::ErrorCode::UnsupportedFormat,
                      fmt::format("'{}' has an unsupported architecture (keys: {}). Supported: "
                                  "{}.",
                                  source, shown, kSupported));
}

std::optional<std::vector<std::int64_t>> shapeOf(const StateDict& weights, std::string_view key,
                                                 std::size_t rank) {
    const auto it = weights.find(key);
    if (it == weights.end() || it->second.shape.size() != rank) {
        return std::nullopt;
    }
    for (const std::int64_t d : it->second.shape) {
        if (d <= 0 || d > std::numeric_limits<int>::max()) {
            return std::nullopt;
        }
    }
    return it->second.shape;
}

int indexAfter(std::string_view key, std::string_view prefix) {
    if (!key.starts_with(prefix)) {
        return -1;
    }
    key.remove_prefix(prefix.size());
    int index = -1;
    const auto [ptr, ec] = std::from_chars(key.data(), key.data() + key.size(), index);
    if (ec != std::errc() || ptr == key.data() || ptr == key.data() + key.size() || *ptr != '.' ||
        index < 0) {
        return -1;
    }
    return index;
}

bool splitShuffle(std::int64_t channels, std::int64_t inChannels, int& outChannels, int& scale) {
    // A 4-channel output is taken only from a 4-channel input: with 3 in, 4 outputs are a grey
    // image at 2x rather than RGBA at 1x.
    for (const std::int64_t out : std::array<std::int64_t, 3>{inChannels, 3, 1}) {
        if (out <= 0 || channels <= 0 || channels % out != 0) {
            continue;
        }
        const std::int64_t square = channels / out;
        const auto root = static_cast<std::int64_t>(std::llround(std::sqrt(double(square))));
        if (root * root != square) {
            continue;
        }
        outChannels = static_cast<int>(out);
        scale = static_cast<int>(root);
        return true;
    }
    return false;
}

}  // namespace detail

namespace {

using detail::notSupported;

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

/// Buffers a network derives from its shape alone (window offsets, shift masks for the size it
/// was trained at) or never reads in inference (a batch norm's update counter), and the counters
/// a profiler (thop) leaves in some checkpoints. Files keep them or not, in integer or double
/// types; the networks recompute what they need.
StateDict dropDerivedBuffers(StateDict weights) {
    constexpr std::array<std::string_view, 6> kDerived = {
        "num_batches_tracked", "relative_position_index", "attn_mask_0", "attn_mask_1", "total_ops",
        "total_params"};
    std::erase_if(weights, [&](const auto& item) {
        const std::string_view name = item.first;
        const auto dot = name.rfind('.');
        const std::string_view leaf = dot == std::string_view::npos ? name : name.substr(dot + 1);
        return std::find(kDerived.begin(), kDerived.end(), leaf) != kDerived.end();
    });
    return weights;
}

std::optional<ArchSpec> detectCompact(const StateDict& weights) {
    const auto first = detail::shapeOf(weights, "body.0.weight", 4);
    if (!first || !detail::shapeOf(weights, "body.1.weight", 1)) {
        return std::nullopt;
    }
    int maxIndex = -1;
    for (const auto& [name, tensor] : weights) {
        maxIndex = std::max(maxIndex, detail::indexAfter(name, "body."));
    }
    const int length = maxIndex + 1;  // modules in `body`, 2C + 3
    if (length < 3) {
        return std::nullopt;
    }
    // The last conv's output channels: its bias, else its weight's first dimension.
    std::int64_t lastOut = 0;
    if (const auto bias = detail::shapeOf(weights, fmt::format("body.{}.bias", length - 1), 1)) {
        lastOut = (*bias)[0];
    } else if (const auto w =
                   detail::shapeOf(weights, fmt::format("body.{}.weight", length - 1), 4)) {
        lastOut = (*w)[0];
    }
    ArchSpec spec;
    spec.arch = Architecture::Compact;
    spec.inChannels = static_cast<int>((*first)[1]);
    spec.numFeat = static_cast<int>((*first)[0]);
    spec.numConv = (length - 3) / 2;
    if (lastOut <= 0) {
        // No output channels at all: a damaged Compact, which checkSpec names as one.
        spec.outChannels = 0;
        spec.scale = 0;
        return spec;
    }
    if (!detail::splitShuffle(lastOut, spec.inChannels, spec.outChannels, spec.scale)) {
        return std::nullopt;
    }
    return spec;
}

}  // namespace

std::string_view supportedArchitectures() {
    return kSupported;
}

std::string_view architectureName(Architecture arch) {
    switch (arch) {
        case Architecture::Compact:
            return kCompactName;
        case Architecture::RRDBNet:
            return kRrdbName;
        case Architecture::SPAN:
            return kSpanName;
        case Architecture::RealPLKSR:
            return kRealPlksrName;
        case Architecture::DAT:
            return kDatName;
        case Architecture::OmniSR:
            return kOmniSrName;
        case Architecture::SwinIR:
            return kSwinIRName;
        case Architecture::HAT:
            return kHatName;
    }
    return "unknown";
}

std::int64_t peakActivationsPerPixel(const ArchSpec& spec) {
    const std::int64_t f = spec.numFeat;
    switch (spec.arch) {
        case Architecture::Compact:
            // A few feature maps at input resolution, then the pixel-shuffled output.
            return 6 * f;
        case Architecture::RRDBNet: {
            // The last upsampling convolution dominates: its input and output, F channels each,
            // at (2^upsamples / unshuffle)^2 pixels per input pixel.
            const std::int64_t side = (std::int64_t{1} << spec.numUpsample) / spec.unshuffle;
            return 2 * f * side * side + 2 * (f + 4 * std::int64_t{spec.numGrow});
        }
        case Architecture::SPAN:
            // The features kept for the final concatenation (4F) plus a block's working set.
            return 8 * f;
        case Architecture::RealPLKSR: {
            // A block's input, its doubled mixer and output (5F), then the sub-pixel head, and
            // DySample's offsets, sampling grid and samples at the output resolution.
            const std::int64_t shuffled = std::int64_t{spec.inChannels} * spec.scale * spec.scale;
            const std::int64_t offsets =
                2LL * spec.realplksr.dysampleGroups * spec.scale * spec.scale;
            return 5 * f + 2 * shuffled + (spec.realplksr.dysample ? 3 * offsets + shuffled : 0);
        }
        case Architecture::DAT: {
            // A block's tokens, qkv (3F), the FFN's hidden layer, the windows' attention
            // matrices (a window's tokens per token and head) and the upsampler's last stage.
            const auto& p = spec.dat;
            const std::int64_t window = std::int64_t{p.splitHeight} * p.splitWidth;
            const int heads =
                p.heads.empty() ? 1 : *std::max_element(p.heads.begin(), p.heads.end());
            const std::int64_t s2 = std::int64_t{spec.scale} * spec.scale;
            return 6 * f + 2 * std::int64_t{p.ffnHidden} + window * heads +
                   s2 * (p.direct ? spec.outChannels : 2 * p.upsampleFeat);
        }
        case Architecture::OmniSR: {
            // A block's input, qkv (3F) with its depthwise copy, a gated FFN's 4F, the
            // windows' attention matrices (a window's tokens per token, 4 heads), the head.
            const std::int64_t window = std::int64_t{spec.omnisr.window} * spec.omnisr.window;
            const std::int64_t s2 = std::int64_t{spec.scale} * spec.scale;
            return 8 * f + 4 * window + s2 * spec.outChannels;
        }
        case Architecture::SwinIR:
        case Architecture::HAT:
            return detail::windowTransformerActivations(spec);
    }
    return 6 * f;
}

bool isFp16Safe(Architecture arch) {
    switch (arch) {
        case Architecture::Compact:  // convolutions and PReLU, values near the image range
        case Architecture::RRDBNet:  // residuals scaled by 0.2 keep the trunk small
        case Architecture::SPAN:     // inputs scaled to 0..255, still far below the FP16 limit
            return true;
        case Architecture::RealPLKSR:  // group norm statistics of large features overflow FP16
        case Architecture::DAT:        // attention logits and softmax sums overflow FP16
        case Architecture::OmniSR:     // so do its attentions' logits
        case Architecture::SwinIR:     // attention scores and LayerNorm statistics overflow FP16
        case Architecture::HAT:
            return false;
    }
    return false;
}

core::Result<Architecture> architectureFromName(std::string_view name) {
    const std::string key = lower(name);
    if (key == "compact" || key == "srvggnetcompact") {
        return Architecture::Compact;
    }
    if (key == "rrdbnet" || key == "esrgan" || key == "rrdb") {
        return Architecture::RRDBNet;
    }
    if (key == "span") {
        return Architecture::SPAN;
    }
    if (key == "realplksr" || key == "plksr") {
        return Architecture::RealPLKSR;
    }
    if (key == "dat" || key == "dat2" || key == "dat-2" || key == "dat-s" || key == "dat-light") {
        return Architecture::DAT;
    }
    if (key == "omnisr") {
        return Architecture::OmniSR;
    }
    if (key == "swinir") {
        return Architecture::SwinIR;
    }
    if (key == "hat") {
        return Architecture::HAT;
    }
    return core::fail(core::ErrorCode::InvalidArgument,
                      fmt::format("Unknown architecture '{}'. Supported: {}.", name, kSupported));
}

std::string ArchSpec::describe() const {
    switch (arch) {
        case Architecture::Compact:
            return fmt::format("{} ({} features, {} convs, {}x)", architectureName(arch), numFeat,
                               numConv, scale);
        case Architecture::RRDBNet:
            return fmt::format("{} ({} features, {} blocks, {} growth, {}x)",
                               architectureName(arch), numFeat, numBlock, numGrow, scale);
        case Architecture::SPAN:
            return fmt::format("{} ({} features, {}x)", architectureName(arch), numFeat, scale);
        case Architecture::RealPLKSR:
            return fmt::format("{} ({} features, {} blocks, kernel {}{}{}{}, {}x)",
                               architectureName(arch), numFeat, realplksr.numBlocks,
                               realplksr.kernelSize, realplksr.attention ? "" : ", no attention",
                               realplksr.layerNorm ? ", layer norm" : "",
                               realplksr.dysample ? ", DySample" : "", scale);
        case Architecture::DAT:
            return detail::datDescription(*this);
        case Architecture::OmniSR:
            return fmt::format("{} ({} features, {} groups of {} blocks, window {}{}, {}x)",
                               architectureName(arch), numFeat, omnisr.numGroups, omnisr.numBlocks,
                               omnisr.window, omnisr.positionBias ? "" : ", no position bias",
                               scale);
        case Architecture::SwinIR:
        case Architecture::HAT:
            return detail::describeWindowTransformer(*this);
    }
    return std::string(architectureName(arch));
}

StateDict canonicalizeKeys(StateDict weights) {
    return detail::renameEsrganKeys(
        detail::stripKeyPrefixes(dropDerivedBuffers(std::move(weights))));
}

core::Result<ArchSpec> detectArchitecture(const StateDict& weights, std::string_view source) {
    for (const auto detect :
         {detectCompact, detail::detectRrdb, detail::detectSpan, detail::detectRealPlksr,
          detail::detectDat, detail::detectOmniSr, detail::detectSwinIR, detail::detectHat}) {
        if (auto spec = detect(weights)) {
            if (auto checked = detail::checkSpec(*spec, weights, source); !checked) {
                return tl::unexpected(checked.error());
            }
            return *spec;
        }
    }
    return notSupported(weights, source);
}

double flopsPerInputPixel(const ArchSpec& spec) {
    const double f = spec.numFeat;
    const double in = spec.inChannels;
    const double out = spec.outChannels;
    const double s2 = static_cast<double>(spec.scale) * spec.scale;
    auto conv3 = [](double cin, double cout) { return 2.0 * 9.0 * cin * cout; };
    switch (spec.arch) {
        case Architecture::Compact:
            return conv3(in, f) + spec.numConv * conv3(f, f) + conv3(f, out * s2);
        case Architecture::RRDBNet: {
            // The body runs on the pixel-unshuffled input, then each upsampling conv at twice
            // the resolution of the one before; conv_hr and conv_last at the output's.
            const double g = spec.numGrow;
            const double u2 = static_cast<double>(spec.unshuffle) * spec.unshuffle;
            const double rdb = conv3(f, g) + conv3(f + g, g) + conv3(f + 2 * g, g) +
                               conv3(f + 3 * g, g) + conv3(f + 4 * g, f);
            double body = conv3(in * u2, f) + spec.numBlock * 3 * rdb + conv3(f, f);
            double resolution = 1.0;
            for (int i = 0; i < spec.numUpsample; ++i) {
                resolution *= 4.0;
                body += resolution * conv3(f, f);
            }
            body += resolution * (conv3(f, f) + conv3(f, out));
            return body / u2;
        }
        case Architecture::SPAN:
            // conv_1, six blocks of three folded 3x3 convs, conv_2, the 1x1 conv_cat, the
            // upsampler.
            return conv3(in, f) + 19 * conv3(f, f) + 2.0 * 4 * f * f + conv3(f, out * s2);
        case Architecture::RealPLKSR:
            return detail::realPlksrFlops(spec);
        case Architecture::DAT:
            return detail::datFlops(spec);
        case Architecture::OmniSR:
            return detail::omniSrFlops(spec);
        case Architecture::SwinIR:
        case Architecture::HAT:
            return detail::windowTransformerFlops(spec);
    }
    return 0.0;
}

std::map<std::string, std::vector<std::int64_t>, std::less<>> expectedTensors(
    const ArchSpec& spec) {
    if (spec.arch == Architecture::RRDBNet) {
        return detail::rrdbTensors(spec);
    }
    if (spec.arch == Architecture::SPAN) {
        return detail::spanTensors(spec);
    }
    if (spec.arch == Architecture::RealPLKSR) {
        return detail::realPlksrTensors(spec);
    }
    if (spec.arch == Architecture::DAT) {
        return detail::datTensors(spec);
    }
    if (spec.arch == Architecture::OmniSR) {
        return detail::omniSrTensors(spec);
    }
    if (spec.arch == Architecture::SwinIR) {
        return detail::swinirTensors(spec);
    }
    if (spec.arch == Architecture::HAT) {
        return detail::hatTensors(spec);
    }
    detail::ShapeMap out;
    const std::int64_t f = spec.numFeat;
    const std::int64_t lastOut = std::int64_t{spec.outChannels} * spec.scale * spec.scale;
    const int last = 2 * spec.numConv + 2;
    for (int i = 0; i <= last; ++i) {
        if (i % 2 == 1) {
            out[fmt::format("body.{}.weight", i)] = {f};  // PReLU, one slope per channel
            continue;
        }
        detail::addConv(out, fmt::format("body.{}", i), i == 0 ? spec.inChannels : f,
                        i == last ? lastOut : f, 3);
    }
    return out;
}

core::Result<void> checkWeights(const ArchSpec& spec, const StateDict& weights,
                                std::string_view source) {
    const auto expected = expectedTensors(spec);
    std::vector<std::string> missing;
    std::vector<std::string> unexpected;
    std::vector<std::string> wrong;
    for (const auto& [name, shape] : expected) {
        const auto it = weights.find(name);
        if (it == weights.end()) {
            missing.push_back(name);
        } else if (it->second.shape != shape) {
            wrong.push_back(fmt::format("{} has shape {}, expected {}", name,
                                        shapeToString(it->second.shape), shapeToString(shape)));
        } else if (!isFloating(it->second.dtype) &&
                   name.find("relative_position_index") == std::string::npos) {
            // Only the transformers' position index tables hold integers (and are not read).
            wrong.push_back(fmt::format("{} has data type {}, expected a floating-point type", name,
                                        dtypeName(it->second.dtype)));
        } else if (it->second.data.size() !=
                   static_cast<std::size_t>(it->second.numel()) * dtypeSize(it->second.dtype)) {
            wrong.push_back(fmt::format("{} holds {} bytes, not the {} its shape needs", name,
                                        it->second.data.size(),
                                        it->second.numel() * dtypeSize(it->second.dtype)));
        }
    }
    for (const auto& [name, tensor] : weights) {
        if (!expected.contains(name)) {
            unexpected.push_back(name);
        }
    }
    if (missing.empty() && unexpected.empty() && wrong.empty()) {
        return {};
    }
    std::vector<std::string> parts;
    if (!missing.empty()) {
        parts.push_back("missing tensors: " + detail::listSome(missing, kProblemsShown));
    }
    if (!unexpected.empty()) {
        parts.push_back("unexpected tensors: " + detail::listSome(unexpected, kProblemsShown));
    }
    if (!wrong.empty()) {
        parts.push_back("wrong tensors: " + detail::listSome(wrong, kProblemsShown));
    }
    return core::fail(
        core::ErrorCode::ModelMismatch,
        fmt::format("'{}' does not fit {}: {}. The file does not match the {} "
                    "architecture; it may be damaged or a different model.",
                    source, spec.describe(), fmt::join(parts, "; "), architectureName(spec.arch)));
}

}  // namespace upscale::models
