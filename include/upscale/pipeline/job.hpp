#pragma once
// A job: inputs (files and folders), one model and its settings, where the results go. The
// JobRunner plans one item per input image or video, runs them in order and reports every step
// through events. A bad item fails alone: the rest of the queue goes on.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "upscale/core/cancel.hpp"
#include "upscale/core/events.hpp"
#include "upscale/core/settings.hpp"
#include "upscale/engine/context.hpp"
#include "upscale/media/image_io.hpp"
#include "upscale/media/video_writer.hpp"

namespace upscale::pipeline {

struct JobSettings {
    std::vector<std::filesystem::path> inputs;
    /// Empty: beside each input as <stem>_x<scale>.<ext>. For a single input file, a path with an
    /// image or video extension that is not an existing folder is the output file; otherwise a
    /// folder.
    std::filesystem::path output;
    std::string model;   ///< manifest id or model file path; empty = the default model
    double scale = 0.0;  ///< output scale; 0 = the model's native scale
    /// Output extension without the dot ("png", "mkv"); empty = the input's (MP4 for videos in a
    /// container we do not write, such as GIF or AVI).
    std::string format;
    /// Output extension for video inputs ("mkv"); empty = `format`. Lets a queue of images and
    /// videos give each kind its own format.
    std::string videoFormat;
    /// Output file name without its extension: {name} is the input's name without extension,
    /// {scale} the output scale, {model} the model's name.
    std::string namePattern = "{name}_x{scale}";
    bool overwrite = false;  ///< replace existing output files (never an input)
    /// What happens to an item whose output already exists, when `overwrite` is off: it fails
    /// (Refuse), is skipped and counted as skipped (Skip), or is written under the first free
    /// numbered name, "photo_x4-2.png" (KeepBoth).
    enum class ExistingOutput { Refuse, Skip, KeepBoth };
    ExistingOutput existing = ExistingOutput::Refuse;
    core::EngineSettings engine;
    /// Several devices, each with engine.workers workers and a model copy of its own; images
    /// and video batches go to whichever is free. Empty: engine.device alone.
    std::vector<core::DeviceSpec> devices;
    media::ImageWriteOptions writeOptions;
    /// Inputs larger than these are refused from their headers, before they are decoded.
    media::ReadLimits readLimits;
    media::VideoWriteOptions video;
    /// When set, a video's frames are written as PNG files into this folder
    /// ("<stem>_000001.png", ...) instead of a video file.
    std::filesystem::path framesOut;
    /// Skip the outputs an earlier, interrupted run of the same job finished (verified by their
    /// size and SHA-256), and continue each interrupted video after its last closed segment.
    bool resume = false;
    /// Length of the closed segments a video is written in: at most this much is encoded again
    /// when an interrupted video is resumed.
    double segmentSeconds = 5.0;

    [[nodiscard]] core::Result<void> validate() const;
};

/// One closed segment of a video, written on its own (on another device or machine) and joined
/// with the others later: the frames before it are decoded, not upscaled.
struct VideoPart {
    int index = 0;                 ///< the segment's number in the video, from 0
    std::int64_t firstFrame = 0;   ///< its first frame in the source
    std::int64_t frames = 0;       ///< how many frames it holds
    std::filesystem::path folder;  ///< where its file (media::segmentFileName(index)) goes
};

/// One planned unit of work: an input and where its result goes.
struct JobItem {
    std::filesystem::path input;
    /// For a video part, names the container and codec only: nothing is written there.
    std::filesystem::path output;
    std::string error;              ///< set when planning already knows the item cannot run
    std::optional<VideoPart> part;  ///< set: only this segment of the video is written
    core::Remedy remedy = core::Remedy::None;  ///< what the user can do about `error`
};

struct JobSummary {
    int succeeded = 0;  ///< skipped items included
    int skipped = 0;    ///< finished by an earlier run (--resume)
    int failed = 0;
    int cancelled = 0;  ///< stopped part-way by a cancel; not counted as failed
    double seconds = 0.0;
};

/// Expands folders (their image files, sorted by name, not recursive) and names every output.
/// `scale` is the effective output scale, used in the default name.
[[nodiscard]] std::vector<JobItem> planItems(const JobSettings& settings, double scale,
                                             const std::string& modelName = "");

/// The output file name of an input: the name pattern filled in, then the extension of
/// `format` (or of the input). "photo_x4.png", "photo_x1.5.png", "photo-anime.webp".
[[nodiscard]] std::string outputFileName(const std::filesystem::path& input, double scale,
                                         const std::string& format,
                                         const std::string& namePattern = "{name}_x{scale}",
                                         const std::string& modelName = "");

/// InvalidArgument for an empty pattern, one with a folder separator, or an unknown
/// placeholder.
[[nodiscard]] core::Result<void> validateNamePattern(const std::string& pattern);

class JobRunner {
public:
    /// `onEvent` is called on the thread that calls run(), in order. The job runs on the front
    /// end's engine `context` (its models and devices), with engine state of its own.
    JobRunner(engine::Context& context, JobSettings settings, core::EventCallback onEvent);

    /// Runs the whole job. An error means the job could not start (bad settings, a model that
    /// cannot be found or loaded) or stopped on an exception (one thrown by `onEvent`, or a bug):
    /// that comes back as an Error, never out of run(). Item failures are reported as events and
    /// counted instead.
    [[nodiscard]] core::Result<JobSummary> run(const core::CancelToken& cancel);

    /// Runs these items, in order, instead of planning them from the inputs.
    void setItems(std::vector<JobItem> items) { m_items = std::move(items); }

private:
    [[nodiscard]] core::Result<JobSummary> runUnguarded(const core::CancelToken& cancel);

    engine::Context& m_context;
    JobSettings m_settings;
    std::optional<std::vector<JobItem>> m_items;
    core::EventCallback m_onEvent;
};

}  // namespace upscale::pipeline
