#include "pickle.hpp"

#include <array>
#include <bit>
#include <cstring>
#include <limits>
#include <optional>
#include <unordered_map>

#include <fmt/format.h>

#include "file_bytes.hpp"

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

/// A Python-era text pickle can hold at most this much nesting of MARKs before it is absurd.
constexpr std::size_t kMaxMarks = 4096;

class Unpickler {
public:
    Unpickler(std::span<const std::uint8_t> bytes, std::size_t pos, PickleArena& arena,
              const PersistentLoad& persistentLoad, std::string_view source)
        : m_bytes(bytes),
          m_pos(pos),
          m_arena(arena),
          m_persistentLoad(persistentLoad),
          m_source(source) {}

    core::Result<Unpickled> run();

private:
    tl::unexpected<core::Error> corrupt(std::string_view what) const {
        return core::fail(core::ErrorCode::CorruptFile,
                          fmt::format("'{}' is damaged: {} (at byte {}). Download the model "
                                      "again, or convert it with the tool that made it.",
                                      m_source, what, m_pos));
    }
    tl::unexpected<core::Error> refused(std::string_view what) const {
        return core::fail(core::ErrorCode::UnsupportedFormat,
                          fmt::format("'{}' asks for {}, which a model file has no need of; it "
                                      "was refused and nothing in the file was run. Only plain "
                                      "weights (state dicts) can be loaded.",
                                      m_source, what));
    }

    bool need(std::size_t n) const { return n <= m_bytes.size() - m_pos; }
    std::optional<std::uint8_t> u8() {
        if (!need(1)) {
            return std::nullopt;
        }
        return m_bytes[m_pos++];
    }
    std::optional<std::uint32_t> u32() {
        if (!need(4)) {
            return std::nullopt;
        }
        const std::uint32_t v = loadU32(m_bytes.data() + m_pos);
        m_pos += 4;
        return v;
    }
    std::optional<std::string> take(std::uint64_t n) {
        if (n > m_bytes.size() - m_pos) {
            return std::nullopt;
        }
        std::string s(reinterpret_cast<const char*>(m_bytes.data() + m_pos), n);
        m_pos += n;
        return s;
    }
    std::optional<std::string> line() {
        const auto* begin = m_bytes.data() + m_pos;
        const auto* end = m_bytes.data() + m_bytes.size();
        const auto* nl = static_cast<const std::uint8_t*>(std::memchr(begin, '\n', end - begin));
        if (nl == nullptr) {
            return std::nullopt;
        }
        std::string s(reinterpret_cast<const char*>(begin), nl - begin);
        m_pos += (nl - begin) + 1;
        return s;
    }

    ValueId push(PickleValue v) {
        const ValueId id = m_arena.add(std::move(v));
        m_stack.push_back(id);
        return id;
    }
    ValueId pushInt(std::int64_t v) { return push(PickleValue{.kind = Kind::Int, .integer = v}); }

    std::optional<ValueId> pop() {
        if (m_stack.size() <= floor()) {
            return std::nullopt;
        }
        const ValueId id = m_stack.back();
        m_stack.pop_back();
        return id;
    }
    std::size_t floor() const { return m_marks.empty() ? 0 : m_marks.back(); }
    /// Items since the last MARK, which is removed.
    std::optional<std::vector<ValueId>> popMark() {
        if (m_marks.empty()) {
            return std::nullopt;
        }
        const std::size_t mark = m_marks.back();
        m_marks.pop_back();
        std::vector<ValueId> items(m_stack.begin() + static_cast<std::ptrdiff_t>(mark),
                                   m_stack.end());
        m_stack.resize(mark);
        return items;
    }

    core::Result<void> global(std::string module, std::string name);
    core::Result<void> reduce();
    core::Result<ValueId> rebuildTensor(const std::vector<ValueId>& args);
    core::Result<void> setItems(ValueId dict, const std::vector<ValueId>& kv);
    core::Result<void> step(std::uint8_t op, bool& stop);

    std::optional<std::vector<std::int64_t>> intTuple(ValueId id) const {
        const PickleValue& v = m_arena.at(id);
        if (v.kind != Kind::Tuple) {
            return std::nullopt;
        }
        std::vector<std::int64_t> out;
        for (const ValueId item : v.items) {
            if (m_arena.at(item).kind != Kind::Int) {
                return std::nullopt;
            }
            out.push_back(m_arena.at(item).integer);
        }
        return out;
    }

    std::span<const std::uint8_t> m_bytes;
    std::size_t m_pos;
    PickleArena& m_arena;
    const PersistentLoad& m_persistentLoad;
    std::string_view m_source;
    std::vector<ValueId> m_stack;
    std::vector<std::size_t> m_marks;
    std::unordered_map<std::uint32_t, ValueId> m_memo;
};

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

