#include "transfer.hpp"

#include <cstring>

#include <ATen/ATen.h>

#include "device.hpp"

namespace upscale::engine {

namespace {

/// A host buffer of at least `bytes`, reused when it is big enough already.
at::Tensor& hostBuffer(at::Tensor& buffer, std::int64_t bytes, bool pinned) {
    if (!buffer.defined() || buffer.numel() < bytes) {
        buffer = at::empty({bytes}, at::TensorOptions().dtype(at::kByte).pinned_memory(pinned));
    }
    return buffer;
}

}  // namespace

at::Tensor Staging::upload(std::span<const core::Image> frames, const c10::Device& device) {
    const core::Image& first = frames.front();
    const auto frameBytes = static_cast<std::int64_t>(first.sizeBytes());
    const auto n = static_cast<std::int64_t>(frames.size());
    at::Tensor& host = hostBuffer(m_upload, frameBytes * n, device.is_cuda());
    auto* dst = host.data_ptr<std::uint8_t>();
    for (std::size_t i = 0; i < frames.size(); ++i) {
        std::memcpy(dst + frameBytes * static_cast<std::int64_t>(i), frames[i].bytes().data(),
                    static_cast<std::size_t>(frameBytes));
    }
    const bool deep = first.depth() == core::BitDepth::U16;
    const at::Tensor typed = host.narrow(0, 0, frameBytes * n)
                                 .view(deep ? at::kShort : at::kByte)
                                 .view({n, first.height(), first.width(), first.channels()});
    const at::Tensor dev = typed.to(device, /*non_blocking=*/true);
    // uint16 has no LibTorch dtype: the samples travel as int16 and are unwrapped here.
    const at::Tensor values =
        deep ? dev.to(at::kInt).bitwise_and_(0xFFFF).to(at::kFloat).div_(65535.0)
             : dev.to(at::kFloat).div_(255.0);
    return values.permute({0, 3, 1, 2}).contiguous();
}

std::vector<core::Image> Staging::download(const at::Tensor& nchw, core::BitDepth depth,
                                           const c10::Stream& stream) {
    const bool deep = depth == core::BitDepth::U16;
    const double maxValue = deep ? 65535.0 : 255.0;
    at::Tensor q = nchw.mul(maxValue).round_().clamp_(0.0, maxValue);
    // int32 -> int16 keeps the low 16 bits, which is the uint16 value.
    q = deep ? q.to(at::kInt).to(at::kShort) : q.to(at::kByte);
    const at::Tensor nhwc = q.permute({0, 2, 3, 1}).contiguous();
    const auto bytes = static_cast<std::int64_t>(nhwc.numel() * nhwc.element_size());
    at::Tensor& host = hostBuffer(m_download, bytes, nchw.is_cuda());
    host.narrow(0, 0, bytes).copy_(nhwc.view({-1}).view(at::kByte), /*non_blocking=*/true);
    synchronize(stream);

    const auto n = nchw.size(0);
    const int channels = static_cast<int>(nchw.size(1));
    const int height = static_cast<int>(nchw.size(2));
    const int width = static_cast<int>(nchw.size(3));
    std::vector<core::Image> images;
    images.reserve(static_cast<std::size_t>(n));
    const auto* src = host.data_ptr<std::uint8_t>();
    for (std::int64_t i = 0; i < n; ++i) {
        core::Image img(width, height, channels, depth);
        std::memcpy(img.bytes().data(), src + i * static_cast<std::int64_t>(img.sizeBytes()),
                    img.sizeBytes());
        images.push_back(std::move(img));
    }
    return images;
}

}  // namespace upscale::engine
