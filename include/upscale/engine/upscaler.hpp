#pragma once
// The engine's front door. An Upscaler runs one model on one device at one precision; it takes
// core::Images and returns core::Images, so no LibTorch type crosses into the pipeline.
//
// Thread contract: one Upscaler may be called from one thread at a time; several Upscalers may
// run at once and share models through their engine Context's model cache.

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "upscale/core/cancel.hpp"
#include "upscale/core/error.hpp"
#include "upscale/core/image.hpp"
#include "upscale/core/settings.hpp"
#include "upscale/engine/context.hpp"
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

/// The precision a network runs in, as resolved for its device.
enum class ResolvedPrecision { FP16, BF16, FP32 };

/// "FP16", "BF16" or "FP32": how logs, front ends and the resume journals name it.
[[nodiscard]] std::string_view precisionName(ResolvedPrecision precision);

struct UpscalerInfo {
    std::string modelName;
    std::string device;  ///< "CPU", "cuda:0"
    ResolvedPrecision precision = ResolvedPrecision::FP32;
    models::ArchSpec spec;
    std::string modelIdentity;  ///< content hash of the model file(s), as the cache keys it
};

class Upscaler {
public:
    /// Resolves the device and precision, sets the device up (the first time the job's
    /// context uses it) and gets the model from the context's cache (loading it when needed).
    /// `copy` numbers the engine instances of one job on one device: each copy has a network of
    /// its own. Errors: an invalid setting, a missing GPU, a model that fails to load; no
    /// exception escapes.
    [[nodiscard]] static core::Result<std::unique_ptr<Upscaler>> create(
        const JobState& job, const models::ModelRef& model, const core::EngineSettings& settings,
        int copy = 0);
    /// The same, as a job of its own on `context`.
    [[nodiscard]] static core::Result<std::unique_ptr<Upscaler>> create(
        Context& context, const models::ModelRef& model, const core::EngineSettings& settings);

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
    /// FP16/BF16 output holds NaN or Inf is redone in FP32, with one warning per model and job.
    [[nodiscard]] core::Result<std::vector<core::Image>> upscaleFrames(
        std::span<const core::Image> frames, double outScale, const core::CancelToken& cancel);

    /// Turns stage timing on or off (off by default) and clears the times.
    void setProfiling(bool enabled);
    [[nodiscard]] StageTimes stageTimes() const;

    /// The tile size in use after out-of-memory recovery; 0 while the configured one holds.
    [[nodiscard]] int reducedTile() const;

private:
    struct Impl;
    explicit Upscaler(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace upscale::engine
