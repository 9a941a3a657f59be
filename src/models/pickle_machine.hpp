#pragma once
// The restricted unpickler's machine, shared by pickle.cpp (stack, memo, the allow-listed
// callables) and pickle_opcodes.cpp (the opcode interpreter).

#include <cstring>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "file_bytes.hpp"
#include "pickle.hpp"

namespace upscale::models::detail {

/// No state dict nests MARKs anywhere near this deep; more means a broken or hostile pickle.
constexpr std::size_t kMaxMarks = 4096;
/// Tensors of any network have a handful of dimensions; more means a broken or hostile pickle.
constexpr std::size_t kMaxDims = 16;
/// Longer than any module path and class name a model file has reason to name.
constexpr std::size_t kMaxGlobalName = 256;
/// What one memo entry costs (a hash node and its share of the buckets).
constexpr std::uint64_t kMemoEntryBytes = 64;

/// Interprets one pickle over an arena; see unpickle() in pickle.hpp for the contract.
class Unpickler {
public:
    using Kind = PickleValue::Kind;

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

    tl::unexpected<core::Error> exhausted() const {
        return core::fail(core::ErrorCode::CorruptFile,
                          fmt::format("'{}' is damaged or hostile: its pickled data builds far "
                                      "more objects than a file of its size holds (at byte {}); "
                                      "it was refused. Download the model again.",
                                      m_source, m_pos));
    }
    tl::unexpected<core::Error> refusedGlobal(std::string_view module,
                                              std::string_view name) const;

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

    /// Pushes a value the arena just made, or refuses the file once its budget is spent.
    core::Result<void> pushed(std::optional<ValueId> id) {
        if (!id) {
            return exhausted();
        }
        m_stack.push_back(*id);
        return {};
    }
    core::Result<void> push(PickleValue v) { return pushed(m_arena.add(v)); }
    core::Result<void> pushInt(std::int64_t v) {
        return push(PickleValue{.kind = Kind::Int, .integer = v});
    }

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

    core::Result<void> global(std::string_view module, std::string_view name);
    /// A placeholder for an instance of an inert class (a checkpoint's training options and
    /// such): nothing is constructed or called; the value is skipped when the weights are read.
    core::Result<void> inertObject(ValueId cls);
    core::Result<void> reduce();
    core::Result<void> rebuildTensor(std::span<const ValueId> args);
    core::Result<void> setItems(ValueId dict, std::span<const ValueId> kv);
    core::Result<void> step(std::uint8_t op, bool& stop);

    std::optional<std::vector<std::int64_t>> intTuple(ValueId id) const {
        if (m_arena.at(id).kind != Kind::Tuple) {
            return std::nullopt;
        }
        std::vector<std::int64_t> out;
        for (const ValueId item : m_arena.items(id)) {
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

}  // namespace upscale::models::detail
