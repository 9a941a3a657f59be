#include "upscale/models/model_file.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <new>
#include <system_error>

#include <fmt/format.h>

#include "arch_detail.hpp"
#include "file_bytes.hpp"
#include "upscale/core/logging.hpp"
#include "upscale/core/sha256.hpp"
#include "upscale/models/model_formats.hpp"
#include "upscale/models/ncnn.hpp"
#include "upscale/models/pytorch.hpp"
#include "upscale/models/safetensors.hpp"

namespace upscale::models {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kNcnnMagic = "7767517";

/// A u64 header length of a plausible size and a JSON object right after it. The header may
/// reach past the end of the file: then it is a truncated safetensors file, and the reader says
/// so.
bool looksLikeSafetensors(std::span<const std::uint8_t> bytes) {
    constexpr std::uint64_t kPlausibleHeader = 100'000'000;
    if (bytes.size() < 9) {
        return false;
    }
    const std::uint64_t n = detail::loadU64(bytes.data());
    return n >= 2 && n <= kPlausibleHeader && bytes[8] == '{';
}

bool looksLikeNcnnParam(std::span<const std::uint8_t> bytes) {
    if (bytes.size() < kNcnnMagic.size() ||
        !std::equal(kNcnnMagic.begin(), kNcnnMagic.end(), bytes.begin())) {
        return false;
    }
    return bytes.size() == kNcnnMagic.size() ||
           std::isspace(static_cast<unsigned char>(bytes[kNcnnMagic.size()])) != 0;
}

bool hasExtension(const fs::path& path, std::string_view ext) {
    return path.extension().string() == ext;
}

struct Loaded {
    StateDict weights;
    std::map<std::string, std::string> metadata;
    std::string hash;
};

core::Result<Loaded> loadSafetensors(std::span<const std::uint8_t> bytes, const fs::path& path) {
    auto file = parseSafetensors(bytes, path.string());
    if (!file) {
        return tl::unexpected(file.error());
    }
    return Loaded{std::move(file->tensors), std::move(file->metadata), core::sha256Hex(bytes)};
}

core::Result<Loaded> loadNcnn(std::span<const std::uint8_t> paramBytes,
                              std::span<const std::uint8_t> binBytes, const fs::path& param) {
    const std::string source = param.string();
    const std::string_view text(reinterpret_cast<const char*>(paramBytes.data()),
                                paramBytes.size());
    auto graph = parseNcnn(text, binBytes, source);
    if (!graph) {
        return tl::unexpected(graph.error());
    }
    auto weights = ncnnToStateDict(*graph, source);
    if (!weights) {
        return tl::unexpected(weights.error());
    }
    // The model's identity covers both halves: the graph and its weights.
    const std::string combined = core::sha256Hex(paramBytes) + core::sha256Hex(binBytes);
    const auto* data = reinterpret_cast<const std::uint8_t*>(combined.data());
    return Loaded{std::move(*weights), {}, core::sha256Hex({data, combined.size()})};
}

core::Result<Loaded> loadAnyFormat(const fs::path& path) {
    auto bytes = detail::readFileBytes(path);
    if (!bytes) {
        return tl::unexpected(bytes.error());
    }
    if (looksLikeSafetensors(*bytes)) {
        return loadSafetensors(*bytes, path);
    }
    if (looksLikePytorch(*bytes)) {
        auto weights = parsePytorch(*bytes, path.string());
        if (!weights) {
            return tl::unexpected(weights.error());
        }
        return Loaded{std::move(*weights), {}, core::sha256Hex(*bytes)};
    }
    if (looksLikeNcnnParam(*bytes)) {
        const fs::path bin = fs::path(path).replace_extension(".bin");
        auto binBytes = detail::readFileBytes(bin, "Weights file");
        if (!binBytes && binBytes.error().code == core::ErrorCode::NotFound) {
            return core::fail(core::ErrorCode::NotFound,
                              fmt::format("'{}' needs its weights file '{}' beside it, which "
                                          "does not exist.",
                                          path.string(), bin.string()));
        }
        if (!binBytes) {
            return tl::unexpected(binBytes.error());
        }
        return loadNcnn(*bytes, *binBytes, path);
    }
    if (hasExtension(path, ".bin")) {
        const fs::path param = fs::path(path).replace_extension(".param");
        std::error_code ec;
        if (!fs::exists(param, ec)) {
            return core::fail(core::ErrorCode::NotFound,
                              fmt::format("'{}' looks like ncnn weights, but the graph '{}' that "
                                          "belongs beside it does not exist.",
                                          path.string(), param.string()));
        }
        auto paramBytes = detail::readFileBytes(param);
        if (!paramBytes) {
            return tl::unexpected(paramBytes.error());
        }
        if (looksLikeNcnnParam(*paramBytes)) {
            return loadNcnn(*paramBytes, *bytes, param);
        }
    }
    return core::fail(core::ErrorCode::UnsupportedFormat,
                      fmt::format("'{}' is not a model file we can read. Supported: {}.",
                                  path.string(), modelFormatList()));
}

/// Metadata written by a converter must agree with what the weights say.
core::Result<void> checkMetadata(const ArchSpec& spec,
                                 const std::map<std::string, std::string>& metadata,
                                 std::string_view source) {
    const auto mismatch = [&](std::string_view key, std::string_view value) {
        return core::fail(core::ErrorCode::ModelMismatch,
                          fmt::format("'{}' says its {} is '{}', but its weights are {}. The file "
                                      "is damaged or was edited: download or convert it again.",
                                      source, key, value, spec.describe()));
    };
    if (const auto it = metadata.find("architecture"); it != metadata.end()) {
        const auto arch = architectureFromName(it->second);
        if (!arch || *arch != spec.arch) {
            return mismatch("architecture", it->second);
        }
    }
    if (const auto it = metadata.find("scale"); it != metadata.end()) {
        int scale = 0;
        const std::string& v = it->second;
        const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), scale);
        if (ec != std::errc() || ptr != v.data() + v.size() || scale != spec.scale) {
            return mismatch("scale", v);
        }
    }
    return {};
}

