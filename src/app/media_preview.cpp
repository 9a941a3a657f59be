#include "upscale/app/media_preview.hpp"

#include <filesystem>

#include <QFileInfo>

#include "upscale/media/image_io.hpp"
#include "upscale/media/video.hpp"

namespace upscale::app {

namespace {

/// An 8-bit RGB(A) QImage of a decoded frame; 16-bit samples keep their high byte.
QImage toQImage(const core::Image& image) {
    if (image.channels() != 3 && image.channels() != 4) {
        return {};
    }
    QImage out(image.width(), image.height(),
               image.channels() == 4 ? QImage::Format_RGBA8888 : QImage::Format_RGB888);
    const int samples = image.width() * image.channels();
    const bool deep = image.depth() == core::BitDepth::U16;
    for (int y = 0; y < image.height(); ++y) {
        const std::uint8_t* from = image.row(y);
        uchar* to = out.scanLine(y);
        for (int i = 0; i < samples; ++i) {
            to[i] = deep ? reinterpret_cast<const std::uint16_t*>(from)[i] >> 8 : from[i];
        }
    }
    return out;
}

std::filesystem::path pathOf(const QString& path) {
    return std::filesystem::path(path.toStdString());
}

}  // namespace

MediaInfo inspectMedia(const QString& path) {
    MediaInfo info;
    if (!QFileInfo(path).isFile()) {
        return info;
    }
    if (media::hasImageExtension(pathOf(path))) {
        info.usable = true;
        return info;
    }
    if (media::hasVideoExtension(pathOf(path))) {
        auto probe = media::probeVideo(pathOf(path));
        info.usable = probe.has_value();
        info.video = true;
        info.frames = probe ? std::max<qint64>(probe->frameCount, 1) : 1;
    }
    return info;
}

QImage previewImage(const QString& path) {
    if (!media::hasVideoExtension(pathOf(path))) {
        return QImage(path);
    }
    auto reader = media::VideoReader::open(pathOf(path));
    if (!reader) {
        return {};
    }
    auto frame = (*reader)->read();
    if (!frame || !frame->has_value()) {
        return {};
    }
    return toQImage((*frame)->image);
}

}  // namespace upscale::app
