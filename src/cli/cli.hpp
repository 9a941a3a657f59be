#pragma once
// The `upscale` command line: parsing into plain settings, and the commands it runs.

#include <string>
#include <vector>

#include "upscale/core/events.hpp"
#include "upscale/pipeline/job.hpp"

namespace upscale::cli {

/// Exit codes: every item succeeded / some failed (the rest still done) / usage error.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

struct Options {
    pipeline::JobSettings job;
    bool listModels = false;
    bool json = false;
    int verbosity = 0;  ///< -1 quiet, 0 normal, 1 verbose
    bool convert = false;
    std::string convertIn;
    std::string convertOut;
    std::string convertDType = "fp16";
};

/// Parses argv. Returns the exit code to stop with (help: 0, usage error: 2), or -1 to go on.
int parseOptions(int argc, char** argv, Options& options);

/// What to do about an error, in the command line's own words (its flags); empty when the
/// error has no remedy.
std::string remedyAdvice(const core::Error& error);

/// One JSON object per line on stdout for an event.
std::string eventToJson(const core::Event& event);

int runListModels(const Options& options);
int runConvert(const Options& options);

}  // namespace upscale::cli
