#pragma once
// A job cut into independent tasks that any machine seeing the same folder can run, in any
// order, any number of times: one task per batch of images and one per closed segment of a
// video. Everything a task writes stays in the farm folder until the join, which checks every
// task's files and writes the final outputs as a one-machine run of the same job would (videos
// joined from their segments without re-encoding, with the source's audio and subtitles).
//
//   <farm>/plan.json                 the settings, the outputs and the tasks
//   <farm>/tasks/000007/             a finished task: its files and done.json (size, SHA-256)
//   <farm>/work/000007.<host>.<pid>/ a task being run; renamed into tasks/ once complete
//   <farm>/failed/000007.json        the last failure of a task that is not done
//   <farm>/joined.jsonl              the final outputs the join has written

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "upscale/core/cancel.hpp"
#include "upscale/core/events.hpp"
#include "upscale/engine/context.hpp"
#include "upscale/pipeline/job.hpp"

namespace upscale::pipeline::farm {

/// One closed segment of a planned video: where the source's frames are cut, as the video
/// writer cuts them (a segment starts at the first frame at least the segment length after the
/// previous segment's first frame).
struct PlannedSegment {
    std::int64_t firstFrame = 0;
    std::int64_t frames = 0;
    std::int64_t firstPts = 0, lastPts = 0;
};

/// A final output of the job.
struct PlannedOutput {
    std::filesystem::path input;
    std::filesystem::path output;
    /// The input's path, size and modification time when planned: a task refuses an input
    /// that changed since.
    std::string inputIdentity;
    bool video = false;
    int width = 0, height = 0;             ///< of the upscaled video
    std::vector<PlannedSegment> segments;  ///< of a video
};

struct PlannedTask {
    std::vector<int> images;  ///< indices into Plan::outputs: a batch of images
    int video = -1;           ///< else: the output of one video segment...
    int segment = -1;         ///< ...and which one
};

struct Plan {
    JobSettings settings;  ///< inputs and output absolute
    std::string modelName;
    std::string modelIdentity;
    double scale = 0.0;
    std::vector<PlannedOutput> outputs;
    std::vector<PlannedTask> tasks;
    std::string digest;  ///< SHA-256 of plan.json: a task's files belong to one plan
};

/// Plans a job: resolves the model (loaded on the CPU, for its name and scale), names the
/// outputs, decodes each video once for its frame times to cut it into segments, and groups
/// images `imagesPerTask` to a task. Errors: those of the settings, the model and the inputs;
/// InvalidArgument for an output that exists (unless overwriting) or frames written as images.
[[nodiscard]] core::Result<Plan> makePlan(engine::Context& context, const JobSettings& settings,
                                          int imagesPerTask);

/// Writes plan.json into `dir` (created). A folder that holds another job's plan is refused
/// (InvalidArgument); the same plan again changes nothing.
[[nodiscard]] core::Result<Plan> savePlan(const std::filesystem::path& dir, Plan plan);

/// Reads `dir`/plan.json. NotFound when there is none, CorruptFile when it cannot be read.
[[nodiscard]] core::Result<Plan> loadPlan(const std::filesystem::path& dir);

enum class TaskState { Done, Failed, Missing };

struct TaskStatus {
    int index = 0;
    TaskState state = TaskState::Missing;
    std::string error;  ///< the last failure's message
    std::string code;   ///< its core::errorCodeName
};

/// Every task's state. A done task's files are checked by size (`thorough`: by SHA-256 too).
[[nodiscard]] std::vector<TaskStatus> taskStates(const std::filesystem::path& dir, const Plan& plan,
                                                 bool thorough = false);

/// Runs task `index`: its images or its segment are written under `dir`/work, checked, and the
/// folder renamed into `dir`/tasks. A task already done and intact is skipped (returns false);
/// a second copy running at the same time cannot corrupt the first. A failure is recorded for
/// taskStates() and returned with its error code (OutOfMemory, DiskFull, Cancelled...). The task
/// is a job on the engine `context`.
[[nodiscard]] core::Result<bool> runTask(engine::Context& context, const std::filesystem::path& dir,
                                         const Plan& plan, int index,
                                         const core::CancelToken& cancel,
                                         const core::EventCallback& onEvent);

struct JoinSummary {
    int written = 0;
    int skipped = 0;  ///< written by an earlier join and unchanged
};

/// Checks every task's files (SHA-256) and writes the final outputs: images renamed into place
/// through a temporary sibling, videos joined from their segments. NotFound naming the tasks
/// that are not done while any is not; InvalidArgument for an existing output (unless the plan
/// overwrites) that an earlier join did not write.
[[nodiscard]] core::Result<JoinSummary> joinTasks(const std::filesystem::path& dir,
                                                  const Plan& plan);

/// Task indices as ranges: {0, 1, 2, 5, 7, 8} -> "0-2,5,7-8" (Slurm's array syntax).
[[nodiscard]] std::string indexRanges(const std::vector<int>& indices);

}  // namespace upscale::pipeline::farm
