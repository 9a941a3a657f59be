#include "upscale/engine/upscaler.hpp"

#include <chrono>
#include <cmath>
#include <thread>

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>
#include <c10/core/StreamGuard.h>
#include <c10/util/Exception.h>
#include <fmt/format.h>

#include "blend_weights.hpp"
#include "context_state.hpp"
#include "cuda_memory.hpp"
#include "device.hpp"
#include "graph_forward.hpp"
#include "loaded_model.hpp"
#include "oom.hpp"
#include "transfer.hpp"
#include "upscale/core/logging.hpp"
#include "upscale/engine/tile_plan.hpp"
#include "upscale/models/tiling.hpp"

namespace upscale::engine {

namespace {

/// The engine's meaning of the batch size: tiles (or whole frames, when a frame is one tile) per
/// forward pass. The pipeline's meaning, frames per submission, is its own (item_runner.hpp).
int tilesPerForward(const core::EngineSettings& settings) {
    return settings.batch;
}

using Clock = std::chrono::steady_clock;

constexpr long long kCpuTileBudgetBytes = 2LL << 30;
constexpr int kMinTile = 32;

/// Resizes [N, C, H, W] to the requested output size: antialiased bicubic when shrinking (a 4x
/// network for a 2x output), bicubic when enlarging.
at::Tensor resize(const at::Tensor& x, int outWidth, int outHeight) {
    if (x.size(2) == outHeight && x.size(3) == outWidth) {
        return x;
    }
    const bool shrink = outHeight < x.size(2) || outWidth < x.size(3);
    const at::Tensor y = shrink ? at::_upsample_bicubic2d_aa(x, {outHeight, outWidth}, false)
                                : at::upsample_bicubic2d(x, {outHeight, outWidth}, false);
    return y.clamp_(0.0, 1.0);
}

/// The network on a batch, in the model's dtype; float32 out. On the CPU the samples go through
/// one at a time: oneDNN picks its first-layer convolution kernel by batch size, and the kernels
/// differ in the last bit, so a batched CPU forward would make the output depend on the batch
/// size; batching buys no throughput on the CPU, whose convolutions already fill the cores.
at::Tensor runNetwork(const LoadedModel& model, const at::Tensor& input,
                      GraphForward* graph = nullptr) {
    at::Tensor x = input.to(model.dtype);
    if (model.device.is_cuda()) {
        // The weights are channels-last on CUDA (see the model cache): the input follows, so
        // cuDNN runs its NHWC tensor-core kernels without layout conversions.
        x = x.contiguous(at::MemoryFormat::ChannelsLast);
        return (graph != nullptr ? graph->run(model, x) : model.network->forward(x)).to(at::kFloat);
    }
    if (model.device.is_cpu() && x.size(0) > 1) {
        std::vector<at::Tensor> outputs;
        outputs.reserve(static_cast<std::size_t>(x.size(0)));
        for (std::int64_t i = 0; i < x.size(0); ++i) {
            outputs.push_back(model.network->forward(x.narrow(0, i, 1)));
        }
        return at::cat(outputs).to(at::kFloat);
    }
    return model.network->forward(x).to(at::kFloat);
}

/// CPU threads for this worker's convolutions: the cores shared out between the workers. Set in
/// the calling thread, where OpenMP keeps it; a thread's default is otherwise whatever OpenMP
/// or LibTorch guessed for it, which differs between the main thread and the others.
void useCpuThreads(const c10::Device& device, int workers) {
    if (!device.is_cpu()) {
        return;
    }
    const int cores = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
    const int wanted = std::max(1, cores / std::max(1, workers));
    thread_local int applied = 0;
    if (applied != wanted) {
        at::set_num_threads(wanted);
        applied = wanted;
    }
}

/// Warns once per model and job that reduced precision overflowed.
void warnOverflowOnce(const LoadedModel& model, detail::JobWarnings& warnings) {
    if (warnings.first("overflow|" + model.identity)) {
        core::logger("engine")->warn(
            "{} overflowed in {} (NaN or Inf in the output); such batches are redone in FP32. "
            "Choose FP32 precision for this model to avoid the extra work.",
            model.name, dtypeLabel(model.dtype));
    }
}

}  // namespace

struct Upscaler::Impl {
    UpscalerInfo info;
    core::EngineSettings settings;
    models::ModelRef ref;
    std::shared_ptr<detail::ContextState> context;
    std::shared_ptr<detail::JobWarnings> warnings;
    int copy = 0;
    std::shared_ptr<const LoadedModel> model;
    std::shared_ptr<const LoadedModel> fallback;  // FP32, for batches that overflow
    c10::Device device{c10::kCPU};
    c10::Stream stream{c10::Stream::DEFAULT, c10::Device(c10::kCPU)};
    Staging staging;
    GraphForward graph;
    int reducedTile = 0;
    bool profiling = false;
    StageTimes times;

