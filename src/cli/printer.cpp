#include <nlohmann/json.hpp>

#include "cli.hpp"

namespace upscale::cli {

std::string remedyAdvice(const core::Error& error) {
    using core::Remedy;
    switch (error.remedy) {
        case Remedy::None:
            return {};
        case Remedy::ReplaceOutput:
            return "Use --overwrite to replace it, or choose another output with -o.";
        case Remedy::ChooseOutput:
            return "Choose another output, or a writable folder, with -o.";
        case Remedy::Resume:
            return "Once that is fixed, run again with --resume: finished work is kept.";
        case Remedy::ResumeOrRestart:
            return "Run again with --resume to continue it, or with --overwrite to start over.";
        case Remedy::ChooseModel:
            return "Use --list-models to see the models, or give a model file's path with "
                   "--model.";
        case Remedy::ChooseDevice:
            return "Use --device cpu or --device auto.";
        case Remedy::RaiseLimit:
            return "If the file is genuine and there is memory for it, run again with a higher "
                   "--max-pixels.";
        case Remedy::ChooseCodec:
            return "Choose another codec with --codec.";
        case Remedy::ChooseContainer:
            return "Choose another codec with --codec, or MKV output (-f mkv), which holds them "
                   "all.";
        case Remedy::EncoderOptions:
            return "Check --preset, --crf and --pix-fmt.";
        case Remedy::PixelFormat:
            return "Choose another --pix-fmt, or leave it out to follow the source.";
        case Remedy::ReplaceFrames:
            return "Use --overwrite to replace it, or choose another folder with --frames-out.";
        case Remedy::VideoOutput:
            return "Use --frames-out DIR for one image per frame, or a video output.";
    }
    return {};
}

std::string eventToJson(const core::Event& event) {
    nlohmann::ordered_json j;
    j["event"] = core::eventKindName(event);
    const auto item = [&j](const core::ItemIdentity& e) {
        j["item"] = e.itemIndex + 1;
        j["items"] = e.itemCount;
        j["input"] = e.input;
        j["output"] = e.output;
    };
    const auto progress = [&j](const core::ItemProgress& e) {
        j["frames_done"] = e.framesDone;
        j["frames_total"] = e.framesTotal;
        j["fps"] = e.framesPerSecond;
        j["eta_s"] = e.etaSeconds;
        j["input_size"] = {e.inputWidth, e.inputHeight};
        j["output_size"] = {e.outputWidth, e.outputHeight};
        j["seconds"] = e.seconds;
    };
    std::visit(core::Overloaded{
                   [&](const core::JobStarted& e) { j["items"] = e.itemCount; },
                   [&](const core::ItemStarted& e) { item(e); },
                   [&](const core::Batch& e) {
                       item(e);
                       j["batch"] = e.batchIndex;
                       j["frames"] = e.framesInBatch;
                       progress(e);
                   },
                   [&](const core::ItemFinished& e) {
                       item(e);
                       j["skipped"] = e.skipped;
                       progress(e);
                   },
                   [&](const core::ItemFailed& e) {
                       item(e);
                       j["error"] = core::errorCodeName(e.error.code);
                       j["message"] = e.error.message;
                       j["remedy"] = core::remedyName(e.error.remedy);
                       j["advice"] = remedyAdvice(e.error);
                   },
                   [&](const core::JobFinished& e) {
                       j["items"] = e.itemCount;
                       j["succeeded"] = e.itemsSucceeded;
                       j["failed"] = e.itemsFailed;
                       j["cancelled"] = e.itemsCancelled;
                       j["skipped"] = e.itemsSkipped;
                       j["seconds"] = e.seconds;
                   },
               },
               event);
    return j.dump();
}

}  // namespace upscale::cli
