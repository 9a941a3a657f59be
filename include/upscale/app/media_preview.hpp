#pragma once
// What the window shows of a file: its picture (an image, or a video's first frame) and, for a
// video, its frame count from the probe.

#include <QImage>
#include <QString>

namespace upscale::app {

struct MediaInfo {
    bool usable = false;  ///< an image or a video this program reads
    bool video = false;
    qint64 frames = 1;  ///< a video's frame count from its probe; 1 for an image
};

/// Looks at a path by its extension and, for a video, its probe.
[[nodiscard]] MediaInfo inspectMedia(const QString& path);

/// The picture of an image file, or the first frame of a video; null when it cannot be read.
[[nodiscard]] QImage previewImage(const QString& path);

}  // namespace upscale::app
