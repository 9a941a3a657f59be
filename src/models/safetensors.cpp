#include "upscale/models/safetensors.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <new>
#include <system_error>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "file_bytes.hpp"
#include "upscale/core/paths.hpp"

namespace upscale::models {

namespace {

using Json = nlohmann::json;

/// The Rust reference reader's MAX_HEADER_SIZE: a larger header is refused before parsing.
constexpr std::uint64_t kMaxHeaderBytes = 100'000'000;
constexpr std::string_view kSafetensorsRedownload =
    "The file is damaged or incomplete: download or convert it again.";

tl::unexpected<core::Error> corruptSafetensors(std::string_view source, std::string_view what) {
    return core::fail(core::ErrorCode::CorruptFile,
                      fmt::format("'{}' is not a valid safetensors file: {}. {}", source, what,
                                  kSafetensorsRedownload));
}

/// A header is an object of objects holding lists of numbers: three levels. Deeper nesting
/// would only make the parsed header cost many times its size.
constexpr int kMaxHeaderDepth = 3;

/// How deep the objects and lists of a JSON text nest (strings skipped), or past the limit.
int jsonDepth(std::span<const std::uint8_t> text) {
    int depth = 0;
    int deepest = 0;
    bool inString = false;
    for (std::size_t i = 0; i < text.size() && deepest <= kMaxHeaderDepth; ++i) {
        const char c = static_cast<char>(text[i]);
        if (inString) {
            if (c == '\\') {
                ++i;  // the escaped character cannot end the string
            } else if (c == '"') {
                inString = false;
            }
        } else if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            deepest = std::max(deepest, ++depth);
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
    return deepest;
}

/// One header entry, validated on its own; cross-entry checks come after all are read.
struct Entry {
    std::string name;
    DType dtype = DType::F32;
    std::vector<std::int64_t> shape;
    std::uint64_t begin = 0;
    std::uint64_t end = 0;
};

bool toU64(const Json& value, std::uint64_t& out) {
    if (!value.is_number_unsigned()) {
        return false;
    }
    out = value.get<std::uint64_t>();
    return true;
}

core::Result<Entry> parseEntry(const std::string& name, const Json& info, std::uint64_t bufferSize,
                               std::uint64_t fileSize, std::string_view source) {
    if (!info.is_object()) {
        return corruptSafetensors(
            source, fmt::format("the header entry of tensor '{}' is not an object", name));
    }
    const auto dtypeIt = info.find("dtype");
    const auto shapeIt = info.find("shape");
    const auto offsetsIt = info.find("data_offsets");
    if (dtypeIt == info.end() || shapeIt == info.end() || offsetsIt == info.end()) {
        return corruptSafetensors(
            source, fmt::format("tensor '{}' lacks 'dtype', 'shape' or 'data_offsets'", name));
    }
    if (!dtypeIt->is_string()) {
        return corruptSafetensors(source,
                                  fmt::format("the dtype of tensor '{}' is not a string", name));
    }
    Entry entry;
    entry.name = name;
    const auto dtype = dtypeFromName(dtypeIt->get_ref<const std::string&>());
    if (!dtype) {
        return core::fail(core::ErrorCode::UnsupportedFormat,
                          fmt::format("'{}': tensor '{}' has data type '{}', which this program "
                                      "cannot read (supported: F16, BF16, F32, F64, I64, I32, "
                                      "I16, I8, U8, BOOL).",
                                      source, name, dtypeIt->get_ref<const std::string&>()));
    }
    entry.dtype = *dtype;

    if (!shapeIt->is_array()) {
        return corruptSafetensors(source,
                                  fmt::format("the shape of tensor '{}' is not a list", name));
    }
    // numel * itemsize, checked for overflow at every step.
    std::uint64_t bytes = dtypeSize(entry.dtype);
    bool overflow = false;
    for (const Json& dim : *shapeIt) {
        std::uint64_t d = 0;
        if (!toU64(dim, d) ||
            d > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            return corruptSafetensors(source,
                                      fmt::format("the shape of tensor '{}' holds {}, not a "
                                                  "non-negative integer",
                                                  name, dim.dump()));
        }
        entry.shape.push_back(static_cast<std::int64_t>(d));
        overflow = overflow || __builtin_mul_overflow(bytes, d, &bytes);
    }
    if (overflow) {
        return corruptSafetensors(source,
                                  fmt::format("tensor '{}' has shape {}, too large to exist", name,
                                              shapeToString(entry.shape)));
    }

    if (!offsetsIt->is_array() || offsetsIt->size() != 2 || !toU64((*offsetsIt)[0], entry.begin) ||
        !toU64((*offsetsIt)[1], entry.end)) {
        return corruptSafetensors(source, fmt::format("the data_offsets of tensor '{}' are not two "
                                                      "non-negative integers",
                                                      name));
    }
    const std::string offsets = fmt::format("[{}, {}]", entry.begin, entry.end);
    if (entry.end < entry.begin) {
        return corruptSafetensors(
            source,
            fmt::format("tensor '{}' data_offsets {} end before they begin", name, offsets));
    }
    if (entry.end > bufferSize) {
        return corruptSafetensors(
            source, fmt::format("tensor '{}' data_offsets {} point past the end of the "
                                "file ({} bytes)",
                                name, offsets, fileSize));
    }
    if (entry.end - entry.begin != bytes) {
        return corruptSafetensors(
            source, fmt::format("tensor '{}' is {} {} and needs {} bytes, but its data_offsets "
                                "{} hold {}",
                                name, dtypeName(entry.dtype), shapeToString(entry.shape), bytes,
                                offsets, entry.end - entry.begin));
    }
    return entry;
}

core::Result<std::map<std::string, std::string>> parseMetadata(const Json& value,
                                                               std::string_view source) {
    if (!value.is_object()) {
        return corruptSafetensors(source, "__metadata__ is not an object");
    }
    std::map<std::string, std::string> metadata;
    for (const auto& [key, item] : value.items()) {
        if (!item.is_string()) {
            return corruptSafetensors(source,
                                      fmt::format("__metadata__ value '{}' is not a string", key));
        }
        metadata.emplace(key, item.get<std::string>());
    }
    return metadata;
}

core::Result<SafetensorsFile> parseUnchecked(std::span<const std::uint8_t> bytes,
                                             std::string_view source) {
    const std::uint64_t fileSize = bytes.size();
    if (fileSize < 8) {
        return corruptSafetensors(source,
                                  fmt::format("it is only {} bytes long, shorter than the 8-byte "
                                              "header length",
                                              fileSize));
    }
    const std::uint64_t headerSize = detail::loadU64(bytes.data());
    if (headerSize > kMaxHeaderBytes) {
        return corruptSafetensors(
            source, fmt::format("its header length {} is over the {} byte limit", headerSize,
                                kMaxHeaderBytes));
    }
    if (8 + headerSize > fileSize) {
        return corruptSafetensors(
            source, fmt::format("it is truncated: its header length {} points past "
                                "the end of the file ({} bytes), so the header is cut "
                                "short",
                                headerSize, fileSize));
    }
    const auto headerBytes = bytes.subspan(8, headerSize);
    if (headerBytes.empty() || headerBytes[0] != '{') {
        return corruptSafetensors(source, "its header does not start with '{'");
    }
    if (jsonDepth(headerBytes) > kMaxHeaderDepth) {
        return corruptSafetensors(
            source, fmt::format("its header nests objects or lists more than {} deep, "
                                "which no safetensors header does",
                                kMaxHeaderDepth));
    }
    Json header;
    try {
        header = Json::parse(headerBytes.begin(), headerBytes.end());
    } catch (const Json::exception& e) {
        return corruptSafetensors(source,
                                  fmt::format("its header is not valid JSON ({})", e.what()));
    }
    if (!header.is_object()) {
        return corruptSafetensors(source, "its header is not a JSON object");
    }

    const auto buffer = bytes.subspan(8 + headerSize);
    SafetensorsFile file;
    std::vector<Entry> entries;
    for (const auto& [name, info] : header.items()) {
        if (name == "__metadata__") {
            auto metadata = parseMetadata(info, source);
            if (!metadata) {
                return tl::unexpected(metadata.error());
            }
            file.metadata = std::move(*metadata);
            continue;
        }
        auto entry = parseEntry(name, info, buffer.size(), fileSize, source);
        if (!entry) {
            return tl::unexpected(entry.error());
        }
        entries.push_back(std::move(*entry));
    }

    // The data must tile the buffer exactly: sorted by offsets, each tensor begins where the
    // previous one ended, from 0 to the very last byte of the file.
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
        return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
    });
    std::uint64_t expected = 0;
    const Entry* previous = nullptr;
    for (const Entry& e : entries) {
        if (e.begin > expected) {
            return corruptSafetensors(
                source, previous == nullptr
                            ? fmt::format("tensor '{}' begins at {}, leaving a gap at the "
                                          "start of the data",
                                          e.name, e.begin)
                            : fmt::format("there is a gap of {} bytes between tensors '{}' "
                                          "and '{}'",
                                          e.begin - expected, previous->name, e.name));
        }
        if (e.begin < expected) {
            return corruptSafetensors(
                source,
                fmt::format("the data of tensors '{}' and '{}' overlap", previous->name, e.name));
        }
        expected = e.end;
        previous = &e;
    }
    if (expected != buffer.size()) {
        return corruptSafetensors(
            source,
            fmt::format("it has {} bytes after the last tensor's data", buffer.size() - expected));
    }

