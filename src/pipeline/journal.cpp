#include "journal.hpp"

#include <cstring>
#include <fstream>
#include <span>

#include <fmt/format.h>

#include "upscale/core/files.hpp"

namespace upscale::pipeline {
namespace fs = std::filesystem;

namespace {

/// The journal's own message: without it, a later resumed run cannot know what was finished.
core::Error journalError(const fs::path& file, int errnum) {
    return core::Error{core::ioErrorCode(errnum),
                       fmt::format("Cannot write the job journal '{}': {}. Free some space on "
                                   "the disk or make the output folder writable.",
                                   file.string(), std::strerror(errnum)),
                       core::Remedy::Resume, file.string()};
}

std::span<const std::uint8_t> bytesOf(const std::string& text) {
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

core::Result<void> ensureFolder(const fs::path& file) {
    std::error_code ec;
    fs::create_directories(file.parent_path(), ec);
    if (ec) {
        return core::fail(journalError(file, ec.value()));
    }
    return {};
}

}  // namespace

fs::path resumeFolder(const fs::path& output) {
    const fs::path dir = output.parent_path().empty() ? fs::path(".") : output.parent_path();
    return dir / ".upscale-resume";
}

core::Result<Journal> Journal::open(fs::path file) {
    Journal journal(std::move(file));
    std::ifstream in(journal.m_path);
    if (!in) {
        return journal;
    }
    std::string line;
    while (std::getline(in, line)) {
        // A line without its newline was cut short by a crash: it is not a record.
        if (in.eof()) {
            break;
        }
        auto record = nlohmann::json::parse(line, nullptr, false);
        if (!record.is_discarded() && record.is_object()) {
            journal.m_records.push_back(std::move(record));
        }
    }
    return journal;
}

core::Result<void> Journal::append(const nlohmann::json& record) {
    if (auto ok = ensureFolder(m_path); !ok) {
        return ok;
    }
    if (auto ok = core::appendAndSync(m_path, bytesOf(record.dump() + "\n")); !ok) {
        return core::fail(ok.error().withContext("The job journal"));
    }
    m_records.push_back(record);
    return {};
}

core::Result<void> Journal::rewrite(std::vector<nlohmann::json> records) {
    if (auto ok = ensureFolder(m_path); !ok) {
        return ok;
    }
    std::string text;
    for (const auto& r : records) {
        text += r.dump() + "\n";
    }
    if (auto ok = core::writeFileAtomically(m_path, bytesOf(text)); !ok) {
        return core::fail(ok.error().withContext("The job journal"));
    }
    m_records = std::move(records);
    return {};
}

}  // namespace upscale::pipeline
