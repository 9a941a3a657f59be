#include <fmt/format.h>

#include "item_runner.hpp"
#include "upscale/core/logging.hpp"
#include "upscale/media/image_io.hpp"

namespace upscale::pipeline {

namespace {

/// Writes an upscaled image and reports its one batch and its end.
void writeImageResult(const ItemContext& context, const JobItem& item, ItemScope& scope,
                      int inputWidth, int inputHeight, WorkerPool::BatchResult result) {
    if (!result) {
        if (result.error().code == core::ErrorCode::Cancelled) {
            scope.failed(core::Error{
                core::ErrorCode::Cancelled,
                fmt::format("Cancelled before '{}' was saved.", scope.identity().input)});
        } else {
            scope.failed(result.error().withContext(scope.identity().input));
        }
        return;
    }
    const core::Image& image = result->front();
    if (auto written = media::writeImage(item.output, image, context.settings.writeOptions);
        !written) {
        scope.failed(written.error());
        return;
    }
    recordFinished(context, item);
    const double seconds = scope.seconds();
    core::Batch batch{scope.identity()};
    batch.batchIndex = 1;
    batch.framesInBatch = 1;
    batch.framesDone = 1;
    batch.framesTotal = 1;
    batch.inputWidth = inputWidth;
    batch.inputHeight = inputHeight;
    batch.outputWidth = image.width();
    batch.outputHeight = image.height();
    batch.framesPerSecond = seconds > 0 ? 1.0 / seconds : 0.0;
    batch.etaSeconds = 0.0;
    batch.seconds = seconds;
    core::logger("pipeline")
        ->info("Batch 1: 1 frame upscaled and saved: {} ({}x{} -> {}x{}, {:.2f} s)",
               scope.identity().output, inputWidth, inputHeight, image.width(), image.height(),
               seconds);
    scope.batch(batch);
    scope.finished(core::ItemFinished{batch, batch});
}

class ImageRunner final : public ItemRunner {
public:
    void run(const JobItem& item, std::shared_ptr<ItemScope> scope,
             const ItemContext& context) override {
        auto image = media::readImage(item.input, context.settings.readLimits);
        if (!image) {
            scope->failed(image.error());
            return;
        }
        const int width = image->width();
        const int height = image->height();
        if (auto ok = checkOutput(item.output, context.settings.overwrite); !ok) {
            scope->failed(ok.error());
            return;
        }
        std::vector<core::Image> frames;
        frames.push_back(std::move(*image));
        auto submitted = context.writer.submit(
            std::move(frames),
            [&context, item, scope, width,
             height](WorkerPool::BatchResult result) -> core::Result<void> {
                writeImageResult(context, item, *scope, width, height, std::move(result));
                return {};
            });
        if (!submitted) {
            scope->failed(submitted.error());
        }
    }
};

}  // namespace

std::unique_ptr<ItemRunner> makeImageRunner() {
    return std::make_unique<ImageRunner>();
}

void recordFinished(const ItemContext& context, const JobItem& item) {
    if (auto recorded = context.journals.record(item); !recorded) {
        core::logger("pipeline")
            ->warn("{} A resumed run will process '{}' again.", recorded.error().message,
                   item.input.string());
        if (recorded.error().code == core::ErrorCode::DiskFull) {
            context.ledger.stop(recorded.error());
        }
    }
}

}  // namespace upscale::pipeline
