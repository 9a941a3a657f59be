// `upscale farm slurm`: the sbatch scripts of a planned farm folder. A job array runs one task
// per array index and requeues a task that exits 75; a join job runs once every task succeeded.

#include <unistd.h>

#include <array>
#include <cstdio>
#include <iostream>
#include <utility>

#include <fmt/format.h>

#include "cli.hpp"
#include "upscale/core/files.hpp"
#include "upscale/core/logging.hpp"
#include "upscale/pipeline/farm.hpp"

namespace upscale::cli {

namespace {

namespace fs = std::filesystem;

/// Times a task that exits 75 is requeued before it counts as failed.
constexpr int kRequeues = 3;

/// Single-quoted for the shell.
std::string shellQuoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) {
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return out + "'";
}

fs::path thisProgram() {
    std::error_code ec;
    auto self = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path("upscale") : self;
}

std::string header(const FarmOptions& farm, const std::string& name, const fs::path& log) {
    std::string text = "#!/bin/bash\n";
    text += fmt::format("#SBATCH --job-name={}\n", name);
    text += fmt::format("#SBATCH --output={}\n", log.string());
    if (!farm.partition.empty()) {
        text += fmt::format("#SBATCH --partition={}\n", farm.partition);
    }
    if (!farm.time.empty()) {
        text += fmt::format("#SBATCH --time={}\n", farm.time);
    }
    return text;
}

core::Result<void> writeScript(const fs::path& file, const std::string& text) {
    if (auto ok = core::writeFileAtomically(
            file, {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
        !ok) {
        return ok;
    }
    std::error_code ec;
    fs::permissions(file, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                    fs::perm_options::add, ec);
    return {};
}

/// Runs a shell command; its standard output, and whether it exited 0.
std::pair<bool, std::string> capture(const std::string& command) {
    std::string output;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) {
        return {false, output};
    }
    std::array<char, 512> buffer{};
    while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) {
        output += buffer.data();
    }
    return {pclose(pipe) == 0, output};
}

}  // namespace

int runFarmSlurm(const Options& options) {
    const FarmOptions& farm = options.farm;
    auto log = core::logger("cli");
    auto plan = pipeline::farm::loadPlan(farm.dir);
    if (!plan) {
        log->error("{}", plan.error().message);
        return kExitUsage;
    }
    if (plan->tasks.empty() || (farm.tasksGiven && farm.tasks.empty())) {
        log->error("No task to submit in '{}'.", farm.dir);
        return kExitUsage;
    }
    const fs::path dir = fs::absolute(farm.dir).lexically_normal();
    const fs::path slurmDir = dir / "slurm";
    std::error_code ec;
    fs::create_directories(slurmDir, ec);
    const std::string program = shellQuoted(thisProgram().string());
    const std::string farmDir = shellQuoted(dir.string());

    std::string array = farm.tasksGiven ? farm.tasks : fmt::format("0-{}", plan->tasks.size() - 1);
    if (farm.maxParallel > 0) {
        array += fmt::format("%{}", farm.maxParallel);
    }
    std::string tasks = header(farm, "upscale-tasks", slurmDir / "task-%A_%a.log");
    tasks += fmt::format("#SBATCH --array={}\n#SBATCH --requeue\n", array);
    if (farm.gpusPerTask > 0) {
        tasks += fmt::format("#SBATCH --gres=gpu:{}\n", farm.gpusPerTask);
    }
    tasks += fmt::format(
        "# One task of the farm job per array index. Exit 75 means worth retrying (out of\n"
        "# memory, a full disk, a stop): the task is requeued, at most {} times.\n"
        "{} farm run {} --task \"$SLURM_ARRAY_TASK_ID\"\n"
        "rc=$?\n"
        "if [ \"$rc\" -eq 75 ] && [ \"${{SLURM_RESTART_COUNT:-0}}\" -lt {} ]; then\n"
        "    scontrol requeue \"${{SLURM_ARRAY_JOB_ID}}_${{SLURM_ARRAY_TASK_ID}}\"\n"
        "fi\n"
        "exit \"$rc\"\n",
        kRequeues, program, farmDir, kRequeues);
    std::string join = header(farm, "upscale-join", slurmDir / "join-%j.log");
    join += fmt::format("# Runs once every task of the array succeeded.\n{} farm join {}\n",
                        program, farmDir);
    std::string submit = fmt::format(
        "#!/bin/sh\n"
        "# Submits the task array, then the join job after it. A join whose array can no\n"
        "# longer succeed (a task cancelled) is removed by Slurm; submit the tasks not done\n"
        "# again with: {} farm slurm {} --tasks \"$({} farm status {} --failed)\" --submit\n"
        "set -e\n"
        "array=$(sbatch --parsable {})\n"
        "array=${{array%%;*}}\n"
        "echo \"Submitted batch job $array (tasks {})\"\n"
        "join=$(sbatch --parsable --dependency=afterok:$array --kill-on-invalid-dep=yes {})\n"
        "join=${{join%%;*}}\n"
        "echo \"Submitted batch job $join (join, after job $array)\"\n",
        program, farmDir, program, farmDir, shellQuoted((slurmDir / "tasks.sbatch").string()),
        array, shellQuoted((slurmDir / "join.sbatch").string()));
    for (const auto& [name, text] :
         {std::pair{"tasks.sbatch", tasks}, std::pair{"join.sbatch", join},
          std::pair{"submit.sh", submit}}) {
        if (auto ok = writeScript(slurmDir / name, text); !ok) {
            log->error("{}", ok.error().message);
            return kExitFailed;
        }
    }
    if (!farm.submit) {
        std::cout << fmt::format("Wrote {} (array {}) and {}. Submit both with: sh {}\n",
                                 (slurmDir / "tasks.sbatch").string(), array,
                                 (slurmDir / "join.sbatch").string(),
                                 (slurmDir / "submit.sh").string());
        return kExitOk;
    }
    const auto [ok, output] = capture("sh " + shellQuoted((slurmDir / "submit.sh").string()));
    std::cout << output << std::flush;
    if (!ok) {
        log->error(
            "sbatch could not submit the jobs of '{}'. Check that Slurm's commands work "
            "on this machine (sinfo), then submit again.",
            dir.string());
        return kExitFailed;
    }
    return kExitOk;
}

}  // namespace upscale::cli
