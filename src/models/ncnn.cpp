#include "upscale/models/ncnn.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstring>
#include <new>
#include <set>
#include <string>
#include <system_error>

#include <fmt/format.h>

#include "file_bytes.hpp"

namespace upscale::models {

namespace {

constexpr std::string_view kMagic = "7767517";
constexpr int kMaxParamId = 32;  // NCNN_MAX_PARAM_COUNT
constexpr int kArrayKeyBase = -23300;
constexpr std::uint32_t kTagFp16 = 0x01306B47;
constexpr std::uint32_t kTagInt8 = 0x000D4B38;
constexpr std::uint32_t kTagFp32Scaled = 0x0002C056;
constexpr std::string_view kNcnnRedownload =
    "The file is damaged or incomplete: download or convert it again.";

/// Layer types that read nothing from the .bin.
const std::set<std::string, std::less<>> kWeightless = {
    "AbsVal",  "BinaryOp", "Clip",         "Concat",    "Crop",  "Dropout", "ELU",     "Eltwise",
    "Flatten", "GELU",     "HardSigmoid",  "HardSwish", "Input", "Interp",  "Mish",    "Noop",
    "Padding", "Permute",  "PixelShuffle", "Pooling",   "ReLU",  "Reorg",   "Reshape", "Sigmoid",
    "Slice",   "Softmax",  "Split",        "Swish",     "TanH",  "UnaryOp"};

tl::unexpected<core::Error> corruptParam(std::string_view source, std::size_t line,
                                         std::string_view what) {
    return core::fail(core::ErrorCode::CorruptFile,
                      fmt::format("'{}' line {}: {}. {}", source, line, what, kNcnnRedownload));
}

std::vector<std::string_view> splitTokens(std::string_view line) {
    std::vector<std::string_view> tokens;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) {
            ++i;
        }
        const std::size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') {
            ++i;
        }
        if (i > start) {
            tokens.push_back(line.substr(start, i - start));
        }
    }
    return tokens;
}

template <typename T>
bool parseNumber(std::string_view text, T& out) {
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && ptr == text.data() + text.size();
}

bool isFloatText(std::string_view v) {
    return v.find_first_of(".eE") != std::string_view::npos;
}
bool isStringText(std::string_view v) {
    return !v.empty() && (std::isalpha(static_cast<unsigned char>(v[0])) != 0 || v[0] == '"');
}

/// One "id=value" token, in ncnn's ParamDict rules: float when it has '.', 'e' or 'E', a string
/// when it starts with a letter or '"', else an int; arrays in the old "-233xx=count,v..." or
/// the new "id=v1,v2,..." style.
bool parseParam(std::string_view token, int& id, NcnnParam& value, std::string& why) {
    const std::size_t eq = token.find('=');
    if (eq == std::string_view::npos || !parseNumber(token.substr(0, eq), id)) {
        why = fmt::format("'{}' is not an id=value parameter", token);
        return false;
    }
    const std::string_view text = token.substr(eq + 1);
    bool isArray = text.find(',') != std::string_view::npos;
    bool oldArray = false;
    if (id <= kArrayKeyBase) {
        id = kArrayKeyBase - id;
        isArray = oldArray = true;
    }
    if (id < 0 || id >= kMaxParamId) {
        why = fmt::format("parameter id in '{}' is outside 0..31", token);
        return false;
    }
    if (!isArray) {
        if (isStringText(text)) {
            std::string s(text);
            s.erase(std::remove(s.begin(), s.end(), '"'), s.end());
            value = std::move(s);
            return true;
        }
        float f = 0;
        int i = 0;
        const bool ok = isFloatText(text) ? parseNumber(text, f) : parseNumber(text, i);
        if (!ok) {
            why = fmt::format("'{}' is not a number", token);
            return false;
        }
        value = isFloatText(text) ? NcnnParam(f) : NcnnParam(i);
        return true;
    }
    std::vector<std::string_view> items;
    std::size_t start = 0;
    for (std::size_t comma = text.find(',');; comma = text.find(',', start)) {
        items.push_back(text.substr(start, comma - start));
        if (comma == std::string_view::npos) {
            break;
        }
        start = comma + 1;
    }
    if (oldArray) {
        int count = 0;
        if (!parseNumber(items.front(), count) || count < 0 ||
            static_cast<std::size_t>(count) != items.size() - 1) {
            why = fmt::format("array parameter '{}' does not hold the count it announces", token);
            return false;
        }
        items.erase(items.begin());
    }
    const bool anyFloat = std::any_of(items.begin(), items.end(), isFloatText);
    std::vector<int> ints;
    std::vector<float> floats;
    for (const std::string_view item : items) {
        int i = 0;
        float f = 0;
        if (anyFloat ? !parseNumber(item, f) : !parseNumber(item, i)) {
            why = fmt::format("array parameter '{}' holds '{}', not a number", token, item);
            return false;
        }
        ints.push_back(i);
        floats.push_back(f);
    }
    value = anyFloat ? NcnnParam(std::move(floats)) : NcnnParam(std::move(ints));
    return true;
}

