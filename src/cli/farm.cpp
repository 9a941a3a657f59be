// `upscale farm plan|run|status|join`: a job as independent tasks in a folder every machine
// sees. The work is the pipeline's (pipeline/farm.hpp); this file words it for the command line.

#include <algorithm>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "upscale/core/logging.hpp"
#include "upscale/pipeline/farm.hpp"

namespace upscale::cli {

namespace {

namespace farm = pipeline::farm;

/// Failures a scheduler should run again: the device ran out of memory, the disk filled up (both
/// may be gone on another node or later), a read or write failed, or the task was stopped.
bool worthRetrying(core::ErrorCode code) {
    using core::ErrorCode;
    return code == ErrorCode::OutOfMemory || code == ErrorCode::DiskFull || code == ErrorCode::Io ||
           code == ErrorCode::Cancelled;
}

int failWith(const core::Error& error) {
    core::logger("cli")->error("{}", error.message);
    return error.code == core::ErrorCode::InvalidArgument ? kExitUsage : kExitFailed;
}

int planCommand(const Options& options, engine::Context& context) {
    auto plan = farm::makePlan(context, options.job, options.farm.imagesPerTask);
    if (!plan) {
        return failWith(plan.error());
    }
    auto saved = farm::savePlan(options.farm.dir, std::move(*plan));
    if (!saved) {
        return failWith(saved.error());
    }
    if (options.json) {
        std::cout << nlohmann::json{{"farm_dir", options.farm.dir},
                                    {"tasks", saved->tasks.size()},
                                    {"outputs", saved->outputs.size()},
                                    {"model", saved->modelName},
                                    {"scale", saved->scale}}
                         .dump()
                  << std::endl;
    } else {
        std::cout << saved->tasks.size() << std::endl;
    }
    return kExitOk;
}

int runCommand(const Options& options, engine::Context& context, const farm::Plan& loaded,
               const core::CancelToken& cancel) {
    farm::Plan plan = loaded;
    if (options.farm.deviceGiven) {
        // The device decides where, not what: the plan's outputs stay the same.
        plan.settings.engine.device = options.job.engine.device;
        plan.settings.devices = options.job.devices;
    }
    auto ran = farm::runTask(context, options.farm.dir, plan, options.farm.task, cancel,
                             [&options](const core::Event& event) {
                                 if (options.json) {
                                     std::cout << eventToJson(event) << std::endl;
                                 }
                             });
    if (!ran) {
        core::logger("cli")->error("Task {} failed: {}", options.farm.task, ran.error().message);
        if (worthRetrying(ran.error().code)) {
            return kExitRetry;
        }
        // A task the plan does not have is a usage error; every other failure is the task's.
        const int task = options.farm.task;
        return task < 0 || task >= static_cast<int>(plan.tasks.size()) ? kExitUsage : kExitFailed;
    }
    return kExitOk;
}

int statusCommand(const Options& options, const farm::Plan& plan) {
    std::vector<int> done, failed, missing;
    nlohmann::json failures = nlohmann::json::array();
    for (const auto& s : farm::taskStates(options.farm.dir, plan)) {
        if (s.state == farm::TaskState::Done) {
            done.push_back(s.index);
        } else if (s.state == farm::TaskState::Failed) {
            failed.push_back(s.index);
            failures.push_back({{"task", s.index}, {"code", s.code}, {"error", s.error}});
        } else {
            missing.push_back(s.index);
        }
    }
    if (options.farm.failedOnly) {
        std::vector<int> notDone = failed;
        notDone.insert(notDone.end(), missing.begin(), missing.end());
        std::sort(notDone.begin(), notDone.end());
        std::cout << farm::indexRanges(notDone) << std::endl;
        return kExitOk;
    }
    if (options.json) {
        std::cout << nlohmann::json{{"tasks", plan.tasks.size()},
                                    {"done", done},
                                    {"failed", failures},
                                    {"missing", missing}}
                         .dump()
                  << std::endl;
        return kExitOk;
    }
    std::cout << fmt::format("{} task(s): {} done, {} failed, {} missing\n", plan.tasks.size(),
                             done.size(), failed.size(), missing.size());
    for (const auto& f : failures) {
        std::cout << fmt::format("failed {}: {} ({})\n", f["task"].get<int>(),
                                 f["error"].get<std::string>(), f["code"].get<std::string>());
    }
    if (!missing.empty()) {
        std::cout << "missing: " << farm::indexRanges(missing) << "\n";
    }
    if (failed.empty() && missing.empty()) {
        std::cout << "Every task is done: join them with 'upscale farm join " << options.farm.dir
                  << "'.\n";
    }
    return kExitOk;
}

int joinCommand(const Options& options, const farm::Plan& plan) {
    auto joined = farm::joinTasks(options.farm.dir, plan);
    if (!joined) {
        core::logger("cli")->error("{}", joined.error().message);
        return kExitFailed;
    }
    core::logger("cli")->info("Joined {} output(s){}", joined->written,
                              joined->skipped > 0
                                  ? fmt::format(", {} written by an earlier join", joined->skipped)
                                  : std::string());
    return kExitOk;
}

}  // namespace

int runFarm(const Options& options, engine::Context& context, const core::CancelToken& cancel) {
    const std::string& command = options.farm.command;
    if (command == "plan") {
        return planCommand(options, context);
    }
    if (command == "slurm") {
        return runFarmSlurm(options);
    }
    auto plan = farm::loadPlan(options.farm.dir);
    if (!plan) {
        core::logger("cli")->error("{}", plan.error().message);
        return plan.error().code == core::ErrorCode::NotFound ? kExitUsage : kExitFailed;
    }
    if (command == "run") {
        return runCommand(options, context, *plan, cancel);
    }
    if (command == "status") {
        return statusCommand(options, *plan);
    }
    return joinCommand(options, *plan);
}

}  // namespace upscale::cli
