#pragma once
// What the video output tests share: a fresh folder per test, the media log captured, and a
// source read and written again unscaled, as a job would.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>

#include <spdlog/sinks/ostream_sink.h>

#include "common/test_paths.hpp"
#include "upscale/core/logging.hpp"
#include "upscale/media/video.hpp"
#include "upscale/media/video_writer.hpp"

namespace upscale::test {

/// An empty folder named after the running test, under the test binary folder.
inline std::filesystem::path freshDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string(info->test_suite_name()) + "_" + info->name();
    std::replace(name.begin(), name.end(), '/', '_');
    const auto dir = std::filesystem::path(UPSCALE_TEST_BINARY_DIR) / name;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

/// Logs of the "media" and "ffmpeg" loggers while it lives.
class LogCapture {
public:
    LogCapture() : m_sink(std::make_shared<spdlog::sinks::ostream_sink_mt>(m_text)) {
        m_subscription = core::subscribeToLog(m_sink);
    }
    LogCapture(const LogCapture&) = delete;
    LogCapture& operator=(const LogCapture&) = delete;
    std::string text() const { return m_text.str(); }
    /// How often `needle` occurs.
    std::size_t count(const std::string& needle) const {
        const std::string all = text();
        std::size_t n = 0;
        for (auto pos = all.find(needle); pos != std::string::npos;
             pos = all.find(needle, pos + 1)) {
            ++n;
        }
        return n;
    }

private:
    std::ostringstream m_text;
    std::shared_ptr<spdlog::sinks::ostream_sink_mt> m_sink;
    core::LogSubscription m_subscription;
};

/// Which frames a rewrite writes: from frame `from` (the earlier ones skipped, as a resumed job
/// does), up to frame `until` (excluded; -1: the end). A run that stops early closes its segment
/// and does not join, as a killed job leaves it.
struct RewriteSpan {
    std::int64_t from = 0;
    std::int64_t until = -1;
};

/// Reads the frames of `source` (with alpha when the writer keeps it) and writes them to
/// `target` unscaled, as a job would.
inline core::Result<std::filesystem::path> rewrite(const std::filesystem::path& source,
                                                   const std::filesystem::path& target,
                                                   const media::VideoWriteOptions& options = {},
                                                   media::SegmentOptions segments = {},
                                                   RewriteSpan span = {}) {
    auto reader = media::VideoReader::open(source);
    if (!reader) {
        return core::fail(reader.error());
    }
    const auto& probe = (*reader)->probe();
    auto writer = media::VideoWriter::create(target, source, probe, probe.width, probe.height,
                                             options, std::move(segments));
    if (!writer) {
        return core::fail(writer.error());
    }
    (*reader)->keepAlpha((*writer)->keepsAlpha());
    for (std::int64_t i = 0; i < span.from; ++i) {
        if (auto skipped = (*reader)->skip(); !skipped || !*skipped) {
            return core::fail(core::ErrorCode::Internal, "The source is too short.");
        }
    }
    for (std::int64_t i = span.from; i != span.until; ++i) {
        auto frame = (*reader)->read();
        if (!frame) {
            return core::fail(frame.error());
        }
        if (!*frame) {
            break;
        }
        if (auto ok = (*writer)->write(**frame); !ok) {
            return core::fail(ok.error());
        }
    }
    if (span.until >= 0) {
        if (auto ok = (*writer)->closeSegment(); !ok) {
            return core::fail(ok.error());
        }
        return target;
    }
    return (*writer)->finish(true, target);
}

}  // namespace upscale::test
