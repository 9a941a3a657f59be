#pragma once
// The `upscale` executable run as a user runs it, on the CPU, with its output captured.

#include <string>

#include "common/test_paths.hpp"
#include "common/video_clips.hpp"

namespace upscale::test {

/// The command line's path and the options every test run shares, ready for more arguments.
inline std::string cliCommand() {
    return std::string(UPSCALE_CLI_PATH) + " --device cpu ";
}

/// Runs the command line with `args`: its exit code and its output (stdout and stderr together).
inline CommandResult upscaleCli(const std::string& args) {
    return runCommand(cliCommand() + args + " 2>&1");
}

}  // namespace upscale::test
