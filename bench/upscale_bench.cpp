// upscale-bench: frames per second of the engine on synthetic frames, the time of each stage,
// and the engine efficiency: the time of the bare forward passes of the same batches divided by
// the engine's total time (1.0 = no overhead at all around the network).
//
//   upscale-bench [--model ID|PATH] [--width 256] [--height 256] [--frames 16] [--batch 1]
//                 [--workers 1] [--precision fp32] [--device cpu] [--tile 0] [--scale 0]
//                 [--cuda-graphs] [--repeat 3] [--dump-frames FILE] [--json FILE]
//
// The engine's run and the bare forward passes alternate --repeat times and the fastest of each
// is kept, so a machine whose speed drifts (a shared host, a clock that boosts) favours neither.
//
// --dump-frames writes the input frames as raw RGB bytes (N x H x W x 3) so that a reference
// implementation can run on exactly the same data.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>
#include <c10/core/impl/VirtualGuardImpl.h>
#include <nlohmann/json.hpp>

#include "upscale/core/logging.hpp"
#include "upscale/engine/context.hpp"
#include "upscale/engine/upscaler.hpp"
#include "upscale/models/manifest.hpp"
#include "upscale/models/network.hpp"

using namespace upscale;

namespace {

struct Options {
    std::string model = "realesr-animevideov3";
    int width = 256;
    int height = 256;
    int frames = 16;
    int repeat = 3;
    int batch = 1;
    int workers = 1;
    std::string precision = "fp32";
    std::string device = "cpu";
    int tile = 0;
    double scale = 0.0;
    bool cudaGraphs = false;
    std::string dumpFrames;
    std::string json;
};

bool parse(int argc, char** argv, Options& o) {
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--cuda-graphs") {
            o.cudaGraphs = true;
            continue;
        }
        if (i + 1 >= argc) {
            std::cerr << "upscale-bench: " << a << " needs a value\n";
            return false;
        }
        const std::string v = argv[++i];
        if (a == "--model")
            o.model = v;
        else if (a == "--width")
            o.width = std::stoi(v);
        else if (a == "--height")
            o.height = std::stoi(v);
        else if (a == "--frames")
            o.frames = std::stoi(v);
        else if (a == "--repeat")
            o.repeat = std::max(1, std::stoi(v));
        else if (a == "--batch")
            o.batch = std::stoi(v);
        else if (a == "--workers")
            o.workers = std::stoi(v);
        else if (a == "--precision")
            o.precision = v;
        else if (a == "--device")
            o.device = v;
        else if (a == "--tile")
            o.tile = std::stoi(v);
        else if (a == "--scale")
            o.scale = std::stod(v);
        else if (a == "--dump-frames")
            o.dumpFrames = v;
        else if (a == "--json")
            o.json = v;
        else {
            std::cerr << "upscale-bench: unknown option " << a << "\n";
            return false;
        }
    }
    return true;
}

/// A deterministic frame with smooth and sharp detail; frame i is shifted by i pixels.
core::Image syntheticFrame(int width, int height, int index) {
    core::Image img(width, height, 3, core::BitDepth::U8);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            const int u = x + index;
            img.set(x, y, 0,
                    static_cast<int>(127.5 + 100 * std::sin(u * 0.05) * std::cos(y * 0.07)));
            img.set(x, y, 1, (u * 255 / width + y) % 256);
            img.set(x, y, 2, ((u / 8 + y / 8) % 2) ? 200 : 40);
        }
    }
    return img;
}

