// The worker pool's threads survive what the engine throws: the batch fails with an error that
// says so, and the next batch on the same worker is upscaled.

#include <gtest/gtest.h>

#include <filesystem>

#include "common/faulty_network.hpp"
#include "common/test_paths.hpp"
#include "upscale/engine/context.hpp"
#include "upscale/models/manifest.hpp"
#include "upscale/pipeline/worker_pool.hpp"

using namespace upscale;

namespace {

core::Image gradient(int width, int height) {
    core::Image image(width, height, 3, core::BitDepth::U8);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            image.set(x, y, 0, 255 * x / width);
            image.set(x, y, 1, 255 * y / height);
            image.set(x, y, 2, (x / 4 + y / 4) % 2 ? 200 : 40);
        }
    }
    return image;
}

}  // namespace

TEST(WorkerPool, AnExceptionInAWorkerFailsItsBatchAndThePoolGoesOn) {
    auto manifest =
        models::loadManifest(std::filesystem::path(UPSCALE_TEST_MODELS_DIR) / "manifest.json");
    ASSERT_TRUE(manifest) << manifest.error().message;
    auto ref = models::resolveModel("realesr-animevideov3", *manifest);
    ASSERT_TRUE(ref) << ref.error().message;
    auto faults = std::make_shared<test::Faults>();
    engine::Context context({.networks = test::faultyNetworks(faults)});
    core::EngineSettings settings{.precision = core::Precision::FP32, .workers = 1};
    settings.device = core::DeviceSpec{core::DeviceSpec::Kind::Cpu, 0};
    auto pool = pipeline::WorkerPool::create(context, *ref, settings);
    ASSERT_TRUE(pool) << pool.error().message;

    core::CancelToken cancel;
    faults->unexpected = 1;
    auto failed = (*pool)->submit({gradient(20, 16)}, 0.0, cancel).get();
    ASSERT_FALSE(failed.has_value());
    EXPECT_EQ(failed.error().code, core::ErrorCode::Internal);
    EXPECT_NE(failed.error().message.find("unexpected error on CPU: a test's unexpected fault"),
              std::string::npos)
        << failed.error().message;

    auto next = (*pool)->submit({gradient(20, 16)}, 0.0, cancel).get();
    ASSERT_TRUE(next.has_value()) << next.error().message;
    ASSERT_EQ(next->size(), 1U);
    EXPECT_EQ(next->front().width(), 80);
}