core::Result<std::vector<NcnnLayer>> parseParamText(std::string_view text,
                                                    std::string_view source) {
    std::vector<std::pair<std::size_t, std::string_view>> lines;  // (1-based number, text)
    std::size_t number = 0;
    for (std::size_t pos = 0; pos <= text.size();) {
        const std::size_t nl = std::min(text.find('\n', pos), text.size());
        ++number;
        const std::string_view line = text.substr(pos, nl - pos);
        if (!splitTokens(line).empty()) {
            lines.emplace_back(number, line);
        }
        pos = nl + 1;
    }
    if (lines.empty() || splitTokens(lines[0].second) != std::vector{kMagic}) {
        return core::fail(core::ErrorCode::UnsupportedFormat,
                          fmt::format("'{}' is not an ncnn .param file: it does not start with "
                                      "the magic number {}.",
                                      source, kMagic));
    }
    int layerCount = -1;
    int blobCount = -1;
    const auto counts =
        lines.size() > 1 ? splitTokens(lines[1].second) : std::vector<std::string_view>{};
    if (counts.size() != 2 || !parseNumber(counts[0], layerCount) ||
        !parseNumber(counts[1], blobCount) || layerCount < 0 || blobCount < 0) {
        return corruptParam(source, 2, "expected the layer and blob counts");
    }
    if (lines.size() - 2 != static_cast<std::size_t>(layerCount)) {
        return corruptParam(source, 2,
                            fmt::format("it declares {} layers but the file has {} layer lines",
                                        layerCount, lines.size() - 2));
    }
    std::vector<NcnnLayer> layers;
    for (std::size_t l = 2; l < lines.size(); ++l) {
        const auto [lineNo, line] = lines[l];
        const auto tokens = splitTokens(line);
        int nIn = -1;
        int nOut = -1;
        if (tokens.size() < 4 || !parseNumber(tokens[2], nIn) || !parseNumber(tokens[3], nOut) ||
            nIn < 0 || nOut < 0 ||
            tokens.size() - 4 < static_cast<std::size_t>(nIn) + static_cast<std::size_t>(nOut)) {
            return corruptParam(source, lineNo,
                                "expected '<type> <name> <inputs> <outputs> <blobs...>'");
        }
        NcnnLayer layer;
        layer.type = tokens[0];
        layer.name = tokens[1];
        layer.inputs.assign(tokens.begin() + 4, tokens.begin() + 4 + nIn);
        layer.outputs.assign(tokens.begin() + 4 + nIn, tokens.begin() + 4 + nIn + nOut);
        for (std::size_t t = 4 + nIn + nOut; t < tokens.size(); ++t) {
            int id = 0;
            NcnnParam value;
            std::string why;
            if (!parseParam(tokens[t], id, value, why)) {
                return corruptParam(source, lineNo, fmt::format("layer '{}': {}", layer.name, why));
            }
            layer.params[id] = std::move(value);
        }
        layers.push_back(std::move(layer));
    }
    return layers;
}

/// Walks the .bin by ModelBinFromDataReader's rules, bounds-checking every read.
class BinReader {
public:
    BinReader(std::span<const std::uint8_t> bin, std::string_view source)
        : m_bin(bin), m_source(source) {}

    [[nodiscard]] std::size_t left() const { return m_bin.size() - m_pos; }

