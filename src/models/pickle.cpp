#include <algorithm>
#include <array>
#include <bit>

#include "pickle_machine.hpp"

namespace upscale::models::detail {

namespace {

using Kind = PickleValue::Kind;

struct StorageClass {
    std::string_view name;
    DType dtype;
};

constexpr std::array<StorageClass, 10> kStorageClasses = {{
    {"FloatStorage", DType::F32},
    {"HalfStorage", DType::F16},
    {"BFloat16Storage", DType::BF16},
    {"DoubleStorage", DType::F64},
    {"LongStorage", DType::I64},
    {"IntStorage", DType::I32},
    {"ShortStorage", DType::I16},
    {"CharStorage", DType::I8},
    {"ByteStorage", DType::U8},
    {"BoolStorage", DType::Bool},
}};

// The callables a state dict needs. Anything else a pickle names is refused before it is used.
constexpr std::string_view kOrderedDict = "collections.OrderedDict";
constexpr std::string_view kTypingOrderedDict = "typing.OrderedDict";
constexpr std::string_view kRebuildTensor = "torch._utils._rebuild_tensor_v2";
constexpr std::string_view kRebuildParameter = "torch._utils._rebuild_parameter";

// Classes whose instances training tools leave beside the weights (options, numpy numbers and
// arrays, version strings). They are allowed only as inert placeholders: never constructed,
// never called, and skipped when the weights are collected.
constexpr std::array<std::string_view, 6> kInertClasses = {
    "argparse.Namespace",
    "numpy.core.multiarray.scalar",
    "numpy.core.multiarray._reconstruct",
    "numpy.dtype",
    "numpy.ndarray",
    "torch.torch_version.TorchVersion",
};

bool isInert(std::string_view name) {
    return std::find(kInertClasses.begin(), kInertClasses.end(), name) != kInertClasses.end();
}

/// What one entry of a side table costs beyond its payload (a vector's or a string's header,
/// and the slack of the vectors holding them).
constexpr std::uint64_t kEntryOverhead = 48;

/// A value, with the slack of the vector that holds it.
constexpr std::uint64_t kValueCost = 2 * sizeof(PickleValue);

}  // namespace

std::uint64_t pickleBudget(std::uint64_t fileBytes) {
    return 16 * fileBytes + (std::uint64_t{1} << 20);
}

void PickleArena::release(ValueId id) {
    const PickleValue& v = m_values[id];
    if (id + 1 == m_values.size() && !v.shared && v.ref == PickleValue::kNoRef) {
        m_values.pop_back();
        m_budget += kValueCost;
    }
}

bool PickleArena::charge(std::uint64_t bytes) {
    if (bytes > m_budget) {
        m_budget = 0;
        return false;
    }
    m_budget -= bytes;
    return true;
}

std::string_view PickleArena::text(ValueId id) const {
    const PickleValue& v = at(id);
    const bool hasText = v.kind == Kind::String || v.kind == Kind::Global || v.kind == Kind::Object;
    return !hasText || v.ref == PickleValue::kNoRef ? std::string_view()
                                                    : std::string_view(m_texts[v.ref]);
}

std::span<const ValueId> PickleArena::items(ValueId id) const {
    const PickleValue& v = at(id);
    const bool hasItems = v.kind == Kind::Tuple || v.kind == Kind::List || v.kind == Kind::Dict;
    return !hasItems || v.ref == PickleValue::kNoRef ? std::span<const ValueId>()
                                                     : std::span<const ValueId>(m_lists[v.ref]);
}

std::optional<ValueId> PickleArena::dictValue(ValueId dict, std::string_view key) const {
    const auto kv = items(dict);
    for (std::size_t i = 0; i + 1 < kv.size(); i += 2) {
        if (at(kv[i]).kind == Kind::String && text(kv[i]) == key) {
            return kv[i + 1];
        }
    }
    return std::nullopt;
}

std::optional<ValueId> PickleArena::add(PickleValue value) {
    if (m_values.size() >= PickleValue::kNoRef || !charge(kValueCost)) {
        return std::nullopt;
    }
    m_values.push_back(value);
    return m_values.size() - 1;
}

std::optional<ValueId> PickleArena::addText(Kind kind, std::string text, std::int64_t integer) {
    if (!charge(kEntryOverhead + text.size())) {
        return std::nullopt;
    }
    m_texts.push_back(std::move(text));
    return add(PickleValue{.kind = kind,
                           .ref = static_cast<std::uint32_t>(m_texts.size() - 1),
                           .integer = integer});
}

std::optional<ValueId> PickleArena::addFloat(double value) {
    return add(PickleValue{.kind = Kind::Float, .integer = std::bit_cast<std::int64_t>(value)});
}

std::optional<ValueId> PickleArena::addItems(Kind kind, std::vector<ValueId> items) {
    if (items.empty()) {
        return add(PickleValue{.kind = kind});
    }
    if (!charge(kEntryOverhead + 2 * sizeof(ValueId) * items.size())) {
        return std::nullopt;
    }
    m_lists.push_back(std::move(items));
    return add(PickleValue{.kind = kind, .ref = static_cast<std::uint32_t>(m_lists.size() - 1)});
}

bool PickleArena::append(ValueId container, std::span<const ValueId> items) {
    if (items.empty()) {
        return true;
    }
    if (!charge(2 * sizeof(ValueId) * items.size())) {
        return false;
    }
    PickleValue& v = m_values[container];
    if (v.ref == PickleValue::kNoRef) {
        if (!charge(kEntryOverhead)) {
            return false;
        }
        m_lists.emplace_back();
        v.ref = static_cast<std::uint32_t>(m_lists.size() - 1);
    }
    auto& list = m_lists[v.ref];
    list.insert(list.end(), items.begin(), items.end());
    return true;
}

std::optional<ValueId> PickleArena::addStorage(StorageRef storage) {
    if (!charge(kEntryOverhead + sizeof(StorageRef) + storage.key.size())) {
        return std::nullopt;
    }
    m_storages.push_back(std::move(storage));
    return add(PickleValue{.kind = Kind::Storage,
                           .ref = static_cast<std::uint32_t>(m_storages.size() - 1)});
}

std::optional<ValueId> PickleArena::addTensor(TensorRef tensor) {
    const std::uint64_t dims = tensor.size.size() + tensor.stride.size();
    if (!charge(kEntryOverhead + sizeof(TensorRef) + tensor.storage.key.size() +
                dims * sizeof(std::int64_t))) {
        return std::nullopt;
    }
    m_tensors.push_back(std::move(tensor));
    return add(PickleValue{.kind = Kind::Tensor,
                           .ref = static_cast<std::uint32_t>(m_tensors.size() - 1)});
}

core::Result<void> Unpickler::global(std::string_view module, std::string_view name) {
    if (module.size() + name.size() > kMaxGlobalName) {
        return refused(fmt::format("the Python object '{}.{}'", module.substr(0, kMaxGlobalName),
                                   name.substr(0, kMaxGlobalName)));
    }
    std::string full = fmt::format("{}.{}", module, name);
    if (full == kOrderedDict || full == kTypingOrderedDict || full == kRebuildTensor ||
        full == kRebuildParameter || isInert(full)) {
        return pushed(m_arena.addText(Kind::Global, std::move(full)));
    }
    DType dtype = DType::F32;
    if (module == "torch" && storageDType(name, dtype)) {
        return pushed(
            m_arena.addText(Kind::Global, std::move(full), static_cast<std::int64_t>(dtype)));
    }
    return refusedGlobal(module, name);
}

tl::unexpected<core::Error> Unpickler::refusedGlobal(std::string_view module,
                                                     std::string_view name) const {
    // Every pickled torch.nn.Module carries its submodules and parameters under these names.
    const std::string_view all(reinterpret_cast<const char*>(m_bytes.data()), m_bytes.size());
    const bool wholeModule = module.starts_with("torch.nn.modules") ||
                             (all.find("_parameters") != std::string_view::npos &&
                              all.find("_modules") != std::string_view::npos);
    if (wholeModule) {
        return core::fail(core::ErrorCode::UnsupportedFormat,
                          fmt::format("'{}' holds a whole pickled PyTorch module (class '{}.{}') "
                                      "rather than its weights; it was refused and nothing in the "
                                      "file was run. Load it in PyTorch and save the module's "
                                      "state_dict() with torch.save.",
                                      m_source, module, name));
    }
    return refused(fmt::format("the Python object '{}.{}'", module, name));
}

core::Result<void> Unpickler::inertObject(ValueId cls) {
    if (m_arena.at(cls).kind != Kind::Global || !isInert(m_arena.text(cls))) {
        return refused("building an object");
    }
    return pushed(m_arena.addText(Kind::Object, std::string(m_arena.text(cls))));
}

core::Result<void> Unpickler::rebuildTensor(std::span<const ValueId> args) {
    // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks
    // [, metadata])
    if (args.size() != 6 && args.size() != 7) {
        return corrupt("a tensor is described with the wrong number of fields");
    }
    const ValueId storage = args[0];
    const PickleValue& offset = m_arena.at(args[1]);
    if (m_arena.items(args[2]).size() > kMaxDims || m_arena.items(args[3]).size() > kMaxDims) {
        return corrupt(fmt::format("a tensor has more than {} dimensions", kMaxDims));
    }
    auto size = intTuple(args[2]);
    auto stride = intTuple(args[3]);
    if (m_arena.at(storage).kind != Kind::Storage || offset.kind != Kind::Int || !size ||
        !stride || size->size() != stride->size()) {
        return corrupt("a tensor's storage, offset, size or stride is malformed");
    }
    return pushed(m_arena.addTensor(
        TensorRef{m_arena.storage(storage), offset.integer, std::move(*size), std::move(*stride)}));
}

core::Result<void> Unpickler::reduce() {
    auto argsId = pop();
    auto calleeId = pop();
    if (!argsId || !calleeId) {
        return corrupt("REDUCE with too few items on the stack");
    }
    if (m_arena.at(*calleeId).kind != Kind::Global || m_arena.at(*argsId).kind != Kind::Tuple) {
        return corrupt("REDUCE on something that is not an allowed callable");
    }
    const std::string_view callee = m_arena.text(*calleeId);
    const std::span<const ValueId> items = m_arena.items(*argsId);
    if (callee == kOrderedDict || callee == kTypingOrderedDict) {
        if (!items.empty()) {
            return corrupt("an OrderedDict is built with arguments");
        }
        return pushed(m_arena.add(PickleValue{.kind = Kind::Dict}));
    }
    if (callee == kRebuildTensor) {
        return rebuildTensor(items);
    }
    if (isInert(callee)) {
        return inertObject(*calleeId);
    }
    if (callee == kRebuildParameter) {
        // A Parameter is its data tensor plus autograd flags we have no use for.
        if (items.size() != 3 || m_arena.at(items[0]).kind != Kind::Tensor) {
            return corrupt("a parameter does not wrap a tensor");
        }
        m_stack.push_back(items[0]);
        return {};
    }
    return refused(fmt::format("a call to '{}'", callee));
}

core::Result<void> Unpickler::setItems(ValueId dict, std::span<const ValueId> kv) {
    if (m_arena.at(dict).kind != Kind::Dict || kv.size() % 2 != 0) {
        return corrupt("SETITEMS on something that is not a dictionary");
    }
    if (!m_arena.append(dict, kv)) {
        return exhausted();
    }
    return {};
}

core::Result<Unpickled> Unpickler::run() {
    for (;;) {
        auto op = u8();
        if (!op) {
            return corrupt("the pickled data ends without a STOP");
        }
        bool stop = false;
        if (auto stepped = step(*op, stop); !stepped) {
            return tl::unexpected(stepped.error());
        }
        if (stop) {
            return Unpickled{m_stack.back(), m_pos};
        }
    }
}

bool storageDType(std::string_view className, DType& dtype) {
    for (const StorageClass& c : kStorageClasses) {
        if (c.name == className) {
            dtype = c.dtype;
            return true;
        }
    }
    return false;
}

core::Result<Unpickled> unpickle(std::span<const std::uint8_t> bytes, std::size_t start,
                                 PickleArena& arena, const PersistentLoad& persistentLoad,
                                 std::string_view source) {
    if (start > bytes.size()) {
        return core::fail(core::ErrorCode::CorruptFile,
                          fmt::format("'{}' is damaged: it ends before its data. Download the "
                                      "model again.",
                                      source));
    }
    return Unpickler(bytes, start, arena, persistentLoad, source).run();
}

}  // namespace upscale::models::detail
