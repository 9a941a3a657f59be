#pragma once
// Private to the pipeline: what a job has finished, kept on disk so that a later run with
// --resume can skip it. A journal is an append-only file of JSON objects, one per line; each
// line is written with a single write and synced to the disk before append() returns, so a crash
// or a power cut leaves at most its last line cut short, and a cut line is ignored on reading.
//
// Where the journals live, beside the outputs:
//   <output folder>/.upscale-resume/journal.jsonl         finished outputs (images and videos)
//   <output folder>/.upscale-resume/<output name>/        a video's closed segments and
//                                         segments.jsonl   their journal

#include <filesystem>
#include <vector>

#include <nlohmann/json.hpp>

#include "upscale/core/error.hpp"

namespace upscale::pipeline {

class Journal {
public:
    /// Reads the journal at `file` when it exists (an empty journal when it does not; the file
    /// and its folder are created by the first append).
    [[nodiscard]] static core::Result<Journal> open(std::filesystem::path file);

    [[nodiscard]] const std::vector<nlohmann::json>& records() const { return m_records; }
    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }

    /// Appends one record and syncs it to the disk. Errors name the journal's file.
    [[nodiscard]] core::Result<void> append(const nlohmann::json& record);

    /// Replaces the whole journal with `records`, atomically (a synced temporary file renamed
    /// over it).
    [[nodiscard]] core::Result<void> rewrite(std::vector<nlohmann::json> records);

private:
    explicit Journal(std::filesystem::path file) : m_path(std::move(file)) {}
    std::filesystem::path m_path;
    std::vector<nlohmann::json> m_records;
};

/// "<folder of output>/.upscale-resume".
[[nodiscard]] std::filesystem::path resumeFolder(const std::filesystem::path& output);

}  // namespace upscale::pipeline
