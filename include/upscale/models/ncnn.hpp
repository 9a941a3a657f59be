#pragma once
// ncnn models: a text .param graph and a binary .bin of weights with no names. The reader walks
// the layers in order and takes each layer's weights by ncnn's own rules; ncnnToStateDict then
// recognises a known architecture in the graph and names the tensors as PyTorch would.

#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "upscale/models/state_dict.hpp"

namespace upscale::models {

using NcnnParam = std::variant<int, float, std::vector<int>, std::vector<float>, std::string>;

struct NcnnLayer {
    std::string type;
    std::string name;
    std::vector<std::string> inputs;
    std::vector<std::string> outputs;
    std::map<int, NcnnParam> params;
    /// Weight blobs in the order the layer reads them (e.g. Convolution: weight, then bias),
    /// each as stored (F16 or F32), shaped as PyTorch expects (conv: [out, in, kh, kw]).
    std::vector<Tensor> weights;

    [[nodiscard]] int intParam(int id, int fallback) const;
};

struct NcnnModel {
    std::vector<NcnnLayer> layers;
};

[[nodiscard]] core::Result<NcnnModel> parseNcnn(std::string_view paramText,
                                                std::span<const std::uint8_t> bin,
                                                std::string_view source);
/// Reads `param` and the .bin beside it (same stem) unless `bin` is given.
[[nodiscard]] core::Result<NcnnModel> readNcnn(const std::filesystem::path& param,
                                               const std::filesystem::path& bin = {});

/// Maps a recognised graph to PyTorch-style names (SRVGGNetCompact: body.N.weight/bias).
/// Weights keep their stored dtype. Unknown graphs give UnsupportedFormat naming the layers.
[[nodiscard]] core::Result<StateDict> ncnnToStateDict(const NcnnModel& model,
                                                      std::string_view source);

}  // namespace upscale::models
