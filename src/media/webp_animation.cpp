// Animated WebP out through libwebp's animation encoder (libwebpmux).

#include <cerrno>
#include <span>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <webp/encode.h>
#include <webp/mux.h>

#include "animation_out.hpp"
#include "upscale/core/files.hpp"

namespace upscale::media {
namespace fs = std::filesystem;

namespace {

using core::ErrorCode;
using core::fail;

struct EncoderDeleter {
    void operator()(WebPAnimEncoder* enc) const { WebPAnimEncoderDelete(enc); }
};

}  // namespace

struct WebPAnimationWriter::Impl {
    fs::path path;
    std::unique_ptr<WebPAnimEncoder, EncoderDeleter> encoder;
    WebPConfig config{};
    WebPPicture picture{};
    int width = 0, height = 0;
    bool alpha = false;

    ~Impl() { WebPPictureFree(&picture); }

    core::Result<void> encoderError(const char* doing) const {
        return fail(ErrorCode::Internal,
                    fmt::format("Cannot {} the WebP animation '{}': {}.", doing, path.string(),
                                WebPAnimEncoderGetError(encoder.get())));
    }
};

WebPAnimationWriter::WebPAnimationWriter(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
WebPAnimationWriter::WebPAnimationWriter(WebPAnimationWriter&& other) noexcept = default;
WebPAnimationWriter::~WebPAnimationWriter() = default;

core::Result<WebPAnimationWriter> WebPAnimationWriter::create(const fs::path& path, int width,
                                                              int height, int plays, bool alpha) {
    auto impl = std::make_unique<Impl>();
    impl->alpha = alpha;
    impl->path = path;
    impl->width = width;
    impl->height = height;
    WebPAnimEncoderOptions options;
    if (WebPAnimEncoderOptionsInit(&options) == 0 || WebPConfigInit(&impl->config) == 0 ||
        WebPPictureInit(&impl->picture) == 0) {
        return fail(ErrorCode::Internal, "The WebP library does not match its headers.");
    }
    options.anim_params.loop_count = plays;
    impl->config.quality = 90.0F;
    impl->config.alpha_quality = 100;  // transparency kept exactly
    impl->config.method = 4;
    impl->encoder.reset(WebPAnimEncoderNew(width, height, &options));
    if (!impl->encoder) {
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("Cannot start the WebP animation '{}' at {}x{}.", path.string(),
                                width, height));
    }
    impl->picture.use_argb = 1;
    impl->picture.width = width;
    impl->picture.height = height;
    return WebPAnimationWriter(std::move(impl));
}

core::Result<void> WebPAnimationWriter::add(const std::uint8_t* rgba, int stride, int startMs) {
    Impl& d = *m_impl;
    if (WebPPictureImportRGBA(&d.picture, rgba, stride) == 0) {
        return fail(ErrorCode::OutOfMemory, fmt::format("Out of memory for a {}x{} frame of '{}'.",
                                                        d.width, d.height, d.path.string()));
    }
    if (WebPAnimEncoderAdd(d.encoder.get(), &d.picture, startMs, &d.config) == 0) {
        return d.encoderError("encode a frame of");
    }
    return {};
}

core::Result<void> WebPAnimationWriter::close(int endMs) {
    Impl& d = *m_impl;
    if (WebPAnimEncoderAdd(d.encoder.get(), nullptr, endMs, nullptr) == 0) {
        return d.encoderError("finish");
    }
    WebPData data;
    WebPDataInit(&data);
    if (WebPAnimEncoderAssemble(d.encoder.get(), &data) == 0) {
        return d.encoderError("assemble");
    }
    std::vector<std::uint8_t> bytes(data.bytes, data.bytes + data.size);
    WebPDataClear(&data);
    // The extended header's alpha flag says the animation has transparency; the encoder sets it
    // only for frames stored with alpha, not for transparency made by clearing a frame's area.
    constexpr std::size_t kFlags = 20;  // "RIFF", size, "WEBP", "VP8X", chunk size, flags
    if (d.alpha && bytes.size() > kFlags &&
        std::string_view(reinterpret_cast<const char*>(bytes.data()) + 12, 4) == "VP8X") {
        bytes[kFlags] |= 0x10;
    }
    return core::writeFileAtomically(d.path, bytes);
}

}  // namespace upscale::media
