#pragma once
// The `upscale` command line: parsing into plain settings, and the commands it runs.

#include <string>
#include <vector>

#include "upscale/core/events.hpp"
#include "upscale/engine/context.hpp"
#include "upscale/pipeline/job.hpp"

namespace upscale::cli {

/// Exit codes: every item succeeded / some failed (the rest still done) / usage error / a farm
/// task failed in a way worth retrying (EX_TEMPFAIL: out of memory, a full disk, a cancel).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitRetry = 75;

/// `upscale farm plan|run|status|join|slurm`.
struct FarmOptions {
    std::string command;  ///< empty: not a farm command
    std::string dir;
    int task = -1;
    int imagesPerTask = 16;
    bool failedOnly = false;  ///< status: the indices of the tasks not done, as array ranges
    std::string partition;
    int gpusPerTask = 1;
    int maxParallel = 0;  ///< 0: no limit
    std::string time;     ///< Slurm's time limit per task, e.g. "2:00:00"
    std::string tasks;    ///< slurm: only these tasks (array ranges), as status --failed prints
    bool tasksGiven = false;
    bool submit = false;
    bool deviceGiven = false;  ///< run: -d overrides the plan's device
};

struct Options {
    pipeline::JobSettings job;
    bool listModels = false;
    bool json = false;
    int verbosity = 0;  ///< -1 quiet, 0 normal, 1 verbose
    bool convert = false;
    std::string convertIn;
    std::string convertOut;
    std::string convertDType = "fp16";
    FarmOptions farm;
};

/// Parses argv. Returns the exit code to stop with (help: 0, usage error: 2), or -1 to go on.
int parseOptions(int argc, char** argv, Options& options);

/// What to do about an error, in the command line's own words (its flags); empty when the
/// error has no remedy.
std::string remedyAdvice(const core::Error& error);

/// One JSON object per line on stdout for an event.
std::string eventToJson(const core::Event& event);

/// "cpu", "cuda:0,cuda:1", "cpu,cpu" or "all" (every GPU, else the CPU) into the job's devices.
[[nodiscard]] std::string parseDevices(const std::string& text, pipeline::JobSettings& job);

int runListModels(const Options& options);
/// Runs a farm command on the engine `context`; the cancel token stops a task between batches
/// (exit 75).
int runFarm(const Options& options, engine::Context& context, const core::CancelToken& cancel);
/// Writes the Slurm scripts of a planned farm folder and, when asked, submits them.
int runFarmSlurm(const Options& options);
int runConvert(const Options& options);

}  // namespace upscale::cli
