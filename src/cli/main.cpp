// upscale: the command-line front end over the pipeline.

#include <csignal>
#include <iostream>

#include "cli.hpp"
#include "upscale/core/barrier.hpp"
#include "upscale/core/logging.hpp"

namespace {

upscale::core::CancelToken gCancel;

extern "C" void onInterrupt(int) {
    // First Ctrl-C: cancel between batches and keep what is done. Second: the default action.
    gCancel.cancel();
    std::signal(SIGINT, SIG_DFL);
}

int runCommand(int argc, char** argv) {
    using namespace upscale;
    // Past the file size limit (ulimit -f) a write must fail with an error we report (EFBIG, a
    // full disk), not kill the process.
    std::signal(SIGXFSZ, SIG_IGN);
    cli::Options options;
    if (const int code = cli::parseOptions(argc, argv, options); code >= 0) {
        return code;
    }

    core::LogOptions logOptions;
    logOptions.consoleLevel = options.verbosity < 0   ? spdlog::level::warn
                              : options.verbosity > 0 ? spdlog::level::debug
                                                      : spdlog::level::info;
    core::setupLogging(logOptions);

    if (options.listModels) {
        return cli::runListModels(options);
    }
    if (options.convert) {
        return cli::runConvert(options);
    }

    // The engine's state for this process: its models and devices, shared by its jobs.
    engine::Context context;
    std::signal(SIGINT, onInterrupt);
    if (!options.farm.command.empty()) {
        // A scheduler stops a task with SIGTERM (a time limit, a preemption): it ends between
        // batches with exit 75, to be run again.
        std::signal(SIGTERM, onInterrupt);
        return cli::runFarm(options, context, gCancel);
    }
    pipeline::JobRunner runner(context, options.job, [&options](const core::Event& event) {
        if (options.json) {
            std::cout << cli::eventToJson(event) << std::endl;
        }
        if (const auto* failed = std::get_if<core::ItemFailed>(&event)) {
            if (const auto advice = cli::remedyAdvice(failed->error); !advice.empty()) {
                core::logger("cli")->warn("{}", advice);
            }
        }
    });
    auto summary = runner.run(gCancel);
    if (!summary) {
        const auto advice = cli::remedyAdvice(summary.error());
        core::logger("cli")->error("{}{}{}", summary.error().message, advice.empty() ? "" : " ",
                                   advice);
        const auto code = summary.error().code;
        // A model or setting the user named that does not exist is a usage error.
        return code == core::ErrorCode::InvalidArgument || code == core::ErrorCode::NotFound
                   ? cli::kExitUsage
                   : cli::kExitFailed;
    }
    if (gCancel.cancelled()) {
        return cli::kExitFailed;
    }
    return summary->failed == 0 ? cli::kExitOk : cli::kExitFailed;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace upscale;
    // Whatever escapes the libraries ends the command with an error and exit 1, not an abort.
    const auto code = core::guarded("running the command",
                                    [&]() -> core::Result<int> { return runCommand(argc, argv); });
    if (!code) {
        core::logger("cli")->error("{}", code.error().message);
        return cli::kExitFailed;
    }
    return *code;
}
