// Whatever a callback throws inside a job comes back from the entry point as an error that says
// what was being done, instead of ending the process.

#include <gtest/gtest.h>

#include <stdexcept>

#include "common/test_paths.hpp"
#include "upscale/engine/context.hpp"
#include "upscale/pipeline/farm.hpp"
#include "upscale/pipeline/job.hpp"

using namespace upscale;
namespace fs = std::filesystem;

namespace {

fs::path freshDir(const std::string& name) {
    const auto dir = fs::path(UPSCALE_TEST_BINARY_DIR) / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

pipeline::JobSettings oneImageJob(const fs::path& dir) {
    const auto input = dir / "rocket.png";
    fs::copy_file(fs::path(UPSCALE_TEST_DATA_DIR) / "rocket_crop.png", input);
    pipeline::JobSettings s;
    s.engine.device = core::DeviceSpec{core::DeviceSpec::Kind::Cpu, 0};
    s.model = "realesr-animevideov3";
    s.inputs = {input};
    s.output = dir / "out";
    return s;
}

}  // namespace

TEST(EntryBarriers, ACallbackThatThrowsEndsTheJobWithAnError) {
    const auto dir = freshDir("barrier_job");
    int calls = 0;
    engine::Context context;
    pipeline::JobRunner runner(context, oneImageJob(dir), [&calls](const core::Event&) {
        ++calls;
        throw std::runtime_error("the display went away");
    });
    core::CancelToken cancel;
    const auto summary = runner.run(cancel);
    ASSERT_FALSE(summary);
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(summary.error().code, core::ErrorCode::Internal);
    EXPECT_EQ(summary.error().message,
              "Unexpected failure while running the job: the display went away.");
}

TEST(EntryBarriers, AFarmTaskWhoseCallbackThrowsIsRecordedAsFailed) {
    const auto dir = freshDir("barrier_farm");
    engine::Context context;
    auto plan = pipeline::farm::makePlan(context, oneImageJob(dir), 1);
    ASSERT_TRUE(plan) << plan.error().message;
    const auto farm = dir / "farm";
    auto saved = pipeline::farm::savePlan(farm, *plan);
    ASSERT_TRUE(saved) << saved.error().message;
    core::CancelToken cancel;
    const auto ran =
        pipeline::farm::runTask(context, farm, *saved, 0, cancel, [](const core::Event&) {
            throw 42;  // not even a std::exception
        });
    ASSERT_FALSE(ran);
    EXPECT_EQ(ran.error().code, core::ErrorCode::Internal);
    const std::string message =
        "Unexpected failure while running the job: an exception of an unknown type.";
    EXPECT_EQ(ran.error().message, message);
    // The failure is on record for the farm's status, as any other task failure.
    const auto states = pipeline::farm::taskStates(farm, *saved);
    ASSERT_EQ(states.size(), 1U);
    EXPECT_EQ(states[0].state, pipeline::farm::TaskState::Failed);
    EXPECT_EQ(states[0].error, message);
    EXPECT_EQ(states[0].code, "internal");
}