core::Result<ModelFile> loadChecked(const fs::path& path) {
    std::error_code ec;
    if (!fs::exists(path, ec)) {
        return core::fail(core::ErrorCode::NotFound,
                          fmt::format("Model file '{}' does not exist.", path.string()));
    }
    auto loaded = loadAnyFormat(path);
    if (!loaded) {
        return tl::unexpected(loaded.error());
    }
    const std::string source = path.string();
    loaded->weights = canonicalizeKeys(std::move(loaded->weights));
    auto spec = detectArchitecture(loaded->weights, source);
    if (!spec) {
        return tl::unexpected(spec.error());
    }
    if (auto checked = detail::checkChannels(*spec, source); !checked) {
        return tl::unexpected(checked.error());
    }
    if (auto checked = checkWeights(*spec, loaded->weights, source); !checked) {
        return tl::unexpected(checked.error());
    }
    if (auto checked = checkMetadata(*spec, loaded->metadata, source); !checked) {
        return tl::unexpected(checked.error());
    }
    core::logger("models")->debug("Loaded '{}': {}, sha256 {}", source, spec->describe(),
                                  loaded->hash);
    return ModelFile{path, std::move(loaded->hash), *spec, std::move(loaded->weights),
                     std::move(loaded->metadata)};
}

bool samePath(const fs::path& a, const fs::path& b) {
    std::error_code ec1;
    std::error_code ec2;
    const fs::path ca = fs::weakly_canonical(a, ec1);
    const fs::path cb = fs::weakly_canonical(b, ec2);
    return ec1 || ec2 ? a.lexically_normal() == b.lexically_normal() : ca == cb;
}

}  // namespace

core::Result<ModelFile> loadModelFile(const std::filesystem::path& path) {
    try {
        return loadChecked(path);
    } catch (const std::bad_alloc&) {
        return core::fail(core::ErrorCode::OutOfMemory,
                          fmt::format("'{}' is too large to load into memory.", path.string()));
    }
}

core::Result<ModelFile> convertModel(const std::filesystem::path& in,
                                     const std::filesystem::path& out, DType dtype) {
    if (dtype != DType::F16 && dtype != DType::BF16 && dtype != DType::F32) {
        return core::fail(
            core::ErrorCode::InvalidArgument,
            fmt::format("Models can be converted to F16, BF16 or F32, not {}.", dtypeName(dtype)));
    }
    // Writing over the input (or the other half of an ncnn pair) would destroy the source.
    bool clash = samePath(in, out);
    if (hasExtension(in, ".param") || hasExtension(in, ".bin")) {
        clash = clash || samePath(fs::path(in).replace_extension(".param"), out) ||
                samePath(fs::path(in).replace_extension(".bin"), out);
    }
    if (clash) {
        return core::fail(core::ErrorCode::InvalidArgument,
                          fmt::format("The output '{}' would overwrite the model being "
                                      "converted. Choose another output file.",
                                      out.string()));
    }
    auto model = loadModelFile(in);
    if (!model) {
        return tl::unexpected(model.error());
    }
    try {
        for (auto& [name, tensor] : model->weights) {
            if (isFloating(tensor.dtype) && tensor.dtype != dtype) {
                tensor = Tensor::fromFloat32(tensor.toFloat32(), tensor.shape, dtype);
            }
        }
    } catch (const std::bad_alloc&) {
        return core::fail(core::ErrorCode::OutOfMemory,
                          fmt::format("Not enough memory to convert '{}'.", in.string()));
    }
    const ArchSpec& spec = model->spec;
    std::map<std::string, std::string> metadata = {
        {"format", "upscale-studio"},
        {"architecture", std::string(architectureName(spec.arch))},
        {"scale", std::to_string(spec.scale)},
        {"num_feat", std::to_string(spec.numFeat)},
        {"in_channels", std::to_string(spec.inChannels)},
        {"out_channels", std::to_string(spec.outChannels)},
    };
    if (spec.arch == Architecture::Compact) {
        metadata["num_conv"] = std::to_string(spec.numConv);
    } else if (spec.arch == Architecture::RRDBNet) {
        metadata["num_block"] = std::to_string(spec.numBlock);
        metadata["num_grow_ch"] = std::to_string(spec.numGrow);
    }
    if (auto written = writeSafetensors(out, model->weights, metadata); !written) {
        return tl::unexpected(written.error());
    }
    core::logger("models")->info("Converted '{}' to '{}' ({}, {})", in.string(), out.string(),
                                 spec.describe(), dtypeName(dtype));
    return loadModelFile(out);
}

}  // namespace upscale::models
