#pragma once
// Moving frames between host images and device tensors. Host staging buffers are kept and reused
// from batch to batch (page-locked on CUDA, so the copies are truly asynchronous), and every copy
// is enqueued on the current stream. Private to the engine.

#include <span>
#include <vector>

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <c10/core/Stream.h>

#include "upscale/core/image.hpp"

namespace upscale::engine {

class Staging {
public:
    /// Frames of one shape -> float [N, C, H, W] in [0, 1] on `device`. The integer-to-float
    /// conversion runs on the device, on the current stream.
    [[nodiscard]] at::Tensor upload(std::span<const core::Image> frames, const c10::Device& device);

    /// float [N, C, H, W] in [0, 1] -> images of `depth`, rounded as the reference
    /// implementations do. Waits for `stream` before the host reads.
    [[nodiscard]] std::vector<core::Image> download(const at::Tensor& nchw, core::BitDepth depth,
                                                    const c10::Stream& stream);

private:
    at::Tensor m_upload;
    at::Tensor m_download;
};

}  // namespace upscale::engine
