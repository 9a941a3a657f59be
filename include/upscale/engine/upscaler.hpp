#pragma once
// The engine's front door. An Upscaler runs one model on one device at one precision; it takes
// core::Images and returns core::Images, so no LibTorch type crosses into the pipeline.
//
// Thread contract: one Upscaler may be called from one thread at a time; several Upscalers may
// run at once and share models through the ModelCache.

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "upscale/core/cancel.hpp"
#include "upscale/core/error.hpp"
#include "upscale/core/image.hpp"
#include "upscale/core/settings.hpp"
#include "upscale/engine/model_cache.hpp"
#include "upscale/models/architecture.hpp"
#include "upscale/models/manifest.hpp"

namespace upscale::engine {

/// Seconds spent in each stage, summed over calls. Measured only while profiling is on, because
/// timing a stage means waiting for the device at its end.
struct StageTimes {
    double upload = 0.0;    ///< host -> device, integer -> float
    double forward = 0.0;   ///< the network
    double blend = 0.0;     ///< tile weighting, normalisation, clamp and resize
    double download = 0.0;  ///< quantisation, device -> host
    double total = 0.0;     ///< whole calls
    int batches = 0;        ///< forward passes
};

struct UpscalerInfo {
    std::string modelName;
    std::string device;     ///< "CPU", "cuda:0"
    std::string precision;  ///< as resolved for the device: "FP16", "BF16" or "FP32"
    models::ArchSpec spec;
    std::string modelIdentity;  ///< content hash of the model file(s), as the cache keys it
};

class Upscaler {
public:
    /// Resolves the device and precision and gets the model from the cache (loading it when
    /// needed). Errors: an invalid setting, a missing GPU, a model that fails to load.
    [[nodiscard]] static core::Result<std::unique_ptr<Upscaler>> create(
        const models::ModelRef& model, const core::EngineSettings& settings,
        std::shared_ptr<ModelCache> cache = ModelCache::shared());

    ~Upscaler();
    Upscaler(const Upscaler&) = delete;
    Upscaler& operator=(const Upscaler&) = delete;

    [[nodiscard]] const UpscalerInfo& info() const;

    /// Another worker on the same network: shares the loaded model, has its own stream.
    [[nodiscard]] std::unique_ptr<Upscaler> sibling() const;

    /// The output size for an input size at `outScale` (0 = the network's native scale).
    [[nodiscard]] std::pair<int, int> outputSize(int width, int height, double outScale) const;

    /// Upscales one image. The network runs at its native scale and the result is resized to
    /// `outScale` (0 = native). An alpha channel is upscaled separately and re-attached; the bit
    /// depth is kept. Cancelled when `cancel` fires between two batches.
    [[nodiscard]] core::Result<core::Image> upscale(const core::Image& image, double outScale,
                                                    const core::CancelToken& cancel);

    /// Upscales frames of one shape and channel count together, batching their tiles.
    /// On a device out-of-memory error the tile size is halved (down to 32 pixels) and the call
    /// starts again, with a warning; the smaller tile is kept for later calls. A batch whose
    /// FP16/BF16 output holds NaN or Inf is redone in FP32, with one warning per model.
    [[nodiscard]] core::Result<std::vector<core::Image>> upscaleFrames(
        std::span<const core::Image> frames, double outScale, const core::CancelToken& cancel);

    /// Turns stage timing on or off (off by default) and clears the times.
    void setProfiling(bool enabled);
    [[nodiscard]] StageTimes stageTimes() const;

    /// The tile size in use after out-of-memory recovery; 0 while the configured one holds.
    [[nodiscard]] int reducedTile() const;

    /// Seconds of the bare forward pass of the network on these frames (RGB, one batch), with
    /// the input already on the device as floats: the floor that the engine's own work is
    /// measured against.
    [[nodiscard]] double timeBareForward(std::span<const core::Image> frames);

    struct Impl;

private:
    explicit Upscaler(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace upscale::engine
