// RRDBNet in ncnn form (what realesrgan-ncnn-vulkan and Upscayl ship): the exporter keeps every
// convolution in forward order, fuses the LeakyReLUs into them, and turns the residual scaling
// into Eltwise sums, so the convolutions alone, in order, carry all the weights.

#include <algorithm>

#include <fmt/format.h>

#include "ncnn_graph.hpp"

namespace upscale::models::detail {

namespace {

constexpr int kNcnnRdbConvs = 5;
constexpr int kConvsPerBlock = 3 * kNcnnRdbConvs;

bool isRrdbLayerType(const std::string& type) {
    return type == "Input" || type == "Split" || type == "Concat" || type == "Eltwise" ||
           type == "BinaryOp" || type == "Interp" || type == "Convolution";
}

}  // namespace

core::Result<StateDict> rrdbStateDict(const NcnnModel& model, std::string_view source) {
    std::vector<const NcnnLayer*> convs;
    int upsamples = 0;
    for (const NcnnLayer& layer : model.layers) {
        if (!isRrdbLayerType(layer.type)) {
            return unsupportedGraph(model, source,
                                    fmt::format("layer '{}' has type {}", layer.name, layer.type));
        }
        if (layer.type == "Convolution") {
            if (!isPaddedConv3x3(layer)) {
                return unsupportedGraph(
                    model, source,
                    fmt::format("layer '{}' is not the 3x3 padded convolution RRDBNet has there",
                                layer.name));
            }
            convs.push_back(&layer);
        } else if (layer.type == "Interp") {
            if (layer.intParam(0, 0) != 1) {
                return unsupportedGraph(model, source,
                                        fmt::format("'{}' is not a nearest upscale", layer.name));
            }
            ++upsamples;
        }
    }
    // conv_first, the blocks, conv_body, one conv per upscale, conv_hr, conv_last.
    const std::size_t fixed = 4 + static_cast<std::size_t>(upsamples);
    if (upsamples < 1 || convs.size() < fixed + kConvsPerBlock ||
        (convs.size() - fixed) % kConvsPerBlock != 0) {
        return unsupportedGraph(model, source,
                                fmt::format("{} convolutions and {} upscales do not make "
                                            "residual-in-residual dense blocks",
                                            convs.size(), upsamples));
    }
    const std::size_t blocks = (convs.size() - fixed) / kConvsPerBlock;
    std::vector<std::string> names = {"conv_first"};
    for (std::size_t b = 0; b < blocks; ++b) {
        for (int r = 1; r <= 3; ++r) {
            for (int c = 1; c <= kNcnnRdbConvs; ++c) {
                names.push_back(fmt::format("body.{}.rdb{}.conv{}", b, r, c));
            }
        }
    }
    names.emplace_back("conv_body");
    for (int u = 1; u <= upsamples; ++u) {
        names.push_back(fmt::format("conv_up{}", u));
    }
    names.emplace_back("conv_hr");
    names.emplace_back("conv_last");
    StateDict dict;
    for (std::size_t i = 0; i < convs.size(); ++i) {
        dict.emplace(names[i] + ".weight", convs[i]->weights[0]);
        dict.emplace(names[i] + ".bias", convs[i]->weights[1]);
    }
    return dict;
}

}  // namespace upscale::models::detail
