// `upscale farm slurm --submit` against a real single-node Slurm cluster on this machine
// (scripts/slurm-cluster.sh: munged, slurmctld and slurmd on localhost, CPU only, in a
// temporary folder): one array task is cancelled with scancel, the tasks not done are submitted
// again from `farm status --failed`, and the join job's outputs equal the one-machine run's.
// Skipped when Slurm is missing, unless UPSCALE_REQUIRE_SLURM=1 (scripts/test.sh sets it).

#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <thread>

#include "common/test_paths.hpp"
#include "farm_test_util.hpp"

namespace fs = std::filesystem;
using namespace upscale::test;

namespace {

bool slurmRequired() {
    const char* value = std::getenv("UPSCALE_REQUIRE_SLURM");
    return value != nullptr && std::string(value) == "1";
}

const fs::path kClusterScript = fs::path(UPSCALE_SOURCE_DIR) / "scripts" / "slurm-cluster.sh";

class FarmSlurm : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        s_cluster = fs::path(UPSCALE_TEST_BINARY_DIR) / "farm_slurm_cluster";
        fs::remove_all(s_cluster);
        s_start = runCommand(quoted(kClusterScript) + " start " + quoted(s_cluster) + " 2>&1");
        if (s_start.code == 0) {
            setenv("SLURM_CONF", (s_cluster / "slurm.conf").c_str(), 1);
        }
    }
    static void TearDownTestSuite() {
        runCommand(quoted(kClusterScript) + " stop " + quoted(s_cluster) + " 2>&1");
    }

    void SetUp() override {
        UPSCALE_REQUIRE_ENCODERS("libx264", "aac");
        if (s_start.code != 0) {
            const std::string why = "no Slurm cluster could be started here: " + s_start.output;
            if (slurmRequired()) {
                FAIL() << why << " (UPSCALE_REQUIRE_SLURM=1: the Slurm test must run)";
            }
            GTEST_SKIP() << why;
        }
        m_dir = fs::path(UPSCALE_TEST_BINARY_DIR) / "farmslurm_job";
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
        setenv("XDG_DATA_HOME", (m_dir / "data").c_str(), 1);
        ASSERT_EQ(makeFarmInputs(m_dir), "");
    }

    static inline fs::path s_cluster;
    static inline CommandResult s_start;
    fs::path m_dir;
};

/// Waits until squeue lists none of the user's jobs; false after `seconds`.
bool waitForQueueEmpty(int seconds) {
    for (int i = 0; i < seconds * 5; ++i) {
        if (runCommand("squeue -h 2>&1").output.empty()) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return false;
}

/// The job ids "Submitted batch job N" lines name, in order.
std::vector<std::string> submittedJobs(const std::string& output) {
    std::vector<std::string> ids;
    const std::regex line(R"(Submitted batch job (\d+))");
    for (auto it = std::sregex_iterator(output.begin(), output.end(), line);
         it != std::sregex_iterator(); ++it) {
        ids.push_back((*it)[1]);
    }
    return ids;
}

}  // namespace

TEST_F(FarmSlurm, ArrayWithACancelledTaskResubmittedJoinsToTheOneMachineResult) {
    const std::string inputs = quoted(m_dir / "clip.mp4") + " " + quoted(m_dir / "images");
    const auto reference = m_dir / "reference";
    const auto one = upscaleCli(kFarmJobOptions + " -q " + inputs + " -o " + quoted(reference));
    ASSERT_EQ(one.code, 0) << one.output;

    const auto farmDir = m_dir / "farm";
    const auto out = m_dir / "out";
    const auto plan = upscaleStdout("farm plan " + inputs + " -o " + quoted(out) + " --farm-dir " +
                                    quoted(farmDir) + " --images-per-task 2 " + kFarmJobOptions);
    ASSERT_EQ(plan.code, 0) << plan.output;
    ASSERT_EQ(plan.output, "5\n");

    // With at most two tasks running at once, task 3 is still pending when it is cancelled.
    const auto submitted = upscaleCli("farm slurm " + quoted(farmDir) +
                                      " --gpus-per-task 0 --max-parallel 2 --submit");
    ASSERT_EQ(submitted.code, 0) << submitted.output;
    const auto jobs = submittedJobs(submitted.output);
    ASSERT_EQ(jobs.size(), 2u) << submitted.output;
    const std::string script = fileBytes(farmDir / "slurm" / "tasks.sbatch");
    EXPECT_NE(script.find("#SBATCH --array=0-4%2"), std::string::npos) << script;
    EXPECT_NE(fileBytes(farmDir / "slurm" / "submit.sh").find("--dependency=afterok:$array"),
              std::string::npos);
    const auto cancelled = runCommand("scancel " + jobs[0] + "_3 2>&1");
    EXPECT_EQ(cancelled.code, 0) << cancelled.output;
    ASSERT_TRUE(waitForQueueEmpty(120)) << runCommand("squeue 2>&1").output;

    // The join job could not run: the cancelled task is the one left to do.
    EXPECT_FALSE(fs::exists(out));
    const auto failed = upscaleCli("farm status " + quoted(farmDir) + " --failed");
    ASSERT_EQ(failed.output, "3\n") << upscaleCli("farm status " + quoted(farmDir)).output;
    const std::string notDone = failed.output.substr(0, failed.output.find('\n'));
    const auto again = upscaleCli("farm slurm " + quoted(farmDir) + " --gpus-per-task 0 --tasks " +
                                  notDone + " --submit");
    ASSERT_EQ(again.code, 0) << again.output;
    EXPECT_EQ(submittedJobs(again.output).size(), 2u) << again.output;
    ASSERT_TRUE(waitForQueueEmpty(120)) << runCommand("squeue 2>&1").output;

    const auto joinLog = farmDir / "slurm" / ("join-" + submittedJobs(again.output)[1] + ".log");
    EXPECT_NE(fileBytes(joinLog).find("Joined 3 output(s)"), std::string::npos)
        << fileBytes(joinLog);
    expectSameOutputs(out, reference);
}
