// `upscale farm` as a render farm runs it: tasks in any order, one twice, one killed with
// SIGKILL and run again, a join that refuses while a task is missing, and the final outputs
// equal to the one-machine command. An injected out-of-memory gives the retry exit code.

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <regex>
#include <thread>

#include <fmt/format.h>

#include "cli.hpp"
#include "common/faulty_network.hpp"
#include "common/test_paths.hpp"
#include "farm_test_util.hpp"
#include "upscale/engine/context.hpp"

namespace fs = std::filesystem;
using namespace upscale::test;

namespace {

class FarmCli : public ::testing::Test {
protected:
    void SetUp() override {
        UPSCALE_REQUIRE_ENCODERS("libx264", "aac");
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        m_dir = fs::path(UPSCALE_TEST_BINARY_DIR) / ("farmcli_" + std::string(info->name()));
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
        setenv("XDG_DATA_HOME", (m_dir / "data").c_str(), 1);
        ASSERT_EQ(makeFarmInputs(m_dir), "");
        m_inputs = quoted(m_dir / "clip.mp4") + " " + quoted(m_dir / "images");
    }

    CommandResult farm(const std::string& args) { return upscaleCli("farm " + args); }

    fs::path m_dir;
    std::string m_inputs;
};

/// Starts `upscale farm run` of one task and kills it with SIGKILL as soon as its work folder
/// appears. True when it was killed before it finished.
bool killTaskMidway(const fs::path& farmDir, int task) {
    const pid_t pid = fork();
    if (pid == 0) {
        const std::string cmd =
            "exec " +
            upscaleCommand("farm run " + quoted(farmDir) + " --task " + std::to_string(task)) +
            " >/dev/null";
        execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    const std::string prefix = fmt::format("{:06d}.", task);
    for (int i = 0; i < 3000; ++i) {
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            return false;
        }
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(farmDir / "work", ec)) {
            if (entry.path().filename().string().rfind(prefix, 0) == 0) {
                kill(pid, SIGKILL);
                waitpid(pid, &status, 0);
                return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    return false;
}

/// parseOptions and runFarm in this process, on an engine context whose networks can fail on
/// purpose.
int farmInProcess(const std::vector<std::string>& args, upscale::engine::Context& context,
                  const upscale::core::CancelToken& cancel) {
    std::vector<std::string> all{"upscale", "--device", "cpu", "-q", "farm"};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) {
        argv.push_back(a.data());
    }
    upscale::cli::Options options;
    if (const int code =
            upscale::cli::parseOptions(static_cast<int>(argv.size()), argv.data(), options);
        code >= 0) {
        return code;
    }
    return upscale::cli::runFarm(options, context, cancel);
}

}  // namespace

TEST_F(FarmCli, TasksInAnyOrderTwiceOrKilledJoinToTheOneMachineResult) {
    const auto reference = m_dir / "reference";
    const auto one = upscaleCli(kFarmJobOptions + " " + m_inputs + " -o " + quoted(reference));
    ASSERT_EQ(one.code, 0) << one.output;

    const auto farmDir = m_dir / "farm";
    const auto out = m_dir / "out";
    const auto plan =
        upscaleStdout("farm plan " + m_inputs + " -o " + quoted(out) + " --farm-dir " +
                      quoted(farmDir) + " --images-per-task 1 -q " + kFarmJobOptions);
    ASSERT_EQ(plan.code, 0) << plan.output;
    // 4 segments of the video, then one task per image.
    EXPECT_EQ(plan.output, "6\n");
    const auto json =
        upscaleStdout("farm plan " + m_inputs + " -o " + quoted(out) + " --farm-dir " +
                      quoted(farmDir) + " --images-per-task 1 -q --json " + kFarmJobOptions);
    ASSERT_EQ(json.code, 0) << json.output;
    EXPECT_NE(json.output.find(R"("tasks":6)"), std::string::npos) << json.output;

    std::vector<int> order{0, 1, 2, 3, 4, 5};
    std::shuffle(order.begin(), order.end(), std::mt19937(15));
    // The last task to run is killed first, then left missing while the join is tried.
    const int killed = order.back();
    order.pop_back();
    EXPECT_TRUE(killTaskMidway(farmDir, killed));
    for (int task : order) {
        const auto run = farm("run " + quoted(farmDir) + " --task " + std::to_string(task));
        ASSERT_EQ(run.code, 0) << "task " << task << ": " << run.output;
    }
    const auto again = farm("run " + quoted(farmDir) + " --task " + std::to_string(order[0]));
    EXPECT_EQ(again.code, 0) << again.output;
    EXPECT_NE(again.output.find(fmt::format("Task {} is already done", order[0])),
              std::string::npos)
        << again.output;

    const auto status = farm("status " + quoted(farmDir) + " --failed");
    EXPECT_EQ(status.output, std::to_string(killed) + "\n");
    const auto refused = farm("join " + quoted(farmDir));
    EXPECT_EQ(refused.code, 1);
    EXPECT_NE(refused.output.find(fmt::format("1 of 6 task(s) are not done (missing: {}; "
                                              "failed: none)",
                                              killed)),
              std::string::npos)
        << refused.output;
    // Nothing is written outside the farm folder before the join.
    EXPECT_FALSE(fs::exists(out));

    const auto rerun = farm("run " + quoted(farmDir) + " --task " + std::to_string(killed));
    ASSERT_EQ(rerun.code, 0) << rerun.output;
    // The killed run's work folder is cleared by the next run of the task on the same machine.
    EXPECT_TRUE(fs::is_empty(farmDir / "work"));
    const auto statusJson = farm("status --json " + quoted(farmDir));
    EXPECT_NE(statusJson.output.find(R"("done":[0,1,2,3,4,5],"failed":[],"missing":[])"),
              std::string::npos)
        << statusJson.output;

    const auto joined = farm("join " + quoted(farmDir));
    ASSERT_EQ(joined.code, 0) << joined.output;
    expectSameOutputs(out, reference);
    // A second join finds everything written and changes nothing.
    const auto rejoin = farm("join " + quoted(farmDir));
    EXPECT_EQ(rejoin.code, 0) << rejoin.output;
    EXPECT_NE(rejoin.output.find("Joined 0 output(s), 3 written by an earlier join"),
              std::string::npos)
        << rejoin.output;
}

TEST_F(FarmCli, OutOfMemoryIsWorthRetrying) {
    const auto farmDir = m_dir / "farm";
    upscale::core::CancelToken cancel;
    auto faults = std::make_shared<upscale::test::Faults>();
    upscale::engine::Context context({.networks = upscale::test::faultyNetworks(faults)});
    ASSERT_EQ(farmInProcess({"plan", (m_dir / "images").string(), "-o", (m_dir / "out").string(),
                             "--farm-dir", farmDir.string(), "-s", "2"},
                            context, cancel),
              0);
    faults->outOfMemory = 100;
    const int code = farmInProcess({"run", farmDir.string(), "--task", "0"}, context, cancel);
    faults->outOfMemory = 0;
    EXPECT_EQ(code, 75);
    const auto status = farm("status " + quoted(farmDir));
    EXPECT_NE(status.output.find("1 task(s): 0 done, 1 failed, 0 missing"), std::string::npos)
        << status.output;
    EXPECT_NE(status.output.find("(out-of-memory)"), std::string::npos) << status.output;
    EXPECT_EQ(farm("status " + quoted(farmDir) + " --failed").output, "0\n");
    // Run again once the memory is there: done, and the failure is forgotten.
    EXPECT_EQ(farmInProcess({"run", farmDir.string(), "--task", "0"}, context, cancel), 0);
    EXPECT_EQ(farm("status " + quoted(farmDir) + " --failed").output, "\n");
}

TEST_F(FarmCli, PlanRefusesAnotherJobInTheSameFolderAndRunRefusesAMissingTaskOrAChangedInput) {
    const auto farmDir = m_dir / "farm";
    ASSERT_EQ(farm("plan " + quoted(m_dir / "images") + " -q -o " + quoted(m_dir / "out") +
                   " --farm-dir " + quoted(farmDir))
                  .code,
              0);
    const auto other = farm("plan " + quoted(m_dir / "images") + " -q -s 3 -o " +
                            quoted(m_dir / "out") + " --farm-dir " + quoted(farmDir));
    EXPECT_EQ(other.code, 2);
    EXPECT_NE(other.output.find("already holds another job's plan"), std::string::npos)
        << other.output;
    const auto missing = farm("run " + quoted(farmDir) + " --task 7");
    EXPECT_EQ(missing.code, 2);
    EXPECT_NE(missing.output.find("Task 7 does not exist: the plan in"), std::string::npos)
        << missing.output;
    // An input edited after the plan is refused: the task would not give what was planned.
    fs::copy_file(m_dir / "images" / "b.png", m_dir / "images" / "a.png",
                  fs::copy_options::overwrite_existing);
    const auto changed = farm("run " + quoted(farmDir) + " --task 0");
    EXPECT_EQ(changed.code, 1);
    EXPECT_NE(changed.output.find("a.png' was changed, moved or removed after the job was planned"),
              std::string::npos)
        << changed.output;
    EXPECT_EQ(farm("status " + quoted(farmDir) + " --failed").output, "0\n");
    const auto noPlan = farm("status " + quoted(m_dir / "nowhere"));
    EXPECT_EQ(noPlan.code, 2);
    EXPECT_NE(noPlan.output.find("holds no farm plan"), std::string::npos) << noPlan.output;
}

TEST_F(FarmCli, TwoEngineInstancesOnTheCpuGiveTheOneDeviceResult) {
    const std::string cli = std::string(UPSCALE_CLI_PATH) + " " + kFarmJobOptions + " " + m_inputs;
    const auto one = runCommand(cli + " -d cpu -w 2 -o " + quoted(m_dir / "one") + " 2>&1");
    ASSERT_EQ(one.code, 0) << one.output;
    const auto two = runCommand(cli + " -d cpu,cpu -w 1 -o " + quoted(m_dir / "two") + " 2>&1");
    ASSERT_EQ(two.code, 0) << two.output;
    EXPECT_NE(two.output.find("on CPU, CPU (FP32, 2x output, 2 worker(s))"), std::string::npos)
        << two.output;
    // Each instance loads its own copy of the model.
    const std::regex loaded("realesr-animevideov3 loaded on CPU");
    EXPECT_EQ(std::distance(std::sregex_iterator(two.output.begin(), two.output.end(), loaded),
                            std::sregex_iterator()),
              2)
        << two.output;
    expectSameOutputs(m_dir / "two", m_dir / "one");
    const auto bad =
        runCommand(std::string(UPSCALE_CLI_PATH) + " -d cpu,tpu " + m_inputs + " 2>&1");
    EXPECT_EQ(bad.code, 2);
    EXPECT_NE(bad.output.find("Unknown device 'tpu'"), std::string::npos) << bad.output;
}
