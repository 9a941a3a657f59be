#include "upscale/engine/upscaler.hpp"

#include <cmath>
#include <cstring>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <c10/core/StreamGuard.h>
#include <c10/util/Exception.h>
#include <fmt/format.h>

#include "blend_weights.hpp"
#include "device.hpp"
#include "loaded_model.hpp"
#include "upscale/core/logging.hpp"
#include "upscale/engine/tile_plan.hpp"

namespace upscale::engine {

namespace {

constexpr long long kCpuTileBudgetBytes = 2LL << 30;

/// uint8 / uint16 HWC image -> float CHW in [0, 1] on the device. The integer-to-float
/// conversion runs on the device, on the current stream.
at::Tensor upload(const core::Image& image, const c10::Device& device) {
    auto* data = const_cast<std::uint8_t*>(image.bytes().data());
    const bool deep = image.depth() == core::BitDepth::U16;
    const at::Tensor host = at::from_blob(data, {image.height(), image.width(), image.channels()},
                                          at::TensorOptions().dtype(deep ? at::kShort : at::kByte));
    at::Tensor dev = host.to(device, /*non_blocking=*/false, /*copy=*/true);
    at::Tensor values = deep ? dev.to(at::kInt).bitwise_and_(0xFFFF).to(at::kFloat).div_(65535.0)
                             : dev.to(at::kFloat).div_(255.0);
    return values.permute({2, 0, 1}).contiguous();
}

/// float CHW in [0, 1] -> an Image of `depth`, rounded as the reference implementations do.
core::Image download(const at::Tensor& chw, core::BitDepth depth) {
    const bool deep = depth == core::BitDepth::U16;
    const double maxValue = deep ? 65535.0 : 255.0;
    at::Tensor q = chw.mul(maxValue).round_().clamp_(0.0, maxValue);
    // uint16 has no LibTorch dtype: int32 -> int16 keeps the low 16 bits, which is the value.
    q = deep ? q.to(at::kInt).to(at::kShort) : q.to(at::kByte);
    const at::Tensor hwc = q.permute({1, 2, 0}).contiguous().to(at::kCPU);
    core::Image out(static_cast<int>(chw.size(2)), static_cast<int>(chw.size(1)),
                    static_cast<int>(chw.size(0)), depth);
    std::memcpy(out.bytes().data(), hwc.data_ptr(), out.sizeBytes());
    return out;
}

/// Resizes [C, H, W] to the requested output size: antialiased bicubic when shrinking (a 4x
/// network for a 2x output), bicubic when enlarging.
at::Tensor resize(const at::Tensor& chw, int outWidth, int outHeight) {
    if (chw.size(1) == outHeight && chw.size(2) == outWidth) {
        return chw;
    }
    const at::Tensor x = chw.unsqueeze(0);
    const bool shrink = outHeight < chw.size(1) || outWidth < chw.size(2);
    at::Tensor y = shrink ? at::_upsample_bicubic2d_aa(x, {outHeight, outWidth}, false)
                          : at::upsample_bicubic2d(x, {outHeight, outWidth}, false);
    return y.squeeze(0).clamp_(0.0, 1.0);
}

core::Error translate(const c10::Error& e, const std::string& device) {
    const std::string what = e.what_without_backtrace();
    if (what.find("out of memory") != std::string::npos) {
        return core::Error{core::ErrorCode::OutOfMemory,
                           fmt::format("{} ran out of memory. Use a smaller tile size (--tile) "
                                       "or batch size (--batch).",
                                       device)};
    }
    return core::Error{core::ErrorCode::Internal,
                       fmt::format("The network failed on {}: {}", device, what)};
}

}  // namespace

struct Upscaler::Impl {
    UpscalerInfo info;
    core::EngineSettings settings;
    std::shared_ptr<const LoadedModel> model;
    c10::Device device{c10::kCPU};
    c10::Stream stream{c10::Stream::DEFAULT, c10::Device(c10::kCPU)};

    int tileFor(int width, int height, int planeCount) const {
        if (settings.tile > 0) {
            return settings.tile;
        }
        const long long budget =
            device.is_cpu() ? kCpuTileBudgetBytes : std::max(0LL, freeDeviceMemory(device) / 2);
        // Peak activation memory per input pixel: a few feature maps alive at once.
        const long long perPixel =
            static_cast<long long>(model->spec.numFeat) * c10::elementSize(model->dtype) * 6;
        const int batch = std::min(settings.batch, planeCount);
        return autoTileSize(budget, perPixel, batch, width, height);
    }