    /// `load(w, 0)`: a tag, then fp16, int8, fp32 or LUT-coded data.
    core::Result<Tensor> loadTagged(const NcnnLayer& layer, std::size_t w) {
        auto tagBytes = take(layer, 4);
        if (!tagBytes) {
            return tl::unexpected(tagBytes.error());
        }
        const std::uint32_t tag = detail::loadU32(tagBytes->data());
        const unsigned byteSum = (*tagBytes)[0] + (*tagBytes)[1] + (*tagBytes)[2] + (*tagBytes)[3];
        Tensor t;
        if (tag == kTagFp16 || tag == kTagInt8) {
            const std::size_t itemSize = tag == kTagFp16 ? 2 : 1;
            auto data = take(layer, alignUp(w * itemSize));
            if (!data) {
                return tl::unexpected(data.error());
            }
            t.dtype = tag == kTagFp16 ? DType::F16 : DType::I8;
            t.data.assign(data->begin(), data->begin() + static_cast<std::ptrdiff_t>(w * itemSize));
            return t;
        }
        if (tag == kTagFp32Scaled || byteSum == 0) {
            return loadRaw(layer, w);
        }
        // Legacy 8-bit quantisation: a 256-entry float table, then one index byte per value.
        auto table = take(layer, 256 * 4);
        auto indices = table ? take(layer, alignUp(w)) : table;
        if (!indices) {
            return tl::unexpected(indices.error());
        }
        std::vector<float> values(w);
        for (std::size_t i = 0; i < w; ++i) {
            std::memcpy(&values[i], table->data() + 4 * (*indices)[i], 4);
        }
        return Tensor::fromFloat32(values, {}, DType::F32);
    }

    /// `load(w, 1)`: w raw little-endian float32 values, no tag.
    core::Result<Tensor> loadRaw(const NcnnLayer& layer, std::size_t w) {
        auto data = take(layer, w * 4);
        if (!data) {
            return tl::unexpected(data.error());
        }
        Tensor t;
        t.dtype = DType::F32;
        t.data.assign(data->begin(), data->end());
        return t;
    }

private:
    static std::size_t alignUp(std::size_t n) { return (n + 3) & ~std::size_t{3}; }

    core::Result<std::span<const std::uint8_t>> take(const NcnnLayer& layer, std::size_t n) {
        if (n > left()) {
            return core::fail(
                core::ErrorCode::CorruptFile,
                fmt::format("The weights of '{}' are truncated: layer '{}' ({}) "
                            "needs {} bytes at offset {} of the .bin, but only {} "
                            "are left. {}",
                            m_source, layer.name, layer.type, n, m_pos, left(), kNcnnRedownload));
        }
        const auto out = m_bin.subspan(m_pos, n);
        m_pos += n;
        return out;
    }

    std::span<const std::uint8_t> m_bin;
    std::string_view m_source;
    std::size_t m_pos = 0;
};

tl::unexpected<core::Error> badLayer(std::string_view source, const NcnnLayer& layer,
                                     std::string_view what) {
    return core::fail(core::ErrorCode::CorruptFile,
                      fmt::format("'{}': layer '{}' ({}) {}. {}", source, layer.name, layer.type,
                                  what, kNcnnRedownload));
}

/// Swaps dims 0 and 1 of a [d0][d1][rest] tensor in place (ncnn deconv -> PyTorch layout).
void swapLeadingDims(Tensor& t, std::int64_t d0, std::int64_t d1, std::int64_t rest) {
    const std::size_t item = dtypeSize(t.dtype) * static_cast<std::size_t>(rest);
    std::vector<std::uint8_t> out(t.data.size());
    for (std::int64_t a = 0; a < d0; ++a) {
        for (std::int64_t b = 0; b < d1; ++b) {
            std::memcpy(out.data() + (b * d0 + a) * item, t.data.data() + (a * d1 + b) * item,
                        item);
        }
    }
    t.data = std::move(out);
}

