#include "video_item.hpp"

#include <chrono>
#include <deque>
#include <limits>
#include <thread>

#include <fmt/format.h>

#include "frame_queue.hpp"
#include "upscale/core/logging.hpp"
#include "upscale/media/video.hpp"
#include "upscale/media/video_writer.hpp"
#include "video_resume.hpp"

namespace upscale::pipeline {
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;
using core::ErrorCode;
using core::fail;

/// Frames decoded together; they are upscaled as one engine batch.
struct FrameBatch {
    std::vector<core::Image> images;
    std::vector<std::int64_t> pts;
    std::int64_t firstIndex = 0;
};

/// Where upscaled frames go: one video file, or one PNG per frame in a folder.
class FrameSink {
public:
    FrameSink(std::unique_ptr<media::VideoWriter> writer, fs::path target,
              std::unique_ptr<VideoJournal> journal)
        : m_writer(std::move(writer)), m_target(std::move(target)), m_journal(std::move(journal)) {}
    FrameSink(fs::path folder, std::string stem, bool overwrite)
        : m_target(std::move(folder)), m_stem(std::move(stem)), m_overwrite(overwrite) {}

    core::Result<void> write(const media::VideoFrame& frame) {
        if (m_writer) {
            return m_writer->write(frame);
        }
        const fs::path file = frameFile(frame.index);
        std::error_code ec;
        if (!m_overwrite && fs::exists(file, ec)) {
            return fail(ErrorCode::InvalidArgument,
                        fmt::format("The frame file '{}' already exists.", file.string()),
                        core::Remedy::ReplaceFrames, file.string());
        }
        return media::writeImage(file, frame.image);
    }

    /// Completes the output; a partial video is kept as "<name>.partial.<ext>", and its
    /// segments for --resume.
    core::Result<fs::path> finish(bool complete) {
        if (!m_writer) {
            return m_target;
        }
        if (m_part) {
            return closePart();
        }
        auto written = m_writer->finish(
            complete, complete ? m_target : media::VideoWriter::partialPath(m_target));
        if (written && complete && m_journal) {
            m_journal->remove();
        }
        return written;
    }

    /// The first frame that is not written yet: after an earlier run's closed segments, or, for
    /// frame files, after the run of frame files already there (each one was written whole).
    [[nodiscard]] std::int64_t resumeFrame(bool resume) const {
        if (m_part) {
            return m_part->firstFrame;
        }
        if (m_journal) {
            return m_journal->nextFrame();
        }
        std::int64_t next = 0;
        std::error_code ec;
        while (resume && !m_writer && fs::is_regular_file(frameFile(next), ec)) {
            ++next;
        }
        return next;
    }

    /// True when the frames written must carry their alpha channel.
    [[nodiscard]] bool keepsAlpha() const { return m_writer && m_writer->keepsAlpha(); }

    [[nodiscard]] std::size_t segmentsDone() const {
        return m_journal ? m_journal->done().size() : 0;
    }