    /// Adds the time from its creation to the end of its scope to one stage; waits for the
    /// device first, so only while profiling.
    class Stage {
    public:
        Stage(Impl& impl, double& slot) : m_impl(impl), m_slot(slot), m_start(Clock::now()) {}
        ~Stage() {
            if (m_impl.profiling) {
                synchronize(m_impl.stream);
                m_slot += std::chrono::duration<double>(Clock::now() - m_start).count();
            }
        }
        Stage(const Stage&) = delete;
        Stage& operator=(const Stage&) = delete;

    private:
        Impl& m_impl;
        double& m_slot;
        Clock::time_point m_start;
    };

    int tileFor(int width, int height, int planeCount) const;
    at::Tensor forward(const at::Tensor& input);
    core::Result<std::vector<core::Image>> run(std::span<const core::Image> frames, int outWidth,
                                               int outHeight, const core::CancelToken& cancel);
    std::vector<core::Image> runOnce(std::span<const core::Image> frames, int outWidth,
                                     int outHeight, int tile, const core::CancelToken& cancel,
                                     bool& cancelled);
};

int Upscaler::Impl::tileFor(int width, int height, int planeCount) const {
    if (reducedTile > 0) {
        return reducedTile;
    }
    if (settings.tile > 0) {
        return settings.tile;
    }
    const long long budget = device.is_cpu()
                                 ? kCpuTileBudgetBytes
                                 : std::max(0LL, workerMemoryBudget(device, settings.workers));
    // Peak activation memory per input pixel, as the architecture estimates it.
    const long long perPixel =
        static_cast<long long>(models::peakActivationsPerPixel(model->spec)) *
        static_cast<long long>(c10::elementSize(model->dtype));
    return autoTileSize(budget, perPixel, std::min(tilesPerForward(settings), planeCount), width,
                        height);
}

at::Tensor Upscaler::Impl::forward(const at::Tensor& input) {
    at::Tensor out;
    {
        Stage stage(*this, times.forward);
        out = runNetwork(*model, input, settings.cudaGraphs ? &graph : nullptr);
        ++times.batches;
    }
    if (model->dtype == at::kFloat) {
        return out;
    }
    if (at::isfinite(out).all().item<bool>()) {
        return out;
    }
    warnOverflowOnce(*model, *warnings);
    if (!fallback) {
        auto fp32 = context->cache().acquire(ref, core::Precision::FP32, device, copy, *warnings);
        TORCH_CHECK(fp32.has_value(), fp32 ? "" : fp32.error().message);
        fallback = *fp32;
    }
    Stage stage(*this, times.forward);
    return runNetwork(*fallback, input);
}

std::vector<core::Image> Upscaler::Impl::runOnce(std::span<const core::Image> frames, int outWidth,
                                                 int outHeight, int tile,
                                                 const core::CancelToken& cancel, bool& cancelled) {
    const auto n = static_cast<std::int64_t>(frames.size());
    const int width = frames.front().width();
    const int height = frames.front().height();
    const bool alpha = frames.front().hasAlpha();
    const int s = model->spec.scale;
    const auto floatOnDevice = at::TensorOptions().dtype(at::kFloat).device(device);

    // Planes: the colour of every frame, then the alpha of every frame as a grey RGB image of
    // its own, so that alpha goes through the same network and batches with the colour.
    at::Tensor planes;
    {
        Stage stage(*this, times.upload);
        const at::Tensor input = staging.upload(frames, device);
        planes = input.narrow(1, 0, 3);
        if (alpha) {
            planes = at::cat({planes, input.narrow(1, 3, 1).expand({n, 3, height, width})});
        }
    }
    const std::int64_t planeCount = planes.size(0);
    const TilePlan plan =
        planTiles(width, height, tile, settings.overlap, models::tileMultiple(model->spec));
    const std::int64_t tileOutH = plan.tileHeight * s;
    const std::int64_t tileOutW = plan.tileWidth * s;
    const auto tilesPerPlane = static_cast<std::int64_t>(plan.tiles.size());
    const std::int64_t itemCount = planeCount * tilesPerPlane;
    const std::int64_t perForward = tilesPerForward(settings);

    at::Tensor result;
    at::Tensor weights;
    if (plan.whole()) {
        std::vector<at::Tensor> outputs;
        for (std::int64_t start = 0; start < planeCount; start += perForward) {
            if (cancel.cancelled()) {
                cancelled = true;
                return {};
            }
            outputs.push_back(
                forward(planes.narrow(0, start, std::min(perForward, planeCount - start))));
        }
        result = outputs.size() == 1 ? outputs.front() : at::cat(outputs);
    } else {
        result = at::zeros({planeCount, 3, height * s, width * s}, floatOnDevice);
        weights = context->blend.get(static_cast<int>(tileOutH), static_cast<int>(tileOutW),
                                     2 * settings.overlap * s, device)[0];
        // Work items: every tile of every plane, in a fixed order, cut into batches. The order
        // does not depend on the batch size, so neither does the sum.
        for (std::int64_t start = 0; start < itemCount; start += perForward) {
            if (cancel.cancelled()) {
                cancelled = true;
                return {};
            }
            const std::int64_t end = std::min(itemCount, start + perForward);
            std::vector<at::Tensor> crops;
            for (std::int64_t i = start; i < end; ++i) {
                const TileRect& t = plan.tiles[static_cast<std::size_t>(i % tilesPerPlane)];
                crops.push_back(
                    planes[i / tilesPerPlane].narrow(1, t.y, t.height).narrow(2, t.x, t.width));
            }
            const at::Tensor output = forward(at::stack(crops));
            Stage stage(*this, times.blend);
            for (std::int64_t i = start; i < end; ++i) {
                const TileRect& t = plan.tiles[static_cast<std::size_t>(i % tilesPerPlane)];
                result[i / tilesPerPlane]
                    .narrow(1, t.y * s, tileOutH)
                    .narrow(2, t.x * s, tileOutW)
                    .addcmul_(output[i - start], weights);
            }
        }
    }

    at::Tensor colour;
    {
        Stage stage(*this, times.blend);
        if (!plan.whole()) {
            at::Tensor weightSum = at::zeros({1, height * s, width * s}, floatOnDevice);
            for (const auto& t : plan.tiles) {
                weightSum.narrow(1, t.y * s, tileOutH).narrow(2, t.x * s, tileOutW).add_(weights);
            }
            result.div_(weightSum);
        }
        result = resize(result.clamp_(0.0, 1.0), outWidth, outHeight);
        colour = result.narrow(0, 0, n);
        if (alpha) {
            colour = at::cat({colour, result.narrow(0, n, n).mean(1, true)}, 1);
        }
    }
    Stage stage(*this, times.download);
    return staging.download(colour, frames.front().depth(), stream);
}

core::Result<std::vector<core::Image>> Upscaler::Impl::run(std::span<const core::Image> frames,
                                                           int outWidth, int outHeight,
                                                           const core::CancelToken& cancel) {
    const int width = frames.front().width();
    const int height = frames.front().height();
    const int planeCount = static_cast<int>(frames.size()) * (frames.front().hasAlpha() ? 2 : 1);
    int tile = tileFor(width, height, planeCount);
    useCpuThreads(device, settings.workers);
    const auto start = Clock::now();
    c10::InferenceMode inference;
    c10::StreamGuard streamGuard(stream);
    for (;;) {
        std::string failure;
        try {
            bool cancelled = false;
            auto images = runOnce(frames, outWidth, outHeight, tile, cancel, cancelled);
            if (cancelled) {
                return core::fail(core::ErrorCode::Cancelled, "Cancelled.");
            }
            times.total += std::chrono::duration<double>(Clock::now() - start).count();
            return images;
        } catch (const c10::Error& e) {
            if (!isOutOfMemory(e)) {
                return core::fail(
                    core::ErrorCode::Internal,
                    fmt::format("The network failed on {}: {}", info.device, failureMessage(e)));
            }
            failure = failureMessage(e);
        } catch (const std::bad_alloc&) {
            failure = "host memory exhausted";
        }
        // Out of memory: the same frames again with tiles half the size.
        const int current = tile > 0 ? tile : std::max(width, height);
        if (current <= kMinTile) {
            return core::fail(core::ErrorCode::OutOfMemory,
                              fmt::format("{} ran out of memory even with {}-pixel tiles ({}). "
                                          "Close other programs using the device, or use a "
                                          "smaller batch size.",
                                          info.device, kMinTile, failure));
        }
        const int next = std::max(kMinTile, current / 2);
        core::logger("engine")->warn(
            "{} ran out of memory with {}; retrying with {}-pixel tiles.", info.device,
            tile > 0 ? fmt::format("{}-pixel tiles", tile) : std::string("the whole image"), next);
        releaseCachedMemory(device);
        tile = next;
        reducedTile = next;
    }
}

Upscaler::Upscaler(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Upscaler::~Upscaler() = default;

core::Result<std::unique_ptr<Upscaler>> Upscaler::create(const JobState& job,
                                                         const models::ModelRef& model,
                                                         const core::EngineSettings& settings,
                                                         int copy) {
    if (auto valid = settings.validate(); !valid) {
        return core::fail(valid.error());
    }
    // LibTorch reports with exceptions (a device that fails to initialise, an allocation that
    // fails while the model moves); none may reach the caller.
    try {
        auto device = resolveDevice(settings.device);
        if (!device) {
            return core::fail(device.error());
        }
        job.m_context->setUp(*device);
        auto loaded = job.m_context->cache().acquire(model, settings.precision, *device, copy,
                                                     *job.m_warnings);
        if (!loaded) {
            return core::fail(loaded.error());
        }
        auto impl = std::make_unique<Impl>();
        impl->settings = settings;
        impl->ref = model;
        impl->context = job.m_context;
        impl->warnings = job.m_warnings;
        impl->copy = copy;
        impl->model = *loaded;
        impl->device = *device;
        impl->stream = acquireStream(*device);
        impl->info =
            UpscalerInfo{(*loaded)->name, describeDevice(*device),
                         resolvedPrecision((*loaded)->dtype), (*loaded)->spec, (*loaded)->identity};
        return std::unique_ptr<Upscaler>(new Upscaler(std::move(impl)));
    } catch (const c10::Error& e) {
        return core::fail(core::ErrorCode::Internal,
                          fmt::format("The engine could not be set up for model '{}': {}",
                                      model.name, e.what_without_backtrace()));
    } catch (const std::exception& e) {
        return core::fail(
            core::ErrorCode::Internal,
            fmt::format("The engine could not be set up for model '{}': {}", model.name, e.what()));
    }
}

core::Result<std::unique_ptr<Upscaler>> Upscaler::create(Context& context,
                                                         const models::ModelRef& model,
                                                         const core::EngineSettings& settings) {
    const JobState job(context);
    return create(job, model, settings);
}

const UpscalerInfo& Upscaler::info() const {
    return m_impl->info;
}

std::unique_ptr<Upscaler> Upscaler::sibling() const {
    auto impl = std::make_unique<Impl>();
    impl->info = m_impl->info;
    impl->settings = m_impl->settings;
    impl->ref = m_impl->ref;
    impl->context = m_impl->context;
    impl->warnings = m_impl->warnings;
    impl->copy = m_impl->copy;
    impl->model = m_impl->model;
    impl->device = m_impl->device;
    impl->stream = acquireStream(m_impl->device);
    return std::unique_ptr<Upscaler>(new Upscaler(std::move(impl)));
}

std::pair<int, int> Upscaler::outputSize(int width, int height, double outScale) const {
    if (outScale <= 0.0) {
        const int s = m_impl->info.spec.scale;
        return {width * s, height * s};
    }
    return {std::max(1, static_cast<int>(std::lround(width * outScale))),
            std::max(1, static_cast<int>(std::lround(height * outScale)))};
}

core::Result<core::Image> Upscaler::upscale(const core::Image& image, double outScale,
                                            const core::CancelToken& cancel) {
    auto frames = upscaleFrames(std::span<const core::Image>(&image, 1), outScale, cancel);
    if (!frames) {
        return core::fail(frames.error());
    }
    return std::move(frames->front());
}

core::Result<std::vector<core::Image>> Upscaler::upscaleFrames(std::span<const core::Image> frames,
                                                               double outScale,
                                                               const core::CancelToken& cancel) {
    if (frames.empty()) {
        return std::vector<core::Image>{};
    }
    const core::Image& first = frames.front();
    for (const auto& f : frames) {
        if (f.empty() || f.width() != first.width() || f.height() != first.height() ||
            f.channels() != first.channels() || f.depth() != first.depth()) {
            return core::fail(core::ErrorCode::InvalidArgument,
                              "Frames given together must all have the same size, channels and "
                              "bit depth.");
        }
    }
    if (first.channels() != 3 && first.channels() != 4) {
        return core::fail(core::ErrorCode::InvalidArgument,
                          fmt::format("The engine takes RGB or RGBA images, not {} channel(s).",
                                      first.channels()));
    }
    if (outScale < 0.0 || outScale > 16.0) {
        return core::fail(core::ErrorCode::InvalidArgument,
                          fmt::format("Output scale {} is out of range: use a value above 0 and "
                                      "at most 16.",
                                      outScale));
    }
    const auto [outWidth, outHeight] = outputSize(first.width(), first.height(), outScale);
    return m_impl->run(frames, outWidth, outHeight, cancel);
}

void Upscaler::setProfiling(bool enabled) {
    m_impl->profiling = enabled;
    m_impl->times = {};
}

StageTimes Upscaler::stageTimes() const {
    return m_impl->times;
}

int Upscaler::reducedTile() const {
    return m_impl->reducedTile;
}

}  // namespace upscale::engine
