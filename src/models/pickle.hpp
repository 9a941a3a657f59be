#pragma once
// A restricted unpickler for the pickles inside PyTorch checkpoints. It interprets only the
// opcodes a state dict needs and resolves GLOBALs against a fixed allow-list (OrderedDict, the
// tensor rebuilders and the storage classes); it never imports, calls or executes anything a file
// names. Values live in an arena and refer to each other by index, so a hostile pickle can build
// neither deep recursion nor reference cycles that outlive the parse.

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "upscale/core/error.hpp"
#include "upscale/models/state_dict.hpp"

namespace upscale::models::detail {

using ValueId = std::size_t;

/// Where a tensor's elements are: a storage (by its key in the file) of `numel` elements.
struct StorageRef {
    std::string key;
    DType dtype = DType::F32;
    std::int64_t numel = 0;
};

struct TensorRef {
    StorageRef storage;
    std::int64_t offset = 0;  ///< in elements
    std::vector<std::int64_t> size;
    std::vector<std::int64_t> stride;  ///< in elements
};

struct PickleValue {
    enum class Kind { None, Bool, Int, Float, String, Tuple, List, Dict, Global, Storage, Tensor };
    Kind kind = Kind::None;
    std::int64_t integer = 0;  ///< Int, Bool
    double real = 0.0;
    std::string text;                                  ///< String; Global: "module.name"
    std::vector<ValueId> items;                        ///< Tuple, List
    std::vector<std::pair<ValueId, ValueId>> entries;  ///< Dict, in insertion order
    DType storageType = DType::F32;                    ///< Global of a storage class
    StorageRef storage;                                ///< Storage
    TensorRef tensor;                                  ///< Tensor
};

struct PickleArena {
    std::vector<PickleValue> values;

    [[nodiscard]] const PickleValue& at(ValueId id) const { return values[id]; }
    ValueId add(PickleValue value) {
        values.push_back(std::move(value));
        return values.size() - 1;
    }
};

/// Turns a persistent id (a tuple in the arena) into a value, usually a Storage.
using PersistentLoad = std::function<core::Result<ValueId>(PickleArena&, ValueId pid)>;

struct Unpickled {
    ValueId root = 0;
    std::size_t end = 0;  ///< offset just past the STOP opcode
};

/// Interprets one pickle starting at `start`. CorruptFile for malformed or truncated data;
/// UnsupportedFormat naming the GLOBAL or opcode when the pickle asks for anything outside the
/// allow-list.
[[nodiscard]] core::Result<Unpickled> unpickle(std::span<const std::uint8_t> bytes,
                                               std::size_t start, PickleArena& arena,
                                               const PersistentLoad& persistentLoad,
                                               std::string_view source);

/// The dtype of a storage class name such as "FloatStorage"; false for other names.
[[nodiscard]] bool storageDType(std::string_view className, DType& dtype);

}  // namespace upscale::models::detail
