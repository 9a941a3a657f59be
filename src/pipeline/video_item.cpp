#include <chrono>
#include <limits>
#include <thread>

#include <fmt/format.h>

#include "frame_queue.hpp"
#include "item_runner.hpp"
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

/// Frames decoded together and submitted to the worker pool as one task.
struct FrameGroup {
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

/// One video item, from its reader thread to its writer.
class VideoItem {
public:
    VideoItem(const JobItem& item, ItemScope& scope, const ItemContext& context)
        : m_item(item), m_scope(scope), m_event{scope.identity()}, m_context(context) {}

    /// The item's ItemFinished event, or why it failed or was cancelled.
    core::Result<core::ItemFinished> run();

private:
    /// The reader thread: decodes the frames after the resume point, in groups of
    /// framesPerSubmission, into the bounded queue.
    void readAhead(media::VideoReader& reader);
    /// Writes one upscaled batch to the sink, in order, and reports it.
    core::Result<void> writeBatch(WorkerPool::BatchResult result,
                                  const std::vector<std::int64_t>& pts, std::int64_t firstIndex);
    /// Completes or keeps the output once every batch is written.
    core::Result<core::ItemFinished> end(bool cancelled);

    const JobItem& m_item;
    ItemScope& m_scope;
    core::Batch m_event;  ///< the item's progress so far: its last batch
    const ItemContext& m_context;
    Clock::time_point m_start = Clock::now();
    std::optional<FrameSink> m_sink;
    std::int64_t m_firstFrame = 0;
    std::int64_t m_endFrame = std::numeric_limits<std::int64_t>::max();
    // The reader runs ahead by at most two groups: decoding overlaps upscaling, memory stays
    // flat however long the video is.
    BoundedQueue<FrameGroup> m_queue{2};
    std::optional<core::Error> m_readError;
};

void VideoItem::readAhead(media::VideoReader& reader) {
    const core::CancelToken& cancel = m_context.cancel;
    for (std::int64_t i = 0; i < m_firstFrame && !cancel.cancelled(); ++i) {
        auto skipped = reader.skip();
        if (!skipped || !*skipped) {
            if (!skipped) {
                m_readError = skipped.error();
            }
            m_queue.close();
            return;
        }
    }
    FrameGroup group;
    for (std::int64_t i = m_firstFrame; i < m_endFrame && !cancel.cancelled(); ++i) {
        auto frame = reader.read();
        if (!frame) {
            m_readError = frame.error();
            break;
        }
        if (!*frame) {
            break;
        }
        if (group.images.empty()) {
            group.firstIndex = (*frame)->index;
        }
        group.images.push_back(std::move((*frame)->image));
        group.pts.push_back((*frame)->pts);
        if (group.images.size() == m_context.framesPerSubmission) {
            if (!m_queue.push(std::move(group))) {
                return;
            }
            group = {};
        }
    }
    if (!group.images.empty()) {
        m_queue.push(std::move(group));
    }
    m_queue.close();
}

core::Result<void> VideoItem::writeBatch(WorkerPool::BatchResult result,
                                         const std::vector<std::int64_t>& pts,
                                         std::int64_t firstIndex) {
    if (!result) {
        if (result.error().code == ErrorCode::Cancelled) {
            return fail(result.error());
        }
        return fail(result.error().withContext(m_item.input.string()));
    }
    for (std::size_t i = 0; i < result->size(); ++i) {
        media::VideoFrame frame{std::move((*result)[i]), pts[i],
                                firstIndex + static_cast<std::int64_t>(i)};
        if (auto written = m_sink->write(frame); !written) {
            return written;
        }
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - m_start).count();
    core::Batch ev = m_event;
    ev.batchIndex = m_event.batchIndex + 1;
    ev.framesInBatch = static_cast<int>(result->size());
    ev.framesDone = m_event.framesDone + ev.framesInBatch;
    ev.framesPerSecond =
        seconds > 0 ? static_cast<double>(ev.framesDone - m_firstFrame) / seconds : 0.0;
    ev.etaSeconds = ev.framesTotal > 0 && ev.framesPerSecond > 0
                        ? std::max<double>(0, ev.framesTotal - ev.framesDone) / ev.framesPerSecond
                        : -1.0;
    ev.seconds = seconds;
    m_event.batchIndex = ev.batchIndex;
    m_event.framesDone = ev.framesDone;
    core::logger("pipeline")
        ->info("Batch {}: {} frame{} upscaled and saved ({}/{} frames, {:.1f} fps, ETA {})",
               ev.batchIndex, ev.framesInBatch, ev.framesInBatch == 1 ? "" : "s", ev.framesDone,
               ev.framesTotal, ev.framesPerSecond,
               ev.etaSeconds < 0 ? std::string("unknown") : fmt::format("{:.0f} s", ev.etaSeconds));
    m_scope.batch(ev);
    return {};
}

core::Result<core::ItemFinished> VideoItem::run() {
    auto log = core::logger("pipeline");
    auto opened = media::VideoReader::open(m_item.input, m_context.settings.readLimits);
    if (!opened) {
        return fail(opened.error());
    }
    media::VideoReader& reader = **opened;
    const media::VideoProbe& probe = reader.probe();
    const auto [outWidth, outHeight] =
        m_context.pool.outputSize(probe.width, probe.height, m_context.scale);
    m_event.inputWidth = probe.width;
    m_event.inputHeight = probe.height;
    m_event.outputWidth = outWidth;
    m_event.outputHeight = outHeight;
    m_event.framesTotal = probe.frameCount;
    auto sink = openSink(m_item, m_context.settings, m_context.journals.fingerprint(), probe,
                         outWidth, outHeight);
    if (!sink) {
        return fail(sink.error());
    }
    m_sink.emplace(std::move(*sink));
    reader.keepAlpha(m_sink->keepsAlpha());
    if (!m_context.settings.framesOut.empty() && !m_item.part) {
        m_event.output = m_context.settings.framesOut.string();
    }
    // A part ends where the next segment begins; a whole video at its end.
    if (m_item.part) {
        m_endFrame = m_item.part->firstFrame + m_item.part->frames;
        m_event.framesTotal = m_endFrame;
    }
    log->info("{}: {}x{} {} {}, {} frame(s){} -> {}x{}", m_item.input.string(), probe.width,
              probe.height, probe.codec, probe.pixelFormat, probe.frameCount,
              probe.frameCountEstimated ? " (estimated)" : "", outWidth, outHeight);
    // Frames before this one were finished by an earlier run: they are decoded, not upscaled.
    m_firstFrame = m_sink->resumeFrame(m_context.settings.resume);
    if (m_firstFrame > 0 && !m_item.part) {
        log->info(
            "Resuming {}: {} frame(s){} were finished by an earlier run; continuing at "
            "frame {}.",
            m_item.input.string(), m_firstFrame,
            m_sink->segmentsDone() > 0
                ? fmt::format(" in {} closed segment(s)", m_sink->segmentsDone())
                : std::string(),
            m_firstFrame + 1);
    }
    m_event.framesDone = m_firstFrame;

    std::jthread readerThread([this, &reader] { readAhead(reader); });
    // Declared after the thread so that it runs first on every way out: a closed queue
    // unblocks the reader, which the thread's destructor then joins.
    struct Closer {
        BoundedQueue<FrameGroup>& queue;
        ~Closer() { queue.close(); }
    } closer{m_queue};

    InFlightWriter& writer = m_context.writer;
    while (auto group = m_queue.pop()) {
        if (m_context.cancel.cancelled()) {
            break;
        }
        auto submitted =
            writer.submit(std::move(group->images),
                          [this, pts = std::move(group->pts),
                           firstIndex = group->firstIndex](WorkerPool::BatchResult result) {
                              return writeBatch(std::move(result), pts, firstIndex);
                          });
        if (!submitted) {
            break;
        }
    }
    m_queue.close();
    auto written = writer.drain();
    readerThread.join();
    bool cancelled = false;
    if (!written) {
        if (written.error().code != ErrorCode::Cancelled) {
            return fail(written.error());
        }
        cancelled = true;
    }
    if (m_readError) {
        return fail(*m_readError);
    }
    return end(cancelled || m_context.cancel.cancelled());
}

core::Result<core::ItemFinished> VideoItem::end(bool cancelled) {
    if (cancelled) {
        if (m_event.framesDone == 0) {
            return fail(ErrorCode::Cancelled,
                        fmt::format("Cancelled before the first frame of '{}' was saved.",
                                    m_item.input.string()));
        }
        auto kept = m_sink->finish(false);
        if (!kept) {
            return fail(kept.error());
        }
        return fail(ErrorCode::Cancelled,
                    fmt::format("Cancelled after {} of {} frames of '{}'; the part done is kept "
                                "in '{}'.",
                                m_event.framesDone, m_event.framesTotal, m_item.input.string(),
                                kept->string()));
    }
    if (m_event.framesDone == 0) {
        return fail(ErrorCode::CorruptFile,
                    fmt::format("No frame of '{}' could be decoded. The file may be damaged.",
                                m_item.input.string()));
    }
    auto written = m_sink->finish(true);
    if (!written) {
        return fail(written.error());
    }
    if (m_item.part) {
        m_event.output = written->string();
    }
    m_event.framesTotal = m_event.framesDone;
    m_event.seconds = std::chrono::duration<double>(Clock::now() - m_start).count();
    m_event.framesPerSecond =
        m_event.seconds > 0
            ? static_cast<double>(m_event.framesDone - m_firstFrame) / m_event.seconds
            : 0.0;
    m_event.etaSeconds = 0.0;
    core::logger("pipeline")
        ->info("Saved {}: {} frames in {:.1f} s ({:.1f} fps)", m_event.output, m_event.framesDone,
               m_event.seconds, m_event.framesPerSecond);
    return core::ItemFinished{m_event, m_event};
}

class VideoRunner final : public ItemRunner {
public:
    void run(const JobItem& item, std::shared_ptr<ItemScope> scope,
             const ItemContext& context) override {
        // A video is written batch by batch as it goes; the images before it finish first so
        // that files and events stay in queue order.
        static_cast<void>(context.writer.drain());
        VideoItem video(item, *scope, context);
        auto finished = video.run();
        if (!finished) {
            scope->failed(finished.error());
            return;
        }
        if (!item.part) {
            recordFinished(context, item);
        }
        scope->finished(*finished);
    }
};

}  // namespace

std::unique_ptr<ItemRunner> makeVideoRunner() {
    return std::make_unique<VideoRunner>();
}

}  // namespace upscale::pipeline