    core::Result<std::vector<core::Image>> run(std::span<const core::Image> frames, double outScale,
                                               const core::CancelToken& cancel);
};

Upscaler::Upscaler(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Upscaler::~Upscaler() = default;

core::Result<std::unique_ptr<Upscaler>> Upscaler::create(const models::ModelRef& model,
                                                         const core::EngineSettings& settings,
                                                         std::shared_ptr<ModelCache> cache) {
    if (auto valid = settings.validate(); !valid) {
        return core::fail(valid.error());
    }
    auto device = resolveDevice(settings.device);
    if (!device) {
        return core::fail(device.error());
    }
    auto loaded = cache->impl().acquire(model, settings.precision, *device);
    if (!loaded) {
        return core::fail(loaded.error());
    }
    auto impl = std::make_unique<Impl>();
    impl->settings = settings;
    impl->model = *loaded;
    impl->device = *device;
    impl->stream = acquireStream(*device);
    impl->info = UpscalerInfo{(*loaded)->name, describeDevice(*device),
                              dtypeLabel((*loaded)->dtype), (*loaded)->spec};
    return std::unique_ptr<Upscaler>(new Upscaler(std::move(impl)));
}

const UpscalerInfo& Upscaler::info() const {
    return m_impl->info;
}

std::unique_ptr<Upscaler> Upscaler::sibling() const {
    auto impl = std::make_unique<Impl>();
    impl->settings = m_impl->settings;
    impl->model = m_impl->model;
    impl->device = m_impl->device;
    impl->stream = acquireStream(m_impl->device);
    impl->info = m_impl->info;
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
    return m_impl->run(frames, outScale, cancel);
}

core::Result<std::vector<core::Image>> Upscaler::Impl::run(std::span<const core::Image> frames,
                                                           double outScale,
                                                           const core::CancelToken& cancel) {
    const int width = frames.front().width();
    const int height = frames.front().height();
    const bool alpha = frames.front().hasAlpha();
    const int s = model->spec.scale;
    const auto [outWidth, outHeight] =
        outScale <= 0.0 ? std::pair{width * s, height * s}
                        : std::pair{std::max(1, static_cast<int>(std::lround(width * outScale))),
                                    std::max(1, static_cast<int>(std::lround(height * outScale)))};
    try {
        c10::InferenceMode inference;
        c10::StreamGuard streamGuard(stream);

        // Planes: the colour of every frame, and its alpha as a grey RGB image of its own, so
        // that alpha goes through the same network and batches with the colour.
        std::vector<at::Tensor> planes;
        for (const auto& frame : frames) {
            const at::Tensor chw = upload(frame, device);
            planes.push_back(chw.slice(0, 0, 3));
            if (alpha) {
                planes.push_back(chw.slice(0, 3, 4).expand({3, height, width}));
            }
        }

        const TilePlan plan =
            planTiles(width, height, tileFor(width, height, static_cast<int>(planes.size())),
                      settings.overlap);
        const int tileOutH = plan.tileHeight * s;
        const int tileOutW = plan.tileWidth * s;
        at::Tensor weights;
        at::Tensor weightSum;
        if (!plan.whole()) {
            weights =
                BlendWeights::shared().get(tileOutH, tileOutW, 2 * settings.overlap * s, device)[0];
            weightSum = at::zeros({1, height * s, width * s},
                                  at::TensorOptions().dtype(at::kFloat).device(device));
            for (const auto& t : plan.tiles) {
                weightSum.slice(1, t.y * s, t.y * s + tileOutH)
                    .slice(2, t.x * s, t.x * s + tileOutW)
                    .add_(weights);
            }
        }

        std::vector<at::Tensor> results(planes.size());
        if (!plan.whole()) {
            for (auto& r : results) {
                r = at::zeros({3, height * s, width * s},
                              at::TensorOptions().dtype(at::kFloat).device(device));
            }
        }

        // Work items: every tile of every plane, in a fixed order, cut into batches.
        const std::size_t tilesPerPlane = plan.tiles.size();
        const std::size_t itemCount = planes.size() * tilesPerPlane;
        const auto batch = static_cast<std::size_t>(settings.batch);
        for (std::size_t start = 0; start < itemCount; start += batch) {
            if (cancel.cancelled()) {
                return core::fail(core::ErrorCode::Cancelled, "Cancelled.");
            }
            const std::size_t end = std::min(itemCount, start + batch);
            std::vector<at::Tensor> crops;
            crops.reserve(end - start);
            for (std::size_t i = start; i < end; ++i) {
                const auto& t = plan.tiles[i % tilesPerPlane];
                crops.push_back(planes[i / tilesPerPlane]
                                    .slice(1, t.y, t.y + t.height)
                                    .slice(2, t.x, t.x + t.width));
            }
            const at::Tensor input = at::stack(crops).to(model->dtype);
            const at::Tensor output = model->network->forward(input).to(at::kFloat);
            for (std::size_t i = start; i < end; ++i) {
                const auto& t = plan.tiles[i % tilesPerPlane];
                const at::Tensor y = output[static_cast<std::int64_t>(i - start)];
                auto& r = results[i / tilesPerPlane];
                if (plan.whole()) {
                    r = y;
                } else {
                    r.slice(1, t.y * s, t.y * s + tileOutH)
                        .slice(2, t.x * s, t.x * s + tileOutW)
                        .addcmul_(y, weights);
                }
            }
        }

        std::vector<core::Image> images;
        images.reserve(frames.size());
        const int planesPerFrame = alpha ? 2 : 1;
        for (std::size_t f = 0; f < frames.size(); ++f) {
            auto finish = [&](at::Tensor r) {
                if (!plan.whole()) {
                    r = r.div(weightSum);
                }
                return resize(r.clamp(0.0, 1.0), outWidth, outHeight);
            };
            at::Tensor colour = finish(results[f * planesPerFrame]);
            if (alpha) {
                const at::Tensor a = finish(results[f * planesPerFrame + 1]).mean(0, true);
                colour = at::cat({colour, a}, 0);
            }
            images.push_back(download(colour, frames[f].depth()));
        }
        synchronize(stream);
        return images;
    } catch (const c10::Error& e) {
        return core::fail(translate(e, info.device));
    } catch (const std::bad_alloc&) {
        return core::fail(core::ErrorCode::OutOfMemory,
                          fmt::format("Out of memory while upscaling a {}x{} image. Use a smaller "
                                      "tile size (--tile).",
                                      width, height));
    }
}

}  // namespace upscale::engine
