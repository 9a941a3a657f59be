#include <nlohmann/json.hpp>

#include "cli.hpp"

namespace upscale::cli {

std::string eventToJson(const core::Event& e) {
    nlohmann::ordered_json j;
    j["event"] = core::eventKindName(e.kind);
    auto item = [&] {
        j["item"] = e.itemIndex + 1;
        j["items"] = e.itemCount;
        j["input"] = e.input;
        j["output"] = e.output;
    };
    switch (e.kind) {
        case core::EventKind::JobStarted:
            j["items"] = e.itemCount;
            break;
        case core::EventKind::ItemStarted:
            item();
            break;
        case core::EventKind::Batch:
        case core::EventKind::ItemFinished:
            item();
            if (e.kind == core::EventKind::Batch) {
                j["batch"] = e.batchIndex;
                j["frames"] = e.framesInBatch;
            }
            if (e.kind == core::EventKind::ItemFinished) {
                j["skipped"] = e.skipped;
            }
            j["frames_done"] = e.framesDone;
            j["frames_total"] = e.framesTotal;
            j["fps"] = e.framesPerSecond;
            j["eta_s"] = e.etaSeconds;
            j["input_size"] = {e.inputWidth, e.inputHeight};
            j["output_size"] = {e.outputWidth, e.outputHeight};
            j["seconds"] = e.seconds;
            break;
        case core::EventKind::ItemFailed:
            item();
            if (e.error) {
                j["error"] = core::errorCodeName(e.error->code);
                j["message"] = e.error->message;
            }
            break;
        case core::EventKind::JobFinished:
            j["items"] = e.itemCount;
            j["succeeded"] = e.itemsSucceeded;
            j["failed"] = e.itemsFailed;
            j["skipped"] = e.itemsSkipped;
            j["seconds"] = e.seconds;
            break;
    }
    return j.dump();
}

}  // namespace upscale::cli
