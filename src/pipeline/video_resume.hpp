#pragma once
// Private to the pipeline: the journal of one video's closed segments. A video is written as
// closed segments of a few seconds each (media::VideoWriter); each one is recorded here as soon
// as it is synced to the disk, so after a crash, a kill or a full disk, --resume continues after
// the last one recorded and at most one segment is encoded again.

#include <filesystem>
#include <string>
#include <vector>

#include "journal.hpp"
#include "upscale/media/video_writer.hpp"
#include "upscale/pipeline/job.hpp"

namespace upscale::pipeline {

class VideoJournal {
public:
    /// Opens the segment journal of `item`'s output, or starts a new one. With `resume`, the
    /// segments an earlier run of the same job closed are checked (the same input and settings,
    /// each file present with its recorded size) and kept; anything after the first one that
    /// fails the check is removed. Without it, an earlier run's segments are never thrown away
    /// silently: the item fails with an error that says to add --resume, unless `overwrite`.
    [[nodiscard]] static core::Result<VideoJournal> open(const JobItem& item,
                                                         const std::string& fingerprint,
                                                         bool resume, bool overwrite);

    [[nodiscard]] const std::filesystem::path& folder() const { return m_folder; }
    [[nodiscard]] const std::vector<media::SegmentInfo>& done() const { return m_done; }
    /// The first frame not in a closed segment.
    [[nodiscard]] std::int64_t nextFrame() const;

    /// Records a closed segment.
    [[nodiscard]] core::Result<void> record(const media::SegmentInfo& segment);

    /// Removes the segments and the journal, once the video is finished.
    void remove();

private:
    VideoJournal(std::filesystem::path folder, Journal journal)
        : m_folder(std::move(folder)), m_journal(std::move(journal)) {}

    std::filesystem::path m_folder;
    Journal m_journal;
    std::vector<media::SegmentInfo> m_done;
};

}  // namespace upscale::pipeline