    /// Writes one video part: its segment is cut where the plan said, and closed alone.
    static core::Result<FrameSink> forPart(const JobItem& item, const JobSettings& settings,
                                           const media::VideoProbe& probe, int width, int height) {
        const VideoPart& part = *item.part;
        media::SegmentOptions segments;
        segments.folder = part.folder;
        segments.seconds = settings.segmentSeconds;
        // The writer numbers the segment after those it is told are done; their files are not
        // read, since this writer never joins.
        for (int i = 0; i < part.index; ++i) {
            media::SegmentInfo earlier;
            earlier.index = i;
            earlier.firstFrame = i + 1 == part.index ? part.firstFrame : 0;
            segments.done.push_back(earlier);
        }
        auto closed = std::make_shared<std::vector<media::SegmentInfo>>();
        segments.onClosed = [closed](const media::SegmentInfo& s) -> core::Result<void> {
            closed->push_back(s);
            return {};
        };
        auto writer = media::VideoWriter::create(item.output, item.input, probe, width, height,
                                                 settings.video, std::move(segments));
        if (!writer) {
            return fail(writer.error());
        }
        FrameSink sink(std::move(*writer), part.folder, nullptr);
        sink.m_part = part;
        sink.m_closed = std::move(closed);
        return sink;
    }

private:
    core::Result<fs::path> closePart() {
        if (auto ok = m_writer->closeSegment(); !ok) {
            return fail(ok.error());
        }
        const VideoPart& part = *m_part;
        if (m_closed->size() != 1 || m_closed->front().frames != part.frames ||
            m_closed->front().firstFrame != part.firstFrame) {
            return fail(ErrorCode::Internal,
                        fmt::format("Segment {} in '{}' was cut differently from its plan "
                                    "(frames {} to {}); the job must be planned again.",
                                    part.index, m_target.string(), part.firstFrame + 1,
                                    part.firstFrame + part.frames));
        }
        return m_closed->front().file;
    }

    [[nodiscard]] fs::path frameFile(std::int64_t index) const {
        return m_target / fmt::format("{}_{:06d}.png", m_stem, index + 1);
    }

    std::unique_ptr<media::VideoWriter> m_writer;
    fs::path m_target;
    std::unique_ptr<VideoJournal> m_journal;
    std::string m_stem;
    bool m_overwrite = false;
    std::optional<VideoPart> m_part;
    std::shared_ptr<std::vector<media::SegmentInfo>> m_closed;
};

core::Result<FrameSink> openSink(const JobItem& item, const JobSettings& settings,
                                 const std::string& fingerprint, const media::VideoProbe& probe,
                                 int width, int height) {
    if (item.part) {
        return FrameSink::forPart(item, settings, probe, width, height);
    }
    if (!settings.framesOut.empty()) {
        std::error_code ec;
        fs::create_directories(settings.framesOut, ec);
        if (ec) {
            return fail(ErrorCode::Io,
                        fmt::format("Cannot create the frames folder '{}': {}.",
                                    settings.framesOut.string(), ec.message()),
                        core::Remedy::ChooseOutput, settings.framesOut.string());
        }
        return FrameSink(settings.framesOut, item.input.stem().string(), settings.overwrite);
    }
    if (media::hasImageExtension(item.output) && !media::hasAnimationOutputExtension(item.output)) {
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("'{}' is a video; it cannot be saved as the image '{}'.",
                                item.input.string(), item.output.string()),
                    core::Remedy::VideoOutput, item.output.string());
    }
    if (auto ok = checkOutput(item.output, settings.overwrite); !ok) {
        return fail(ok.error());
    }
    auto opened = VideoJournal::open(item, fingerprint, settings.resume, settings.overwrite);
    if (!opened) {
        return fail(opened.error());
    }
    auto journal = std::make_unique<VideoJournal>(std::move(*opened));
    media::SegmentOptions segments;
    segments.folder = journal->folder();
    segments.seconds = settings.segmentSeconds;
    segments.done = journal->done();
    segments.onClosed = [j = journal.get()](const media::SegmentInfo& s) { return j->record(s); };
    auto writer = media::VideoWriter::create(item.output, item.input, probe, width, height,
                                             settings.video, std::move(segments));
    if (!writer) {
        return fail(writer.error());
    }
    return FrameSink(std::move(*writer), item.output, std::move(journal));
}

}  // namespace