    for (Entry& e : entries) {
        Tensor t;
        t.dtype = e.dtype;
        t.shape = std::move(e.shape);
        const auto data = buffer.subspan(e.begin, e.end - e.begin);
        t.data.assign(data.begin(), data.end());
        file.tensors.insert_or_assign(std::move(e.name), std::move(t));
    }
    return file;
}

}  // namespace

core::Result<SafetensorsFile> parseSafetensors(std::span<const std::uint8_t> bytes,
                                               std::string_view source) {
    try {
        return parseUnchecked(bytes, source);
    } catch (const std::bad_alloc&) {
        return core::fail(core::ErrorCode::OutOfMemory,
                          fmt::format("'{}' is too large to load into memory.", source));
    } catch (const std::exception& e) {
        return corruptSafetensors(source, e.what());
    }
}

core::Result<SafetensorsFile> readSafetensors(const std::filesystem::path& path) {
    auto bytes = detail::readFileBytes(path);
    if (!bytes) {
        return tl::unexpected(bytes.error());
    }
    return parseSafetensors(*bytes, path.string());
}

std::vector<std::uint8_t> serializeSafetensors(const StateDict& tensors,
                                               const std::map<std::string, std::string>& metadata) {
    // nlohmann::json keeps object keys sorted, so the header text depends only on the contents.
    Json header = Json::object();
    std::uint64_t offset = 0;
    for (const auto& [name, tensor] : tensors) {
        const std::uint64_t end = offset + tensor.data.size();
        header[name] = {{"dtype", std::string(dtypeName(tensor.dtype))},
                        {"shape", tensor.shape},
                        {"data_offsets", {offset, end}}};
        offset = end;
    }
    if (!metadata.empty()) {
        header["__metadata__"] = metadata;
    }
    std::string text = header.dump(-1, ' ', false, Json::error_handler_t::replace);
    text.append((8 - text.size() % 8) % 8, ' ');

    std::vector<std::uint8_t> out;
    out.reserve(8 + text.size() + offset);
    const std::uint64_t n = text.size();
    for (int i = 0; i < 8; ++i) {
        out.push_back(static_cast<std::uint8_t>(n >> (8 * i)));
    }
    out.insert(out.end(), text.begin(), text.end());
    for (const auto& [name, tensor] : tensors) {
        out.insert(out.end(), tensor.data.begin(), tensor.data.end());
    }
    return out;
}

