#pragma once
// The scripted scenes scripts/screenshot.sh photographs: the real window, driven as a user
// would, saved to a PNG file at the moment the scene shows what it is about.

#include <QString>

namespace upscale::app {

class MainWindow;

/// Plays `scene` in `window` (already showing its queue) and saves the window to `file`, then
/// quits the application with 0 once saved, 1 otherwise. Scenes: "empty" (the window as it
/// opens), "running" (a job part-way through, its video being upscaled), "finished" (the job
/// done, the first item's result zoomed in the compare view), "video" (the video settings
/// chosen for a queue holding a video). Returns false for an unknown scene.
bool playScene(MainWindow& window, const QString& scene, const QString& file);

}  // namespace upscale::app
