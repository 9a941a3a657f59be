#include "upscale/models/pytorch.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <map>
#include <new>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "arch_detail.hpp"
#include "file_bytes.hpp"
#include "pickle.hpp"
#include "upscale/core/logging.hpp"
#include "zip_reader.hpp"

namespace upscale::models {

namespace {

using detail::PickleArena;
using detail::PickleValue;
using detail::StorageRef;
using detail::TensorRef;
using detail::ValueId;
using Kind = PickleValue::Kind;

// torch.save's legacy files open with two tiny pickles: the magic number and protocol 1001.
constexpr std::array<std::uint8_t, 15> kLegacyMagic = {
    0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19, 0x2E};
constexpr std::array<std::uint8_t, 6> kLegacyProtocol = {0x80, 0x02, 0x4D, 0xE9, 0x03, 0x2E};
constexpr std::array<std::uint8_t, 4> kZipMagic = {'P', 'K', 0x03, 0x04};

// Where the training tools put the weights, most wanted first (the EMA weights are the ones
// their own inference code uses).
constexpr std::array<std::string_view, 7> kWrappers = {
    "model_state_dict", "state_dict", "params_ema", "params-ema", "params", "model", "net"};

/// No sane element count comes near this; it keeps every product below in 64 bits.
constexpr std::int64_t kMaxElements = std::int64_t{1} << 40;
/// torch.save names storages by small numbers; legacy files by a number or an address.
constexpr std::size_t kMaxStorageKey = 64;

tl::unexpected<core::Error> corruptPytorch(std::string_view source, std::string_view what) {
    return core::fail(core::ErrorCode::CorruptFile,
                      fmt::format("'{}' is a damaged or truncated PyTorch file: {}. Download the "
                                  "model again.",
                                  source, what));
}

bool startsWith(std::span<const std::uint8_t> bytes, std::span<const std::uint8_t> prefix) {
    return bytes.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), bytes.begin());
}

/// Storages the pickle referred to, by key, with the dtype and size it claimed for each.
using StorageTable = std::map<std::string, StorageRef, std::less<>>;

/// The persistent-id tuple ('storage', <storage class>, key, location, numel[, view]).
core::Result<ValueId> loadStorage(PickleArena& arena, ValueId pid, StorageTable& table,
                                  std::string_view source, bool legacy) {
    const auto items = arena.items(pid);
    const std::size_t fields = legacy ? 6 : 5;
    if (arena.at(pid).kind != Kind::Tuple || items.size() != fields) {
        return corruptPytorch(source, "a storage reference is malformed");
    }
    const PickleValue& tag = arena.at(items[0]);
    const PickleValue& type = arena.at(items[1]);
    const PickleValue& key = arena.at(items[2]);
    const PickleValue& numel = arena.at(items[4]);
    if (tag.kind != Kind::String || arena.text(items[0]) != "storage" ||
        type.kind != Kind::Global || !arena.text(items[1]).ends_with("Storage") ||
        key.kind != Kind::String || arena.text(items[2]).size() > kMaxStorageKey ||
        numel.kind != Kind::Int || numel.integer < 0 || numel.integer > kMaxElements) {
        return corruptPytorch(source, "a storage reference is malformed");
    }
    if (legacy && arena.at(items[5]).kind != Kind::None) {
        return core::fail(core::ErrorCode::UnsupportedFormat,
                          fmt::format("'{}' uses storage views from a very old PyTorch. Load it "
                                      "in PyTorch and save its state_dict() again.",
                                      source));
    }
    StorageRef ref{std::string(arena.text(items[2])), static_cast<DType>(type.integer),
                   numel.integer};
    const auto [it, added] = table.emplace(ref.key, ref);
    if (!added && (it->second.dtype != ref.dtype || it->second.numel != ref.numel)) {
        return corruptPytorch(source,
                              fmt::format("storage '{}' is described two different ways", ref.key));
    }
    auto value = arena.addStorage(std::move(ref));
    if (!value) {
        return corruptPytorch(source,
                              "its pickled data builds more objects than a file of its size holds");
    }
    return *value;
}

/// The string keys of a dict's entries, but for `except`.
void addKeys(const PickleArena& arena, ValueId dict, ValueId except,
             std::vector<std::string>& keys) {
    const auto kv = arena.items(dict);
    for (std::size_t i = 0; i + 1 < kv.size(); i += 2) {
        if (kv[i + 1] != except && arena.at(kv[i]).kind == Kind::String) {
            keys.emplace_back(arena.text(kv[i]));
        }
    }
}

