// Recognising known architectures in ncnn graphs and naming their weights as PyTorch does.

#include <algorithm>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "ncnn_graph.hpp"

namespace upscale::models::detail {

namespace {

/// "Input, Split, Convolution x17, PReLU x16, ...": layer types in order of first appearance.
std::string layerSummary(const NcnnModel& model) {
    std::vector<std::pair<std::string, int>> counts;
    for (const NcnnLayer& layer : model.layers) {
        const auto it = std::find_if(counts.begin(), counts.end(),
                                     [&](const auto& c) { return c.first == layer.type; });
        if (it == counts.end()) {
            counts.emplace_back(layer.type, 1);
        } else {
            ++it->second;
        }
    }
    std::vector<std::string> parts;
    for (const auto& [type, count] : counts) {
        parts.push_back(count == 1 ? type : fmt::format("{} x{}", type, count));
    }
    return parts.empty() ? std::string("none") : fmt::format("{}", fmt::join(parts, ", "));
}

}  // namespace

tl::unexpected<core::Error> unsupportedGraph(const NcnnModel& model, std::string_view source,
                                             std::string_view why) {
    return core::fail(core::ErrorCode::UnsupportedFormat,
                      fmt::format("'{}' holds an ncnn graph this program does not recognise ({}; "
                                  "layers: {}). Supported: SRVGGNetCompact, RRDBNet.",
                                  source, why, layerSummary(model)));
}

namespace {

float floatParam(const NcnnLayer& layer, int id, float fallback) {
    const auto it = layer.params.find(id);
    if (it == layer.params.end()) {
        return fallback;
    }
    if (const float* f = std::get_if<float>(&it->second)) {
        return *f;
    }
    if (const int* i = std::get_if<int>(&it->second)) {
        return static_cast<float>(*i);
    }
    return fallback;
}

}  // namespace

bool isPaddedConv3x3(const NcnnLayer& l) {
    const int kw = l.intParam(1, 0);
    const int dilation = l.intParam(2, 1);
    const int stride = l.intParam(3, 1);
    const int pad = l.intParam(4, 0);
    return l.type == "Convolution" && kw == 3 && l.intParam(11, kw) == 3 && dilation == 1 &&
           l.intParam(12, dilation) == 1 && stride == 1 && l.intParam(13, stride) == 1 &&
           pad == 1 && l.intParam(14, pad) == 1 && l.intParam(15, pad) == 1 &&
           l.intParam(16, l.intParam(14, pad)) == 1 && l.weights.size() == 2;
}

namespace {

/// A 3x3, stride 1, dilation 1, padding 1 convolution with a bias and no fused activation:
/// exactly what SRVGGNetCompact's Conv2d(c_in, c_out, 3, 1, 1) exports to.
bool isCompactConv(const NcnnLayer& l) {
    return isPaddedConv3x3(l) && l.intParam(9, 0) == 0;
}

bool feeds(const NcnnLayer& from, const NcnnLayer& to) {
    return from.outputs.size() == 1 &&
           std::find(to.inputs.begin(), to.inputs.end(), from.outputs[0]) != to.inputs.end();
}

}  // namespace

core::Result<StateDict> compactStateDict(const NcnnModel& model, std::string_view source) {
    std::vector<const NcnnLayer*> chain;  // Convolution, PReLU, ..., Convolution
    const NcnnLayer* shuffle = nullptr;
    const NcnnLayer* interp = nullptr;
    const NcnnLayer* add = nullptr;
    for (const NcnnLayer& layer : model.layers) {
        const std::string& type = layer.type;
        if (type == "Input" || type == "Split") {
            continue;
        }
        const NcnnLayer** single = type == "PixelShuffle" ? &shuffle
                                   : type == "Interp"     ? &interp
                                   : type == "BinaryOp"   ? &add
                                                          : nullptr;
        if (single != nullptr) {
            if (*single != nullptr) {
                return unsupportedGraph(model, source, fmt::format("more than one {}", type));
            }
            *single = &layer;
        } else if (type == "Convolution" || type == "PReLU") {
            chain.push_back(&layer);
        } else {
            return unsupportedGraph(model, source,
                                    fmt::format("layer '{}' has type {}", layer.name, type));
        }
    }
    if (shuffle == nullptr || interp == nullptr || add == nullptr || chain.size() < 3 ||
        chain.size() % 2 == 0) {
        return unsupportedGraph(model, source,
                                "not a convolution chain with a pixel shuffle and "
                                "an upscaled input added back");
    }
    for (std::size_t i = 0; i < chain.size(); ++i) {
        const NcnnLayer& l = *chain[i];
        const bool wantConv = i % 2 == 0;
        if (wantConv ? !isCompactConv(l) : (l.type != "PReLU" || l.weights.size() != 1)) {
            return unsupportedGraph(
                model, source,
                fmt::format("layer '{}' is not the {} SRVGGNetCompact has there", l.name,
                            wantConv ? "3x3 padded convolution" : "PReLU"));
        }
        if (i > 0 && (l.inputs.size() != 1 || !feeds(*chain[i - 1], l))) {
            return unsupportedGraph(
                model, source,
                fmt::format("layer '{}' does not follow '{}'", l.name, chain[i - 1]->name));
        }
    }
    const int r = shuffle->intParam(0, 1);
    const float rf = static_cast<float>(r);
    if (r < 1 || shuffle->intParam(1, 0) != 0 || !feeds(*chain.back(), *shuffle)) {
        return unsupportedGraph(model, source, "the pixel shuffle is not the PyTorch kind");
    }
    if (interp->intParam(0, 0) != 1 || floatParam(*interp, 1, 0.0F) != rf ||
        floatParam(*interp, 2, 0.0F) != rf || add->intParam(0, 0) != 0 || add->inputs.size() != 2 ||
        !feeds(*shuffle, *add) || !feeds(*interp, *add)) {
        return unsupportedGraph(model, source,
                                fmt::format("the residual is not a nearest x{} upscale added to "
                                            "the output",
                                            r));
    }

    StateDict dict;
    for (std::size_t i = 0; i < chain.size(); ++i) {
        const NcnnLayer& l = *chain[i];
        dict.emplace(fmt::format("body.{}.weight", i), l.weights[0]);
        if (l.weights.size() > 1) {
            dict.emplace(fmt::format("body.{}.bias", i), l.weights[1]);
        }
    }
    return dict;
}

}  // namespace upscale::models::detail

namespace upscale::models {

using detail::compactStateDict;
using detail::rrdbStateDict;

core::Result<StateDict> ncnnToStateDict(const NcnnModel& model, std::string_view source) {
    try {
        // RRDBNet graphs are told apart by their dense-block concatenations.
        const bool dense = std::any_of(model.layers.begin(), model.layers.end(),
                                       [](const NcnnLayer& l) { return l.type == "Concat"; });
        return dense ? rrdbStateDict(model, source) : compactStateDict(model, source);
    } catch (const std::bad_alloc&) {
        return core::fail(core::ErrorCode::OutOfMemory,
                          fmt::format("'{}' is too large to load into memory.", source));
    }
}

}  // namespace upscale::models
