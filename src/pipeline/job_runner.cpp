#include <chrono>
#include <deque>

#include <fmt/format.h>

#include "resume.hpp"
#include "upscale/core/logging.hpp"
#include "upscale/media/image_io.hpp"
#include "upscale/media/video.hpp"
#include "upscale/models/manifest.hpp"
#include "upscale/pipeline/job.hpp"
#include "upscale/pipeline/worker_pool.hpp"
#include "video_item.hpp"

namespace upscale::pipeline {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

/// Records a finished output for a resumed run; a journal that cannot be written (a full disk)
/// stops the job like any other failed write.
void recordFinished(OutputJournals& journals, const JobItem& item,
                    const std::shared_ptr<spdlog::logger>& log,
                    std::optional<core::Error>& stopped) {
    if (auto recorded = journals.record(item); !recorded) {
        log->warn("{} A resumed run will process '{}' again.", recorded.error().message,
                  item.input.string());
        if (recorded.error().code == core::ErrorCode::DiskFull && !stopped) {
            stopped = recorded.error();
        }
    }
}

/// "photo_x4.png" -> the first of "photo_x4-2.png", "photo_x4-3.png", ... that does not exist.
std::filesystem::path freeNumberedName(const std::filesystem::path& output) {
    std::error_code ec;
    for (int n = 2;; ++n) {
        auto candidate = output;
        candidate.replace_filename(
            fmt::format("{}-{}{}", output.stem().string(), n, output.extension().string()));
        if (!std::filesystem::exists(candidate, ec)) {
            return candidate;
        }
    }
}

}  // namespace

core::Result<void> checkOutput(const std::filesystem::path& output, bool overwrite) {
    std::error_code ec;
    if (std::filesystem::exists(output, ec) && !overwrite) {
        return core::fail(core::ErrorCode::InvalidArgument,
                          fmt::format("The output '{}' already exists.", output.string()),
                          core::Remedy::ReplaceOutput, output.string());
    }
    const auto dir =
        output.parent_path().empty() ? std::filesystem::path(".") : output.parent_path();
    if (!std::filesystem::is_directory(dir, ec)) {
        std::filesystem::create_directories(dir, ec);
        if (ec) {
            return core::fail(core::ErrorCode::Io,
                              fmt::format("Cannot create the output folder '{}': {}.", dir.string(),
                                          ec.message()),
                              core::Remedy::ChooseOutput, dir.string());
        }
    }
    return {};
}

core::Result<models::ModelRef> resolveJobModel(const JobSettings& settings) {
    auto manifest = models::loadAvailableModels();
    if (!manifest) {
        return core::fail(manifest.error());
    }
    std::string modelName = settings.model;
    if (modelName.empty()) {
        const auto* def = manifest->defaultModel();
        if (def == nullptr) {
            return core::fail(core::ErrorCode::NotFound, "No bundled model was found.",
                              core::Remedy::ChooseModel);
        }
        modelName = def->id;
    }
    return models::resolveModel(modelName, *manifest);
}

core::Result<void> JobSettings::validate() const {
    if (inputs.empty()) {
        return core::fail(core::ErrorCode::InvalidArgument,
                          "No input given: name at least one image or video file, or a "
                          "folder of images.");
    }
    if (scale < 0.0 || scale > 16.0) {
        return core::fail(core::ErrorCode::InvalidArgument,
                          fmt::format("Output scale {} is out of range: use a value above 0 and "
                                      "at most 16.",
                                      scale));
    }
    if (!format.empty() && !media::hasImageExtension("x." + format) &&
        !media::hasVideoOutputExtension("x." + format) &&
        !media::hasAnimationOutputExtension("x." + format)) {
        return core::fail(core::ErrorCode::InvalidArgument,
                          fmt::format("Unknown output format '{}'. Use png, jpg, webp, tif or "
                                      "bmp for images, mp4, mkv, mov or webm for videos, gif or "
                                      "webp for animations.",
                                      format));
    }
    if (!videoFormat.empty() && !media::hasVideoOutputExtension("x." + videoFormat) &&
        !media::hasAnimationOutputExtension("x." + videoFormat)) {
        return core::fail(core::ErrorCode::InvalidArgument,
                          fmt::format("Unknown video output format '{}'. Use mp4, mkv, mov or "
                                      "webm, or gif or webp for an animation.",
                                      videoFormat));
    }
    if (auto valid = video.validate(); !valid) {
        return valid;
    }
    if (auto pattern = validateNamePattern(namePattern); !pattern) {
        return pattern;
    }
    if (!(segmentSeconds > 0.0) || segmentSeconds > 3600.0) {
        return core::fail(core::ErrorCode::InvalidArgument,
                          fmt::format("Segment length {} s is out of range: use more than 0 and "
                                      "at most 3600 seconds.",
                                      segmentSeconds));
    }
    return engine.validate();
}