core::Result<core::Event> runVideoItem(const JobItem& item, core::Event event,
                                       const VideoItemContext& context) {
    const auto start = Clock::now();
    auto log = core::logger("pipeline");
    auto opened = media::VideoReader::open(item.input, context.settings.readLimits);
    if (!opened) {
        return fail(opened.error());
    }
    media::VideoReader& reader = **opened;
    const media::VideoProbe& probe = reader.probe();
    const auto [outWidth, outHeight] =
        context.pool.outputSize(probe.width, probe.height, context.scale);
    event.inputWidth = probe.width;
    event.inputHeight = probe.height;
    event.outputWidth = outWidth;
    event.outputHeight = outHeight;
    event.framesTotal = probe.frameCount;
    auto sink = openSink(item, context.settings, context.fingerprint, probe, outWidth, outHeight);
    if (!sink) {
        return fail(sink.error());
    }
    reader.keepAlpha(sink->keepsAlpha());
    if (!context.settings.framesOut.empty() && !item.part) {
        event.output = context.settings.framesOut.string();
    }
    // A part ends where the next segment begins; a whole video at its end.
    const std::int64_t endFrame = item.part ? item.part->firstFrame + item.part->frames
                                            : std::numeric_limits<std::int64_t>::max();
    if (item.part) {
        event.framesTotal = endFrame;
    }
    log->info("{}: {}x{} {} {}, {} frame(s){} -> {}x{}", item.input.string(), probe.width,
              probe.height, probe.codec, probe.pixelFormat, probe.frameCount,
              probe.frameCountEstimated ? " (estimated)" : "", outWidth, outHeight);
    // Frames before this one were finished by an earlier run: they are decoded, not upscaled.
    const std::int64_t firstFrame = sink->resumeFrame(context.settings.resume);
    if (firstFrame > 0 && !item.part) {
        log->info(
            "Resuming {}: {} frame(s){} were finished by an earlier run; continuing at "
            "frame {}.",
            item.input.string(), firstFrame,
            sink->segmentsDone() > 0 ? fmt::format(" in {} closed segment(s)", sink->segmentsDone())
                                     : std::string(),
            firstFrame + 1);
    }
    event.framesDone = firstFrame;

    // The reader runs ahead by at most two batches: decoding overlaps upscaling, memory stays
    // flat however long the video is.
    const auto batchSize = static_cast<std::size_t>(context.settings.engine.batch);
    BoundedQueue<FrameBatch> queue(2);
    std::optional<core::Error> readError;
    std::jthread readerThread([&] {
        FrameBatch batch;
        for (std::int64_t i = 0; i < firstFrame && !context.cancel.cancelled(); ++i) {
            auto skipped = reader.skip();
            if (!skipped || !*skipped) {
                if (!skipped) {
                    readError = skipped.error();
                }
                queue.close();
                return;
            }
        }
        for (std::int64_t i = firstFrame; i < endFrame && !context.cancel.cancelled(); ++i) {
            auto frame = reader.read();
            if (!frame) {
                readError = frame.error();
                break;
            }
            if (!*frame) {
                break;
            }
            if (batch.images.empty()) {
                batch.firstIndex = (*frame)->index;
            }
            batch.images.push_back(std::move((*frame)->image));
            batch.pts.push_back((*frame)->pts);
            if (batch.images.size() == batchSize) {
                if (!queue.push(std::move(batch))) {
                    return;
                }
                batch = {};
            }
        }
        if (!batch.images.empty()) {
            queue.push(std::move(batch));
        }
        queue.close();
    });
    // Declared after the thread so that it runs first on every way out: a closed queue
    // unblocks the reader, which the thread's destructor then joins.
    struct Closer {
        BoundedQueue<FrameBatch>& queue;
        ~Closer() { queue.close(); }
    } closer{queue};

    struct InFlight {
        std::future<WorkerPool::BatchResult> result;
        std::vector<std::int64_t> pts;
        std::int64_t firstIndex = 0;
    };
    std::deque<InFlight> inFlight;
    const auto maxInFlight = static_cast<std::size_t>(2 * context.pool.workers());
    bool cancelled = false;

    auto writeOldest = [&]() -> core::Result<void> {
        InFlight batch = std::move(inFlight.front());
        inFlight.pop_front();
        auto result = batch.result.get();
        if (cancelled) {
            return {};
        }
        if (!result) {
            if (result.error().code == ErrorCode::Cancelled) {
                cancelled = true;
                return {};
            }
            return fail(result.error().withContext(item.input.string()));
        }
        for (std::size_t i = 0; i < result->size(); ++i) {
            media::VideoFrame frame{std::move((*result)[i]), batch.pts[i],
                                    batch.firstIndex + static_cast<std::int64_t>(i)};
            if (auto written = sink->write(frame); !written) {
                return written;
            }
        }
        const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
        core::Event ev = event;
        ev.kind = core::EventKind::Batch;
        ev.batchIndex = event.batchIndex + 1;
        ev.framesInBatch = static_cast<int>(result->size());
        ev.framesDone = event.framesDone + ev.framesInBatch;
        ev.framesPerSecond =
            seconds > 0 ? static_cast<double>(ev.framesDone - firstFrame) / seconds : 0.0;
        ev.etaSeconds =
            ev.framesTotal > 0 && ev.framesPerSecond > 0
                ? std::max<double>(0, ev.framesTotal - ev.framesDone) / ev.framesPerSecond
                : -1.0;
        ev.seconds = seconds;
        event.batchIndex = ev.batchIndex;
        event.framesDone = ev.framesDone;
        log->info(
            "Batch {}: {} frame{} upscaled and saved ({}/{} frames, {:.1f} fps, ETA {})",
            ev.batchIndex, ev.framesInBatch, ev.framesInBatch == 1 ? "" : "s", ev.framesDone,
            ev.framesTotal, ev.framesPerSecond,
            ev.etaSeconds < 0 ? std::string("unknown") : fmt::format("{:.0f} s", ev.etaSeconds));
        context.onEvent(ev);
        return {};
    };

    while (auto batch = queue.pop()) {
        if (context.cancel.cancelled()) {
            break;
        }
        inFlight.push_back(
            {context.pool.submit(std::move(batch->images), context.scale, context.cancel),
             std::move(batch->pts), batch->firstIndex});
        while (inFlight.size() >= maxInFlight) {
            if (auto ok = writeOldest(); !ok) {
                return fail(ok.error());
            }
        }
    }
    queue.close();
    while (!inFlight.empty()) {
        if (auto ok = writeOldest(); !ok) {
            return fail(ok.error());
        }
    }
    readerThread.join();
    if (readError) {
        return fail(*readError);
    }

    cancelled = cancelled || context.cancel.cancelled();
    if (cancelled) {
        if (event.framesDone == 0) {
            return fail(ErrorCode::Cancelled,
                        fmt::format("Cancelled before the first frame of '{}' was saved.",
                                    item.input.string()));
        }
        auto kept = sink->finish(false);
        if (!kept) {
            return fail(kept.error());
        }
        return fail(
            ErrorCode::Cancelled,
            fmt::format("Cancelled after {} of {} frames of '{}'; the part done is kept "
                        "in '{}'.",
                        event.framesDone, event.framesTotal, item.input.string(), kept->string()));
    }
    if (event.framesDone == 0) {
        return fail(ErrorCode::CorruptFile,
                    fmt::format("No frame of '{}' could be decoded. The file may be damaged.",
                                item.input.string()));
    }
    auto written = sink->finish(true);
    if (!written) {
        return fail(written.error());
    }
    if (item.part) {
        event.output = written->string();
    }
    event.kind = core::EventKind::ItemFinished;
    event.framesTotal = event.framesDone;
    event.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    event.framesPerSecond = event.seconds > 0
                                ? static_cast<double>(event.framesDone - firstFrame) / event.seconds
                                : 0.0;
    event.etaSeconds = 0.0;
    log->info("Saved {}: {} frames in {:.1f} s ({:.1f} fps)", event.output, event.framesDone,
              event.seconds, event.framesPerSecond);
    return event;
}

}  // namespace upscale::pipeline
