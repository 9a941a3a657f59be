#pragma once
// A restricted unpickler for the pickles inside PyTorch checkpoints. It interprets only the
// opcodes a state dict needs and resolves GLOBALs against a fixed allow-list (OrderedDict, the
// tensor rebuilders and the storage classes); it never imports, calls or executes anything a file
// names. Values live in an arena and refer to each other by index, so a hostile pickle can build
// neither deep recursion nor reference cycles that outlive the parse.

#include <cstdint>
#include <functional>
#include <optional>
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

/// One value of the pickle: 16 bytes, so a file of N bytes (at most one value per opcode byte)
/// costs a small multiple of N. What does not fit lives in the arena's side tables, found by
/// `ref`: text (String; Global and Object: "module.name"), items (Tuple, List; a Dict's keys and values
/// alternate), storages and tensors.
struct PickleValue {
    enum class Kind : std::uint8_t {
        None, Bool, Int, Float, String, Tuple, List, Dict, Global, Storage, Tensor,
        Object  ///< an inert class's instance, kept as its class name and nothing else
    };
    static constexpr std::uint32_t kNoRef = 0xffffffffU;
    Kind kind = Kind::None;
    bool shared = false;         ///< memoized or duplicated: referred to from more than one place
    std::uint32_t ref = kNoRef;  ///< into the side table of the kind (kNoRef: empty)
    std::int64_t integer = 0;    ///< Int, Bool; Float as its bits; a storage Global's DType
};

/// The values of one file's pickles, with a budget on the memory they take: a file may build
/// objects in proportion to its size and no more.
class PickleArena {
public:
    using Kind = PickleValue::Kind;

    explicit PickleArena(std::uint64_t budgetBytes = ~std::uint64_t{0}) : m_budget(budgetBytes) {}

    [[nodiscard]] const PickleValue& at(ValueId id) const { return m_values[id]; }
    [[nodiscard]] std::string_view text(ValueId id) const;
    [[nodiscard]] std::span<const ValueId> items(ValueId id) const;
    [[nodiscard]] const StorageRef& storage(ValueId id) const { return m_storages[at(id).ref]; }
    [[nodiscard]] const TensorRef& tensor(ValueId id) const { return m_tensors[at(id).ref]; }
    /// The value stored under a string key of a Dict, if any.
    [[nodiscard]] std::optional<ValueId> dictValue(ValueId dict, std::string_view key) const;

    /// Each add or append fails (false) once the budget is spent; the caller refuses the file.
    [[nodiscard]] std::optional<ValueId> add(PickleValue value);
    [[nodiscard]] std::optional<ValueId> addText(Kind kind, std::string text,
                                                 std::int64_t integer = 0);
    [[nodiscard]] std::optional<ValueId> addFloat(double value);
    [[nodiscard]] std::optional<ValueId> addItems(Kind kind, std::vector<ValueId> items);
    [[nodiscard]] std::optional<ValueId> addStorage(StorageRef storage);
    [[nodiscard]] std::optional<ValueId> addTensor(TensorRef tensor);
    [[nodiscard]] bool append(ValueId container, std::span<const ValueId> items);
    /// Marks a value as referred to from more than one place (the memo, a duplicate).
    void share(ValueId id) { m_values[id].shared = true; }
    /// Drops a value just popped off the stack when nothing else can refer to it: the newest
    /// value, never shared, with nothing in a side table. Pickles that build and drop objects in
    /// a loop then cost nothing.
    void release(ValueId id);
    /// Charges memory held elsewhere on the file's behalf (the memo); false once spent.
    [[nodiscard]] bool charge(std::uint64_t bytes);

private:

    std::vector<PickleValue> m_values;
    std::vector<std::string> m_texts;
    std::vector<std::vector<ValueId>> m_lists;
    std::vector<StorageRef> m_storages;
    std::vector<TensorRef> m_tensors;
    std::uint64_t m_budget;
};

/// Turns a persistent id (a tuple in the arena) into a value, usually a Storage.
using PersistentLoad = std::function<core::Result<ValueId>(PickleArena&, ValueId pid)>;

struct Unpickled {
    ValueId root = 0;
    std::size_t end = 0;  ///< offset just past the STOP opcode
};

/// The memory budget of the pickles in a file of `fileBytes` bytes: a small multiple of its
/// size, above what a real state dict's pickle takes even in a file of nothing else (about 10
/// bytes per byte of pickle).
[[nodiscard]] std::uint64_t pickleBudget(std::uint64_t fileBytes);

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
