#pragma once
// Helpers shared by the engine test executables: bundled models, upscalers on a chosen device,
// captured logs, and model variants made on the fly.

#include <algorithm>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include "common/level_difference.hpp"
#include "common/test_paths.hpp"
#include "engine/test_images.hpp"
#include "upscale/core/logging.hpp"
#include "upscale/engine/upscaler.hpp"
#include "upscale/models/manifest.hpp"
#include "upscale/models/model_file.hpp"
#include "upscale/models/safetensors.hpp"

namespace upscale::test {

namespace fs = std::filesystem;

inline core::CancelToken noCancel;

/// An (1, 3, H, W) tensor of reference values k/255 as the 8-bit RGB image it came from.
inline core::Image tensorAsImage(const models::Tensor& t) {
    const std::vector<float> values = t.toFloat32();
    const int h = static_cast<int>(t.shape[2]);
    const int w = static_cast<int>(t.shape[3]);
    core::Image image(w, h, 3, core::BitDepth::U8);
    for (int c = 0; c < 3; ++c) {
        for (int y = 0; y < h; ++y) {
            for (int x = 0; x < w; ++x) {
                image.set(x, y, c, toLevel(values[(c * h + y) * w + x]));
            }
        }
    }
    return image;
}

/// Captures what every module logs while it lives.
class LogCapture {
public:
    LogCapture() : m_sink(std::make_shared<spdlog::sinks::ostream_sink_mt>(m_out)) {
        m_sink->set_pattern("%v");
        m_subscription = core::subscribeToLog(m_sink);
    }
    std::string text() const { return m_out.str(); }

private:
    std::ostringstream m_out;
    std::shared_ptr<spdlog::sinks::ostream_sink_mt> m_sink;
    core::LogSubscription m_subscription;
};

inline models::ModelRef modelRef(const std::string& idOrPath) {
    auto manifest = models::loadManifest(fs::path(UPSCALE_TEST_MODELS_DIR) / "manifest.json");
    auto ref = models::resolveModel(idOrPath, *manifest);
    EXPECT_TRUE(ref.has_value()) << ref.error().message;
    return *ref;
}

/// An upscaler on the CPU (or the first GPU), as a job of its own on `context`, or on a fresh
/// context when none is given.
inline std::unique_ptr<engine::Upscaler> make(const models::ModelRef& ref, core::EngineSettings s,
                                              bool cuda = false,
                                              engine::Context* context = nullptr) {
    s.device =
        core::DeviceSpec{cuda ? core::DeviceSpec::Kind::Cuda : core::DeviceSpec::Kind::Cpu, 0};
    engine::Context fresh;
    auto up = engine::Upscaler::create(context != nullptr ? *context : fresh, ref, s);
    EXPECT_TRUE(up.has_value()) << up.error().message;
    return up ? std::move(*up) : nullptr;
}

inline bool haveCuda() {
    core::EngineSettings s;
    s.device = core::DeviceSpec{core::DeviceSpec::Kind::Cuda, 0};
    engine::Context context;
    return engine::Upscaler::create(context, modelRef("realesr-animevideov3"), s).has_value();
}

/// A copy of the bundled model, converted to `dtype`, with the first convolution's weights
/// multiplied by `gain` (a large gain makes FP16 overflow while FP32 does not).
inline fs::path variantModel(const std::string& name, models::DType dtype, float gain) {
    const auto dir = fs::path(UPSCALE_TEST_BINARY_DIR) / "variants";
    fs::create_directories(dir);
    const auto path = dir / name;
    fs::remove(path);
    auto file = models::loadModelFile(fs::path(UPSCALE_TEST_MODELS_DIR) /
                                      "realesr-animevideov3.safetensors");
    EXPECT_TRUE(file.has_value());
    auto& w = file->weights.at("body.0.weight");
    auto values = w.toFloat32();
    for (auto& v : values) {
        v *= gain;
    }
    w = models::Tensor::fromFloat32(values, w.shape, w.dtype);
    const auto raw = dir / (name + ".src.safetensors");
    EXPECT_TRUE(models::writeSafetensors(raw, file->weights, {}).has_value());
    EXPECT_TRUE(models::convertModel(raw, path, dtype).has_value());
    return path;
}

/// Four workers (siblings, each on its own stream) upscaling the same frames at once, three times
/// over, give the bytes of one worker alone: the one with batches of `oneBatch` tiles, the four
/// with `workerBatch`. The engine promises this for equal batch sizes on every device, and on the
/// CPU (which runs the samples of a batch one at a time) for any two.
inline void expectConcurrentWorkersMatchOne(bool cuda, int oneBatch, int workerBatch) {
    const auto ref = modelRef("realesr-animevideov3");
    auto one = make(ref, {.tile = 48, .overlap = 8, .batch = oneBatch}, cuda);
    ASSERT_NE(one, nullptr);
    std::vector<core::Image> frames;
    for (int i = 0; i < 4; ++i) {
        frames.push_back(test::patternFrame(70, 50, i));
    }
    auto expected = one->upscaleFrames(frames, 0.0, noCancel);
    ASSERT_TRUE(expected.has_value());
    // Distinct frames, so that a frame returned in another's place shows.
    for (std::size_t f = 1; f < frames.size(); ++f) {
        ASSERT_FALSE(std::equal((*expected)[f].bytes().begin(), (*expected)[f].bytes().end(),
                                (*expected)[f - 1].bytes().begin()));
    }

    auto base = make(ref, {.tile = 48, .overlap = 8, .batch = workerBatch}, cuda);
    std::vector<std::unique_ptr<engine::Upscaler>> workers;
    workers.push_back(std::move(base));
    for (int i = 1; i < 4; ++i) {
        workers.push_back(workers.front()->sibling());
    }
    std::vector<core::Result<std::vector<core::Image>>> results(4);
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) {
        threads.emplace_back([&, i] {
            for (int round = 0; round < 3; ++round) {
                results[i] = workers[i]->upscaleFrames(frames, 0.0, noCancel);
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    for (const auto& r : results) {
        ASSERT_TRUE(r.has_value()) << r.error().message;
        for (std::size_t f = 0; f < frames.size(); ++f) {
            EXPECT_TRUE(std::equal((*r)[f].bytes().begin(), (*r)[f].bytes().end(),
                                   (*expected)[f].bytes().begin()))
                << "frame " << f;
        }
    }
}

}  // namespace upscale::test