core::Result<void> loadLayerWeights(NcnnLayer& layer, BinReader& reader, std::string_view source) {
    const std::string& type = layer.type;
    if (kWeightless.contains(type)) {
        return {};
    }
    if (type == "PReLU") {
        const int slopes = layer.intParam(0, 0);
        if (slopes <= 0) {
            return badLayer(source, layer, "has no slopes");
        }
        auto slope = reader.loadRaw(layer, static_cast<std::size_t>(slopes));
        if (!slope) {
            return tl::unexpected(slope.error());
        }
        slope->shape = {slopes};
        layer.weights.push_back(std::move(*slope));
        return {};
    }
    const bool conv = type == "Convolution" || type == "ConvolutionDepthWise";
    const bool deconv = type == "Deconvolution";
    const bool dense = type == "InnerProduct";
    if (!conv && !deconv && !dense) {
        return core::fail(core::ErrorCode::UnsupportedFormat,
                          fmt::format("'{}': layer '{}' has type '{}', whose weights this program "
                                      "cannot read.",
                                      source, layer.name, type));
    }
    const int numOutput = layer.intParam(0, 0);
    const int kw = dense ? 1 : layer.intParam(1, 0);
    const int kh = dense ? 1 : layer.intParam(11, kw);
    const int biasTerm = layer.intParam(dense ? 1 : 5, 0);
    const int weightSize = layer.intParam(dense ? 2 : 6, 0);
    if (layer.intParam(8, 0) != 0) {
        return core::fail(core::ErrorCode::UnsupportedFormat,
                          fmt::format("'{}': layer '{}' is int8-quantised, which this program "
                                      "does not support.",
                                      source, layer.name));
    }
    const int dynamicWeightId = conv ? 19 : 28;
    if (!dense && layer.intParam(dynamicWeightId, 0) != 0) {
        return {};  // dynamic weights come from an input blob, not from the .bin
    }
    // Each factor is checked before the product, so it cannot overflow (or divide by zero).
    const bool positive = numOutput > 0 && kw > 0 && kh > 0 && weightSize > 0;
    const std::int64_t perInput = positive && std::int64_t{numOutput} * kh <= weightSize / kw
                                      ? std::int64_t{numOutput} * kh * kw
                                      : 0;
    if (perInput == 0 || weightSize % perInput != 0) {
        return badLayer(source, layer,
                        fmt::format("has inconsistent sizes (num_output {}, kernel {}x{}, "
                                    "weight_data_size {})",
                                    numOutput, kw, kh, weightSize));
    }
    auto weight = reader.loadTagged(layer, static_cast<std::size_t>(weightSize));
    if (!weight) {
        return tl::unexpected(weight.error());
    }
    const std::int64_t inputs = weightSize / perInput;
    if (dense) {
        weight->shape = {numOutput, inputs};
    } else if (deconv) {
        swapLeadingDims(*weight, numOutput, inputs, std::int64_t{kh} * kw);
        weight->shape = {inputs, numOutput, kh, kw};
    } else {
        weight->shape = {numOutput, inputs, kh, kw};
    }
    layer.weights.push_back(std::move(*weight));
    if (biasTerm != 0) {
        auto bias = reader.loadRaw(layer, static_cast<std::size_t>(numOutput));
        if (!bias) {
            return tl::unexpected(bias.error());
        }
        bias->shape = {numOutput};
        layer.weights.push_back(std::move(*bias));
    }
    return {};
}

core::Result<NcnnModel> parseUnchecked(std::string_view paramText,
                                       std::span<const std::uint8_t> bin, std::string_view source) {
    auto layers = parseParamText(paramText, source);
    if (!layers) {
        return tl::unexpected(layers.error());
    }
    BinReader reader(bin, source);
    for (NcnnLayer& layer : *layers) {
        if (auto loaded = loadLayerWeights(layer, reader, source); !loaded) {
            return tl::unexpected(loaded.error());
        }
    }
    if (reader.left() != 0) {
        return core::fail(core::ErrorCode::CorruptFile,
                          fmt::format("The weights of '{}' have {} bytes left over after the "
                                      "last layer: the .bin does not belong to this .param or "
                                      "is damaged. {}",
                                      source, reader.left(), kNcnnRedownload));
    }
    return NcnnModel{std::move(*layers)};
}

}  // namespace

int NcnnLayer::intParam(int id, int fallback) const {
    const auto it = params.find(id);
    if (it == params.end()) {
        return fallback;
    }
    if (const int* i = std::get_if<int>(&it->second)) {
        return *i;
    }
    if (const float* f = std::get_if<float>(&it->second)) {
        // Out of int's range (or NaN) the conversion is undefined; such a value is no size.
        constexpr float kIntLimit = 2147483648.0F;
        return *f > -kIntLimit && *f < kIntLimit ? static_cast<int>(*f) : fallback;
    }
    return fallback;
}

core::Result<NcnnModel> parseNcnn(std::string_view paramText, std::span<const std::uint8_t> bin,
                                  std::string_view source) {
    try {
        return parseUnchecked(paramText, bin, source);
    } catch (const std::bad_alloc&) {
        return core::fail(core::ErrorCode::OutOfMemory,
                          fmt::format("'{}' is too large to load into memory.", source));
    }
}

core::Result<NcnnModel> readNcnn(const std::filesystem::path& param,
                                 const std::filesystem::path& bin) {
    auto paramBytes = detail::readFileBytes(param);
    if (!paramBytes) {
        return tl::unexpected(paramBytes.error());
    }
    const std::filesystem::path binPath =
        bin.empty() ? std::filesystem::path(param).replace_extension(".bin") : bin;
    auto binBytes = detail::readFileBytes(binPath, "Weights file");
    if (!binBytes) {
        return tl::unexpected(binBytes.error());
    }
    const std::string_view text(reinterpret_cast<const char*>(paramBytes->data()),
                                paramBytes->size());
    return parseNcnn(text, *binBytes, param.string());
}

}  // namespace upscale::models
