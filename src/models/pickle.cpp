#include <array>

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

}  // namespace

core::Result<void> Unpickler::global(std::string module, std::string name) {
    const std::string full = module + "." + name;
    if (full == kOrderedDict || full == kTypingOrderedDict || full == kRebuildTensor ||
        full == kRebuildParameter) {
        push(PickleValue{.kind = Kind::Global, .text = full});
        return {};
    }
    DType dtype = DType::F32;
    if (module == "torch" && storageDType(name, dtype)) {
        push(PickleValue{.kind = Kind::Global, .text = full, .storageType = dtype});
        return {};
    }
    return refused(fmt::format("the Python object '{}'", full));
}

core::Result<ValueId> Unpickler::rebuildTensor(const std::vector<ValueId>& args) {
    // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks
    // [, metadata])
    if (args.size() != 6 && args.size() != 7) {
        return corrupt("a tensor is described with the wrong number of fields");
    }
    const PickleValue& storage = m_arena.at(args[0]);
    const PickleValue& offset = m_arena.at(args[1]);
    auto size = intTuple(args[2]);
    auto stride = intTuple(args[3]);
    if (storage.kind != Kind::Storage || offset.kind != Kind::Int || !size || !stride ||
        size->size() != stride->size()) {
        return corrupt("a tensor's storage, offset, size or stride is malformed");
    }
    PickleValue tensor{.kind = Kind::Tensor};
    tensor.tensor =
        TensorRef{storage.storage, offset.integer, std::move(*size), std::move(*stride)};
    return m_arena.add(std::move(tensor));
}

core::Result<void> Unpickler::reduce() {
    auto argsId = pop();
    auto calleeId = pop();
    if (!argsId || !calleeId) {
        return corrupt("REDUCE with too few items on the stack");
    }
    const PickleValue& callee = m_arena.at(*calleeId);
    const PickleValue& args = m_arena.at(*argsId);
    if (callee.kind != Kind::Global || args.kind != Kind::Tuple) {
        return corrupt("REDUCE on something that is not an allowed callable");
    }
    const std::vector<ValueId> items = args.items;
    if (callee.text == kOrderedDict || callee.text == kTypingOrderedDict) {
        if (!items.empty()) {
            return corrupt("an OrderedDict is built with arguments");
        }
        push(PickleValue{.kind = Kind::Dict});
        return {};
    }
    if (callee.text == kRebuildTensor) {
        auto tensor = rebuildTensor(items);
        if (!tensor) {
            return tl::unexpected(tensor.error());
        }
        m_stack.push_back(*tensor);
        return {};
    }
    if (callee.text == kRebuildParameter) {
        // A Parameter is its data tensor plus autograd flags we have no use for.
        if (items.size() != 3 || m_arena.at(items[0]).kind != Kind::Tensor) {
            return corrupt("a parameter does not wrap a tensor");
        }
        m_stack.push_back(items[0]);
        return {};
    }
    return refused(fmt::format("a call to '{}'", callee.text));
}

core::Result<void> Unpickler::setItems(ValueId dict, const std::vector<ValueId>& kv) {
    if (m_arena.at(dict).kind != Kind::Dict || kv.size() % 2 != 0) {
        return corrupt("SETITEMS on something that is not a dictionary");
    }
    for (std::size_t i = 0; i < kv.size(); i += 2) {
        m_arena.values[dict].entries.emplace_back(kv[i], kv[i + 1]);
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
