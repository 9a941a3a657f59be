#pragma once
// Recognisers of known architectures in ncnn graphs, shared by ncnn_graph.cpp (Compact) and
// ncnn_rrdb.cpp (RRDBNet).

#include <string_view>

#include "upscale/models/ncnn.hpp"

namespace upscale::models::detail {

/// UnsupportedFormat naming the file, why, and a summary of its layer types.
[[nodiscard]] tl::unexpected<core::Error> unsupportedGraph(const NcnnModel& model,
                                                           std::string_view source,
                                                           std::string_view why);

/// A 3x3, stride 1, dilation 1, padding 1 convolution with a bias (any fused activation).
[[nodiscard]] bool isPaddedConv3x3(const NcnnLayer& layer);

/// SRVGGNetCompact: body.N.weight / body.N.bias.
[[nodiscard]] core::Result<StateDict> compactStateDict(const NcnnModel& model,
                                                       std::string_view source);

/// RRDBNet at 4x: conv_first, body.B.rdbK.convJ, conv_body, conv_upN, conv_hr, conv_last.
[[nodiscard]] core::Result<StateDict> rrdbStateDict(const NcnnModel& model,
                                                    std::string_view source);

}  // namespace upscale::models::detail
