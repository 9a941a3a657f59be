#include "upscale/app/app_settings.hpp"

#include <algorithm>

#include <QSettings>

namespace upscale::app {

AppSettings AppSettings::load() {
    QSettings store;
    AppSettings s;
    s.model = store.value("model").toString();
    s.userModels = store.value("userModels").toStringList();
    // Stored as text so that the file stays readable and survives enum changes.
    if (auto precision =
            core::parsePrecision(store.value("engine/precision").toString().toStdString())) {
        s.engine.precision = *precision;
    }
    if (auto device = core::parseDevice(store.value("engine/device").toString().toStdString())) {
        s.engine.device = *device;
    }
    core::EngineSettings candidate = s.engine;
    candidate.batch = store.value("engine/batch", s.engine.batch).toInt();
    candidate.workers = store.value("engine/workers", s.engine.workers).toInt();
    candidate.tile = store.value("engine/tile", s.engine.tile).toInt();
    if (candidate.validate()) {
        s.engine = candidate;
    }
    s.outputScale = std::max(store.value("outputScale", 0.0).toDouble(), 0.0);
    s.outputDir = store.value("outputDir").toString();
    s.format = store.value("format").toString();
    s.videoFormat = store.value("video/format").toString();
    s.codec = store.value("video/codec").toString();
    s.crf = std::clamp(store.value("video/crf", -1).toInt(), -1, 63);
    s.preset = store.value("video/preset").toString();
    s.existingOutput = std::clamp(store.value("existingOutput", 0).toInt(), 0, 2);
    s.namePattern = store.value("namePattern").toString();
    s.lastInputDir = store.value("lastInputDir").toString();
    s.interruptedQueue = store.value("interruptedQueue").toStringList();
    s.language = store.value("language").toString();
    s.advancedExpanded = store.value("window/advancedExpanded", false).toBool();
    s.geometry = store.value("window/geometry").toByteArray();
    s.windowState = store.value("window/state").toByteArray();
    s.mainSplitter = store.value("window/mainSplitter").toByteArray();
    s.viewSplitter = store.value("window/viewSplitter").toByteArray();
    return s;
}

void AppSettings::save() const {
    QSettings store;
    store.setValue("model", model);
    store.setValue("userModels", userModels);
    store.setValue("engine/precision", QString::fromUtf8(core::precisionName(engine.precision)));
    store.setValue("engine/device", QString::fromStdString(engine.device.toString()));
    store.setValue("engine/batch", engine.batch);
    store.setValue("engine/workers", engine.workers);
    store.setValue("engine/tile", engine.tile);
    store.setValue("outputScale", outputScale);
    store.setValue("outputDir", outputDir);
    store.setValue("format", format);
    store.setValue("video/format", videoFormat);
    store.setValue("video/codec", codec);
    store.setValue("video/crf", crf);
    store.setValue("video/preset", preset);
    store.setValue("existingOutput", existingOutput);
    store.setValue("namePattern", namePattern);
    store.setValue("lastInputDir", lastInputDir);
    store.setValue("interruptedQueue", interruptedQueue);
    store.setValue("language", language);
    store.setValue("window/advancedExpanded", advancedExpanded);
    store.setValue("window/geometry", geometry);
    store.setValue("window/state", windowState);
    store.setValue("window/mainSplitter", mainSplitter);
    store.setValue("window/viewSplitter", viewSplitter);
    store.sync();
}

}  // namespace upscale::app