/// The dict holding the weights, after unwrapping what training tools wrap them in; the entries
/// left beside it (training options, counters) are added to `others`.
core::Result<ValueId> findStateDict(const PickleArena& arena, ValueId root, std::string_view source,
                                    std::vector<std::string>& others) {
    ValueId dict = root;
    if (arena.at(dict).kind != Kind::Dict) {
        return core::fail(core::ErrorCode::UnsupportedFormat,
                          fmt::format("'{}' holds no dictionary of weights. Save the model's "
                                      "state_dict() with torch.save.",
                                      source));
    }
    for (const std::string_view wrapper : kWrappers) {
        const auto inner = arena.dictValue(dict, wrapper);
        if (inner && arena.at(*inner).kind == Kind::Dict) {
            addKeys(arena, dict, *inner, others);
            dict = *inner;
            break;
        }
    }
    if (const auto kv = arena.items(dict); kv.size() == 2 && arena.at(kv[1]).kind == Kind::Dict) {
        dict = kv[1];
    }
    return dict;
}

/// Copies a strided view out of its storage into a contiguous tensor, checking every index.
core::Result<Tensor> materialize(const TensorRef& ref, std::span<const std::uint8_t> storage,
                                 std::string_view name, std::string_view source,
                                 std::uint64_t& budget) {
    const auto bad = [&](std::string_view why) {
        return corruptPytorch(source, fmt::format("tensor '{}' {}", name, why));
    };
    if (ref.offset < 0 || ref.offset > kMaxElements) {
        return bad("starts outside its storage");
    }
    std::int64_t numel = 1;
    std::int64_t last = ref.offset;  // the highest element index the view touches
    for (std::size_t d = 0; d < ref.size.size(); ++d) {
        const std::int64_t size = ref.size[d];
        const std::int64_t stride = ref.stride[d];
        if (size < 0 || stride < 0 || size > kMaxElements || stride > kMaxElements) {
            return bad("has a negative or absurd size or stride");
        }
        if (size > 0 && numel > kMaxElements / size) {
            return bad("is absurdly large");
        }
        numel *= size;
        if (size > 1 && stride > kMaxElements / (size - 1)) {
            return bad("has an absurd stride");
        }
        if (size > 0) {
            last += (size - 1) * stride;
        }
        if (last > kMaxElements) {
            return bad("reaches absurdly far into its storage");
        }
    }
    if ((numel > 0 && last >= ref.storage.numel) || numel > ref.storage.numel) {
        return bad(
            fmt::format("reaches past the end of its storage ({} elements)", ref.storage.numel));
    }
    const std::size_t item = dtypeSize(ref.storage.dtype);
    const auto bytes = static_cast<std::uint64_t>(numel) * item;
    if (bytes > budget) {
        return bad("repeats more data than the file holds");
    }
    budget -= bytes;
    Tensor out{ref.storage.dtype, ref.size, std::vector<std::uint8_t>(bytes)};
    // Walk the elements in row-major order; contiguous runs of the last dimension are copied
    // whole.
    const std::size_t dims = ref.size.size();
    const std::int64_t inner = dims == 0 ? 1 : ref.size.back();
    const bool innerContiguous = dims == 0 || ref.stride.back() == 1;
    std::vector<std::int64_t> index(dims, 0);
    std::uint8_t* dst = out.data.data();
    for (std::int64_t done = 0; done < numel; done += inner) {
        std::int64_t base = ref.offset;
        for (std::size_t d = 0; d + 1 < dims; ++d) {
            base += index[d] * ref.stride[d];
        }
        if (innerContiguous) {
            std::memcpy(dst, storage.data() + base * item, inner * item);
            dst += inner * item;
        } else {
            for (std::int64_t i = 0; i < inner; ++i) {
                std::memcpy(dst, storage.data() + (base + i * ref.stride.back()) * item, item);
                dst += item;
            }
        }
        for (std::size_t d = dims >= 1 ? dims - 1 : 0; d-- > 0;) {
            if (++index[d] < ref.size[d]) {
                break;
            }
            index[d] = 0;
        }
    }
    return out;
}

