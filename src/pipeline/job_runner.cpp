#include <chrono>

#include <fmt/format.h>

#include "item_runner.hpp"
#include "resume.hpp"
#include "upscale/core/barrier.hpp"
#include "upscale/core/logging.hpp"
#include "upscale/media/formats.hpp"
#include "upscale/media/image_io.hpp"
#include "upscale/media/video.hpp"
#include "upscale/models/manifest.hpp"
#include "upscale/pipeline/job.hpp"
#include "upscale/pipeline/worker_pool.hpp"

namespace upscale::pipeline {

namespace {

using Clock = std::chrono::steady_clock;

std::string imageFormatChoice() {
    return media::extensionChoice(media::filesOf(media::imageFormats()), media::FormatUse::Write,
                                  false);
}

std::string videoFormatChoice() {
    return media::extensionChoice(media::filesOf(media::videoContainers()), media::FormatUse::Write,
                                  false);
}

std::string animationFormatChoice() {
    return media::extensionChoice(media::filesOf(media::animationFormats()),
                                  media::FormatUse::Write, false);
}

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
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
        return core::fail(
            core::ErrorCode::InvalidArgument,
            fmt::format("Unknown output format '{}'. Use {} for images, {} for "
                        "videos, {} for animations.",
                        format, imageFormatChoice(), videoFormatChoice(), animationFormatChoice()));
    }
    if (!videoFormat.empty() && !media::hasVideoOutputExtension("x." + videoFormat) &&
        !media::hasAnimationOutputExtension("x." + videoFormat)) {
        return core::fail(core::ErrorCode::InvalidArgument,
                          fmt::format("Unknown video output format '{}'. Use {}, or {} for an "
                                      "animation.",
                                      videoFormat, videoFormatChoice(), animationFormatChoice()));
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

std::size_t framesPerSubmission(const JobSettings& settings) {
    return static_cast<std::size_t>(settings.engine.batch);
}

JobRunner::JobRunner(engine::Context& context, JobSettings settings, core::EventCallback onEvent)
    : m_context(context), m_settings(std::move(settings)), m_onEvent(std::move(onEvent)) {}

core::Result<JobSummary> JobRunner::run(const core::CancelToken& cancel) {
    return core::guarded("running the job", [&] { return runUnguarded(cancel); });
}

core::Result<JobSummary> JobRunner::runUnguarded(const core::CancelToken& cancel) {
    const auto jobStart = Clock::now();
    auto log = core::logger("pipeline");
    if (auto valid = m_settings.validate(); !valid) {
        return core::fail(valid.error());
    }

    auto ref = resolveJobModel(m_settings);
    if (!ref) {
        return core::fail(ref.error());
    }
    auto pool = WorkerPool::create(m_context, *ref, m_settings.engine, m_settings.devices);
    if (!pool) {
        return core::fail(pool.error());
    }
    const auto& info = (*pool)->info();
    const double scale = m_settings.scale > 0.0 ? m_settings.scale : info.spec.scale;
    const auto items = m_items ? *m_items : planItems(m_settings, scale, info.modelName);
    OutputJournals journals(
        resultFingerprint(m_settings, info.modelIdentity, info.precision, scale),
        m_settings.resume);

    m_onEvent(core::JobStarted{static_cast<int>(items.size())});
    log->info("Upscaling {} item(s) with {} on {} ({}, {}x output, {} worker(s))", items.size(),
              info.modelName, (*pool)->deviceNames(), engine::precisionName(info.precision), scale,
              (*pool)->workers());

    JobLedger ledger(m_onEvent, cancel, items.size());
    // Items in flight are written oldest first, so events and files come out in queue order
    // whatever the worker count.
    InFlightWriter writer(**pool, scale, cancel);
    const ItemContext context{m_settings, **pool,   scale,  framesPerSubmission(m_settings),
                              cancel,     journals, ledger, writer};
    const auto imageRunner = makeImageRunner();
    const auto videoRunner = makeVideoRunner();

    std::size_t next = 0;
    for (; next < items.size() && !cancel.cancelled() && !ledger.stopped(); ++next) {
        JobItem item = items[next];
        auto scope = ledger.start(next, item);
        if (!item.error.empty()) {
            scope->failed(core::Error{core::ErrorCode::InvalidArgument, item.error, item.remedy,
                                      item.output.string()});
            continue;
        }
        // An item is skipped when an earlier run finished it, or when its output exists and
        // the job says to keep existing outputs.
        if (journals.finishedBefore(item)) {
            scope->skipped("was finished by an earlier run and is unchanged");
            continue;
        }
        std::error_code ec;
        if (!m_settings.overwrite && m_settings.existing != JobSettings::ExistingOutput::Refuse &&
            m_settings.framesOut.empty() && std::filesystem::exists(item.output, ec)) {
            if (m_settings.existing == JobSettings::ExistingOutput::Skip) {
                scope->skipped("already exists");
                continue;
            }
            item.output = freeNumberedName(item.output);
            scope->identity().output = item.output.string();
            log->info("{} exists: writing {} beside it.", items[next].output.string(),
                      item.output.string());
        }
        ItemRunner& runner = media::isVideoInput(item.input) ? *videoRunner : *imageRunner;
        runner.run(item, std::move(scope), context);
    }
    // Image finish steps report their item's failures themselves and never stop the writer.
    static_cast<void>(writer.drain());
    if (ledger.stopped()) {
        log->error(
            "The job stopped: {} Every finished output is kept; resume the job once there is "
            "space.",
            ledger.stopped()->message);
        for (; next < items.size(); ++next) {
            ledger.notStarted(next, items[next],
                              core::Error{core::ErrorCode::DiskFull,
                                          "Not started: the job stopped because the disk is full.",
                                          core::Remedy::Resume, items[next].input.string()});
        }
    } else if (ledger.summary().failed == 0 && !cancel.cancelled()) {
        journals.removeAll();
    }

    const double seconds = secondsSince(jobStart);
    const JobSummary& summary = ledger.summary();
    if (cancel.cancelled()) {
        log->warn("Cancelled: {} item(s) finished before the cancel were kept.", summary.succeeded);
    }
    if (summary.skipped > 0) {
        log->info("Finished: {} succeeded ({} finished by an earlier run), {} failed in {:.1f} s",
                  summary.succeeded, summary.skipped, summary.failed, seconds);
    } else {
        log->info("Finished: {} succeeded, {} failed in {:.1f} s", summary.succeeded,
                  summary.failed, seconds);
    }
    ledger.finishJob(seconds);
    return ledger.summary();
}

}  // namespace upscale::pipeline
