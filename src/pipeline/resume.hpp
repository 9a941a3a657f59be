#pragma once
// Private to the pipeline: the finished-outputs journals of a job, and the fingerprint that says
// whether an earlier run's result is what this run would produce.

#include <filesystem>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "journal.hpp"
#include "upscale/engine/upscaler.hpp"
#include "upscale/pipeline/job.hpp"

namespace upscale::pipeline {

/// Everything that decides an output's content, as JSON text: the model (its content hash,
/// engine::UpscalerInfo::modelIdentity), the resolved precision (by its name), the output
/// scale, the tiles, and the image and video write settings. The journals of interrupted jobs
/// hold its hash, so the text must stay the same for the same settings.
[[nodiscard]] std::string resultFingerprintText(const JobSettings& settings,
                                                const std::string& modelIdentity,
                                                engine::ResolvedPrecision precision, double scale);

/// The first 16 hex digits of the SHA-256 of resultFingerprintText.
[[nodiscard]] std::string resultFingerprint(const JobSettings& settings,
                                            const std::string& modelIdentity,
                                            engine::ResolvedPrecision precision, double scale);

/// {"path", "size", "mtime"} of an input: an edited or replaced input is a new input.
[[nodiscard]] nlohmann::json inputIdentity(const std::filesystem::path& input);

/// The journals of finished outputs, one per output folder, opened as items need them.
class OutputJournals {
public:
    OutputJournals(std::string fingerprint, bool resume)
        : m_fingerprint(std::move(fingerprint)), m_resume(resume) {}

    [[nodiscard]] const std::string& fingerprint() const { return m_fingerprint; }
    [[nodiscard]] bool resume() const { return m_resume; }

    /// With --resume: true when an earlier run of this job finished `item` from the same input,
    /// and its output still has the size and SHA-256 recorded then. Always false otherwise.
    [[nodiscard]] bool finishedBefore(const JobItem& item);

    /// Records a finished output (already under its final name).
    [[nodiscard]] core::Result<void> record(const JobItem& item);

    /// Removes the journals of this job's output folders, once every item has succeeded.
    void removeAll();

private:
    Journal* journalFor(const std::filesystem::path& output);

    std::string m_fingerprint;
    bool m_resume = false;
    std::map<std::filesystem::path, Journal> m_journals;
};

}  // namespace upscale::pipeline