/// The tensors of the unwrapped state dict, each copied out of its storage.
core::Result<StateDict> collectTensors(
    const PickleArena& arena, ValueId root,
    const std::map<std::string, std::span<const std::uint8_t>, std::less<>>& storages,
    std::uint64_t budget, std::string_view source) {
    std::vector<std::string> others;
    auto dict = findStateDict(arena, root, source, others);
    if (!dict) {
        return tl::unexpected(dict.error());
    }
    StateDict out;
    const auto kv = arena.items(*dict);
    for (std::size_t i = 0; i + 1 < kv.size(); i += 2) {
        if (arena.at(kv[i]).kind != Kind::String) {
            continue;
        }
        const std::string key(arena.text(kv[i]));
        if (arena.at(kv[i + 1]).kind != Kind::Tensor) {
            others.push_back(key);
            continue;
        }
        const TensorRef& ref = arena.tensor(kv[i + 1]);
        const auto storage = storages.find(ref.storage.key);
        if (storage == storages.end()) {
            return corruptPytorch(source, fmt::format("the data of tensor '{}' is missing", key));
        }
        auto tensor = materialize(ref, storage->second, key, source, budget);
        if (!tensor) {
            return tl::unexpected(tensor.error());
        }
        out.insert_or_assign(key, std::move(*tensor));
    }
    if (!out.empty() && !others.empty()) {
        core::logger("models")->debug("'{}': skipped {} entries that are not weights: {}", source,
                                      others.size(), detail::listSome(others, 5));
    }
    if (out.empty()) {
        return core::fail(
            core::ErrorCode::UnsupportedFormat,
            fmt::format("'{}' holds no weights (entries: {}). Save the model's "
                        "state_dict() with torch.save.",
                        source,
                        others.empty() ? std::string("none") : detail::listSome(others, 5)));
    }
    return out;
}

std::uint64_t budgetFor(std::span<const std::uint8_t> bytes) {
    // Tied weights may share a storage, so allow some repetition, but never enough for a small
    // file to demand gigabytes.
    return 2 * static_cast<std::uint64_t>(bytes.size()) + (1U << 16);
}

core::Result<StateDict> parseZip(std::span<const std::uint8_t> bytes, std::string_view source) {
    auto zip = detail::readZip(bytes, source);
    if (!zip) {
        return tl::unexpected(zip.error());
    }
    const std::size_t slash = zip->firstName.find('/');
    if (slash == std::string::npos) {
        return core::fail(core::ErrorCode::UnsupportedFormat,
                          fmt::format("'{}' is a zip archive but not a PyTorch file (its entries "
                                      "are not in one folder).",
                                      source));
    }
    const std::string prefix = zip->firstName.substr(0, slash + 1);
    const bool hasCode =
        std::any_of(zip->compressed.begin(), zip->compressed.end(),
                    [&](const std::string& name) { return name.starts_with(prefix + "code/"); });
    if (zip->entries.contains(prefix + "constants.pkl") || hasCode) {
        return core::fail(core::ErrorCode::UnsupportedFormat,
                          fmt::format("'{}' is a TorchScript program (torch.jit.save), not a "
                                      "state dict; programs are not loaded because they run code. "
                                      "Load it in PyTorch and save the model's state_dict() with "
                                      "torch.save instead.",
                                      source));
    }
    if (!zip->compressed.empty()) {
        return core::fail(core::ErrorCode::UnsupportedFormat,
                          fmt::format("'{}' holds a compressed entry '{}'; PyTorch files store "
                                      "their entries uncompressed. Save the model again with "
                                      "torch.save, or unzip and re-zip it without compression.",
                                      source, zip->compressed.front()));
    }
    const auto pkl = zip->entries.find(prefix + "data.pkl");
    if (pkl == zip->entries.end()) {
        return corruptPytorch(source, "it has no data.pkl");
    }
    if (const auto order = zip->entries.find(prefix + "byteorder"); order != zip->entries.end()) {
        const std::string_view text(reinterpret_cast<const char*>(order->second.data()),
                                    order->second.size());
        if (text != "little") {
            return core::fail(core::ErrorCode::UnsupportedFormat,
                              fmt::format("'{}' was saved on a big-endian machine; load and "
                                          "save it again on a little-endian one.",
                                          source));
        }
    }
    StorageTable table;
    PickleArena arena(detail::pickleBudget(bytes.size()));
    const detail::PersistentLoad load = [&](PickleArena& a, ValueId pid) {
        return loadStorage(a, pid, table, source, /*legacy=*/false);
    };
    auto root = detail::unpickle(pkl->second, 0, arena, load, source);
    if (!root) {
        return tl::unexpected(root.error());
    }
    std::map<std::string, std::span<const std::uint8_t>, std::less<>> storages;
    for (const auto& [key, ref] : table) {
        const auto record = zip->entries.find(prefix + "data/" + key);
        if (record == zip->entries.end()) {
            return corruptPytorch(source, fmt::format("the storage '{}' is missing", key));
        }
        if (record->second.size() / dtypeSize(ref.dtype) < static_cast<std::uint64_t>(ref.numel)) {
            return corruptPytorch(source,
                                  fmt::format("the storage '{}' is shorter than it claims", key));
        }
        storages.emplace(key, record->second);
    }
    return collectTensors(arena, root->root, storages, budgetFor(bytes), source);
}

