#include "upscale/models/architecture.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace upscale::models {

namespace {

constexpr std::string_view kCompactName = "SRVGGNetCompact";
constexpr std::string_view kSupported = "SRVGGNetCompact";
constexpr std::size_t kKeysShown = 5;
constexpr std::size_t kProblemsShown = 5;

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

/// "a, b, c" or "a, b, c, d, e (and 3 more)".
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
        keys.push_back(name);
    }
    const std::string shown = keys.empty() ? std::string("no tensors") : listSome(keys, kKeysShown);
    return core::fail(core::ErrorCode::UnsupportedFormat,
                      fmt::format("'{}' is not a supported architecture (keys: {}). Supported: {}.",
                                  source, shown, kSupported));
}

/// The N of a "body.N.<param>" key, or -1.
int bodyIndex(std::string_view key) {
    constexpr std::string_view kPrefix = "body.";
    if (!key.starts_with(kPrefix)) {
        return -1;
    }
    key.remove_prefix(kPrefix.size());
    int index = -1;
    const auto [ptr, ec] = std::from_chars(key.data(), key.data() + key.size(), index);
    if (ec != std::errc() || ptr == key.data() || ptr == key.data() + key.size() || *ptr != '.') {
        return -1;
    }
    return index;
}

bool fitsInt(std::int64_t v) {
    return v > 0 && v <= std::numeric_limits<int>::max();
}

core::Result<ArchSpec> detectCompact(const StateDict& weights, std::string_view source) {
    const auto first = weights.find("body.0.weight");
    const auto act = weights.find("body.1.weight");
    if (first == weights.end() || act == weights.end() || first->second.shape.size() != 4 ||
        act->second.shape.size() != 1) {
        return notSupported(weights, source);
    }
    int maxIndex = -1;
    for (const auto& [name, tensor] : weights) {
        maxIndex = std::max(maxIndex, bodyIndex(name));
    }
    const int length = maxIndex + 1;  // modules in `body`, 2C + 3
    if (length < 3) {
        return notSupported(weights, source);
    }
    // The last conv's output channels: its bias, else its weight's first dimension.
    const auto lastBias = weights.find(fmt::format("body.{}.bias", length - 1));
    const auto lastWeight = weights.find(fmt::format("body.{}.weight", length - 1));
    std::int64_t lastOut = 0;
    if (lastBias != weights.end() && lastBias->second.shape.size() == 1) {
        lastOut = lastBias->second.shape[0];
    } else if (lastWeight != weights.end() && !lastWeight->second.shape.empty()) {
        lastOut = lastWeight->second.shape[0];
    }
    const std::int64_t inChannels = first->second.shape[1];
    const std::int64_t numFeat = first->second.shape[0];
    if (!fitsInt(inChannels) || !fitsInt(numFeat) || !fitsInt(lastOut)) {
        return notSupported(weights, source);
    }
    // The scale: the first out_ch in [in_ch, 3, 4, 1] leaving a perfect square s^2.
    for (const std::int64_t outChannels : std::array<std::int64_t, 4>{inChannels, 3, 4, 1}) {
        if (lastOut % outChannels != 0) {
            continue;
        }
        const std::int64_t square = lastOut / outChannels;
        const auto root = static_cast<std::int64_t>(std::llround(std::sqrt(double(square))));
        if (root * root != square) {
            continue;
        }
        ArchSpec spec;
        spec.arch = Architecture::Compact;
        spec.inChannels = static_cast<int>(inChannels);
        spec.outChannels = static_cast<int>(outChannels);
        spec.numFeat = static_cast<int>(numFeat);
        spec.numConv = (length - 3) / 2;
        spec.scale = static_cast<int>(root);
        return spec;
    }
    return notSupported(weights, source);
}

}  // namespace

std::string_view architectureName(Architecture arch) {
    switch (arch) {
        case Architecture::Compact:
            return kCompactName;
    }
    return "unknown";
}

core::Result<Architecture> architectureFromName(std::string_view name) {
    const std::string key = lower(name);
    if (key == "compact" || key == "srvggnetcompact") {
        return Architecture::Compact;
    }
    return core::fail(core::ErrorCode::InvalidArgument,
                      fmt::format("Unknown architecture '{}'. Supported: {}.", name, kSupported));
}

std::string ArchSpec::describe() const {
    return fmt::format("{} ({} features, {} convs, {}x)", architectureName(arch), numFeat, numConv,
                       scale);
}

core::Result<ArchSpec> detectArchitecture(const StateDict& weights, std::string_view source) {
    return detectCompact(weights, source);
}

std::map<std::string, std::vector<std::int64_t>, std::less<>> expectedTensors(
    const ArchSpec& spec) {
    std::map<std::string, std::vector<std::int64_t>, std::less<>> out;
    const std::int64_t f = spec.numFeat;
    const std::int64_t lastOut = std::int64_t{spec.outChannels} * spec.scale * spec.scale;
    const int last = 2 * spec.numConv + 2;
    for (int i = 0; i <= last; ++i) {
        if (i % 2 == 1) {
            out[fmt::format("body.{}.weight", i)] = {f};  // PReLU, one slope per channel
            continue;
        }
        const std::int64_t in = i == 0 ? spec.inChannels : f;
        const std::int64_t outCh = i == last ? lastOut : f;
        out[fmt::format("body.{}.weight", i)] = {outCh, in, 3, 3};
        out[fmt::format("body.{}.bias", i)] = {outCh};
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
        } else if (!isFloating(it->second.dtype)) {
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
        parts.push_back("missing tensors: " + listSome(missing, kProblemsShown));
    }
    if (!unexpected.empty()) {
        parts.push_back("unexpected tensors: " + listSome(unexpected, kProblemsShown));
    }
    if (!wrong.empty()) {
        parts.push_back("wrong tensors: " + listSome(wrong, kProblemsShown));
    }
    return core::fail(
        core::ErrorCode::ModelMismatch,
        fmt::format("'{}' does not fit {}: {}. The file does not match the {} "
                    "architecture; it may be damaged or a different model.",
                    source, spec.describe(), fmt::join(parts, "; "), architectureName(spec.arch)));
}

}  // namespace upscale::models