core::Result<void> Unpickler::step(std::uint8_t op, bool& stop) {
    const auto truncated = [this] { return corrupt("the pickled data ends too early"); };
    switch (op) {
        case 0x80: {  // PROTO
            auto v = u8();
            if (!v) {
                return truncated();
            }
            if (*v > 5) {
                return corrupt(fmt::format("pickle protocol {} is unknown", *v));
            }
            return {};
        }
        case 0x95:  // FRAME: an 8-byte length hint with no meaning for a reader of whole files
            if (!take(8)) {
                return truncated();
            }
            return {};
        case '.': {  // STOP
            if (m_stack.size() != 1 || !m_marks.empty()) {
                return corrupt("the pickle stops with an unbalanced stack");
            }
            stop = true;
            return {};
        }
        case '(':  // MARK
            if (m_marks.size() >= kMaxMarks) {
                return corrupt("too many nested marks");
            }
            m_marks.push_back(m_stack.size());
            return {};
        case '0':  // POP
            if (!pop()) {
                return corrupt("POP on an empty stack");
            }
            return {};
        case '1':  // POP_MARK
            if (!popMark()) {
                return corrupt("POP_MARK without a mark");
            }
            return {};
        case '2': {  // DUP
            if (m_stack.size() <= floor()) {
                return corrupt("DUP on an empty stack");
            }
            m_stack.push_back(m_stack.back());
            return {};
        }
        case 'c': {  // GLOBAL
            auto module = line();
            auto name = module ? line() : std::nullopt;
            if (!module || !name) {
                return truncated();
            }
            return global(std::move(*module), std::move(*name));
        }
        case 0x93: {  // STACK_GLOBAL
            auto nameId = pop();
            auto moduleId = pop();
            if (!nameId || !moduleId || m_arena.at(*nameId).kind != Kind::String ||
                m_arena.at(*moduleId).kind != Kind::String) {
                return corrupt("STACK_GLOBAL without a module and a name");
            }
            return global(m_arena.at(*moduleId).text, m_arena.at(*nameId).text);
        }
        case '}':  // EMPTY_DICT
            push(PickleValue{.kind = Kind::Dict});
            return {};
        case ']':  // EMPTY_LIST
            push(PickleValue{.kind = Kind::List});
            return {};
        case ')':  // EMPTY_TUPLE
            push(PickleValue{.kind = Kind::Tuple});
            return {};
        case 0x8F:  // EMPTY_SET: kept as a list; sets carry nothing a model needs
            push(PickleValue{.kind = Kind::List});
            return {};
        case 't':    // TUPLE
        case 'l':    // LIST
        case 'd': {  // DICT
            auto items = popMark();
            if (!items) {
                return corrupt("a tuple, list or dictionary without its mark");
            }
            if (op == 'd') {
                const ValueId dict = push(PickleValue{.kind = Kind::Dict});
                return setItems(dict, *items);
            }
            push(PickleValue{.kind = op == 't' ? Kind::Tuple : Kind::List, .items = *items});
            return {};
        }
        case 0x85:
        case 0x86:
        case 0x87: {  // TUPLE1..3
            const std::size_t n = op - 0x84U;
            if (m_stack.size() < floor() + n) {
                return corrupt("a tuple with too few items on the stack");
            }
            std::vector<ValueId> items(m_stack.end() - static_cast<std::ptrdiff_t>(n),
                                       m_stack.end());
            m_stack.resize(m_stack.size() - n);
            push(PickleValue{.kind = Kind::Tuple, .items = std::move(items)});
            return {};
        }
        case 'X':     // BINUNICODE
        case 'B':     // BINBYTES
        case 'U':     // SHORT_BINSTRING
        case 'C':     // SHORT_BINBYTES
        case 'T':     // BINSTRING
        case 0x8C: {  // SHORT_BINUNICODE
            std::optional<std::uint64_t> n;
            if (op == 'U' || op == 'C' || op == 0x8C) {
                n = u8();
            } else {
                n = u32();
            }
            if (!n) {
                return truncated();
            }
            auto text = take(*n);
            if (!text) {
                return truncated();
            }
            push(PickleValue{.kind = Kind::String, .text = std::move(*text)});
            return {};
        }
        case 'K': {  // BININT1
            auto v = u8();
            if (!v) {
                return truncated();
            }
            pushInt(*v);
            return {};
        }
        case 'M': {  // BININT2, unsigned
            auto lo = u8();
            auto hi = lo ? u8() : std::nullopt;
            if (!hi) {
                return truncated();
            }
            pushInt(*lo | (*hi << 8));
            return {};
        }
        case 'J': {  // BININT, signed
            auto v = u32();
            if (!v) {
                return truncated();
            }
            pushInt(static_cast<std::int32_t>(*v));
            return {};
        }
        case 0x8A: {  // LONG1: little-endian two's complement of n bytes
            auto n = u8();
            if (!n) {
                return truncated();
            }
            if (*n > 8) {
                return corrupt("an integer too large for a model file");
            }
            auto raw = take(*n);
            if (!raw) {
                return truncated();
            }
            std::uint64_t v = 0;
            for (std::size_t i = 0; i < *n; ++i) {
                v |= static_cast<std::uint64_t>(static_cast<std::uint8_t>((*raw)[i])) << (8 * i);
            }
            if (*n > 0 && *n < 8 && (static_cast<std::uint8_t>((*raw)[*n - 1]) & 0x80U) != 0) {
                v |= ~std::uint64_t{0} << (8 * *n);  // sign-extend
            }
            pushInt(static_cast<std::int64_t>(v));
            return {};
        }
        case 'G': {  // BINFLOAT: big-endian double
            auto raw = take(8);
            if (!raw) {
                return truncated();
            }
            std::uint64_t bits = 0;
            for (const char c : *raw) {
                bits = (bits << 8) | static_cast<std::uint8_t>(c);
            }
            push(PickleValue{.kind = Kind::Float, .real = std::bit_cast<double>(bits)});
            return {};
        }
        case 'N':  // NONE
            push(PickleValue{.kind = Kind::None});
            return {};
        case 0x88:  // NEWTRUE
        case 0x89:  // NEWFALSE
            push(PickleValue{.kind = Kind::Bool, .integer = op == 0x88 ? 1 : 0});
            return {};
        case 'q':     // BINPUT
        case 'r':     // LONG_BINPUT
        case 0x94: {  // MEMOIZE
            std::optional<std::uint32_t> index;
            if (op == 'q') {
                index = u8();
            } else if (op == 'r') {
                index = u32();
            } else {
                index = static_cast<std::uint32_t>(m_memo.size());
            }
            if (!index) {
                return truncated();
            }
            if (m_stack.size() <= floor()) {
                return corrupt("a memo entry with nothing on the stack");
            }
            m_memo[*index] = m_stack.back();
            return {};
        }
        case 'h':    // BINGET
        case 'j': {  // LONG_BINGET
            auto index = op == 'h' ? std::optional<std::uint32_t>(u8()) : u32();
            if (!index) {
                return truncated();
            }
            const auto it = m_memo.find(*index);
            if (it == m_memo.end()) {
                return corrupt(fmt::format("memo entry {} is used before it is set", *index));
            }
            m_stack.push_back(it->second);
            return {};
        }
        case 'Q': {  // BINPERSID
            auto pid = pop();
            if (!pid) {
                return corrupt("BINPERSID on an empty stack");
            }
            if (!m_persistentLoad) {
                return corrupt("a storage reference where none may be");
            }
            auto value = m_persistentLoad(m_arena, *pid);
            if (!value) {
                return tl::unexpected(value.error());
            }
            m_stack.push_back(*value);
            return {};
        }
        case 'R':  // REDUCE
            return reduce();
        case 'b': {  // BUILD: sets attributes (an OrderedDict's _metadata) we do not need
            auto state = pop();
            if (!state || m_stack.size() <= floor()) {
                return corrupt("BUILD with too few items on the stack");
            }
            const Kind target = m_arena.at(m_stack.back()).kind;
            if (target != Kind::Dict && target != Kind::Tensor) {
                return refused("setting the state of an object");
            }
            return {};
        }
        case 's': {  // SETITEM
            auto value = pop();
            auto key = value ? pop() : std::nullopt;
            if (!key || m_stack.size() <= floor()) {
                return corrupt("SETITEM with too few items on the stack");
            }
            return setItems(m_stack.back(), {*key, *value});
        }
        case 'u': {  // SETITEMS
            auto items = popMark();
            if (!items || m_stack.size() <= floor()) {
                return corrupt("SETITEMS without its mark or dictionary");
            }
            return setItems(m_stack.back(), *items);
        }
        case 'a':    // APPEND
        case 'e': {  // APPENDS
            std::vector<ValueId> items;
            if (op == 'a') {
                auto item = pop();
                if (!item) {
                    return corrupt("APPEND on an empty stack");
                }
                items.push_back(*item);
            } else {
                auto marked = popMark();
                if (!marked) {
                    return corrupt("APPENDS without its mark");
                }
                items = std::move(*marked);
            }
            if (m_stack.size() <= floor() || m_arena.at(m_stack.back()).kind != Kind::List) {
                return corrupt("APPEND to something that is not a list");
            }
            auto& list = m_arena.values[m_stack.back()].items;
            list.insert(list.end(), items.begin(), items.end());
            return {};
        }
        default:
            break;
    }
    // Everything else (INST, OBJ, NEWOBJ, PERSID, EXT*, ...) builds arbitrary objects.
    return refused(fmt::format("pickle opcode 0x{:02x}", op));
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

}  // namespace

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