core::Result<StateDict> parseLegacy(std::span<const std::uint8_t> bytes, std::string_view source) {
    if (!startsWith(bytes.subspan(kLegacyMagic.size()), kLegacyProtocol)) {
        return core::fail(core::ErrorCode::UnsupportedFormat,
                          fmt::format("'{}' is a legacy PyTorch file of an unknown protocol "
                                      "version. Load it in PyTorch and save it again.",
                                      source));
    }
    PickleArena arena(detail::pickleBudget(bytes.size()));
    std::size_t pos = kLegacyMagic.size() + kLegacyProtocol.size();
    auto sysInfo = detail::unpickle(bytes, pos, arena, nullptr, source);
    if (!sysInfo) {
        return tl::unexpected(sysInfo.error());
    }
    StorageTable table;
    const detail::PersistentLoad load = [&](PickleArena& a, ValueId pid) {
        return loadStorage(a, pid, table, source, /*legacy=*/true);
    };
    auto root = detail::unpickle(bytes, sysInfo->end, arena, load, source);
    if (!root) {
        return tl::unexpected(root.error());
    }
    auto keys = detail::unpickle(bytes, root->end, arena, nullptr, source);
    if (!keys) {
        return tl::unexpected(keys.error());
    }
    if (arena.at(keys->root).kind != Kind::List) {
        return corruptPytorch(source, "its list of storages is malformed");
    }
    // After the pickles: for each listed key, an int64 element count and the raw elements.
    std::map<std::string, std::span<const std::uint8_t>, std::less<>> storages;
    pos = keys->end;
    for (const ValueId id : arena.items(keys->root)) {
        const std::string key(arena.text(id));
        const auto ref = arena.at(id).kind == Kind::String ? table.find(key) : table.end();
        if (ref == table.end()) {
            return corruptPytorch(source, "it lists a storage no tensor uses");
        }
        if (bytes.size() - pos < 8) {
            return corruptPytorch(source, fmt::format("the storage '{}' is cut short", key));
        }
        const std::uint64_t numel = detail::loadU64(bytes.data() + pos);
        pos += 8;
        const std::size_t item = dtypeSize(ref->second.dtype);
        if (numel != static_cast<std::uint64_t>(ref->second.numel) ||
            (bytes.size() - pos) / item < numel) {
            return corruptPytorch(
                source, fmt::format("the storage '{}' is cut short or the wrong size", key));
        }
        storages.emplace(key, bytes.subspan(pos, numel * item));
        pos += numel * item;
    }
    return collectTensors(arena, root->root, storages, budgetFor(bytes), source);
}

}  // namespace

bool looksLikePytorch(std::span<const std::uint8_t> bytes) {
    return startsWith(bytes, kZipMagic) || startsWith(bytes, kLegacyMagic);
}

core::Result<StateDict> parsePytorch(std::span<const std::uint8_t> bytes, std::string_view source) {
    try {
        if (startsWith(bytes, kZipMagic)) {
            return parseZip(bytes, source);
        }
        if (startsWith(bytes, kLegacyMagic)) {
            return parseLegacy(bytes, source);
        }
    } catch (const std::bad_alloc&) {
        return core::fail(core::ErrorCode::OutOfMemory,
                          fmt::format("'{}' is too large to load into memory.", source));
    }
    return core::fail(core::ErrorCode::UnsupportedFormat,
                      fmt::format("'{}' is not a PyTorch file (neither the zip nor the legacy "
                                  "format).",
                                  source));
}

core::Result<StateDict> readPytorch(const std::filesystem::path& path) {
    auto bytes = detail::readFileBytes(path);
    if (!bytes) {
        return tl::unexpected(bytes.error());
    }
    return parsePytorch(*bytes, path.string());
}

}  // namespace upscale::models
