#include "video_resume.hpp"

#include <set>

#include <fmt/format.h>

#include "resume.hpp"
#include "upscale/core/logging.hpp"

namespace upscale::pipeline {
namespace fs = std::filesystem;

namespace {

using core::ErrorCode;
using core::fail;

nlohmann::json segmentRecord(const media::SegmentInfo& s) {
    return {{"segment", s.index},
            {"file", s.file.filename().string()},
            {"first_frame", s.firstFrame},
            {"frames", s.frames},
            {"first_pts", s.firstPts},
            {"last_pts", s.lastPts},
            {"bytes", s.bytes}};
}

/// The segments of `records` that are still intact on the disk, in order, up to the first gap.
std::vector<media::SegmentInfo> intactSegments(const std::vector<nlohmann::json>& records,
                                               const fs::path& folder) {
    std::vector<media::SegmentInfo> done;
    for (const auto& r : records) {
        if (!r.contains("segment")) {
            continue;
        }
        media::SegmentInfo s;
        s.index = r.value("segment", -1);
        s.file = folder / r.value("file", "");
        s.firstFrame = r.value("first_frame", std::int64_t{-1});
        s.frames = r.value("frames", std::int64_t{0});
        s.firstPts = r.value("first_pts", std::int64_t{0});
        s.lastPts = r.value("last_pts", std::int64_t{0});
        s.bytes = r.value("bytes", std::int64_t{-1});
        const std::int64_t expectedFirst =
            done.empty() ? 0 : done.back().firstFrame + done.back().frames;
        std::error_code ec;
        const auto size = fs::file_size(s.file, ec);
        if (s.index != static_cast<int>(done.size()) || s.firstFrame != expectedFirst ||
            s.frames <= 0 || ec || static_cast<std::int64_t>(size) != s.bytes ||
            s.file.filename() != media::segmentFileName(s.index)) {
            break;
        }
        done.push_back(std::move(s));
    }
    return done;
}

}  // namespace

core::Result<VideoJournal> VideoJournal::open(const JobItem& item, const std::string& fingerprint,
                                              bool resume, bool overwrite) {
    auto log = core::logger("pipeline");
    const fs::path folder = resumeFolder(item.output) / item.output.filename();
    const fs::path file = folder / "segments.jsonl";
    const nlohmann::json header = {{"video", item.output.filename().string()},
                                   {"input", inputIdentity(item.input)},
                                   {"fingerprint", fingerprint}};
    std::error_code ec;
    if (fs::exists(folder, ec)) {
        auto earlier = Journal::open(file);
        if (!earlier) {
            return fail(earlier.error());
        }
        const auto& records = earlier->records();
        const bool sameJob = !records.empty() && records.front() == header;
        auto done = intactSegments(records, folder);
        if (!resume && !done.empty() && !overwrite) {
            return fail(ErrorCode::InvalidArgument,
                        fmt::format("An interrupted run of '{}' left {} finished segment(s) ({} "
                                    "frames) in '{}'.",
                                    item.input.string(), done.size(),
                                    done.back().firstFrame + done.back().frames, folder.string()),
                        core::Remedy::ResumeOrRestart, item.input.string());
        }
        if (resume && !done.empty() && !sameJob && !overwrite) {
            return fail(ErrorCode::InvalidArgument,
                        fmt::format("The interrupted run in '{}' was made from another version "
                                    "of '{}' or with other settings (model, precision, scale, "
                                    "tiles or video options). Resume it with the same settings, "
                                    "or start over replacing it.",
                                    folder.string(), item.input.string()),
                        core::Remedy::ReplaceOutput, item.input.string());
        }
        if (resume && sameJob && !done.empty()) {
            VideoJournal journal(folder, std::move(*earlier));
            std::set<fs::path> keep{file};
            for (const auto& s : done) {
                keep.insert(s.file);
            }
            for (const auto& entry : fs::directory_iterator(folder, ec)) {
                if (!keep.contains(entry.path())) {
                    fs::remove_all(entry.path(), ec);
                }
            }
            if (done.size() + 1 != journal.m_journal.records().size()) {
                std::vector<nlohmann::json> kept{header};
                for (const auto& s : done) {
                    kept.push_back(segmentRecord(s));
                }
                if (auto ok = journal.m_journal.rewrite(std::move(kept)); !ok) {
                    return fail(ok.error());
                }
            }
            journal.m_done = std::move(done);
            return journal;
        }
        fs::remove_all(folder, ec);
        if (ec) {
            return fail(core::ioErrorCode(ec.value()),
                        fmt::format("Cannot remove the earlier run's segments in '{}': {}.",
                                    folder.string(), ec.message()));
        }
    }
    auto journal = Journal::open(file);
    if (!journal) {
        return fail(journal.error());
    }
    VideoJournal started(folder, std::move(*journal));
    if (auto ok = started.m_journal.append(header); !ok) {
        return fail(ok.error());
    }
    return started;
}

std::int64_t VideoJournal::nextFrame() const {
    return m_done.empty() ? 0 : m_done.back().firstFrame + m_done.back().frames;
}

core::Result<void> VideoJournal::record(const media::SegmentInfo& segment) {
    if (auto ok = m_journal.append(segmentRecord(segment)); !ok) {
        return ok;
    }
    m_done.push_back(segment);
    return {};
}

void VideoJournal::remove() {
    std::error_code ec;
    fs::remove_all(m_folder, ec);
    fs::remove(m_folder.parent_path(), ec);  // only when nothing else is left in it
}

}  // namespace upscale::pipeline