core::Result<void> writeSafetensors(const std::filesystem::path& path, const StateDict& tensors,
                                    const std::map<std::string, std::string>& metadata) {
    std::vector<std::uint8_t> bytes;
    try {
        bytes = serializeSafetensors(tensors, metadata);
    } catch (const std::bad_alloc&) {
        return core::fail(core::ErrorCode::OutOfMemory,
                          fmt::format("Not enough memory to write '{}'.", path.string()));
    }
    const std::filesystem::path temp = core::temporarySibling(path);
    const auto failWith = [&](int err) {
        std::error_code ignored;
        std::filesystem::remove(temp, ignored);
        return core::fail(core::ErrorCode::Io,
                          fmt::format("Cannot write '{}': {}.", path.string(), std::strerror(err)));
    };
    std::FILE* file = std::fopen(temp.c_str(), "wb");
    if (file == nullptr) {
        return failWith(errno);
    }
    const std::size_t written = std::fwrite(bytes.data(), 1, bytes.size(), file);
    int err = written == bytes.size() ? 0 : errno;
    if (std::fclose(file) != 0 && err == 0) {
        err = errno;
    }
    if (err != 0 || written != bytes.size()) {
        return failWith(err != 0 ? err : EIO);
    }
    std::error_code ec;
    std::filesystem::rename(temp, path, ec);
    if (ec) {
        return failWith(ec.value());
    }
    return {};
}

}  // namespace upscale::models
