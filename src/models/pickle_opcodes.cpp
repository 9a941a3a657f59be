// The opcode interpreter of the restricted unpickler: only the opcodes a state dict uses; the
// ones that build arbitrary objects are refused.

#include <array>
#include <bit>

#include "pickle_machine.hpp"

namespace upscale::models::detail {

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
        case '0': {  // POP
            const auto popped = pop();
            if (!popped) {
                return corrupt("POP on an empty stack");
            }
            m_arena.release(*popped);
            return {};
        }
        case '1': {  // POP_MARK
            const auto popped = popMark();
            if (!popped) {
                return corrupt("POP_MARK without a mark");
            }
            for (auto it = popped->rbegin(); it != popped->rend(); ++it) {
                m_arena.release(*it);
            }
            return {};
        }
        case '2': {  // DUP
            if (m_stack.size() <= floor()) {
                return corrupt("DUP on an empty stack");
            }
            m_arena.share(m_stack.back());
            m_stack.push_back(m_stack.back());
            return {};
        }
        case 'c': {  // GLOBAL
            auto module = line();
            auto name = module ? line() : std::nullopt;
            if (!module || !name) {
                return truncated();
            }
            return global(*module, *name);
        }
        case 0x93: {  // STACK_GLOBAL
            auto nameId = pop();
            auto moduleId = pop();
            if (!nameId || !moduleId || m_arena.at(*nameId).kind != Kind::String ||
                m_arena.at(*moduleId).kind != Kind::String) {
                return corrupt("STACK_GLOBAL without a module and a name");
            }
            return global(m_arena.text(*moduleId), m_arena.text(*nameId));
        }
        case '}':  // EMPTY_DICT
            return push(PickleValue{.kind = Kind::Dict});
        case ']':  // EMPTY_LIST
            return push(PickleValue{.kind = Kind::List});
        case ')':  // EMPTY_TUPLE
            return push(PickleValue{.kind = Kind::Tuple});
        case 0x8F:  // EMPTY_SET: kept as a list; sets carry nothing a model needs
            return push(PickleValue{.kind = Kind::List});
        case 't':    // TUPLE
        case 'l':    // LIST
        case 'd': {  // DICT
            auto items = popMark();
            if (!items) {
                return corrupt("a tuple, list or dictionary without its mark");
            }
            if (op == 'd' && items->size() % 2 != 0) {
                return corrupt("a dictionary with a key but no value");
            }
            const Kind kind = op == 'd' ? Kind::Dict : op == 't' ? Kind::Tuple : Kind::List;
            return pushed(m_arena.addItems(kind, std::move(*items)));
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
            return pushed(m_arena.addItems(Kind::Tuple, std::move(items)));
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
            return pushed(m_arena.addText(Kind::String, std::move(*text)));
        }
        case 'K': {  // BININT1
            auto v = u8();
            if (!v) {
                return truncated();
            }
            return pushInt(*v);
        }
        case 'M': {  // BININT2, unsigned
            auto lo = u8();
            auto hi = lo ? u8() : std::nullopt;
            if (!hi) {
                return truncated();
            }
            return pushInt(*lo | (*hi << 8));
        }
        case 'J': {  // BININT, signed
            auto v = u32();
            if (!v) {
                return truncated();
            }
            return pushInt(static_cast<std::int32_t>(*v));
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
            return pushInt(static_cast<std::int64_t>(v));
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
            return pushed(m_arena.addFloat(std::bit_cast<double>(bits)));
        }
        case 'N':  // NONE
            return push(PickleValue{.kind = Kind::None});
        case 0x88:  // NEWTRUE
        case 0x89:  // NEWFALSE
            return push(PickleValue{.kind = Kind::Bool, .integer = op == 0x88 ? 1 : 0});
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
            m_arena.share(m_stack.back());
            const auto [it, added] = m_memo.insert_or_assign(*index, m_stack.back());
            if (added && !m_arena.charge(kMemoEntryBytes)) {
                return exhausted();
            }
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
        case 0x81:    // NEWOBJ
        case 0x92: {  // NEWOBJ_EX: only for the inert classes (see inertObject)
            auto kwargs = op == 0x92 ? pop() : std::optional<ValueId>(0);
            auto args = kwargs ? pop() : std::nullopt;
            auto cls = args ? pop() : std::nullopt;
            if (!cls) {
                return corrupt("NEWOBJ with too few items on the stack");
            }
            return inertObject(*cls);
        }
        case 'b': {  // BUILD: sets attributes (an OrderedDict's _metadata) we do not need
            auto state = pop();
            if (!state || m_stack.size() <= floor()) {
                return corrupt("BUILD with too few items on the stack");
            }
            const Kind target = m_arena.at(m_stack.back()).kind;
            if (target != Kind::Dict && target != Kind::Tensor && target != Kind::Object) {
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
            const std::array<ValueId, 2> pair = {*key, *value};
            return setItems(m_stack.back(), pair);
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
            if (!m_arena.append(m_stack.back(), items)) {
                return exhausted();
            }
            return {};
        }
        default:
            break;
    }
    // Everything else (INST, OBJ, NEWOBJ, PERSID, EXT*, ...) builds arbitrary objects.
    return refused(fmt::format("pickle opcode 0x{:02x}", op));
}

}  // namespace upscale::models::detail