double seconds(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// Runs every batch through `workers` (one thread each); returns the wall time.
double runAll(std::vector<std::unique_ptr<engine::Upscaler>>& workers,
              const std::vector<std::vector<core::Image>>& batches, double scale) {
    core::CancelToken cancel;
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (auto& w : workers) {
        threads.emplace_back([&, up = w.get()] {
            for (std::size_t i = next++; i < batches.size(); i = next++) {
                if (!up->upscaleFrames(batches[i], scale, cancel)) {
                    failed = true;
                }
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    if (failed) {
        std::cerr << "upscale-bench: a batch failed\n";
        std::exit(1);
    }
    return seconds(start);
}

/// The network the engine runs, as the engine's context built it: the bench hands the context a
/// network source that keeps the first network it builds, so the bare passes run the very
/// module (on the device, in the dtype and memory format) that the engine's workers run.
struct NetworkTap {
    std::shared_ptr<models::Network> network;

    engine::NetworkSource source() {
        return [this](const models::ModelFile& file) {
            auto built = models::buildNetwork(file);
            if (built && !network) {
                network = *built;
            }
            return built;
        };
    }
};

c10::Device deviceOf(const engine::UpscalerInfo& info) {
    return info.device == "CPU" ? c10::Device(c10::kCPU) : c10::Device(info.device);
}

c10::ScalarType dtypeOf(engine::ResolvedPrecision precision) {
    switch (precision) {
        case engine::ResolvedPrecision::FP16:
            return c10::kHalf;
        case engine::ResolvedPrecision::BF16:
            return c10::kBFloat16;
        case engine::ResolvedPrecision::FP32:
            break;
    }
    return c10::kFloat;
}

void synchronize(const c10::Device& device) {
    c10::impl::VirtualGuardImpl guard(device.type());
    guard.synchronizeStream(guard.getStream(device));
}

/// Seconds of the bare forward pass of the network on these frames (RGB, one batch), with the
/// input already on the device as floats in [0, 1]: the floor that the engine's own work is
/// measured against.
double timeBareForward(models::Network& network, const engine::UpscalerInfo& info,
                       const std::vector<core::Image>& frames) {
    const c10::Device device = deviceOf(info);
    const auto n = static_cast<std::int64_t>(frames.size());
    const core::Image& first = frames.front();
    at::Tensor host = at::empty({n, first.height(), first.width(), 3}, at::kByte);
    for (std::int64_t i = 0; i < n; ++i) {
        std::memcpy(host[i].data_ptr(), frames[static_cast<std::size_t>(i)].bytes().data(),
                    frames[static_cast<std::size_t>(i)].sizeBytes());
    }
    c10::InferenceMode inference;
    const at::Tensor x = host.to(device)
                             .permute({0, 3, 1, 2})
                             .to(at::kFloat)
                             .div_(255.0)
                             .to(dtypeOf(info.precision))
                             .contiguous();
    synchronize(device);
    const auto start = std::chrono::steady_clock::now();
    (void)network.forward(x);
    synchronize(device);
    return seconds(start);
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    if (!parse(argc, argv, o)) {
        return 2;
    }
    core::setupLogging(core::LogOptions{.consoleLevel = spdlog::level::warn, .file = {}});

    auto manifest = models::loadManifest(models::bundledModelsDir() / "manifest.json");
    if (!manifest) {
        std::cerr << manifest.error().message << "\n";
        return 1;
    }
    auto ref = models::resolveModel(o.model, *manifest);
    auto precision = core::parsePrecision(o.precision);
    auto device = core::parseDevice(o.device);
    if (!ref || !precision || !device) {
        std::cerr << "upscale-bench: bad --model, --precision or --device\n";
        return 2;
    }
    core::EngineSettings settings{.precision = *precision,
                                  .tile = o.tile,
                                  .batch = o.batch,
                                  .workers = o.workers,
                                  .device = *device,
                                  .cudaGraphs = o.cudaGraphs};
    NetworkTap tap;
    engine::Context context({.networks = tap.source()});
    auto first = engine::Upscaler::create(context, *ref, settings);
    if (!first) {
        std::cerr << first.error().message << "\n";
        return 1;
    }
    std::vector<std::unique_ptr<engine::Upscaler>> workers;
    workers.push_back(std::move(*first));
    for (int i = 1; i < o.workers; ++i) {
        workers.push_back(workers.front()->sibling());
    }

    std::vector<core::Image> frames;
    for (int i = 0; i < o.frames; ++i) {
        frames.push_back(syntheticFrame(o.width, o.height, i));
    }
    if (!o.dumpFrames.empty()) {
        std::ofstream out(o.dumpFrames, std::ios::binary);
        for (const auto& f : frames) {
            out.write(reinterpret_cast<const char*>(f.bytes().data()),
                      static_cast<std::streamsize>(f.sizeBytes()));
        }
    }
    std::vector<std::vector<core::Image>> batches;
    for (int i = 0; i < o.frames; i += o.batch) {
        batches.emplace_back(frames.begin() + i, frames.begin() + std::min(o.frames, i + o.batch));
    }

    // Warm-up (kernel selection, allocator), then the timed run, then a profiled run for the
    // stage breakdown (profiling waits for the device at each stage, so it is timed apart).
    runAll(workers, {batches.front()}, o.scale);
    // The floor: bare forward passes of the same batches, their input already on the device as
    // floats. The network sees [batch, 3, H, W] per pass (with --tile 0 the engine may tile).
    double total = std::numeric_limits<double>::infinity();
    double bare = std::numeric_limits<double>::infinity();
    for (int r = 0; r < o.repeat; ++r) {
        total = std::min(total, runAll(workers, batches, o.scale));
        // On a thread of its own, as the engine's workers run (each thread has its own CPU
        // thread pool, which a worker sizes to its share of the cores).
        double pass = 0.0;
        std::thread([&] {
            const int cores = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
            at::set_num_threads(std::max(1, cores / std::max(1, o.workers)));
            for (const auto& b : batches) {
                pass += timeBareForward(*tap.network, workers.front()->info(), b);
            }
        }).join();
        bare = std::min(bare, pass);
    }
    workers.front()->setProfiling(true);
    std::vector<std::unique_ptr<engine::Upscaler>> profiled;
    profiled.push_back(std::move(workers.front()));
    runAll(profiled, batches, o.scale);
    const engine::StageTimes stages = profiled.front()->stageTimes();
    const auto& info = profiled.front()->info();

    const double efficiency = o.workers == 1 ? bare / total : bare / stages.total;
    const double flopsPerFrame = models::flopsPerInputPixel(info.spec) * o.width * o.height;

    nlohmann::ordered_json j;
    j["model"] = info.modelName;
    j["device"] = info.device;
    j["precision"] = std::string(engine::precisionName(info.precision));
    j["width"] = o.width;
    j["height"] = o.height;
    j["frames"] = o.frames;
    j["batch"] = o.batch;
    j["workers"] = o.workers;
    j["tile"] = o.tile;
    j["scale"] = o.scale;
    j["cuda_graphs"] = o.cudaGraphs;
    j["repeat"] = o.repeat;
    j["total_s"] = total;
    j["fps"] = o.frames / total;
    j["stages_s"] = {{"upload", stages.upload},
                     {"forward", stages.forward},
                     {"blend", stages.blend},
                     {"download", stages.download},
                     {"total", stages.total}};
    j["bare_forward_s"] = bare;
    j["engine_efficiency"] = efficiency;
    j["flops_per_frame"] = flopsPerFrame;
    j["tflops"] = flopsPerFrame * o.frames / total / 1e12;
    const std::string text = j.dump(2);
    std::cout << text << "\n";
    if (!o.json.empty()) {
        std::ofstream(o.json) << text << "\n";
    }
    return 0;
}
