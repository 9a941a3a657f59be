#include "journal.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include "upscale/core/paths.hpp"

namespace upscale::pipeline {
namespace fs = std::filesystem;

namespace {

core::Error journalError(const fs::path& file, int errnum) {
    return core::Error{core::ioErrorCode(errnum),
                       fmt::format("Cannot write the job journal '{}': {}. Free some space on "
                                   "the disk or make the output folder writable, then run again "
                                   "with --resume.",
                                   file.string(), std::strerror(errnum))};
}

/// Writes all of `text` to `fd` and syncs it; false with errno set on failure.
bool writeAllAndSync(int fd, const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return ::fsync(fd) == 0;
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
    const int fd = ::open(m_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
        return core::fail(journalError(m_path, errno));
    }
    const bool ok = writeAllAndSync(fd, record.dump() + "\n");
    const int errnum = errno;
    ::close(fd);
    if (!ok) {
        return core::fail(journalError(m_path, errnum));
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
    const fs::path temporary = core::temporarySibling(m_path);
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        return core::fail(journalError(m_path, errno));
    }
    const bool ok = writeAllAndSync(fd, text);
    const int errnum = errno;
    ::close(fd);
    std::error_code ec;
    if (!ok) {
        fs::remove(temporary, ec);
        return core::fail(journalError(m_path, errnum));
    }
    fs::rename(temporary, m_path, ec);
    if (ec) {
        fs::remove(temporary, ec);
        return core::fail(journalError(m_path, ec.value()));
    }
    m_records = std::move(records);
    return {};
}

}  // namespace upscale::pipeline