JobRunner::JobRunner(JobSettings settings, core::EventCallback onEvent)
    : m_settings(std::move(settings)), m_onEvent(std::move(onEvent)) {}

core::Result<JobSummary> JobRunner::run(const core::CancelToken& cancel) {
    const auto jobStart = Clock::now();
    auto log = core::logger("pipeline");
    if (auto valid = m_settings.validate(); !valid) {
        return core::fail(valid.error());
    }

    auto ref = resolveJobModel(m_settings);
    if (!ref) {
        return core::fail(ref.error());
    }
    auto pool = WorkerPool::create(*ref, m_settings.engine, m_settings.devices);
    if (!pool) {
        return core::fail(pool.error());
    }
    const auto& info = (*pool)->info();
    const double scale = m_settings.scale > 0.0 ? m_settings.scale : info.spec.scale;
    const auto items = m_items ? *m_items : planItems(m_settings, scale, info.modelName);
    OutputJournals journals(
        resultFingerprint(m_settings, info.modelIdentity, info.precision, scale),
        m_settings.resume);

    core::Event started{.kind = core::EventKind::JobStarted};
    started.itemCount = static_cast<int>(items.size());
    m_onEvent(started);
    log->info("Upscaling {} item(s) with {} on {} ({}, {}x output, {} worker(s))", items.size(),
              info.modelName, (*pool)->deviceNames(), info.precision, scale, (*pool)->workers());

    JobSummary summary;
    // Items in flight, oldest first: their results are written in this order, so events and
    // files come out in queue order whatever the worker count.
    struct InFlight {
        JobItem item;
        core::Event event;
        Clock::time_point start;
        std::future<WorkerPool::BatchResult> result;
    };
    std::deque<InFlight> inFlight;
    const auto maxInFlight = static_cast<std::size_t>(2 * (*pool)->workers());

    // The identity of item i in its events.
    auto itemEvent = [&](std::size_t i) {
        core::Event ev;
        ev.input = items[i].input.string();
        ev.output = items[i].output.string();
        ev.itemIndex = static_cast<int>(i);
        ev.itemCount = static_cast<int>(items.size());
        ev.framesTotal = 1;
        return ev;
    };
    // A full disk stops the job: every later item would fail the same way.
    std::optional<core::Error> stopped;
    auto failItem = [&](core::Event ev, const core::Error& error, Clock::time_point start) {
        ++(error.code == core::ErrorCode::Cancelled ? summary.cancelled : summary.failed);
        if (error.code == core::ErrorCode::DiskFull && !stopped) {
            stopped = error;
        }
        ev.kind = core::EventKind::ItemFailed;
        ev.error = error;
        ev.seconds = secondsSince(start);
        if (error.code == core::ErrorCode::Cancelled) {
            log->warn("{}", error.message);
        } else {
            log->error("{}", error.message);
        }
        m_onEvent(ev);
    };

    auto finishOldest = [&]() {
        InFlight done = std::move(inFlight.front());
        inFlight.pop_front();
        auto result = done.result.get();
        if (!result) {
            if (result.error().code != core::ErrorCode::Cancelled) {
                failItem(done.event, result.error().withContext(done.event.input), done.start);
            }
            return;
        }
        const core::Image& image = result->front();
        if (auto written = media::writeImage(done.event.output, image, m_settings.writeOptions);
            !written) {
            failItem(done.event, written.error(), done.start);
            return;
        }
        recordFinished(journals, done.item, log, stopped);
        ++summary.succeeded;
        const double seconds = secondsSince(done.start);
        core::Event batch = done.event;
        batch.kind = core::EventKind::Batch;
        batch.batchIndex = 1;
        batch.framesInBatch = 1;
        batch.framesDone = 1;
        batch.outputWidth = image.width();
        batch.outputHeight = image.height();
        batch.framesPerSecond = seconds > 0 ? 1.0 / seconds : 0.0;
        batch.etaSeconds = 0.0;
        batch.seconds = seconds;
        log->info("Batch 1: 1 frame upscaled and saved: {} ({}x{} -> {}x{}, {:.2f} s)",
                  batch.output, batch.inputWidth, batch.inputHeight, image.width(), image.height(),
                  seconds);
        m_onEvent(batch);
        batch.kind = core::EventKind::ItemFinished;
        m_onEvent(batch);
    };

    std::size_t next = 0;
    for (; next < items.size() && !cancel.cancelled() && !stopped; ++next) {
        const std::size_t i = next;
        JobItem item = items[i];
        const auto itemStart = Clock::now();
        core::Event ev = itemEvent(i);
        core::Event itemStarted = ev;
        itemStarted.kind = core::EventKind::ItemStarted;
        m_onEvent(itemStarted);
        if (!item.error.empty()) {
            failItem(ev,
                     core::Error{core::ErrorCode::InvalidArgument, item.error, item.remedy,
                                 item.output.string()},
                     itemStart);
            continue;
        }
        // An item is skipped when an earlier run finished it, or when its output exists and
        // the job says to keep existing outputs.
        auto skip = [&](std::string_view reason) {
            ++summary.succeeded;
            ++summary.skipped;
            log->info("Skipped {}: {} {}.", item.input.string(), item.output.string(), reason);
            core::Event skipped = ev;
            skipped.kind = core::EventKind::ItemFinished;
            skipped.skipped = true;
            skipped.framesTotal = 0;
            m_onEvent(skipped);
        };
        if (journals.finishedBefore(item)) {
            skip("was finished by an earlier run and is unchanged");
            continue;
        }
        std::error_code ec;
        if (!m_settings.overwrite && m_settings.existing != JobSettings::ExistingOutput::Refuse &&
            m_settings.framesOut.empty() && std::filesystem::exists(item.output, ec)) {
            if (m_settings.existing == JobSettings::ExistingOutput::Skip) {
                skip("already exists");
                continue;
            }
            item.output = freeNumberedName(item.output);
            ev.output = item.output.string();
            log->info("{} exists: writing {} beside it.", items[i].output.string(),
                      item.output.string());
        }
        if (media::isVideoInput(item.input)) {
            // A video is written batch by batch as it goes; the images before it finish first
            // so that files and events stay in queue order.
            while (!inFlight.empty()) {
                finishOldest();
            }
            auto finished = runVideoItem(
                item, ev, {m_settings, **pool, scale, cancel, m_onEvent, journals.fingerprint()});
            if (!finished) {
                failItem(ev, finished.error(), itemStart);
                continue;
            }
            if (!item.part) {
                recordFinished(journals, item, log, stopped);
            }
            ++summary.succeeded;
            m_onEvent(*finished);
            continue;
        }
        auto image = media::readImage(item.input, m_settings.readLimits);
        if (!image) {
            failItem(ev, image.error(), itemStart);
            continue;
        }
        ev.inputWidth = image->width();
        ev.inputHeight = image->height();
        if (auto ok = checkOutput(item.output, m_settings.overwrite); !ok) {
            failItem(ev, ok.error(), itemStart);
            continue;
        }
        std::vector<core::Image> frames;
        frames.push_back(std::move(*image));
        inFlight.push_back(
            {item, ev, itemStart, (*pool)->submit(std::move(frames), scale, cancel)});
        while (inFlight.size() >= maxInFlight) {
            finishOldest();
        }
    }
    while (!inFlight.empty()) {
        finishOldest();
    }
    if (stopped) {
        log->error(
            "The job stopped: {} Every finished output is kept; resume the job once there is "
            "space.",
            stopped->message);
        for (; next < items.size(); ++next) {
            core::Event ev = itemEvent(next);
            ev.kind = core::EventKind::ItemFailed;
            ev.error = core::Error{core::ErrorCode::DiskFull,
                                   "Not started: the job stopped because the disk is full.",
                                   core::Remedy::Resume, items[next].input.string()};
            ++summary.failed;
            m_onEvent(ev);
        }
    } else if (summary.failed == 0 && !cancel.cancelled()) {
        journals.removeAll();
    }

    summary.seconds = secondsSince(jobStart);
    if (cancel.cancelled()) {
        log->warn("Cancelled: {} item(s) finished before the cancel were kept.", summary.succeeded);
    }
    if (summary.skipped > 0) {
        log->info("Finished: {} succeeded ({} finished by an earlier run), {} failed in {:.1f} s",
                  summary.succeeded, summary.skipped, summary.failed, summary.seconds);
    } else {
        log->info("Finished: {} succeeded, {} failed in {:.1f} s", summary.succeeded,
                  summary.failed, summary.seconds);
    }
    core::Event done{.kind = core::EventKind::JobFinished};
    done.itemCount = static_cast<int>(items.size());
    done.itemsSucceeded = summary.succeeded;
    done.itemsFailed = summary.failed;
    done.itemsSkipped = summary.skipped;
    done.itemsCancelled = summary.cancelled;
    done.seconds = summary.seconds;
    m_onEvent(done);
    return summary;
}

}  // namespace upscale::pipeline
