#include "resume.hpp"

#include <chrono>

#include <fmt/format.h>

#include "upscale/core/logging.hpp"
#include "upscale/core/sha256.hpp"

namespace upscale::pipeline {
namespace fs = std::filesystem;

namespace {

constexpr const char* kJournalName = "journal.jsonl";

std::string absolutePath(const fs::path& p) {
    std::error_code ec;
    const fs::path a = fs::absolute(p, ec);
    return (ec ? p : a).lexically_normal().string();
}

}  // namespace

std::string resultFingerprintText(const JobSettings& settings, const std::string& modelIdentity,
                                  engine::ResolvedPrecision precision, double scale) {
    nlohmann::json j;
    j["model"] = modelIdentity;
    j["precision"] = std::string(engine::precisionName(precision));
    j["scale"] = scale;
    j["tile"] = settings.engine.tile;
    j["overlap"] = settings.engine.overlap;
    j["format"] = settings.format;
    j["jpeg"] = settings.writeOptions.jpegQuality;
    j["webp"] = settings.writeOptions.webpQuality;
    j["png"] = settings.writeOptions.pngCompression;
    j["codec"] = settings.video.codec;
    j["crf"] = settings.video.crf;
    j["preset"] = settings.video.preset;
    j["pix_fmt"] = settings.video.pixelFormat;
    j["audio"] = settings.video.audio;
    j["other_streams"] = settings.video.otherStreams;
    j["segment_seconds"] = settings.segmentSeconds;
    return j.dump();
}

std::string resultFingerprint(const JobSettings& settings, const std::string& modelIdentity,
                              engine::ResolvedPrecision precision, double scale) {
    const std::string text = resultFingerprintText(settings, modelIdentity, precision, scale);
    return core::sha256Hex({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()})
        .substr(0, 16);
}

nlohmann::json inputIdentity(const fs::path& input) {
    std::error_code sizeError, timeError;
    const auto size = fs::file_size(input, sizeError);
    const auto mtime = fs::last_write_time(input, timeError);
    const std::int64_t bytes = sizeError ? -1 : static_cast<std::int64_t>(size);
    const std::int64_t ticks = timeError ? 0 : mtime.time_since_epoch().count();
    return {{"path", absolutePath(input)}, {"size", bytes}, {"mtime", ticks}};
}

Journal* OutputJournals::journalFor(const fs::path& output) {
    const fs::path file = resumeFolder(output) / kJournalName;
    auto found = m_journals.find(file);
    if (found == m_journals.end()) {
        auto opened = Journal::open(file);
        if (!opened) {
            return nullptr;
        }
        found = m_journals.emplace(file, std::move(*opened)).first;
    }
    return &found->second;
}

bool OutputJournals::finishedBefore(const JobItem& item) {
    if (!m_resume) {
        return false;
    }
    Journal* journal = journalFor(item.output);
    if (journal == nullptr) {
        return false;
    }
    const std::string name = item.output.filename().string();
    const auto input = inputIdentity(item.input);
    // The latest record of this output decides.
    for (auto r = journal->records().rbegin(); r != journal->records().rend(); ++r) {
        if (r->value("output", "") != name) {
            continue;
        }
        if (r->value("fingerprint", "") != m_fingerprint ||
            r->value("input", nlohmann::json{}) != input) {
            return false;
        }
        std::error_code ec;
        const auto size = fs::file_size(item.output, ec);
        if (ec || static_cast<std::int64_t>(size) != r->value("bytes", std::int64_t{-1})) {
            return false;
        }
        auto hash = core::sha256File(item.output);
        return hash && *hash == r->value("sha256", "");
    }
    return false;
}

core::Result<void> OutputJournals::record(const JobItem& item) {
    Journal* journal = journalFor(item.output);
    if (journal == nullptr) {
        return {};
    }
    auto hash = core::sha256File(item.output);
    if (!hash) {
        return core::fail(hash.error());
    }
    std::error_code ec;
    const auto size = fs::file_size(item.output, ec);
    const std::int64_t bytes = ec ? -1 : static_cast<std::int64_t>(size);
    return journal->append({{"output", item.output.filename().string()},
                            {"input", inputIdentity(item.input)},
                            {"fingerprint", m_fingerprint},
                            {"bytes", bytes},
                            {"sha256", *hash}});
}

void OutputJournals::removeAll() {
    for (const auto& [file, journal] : m_journals) {
        std::error_code ec;
        fs::remove(file, ec);
        fs::remove(file.parent_path(), ec);  // only when nothing else is left in it
    }
    m_journals.clear();
}

}  // namespace upscale::pipeline
