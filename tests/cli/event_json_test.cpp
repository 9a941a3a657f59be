// The JSON line of every kind of event, byte for byte: scripts read these lines, so their keys,
// their order and their values are part of the command line's interface.

#include <gtest/gtest.h>

#include "cli.hpp"

using namespace upscale;

namespace {

core::ItemIdentity item() {
    return {"in/a.png", "out/a_x2.png", 1, 3};
}

}  // namespace

TEST(EventJson, JobEventsCarryTheirCounts) {
    EXPECT_EQ(cli::eventToJson(core::JobStarted{3}), R"({"event":"job-started","items":3})");
    EXPECT_EQ(cli::eventToJson(core::JobFinished{.itemCount = 3,
                                                 .itemsSucceeded = 1,
                                                 .itemsFailed = 1,
                                                 .itemsSkipped = 0,
                                                 .itemsCancelled = 1,
                                                 .seconds = 2.5}),
              R"({"event":"job-finished","items":3,"succeeded":1,"failed":1,"cancelled":1,)"
              R"("skipped":0,"seconds":2.5})");
}

TEST(EventJson, ItemEventsCarryTheItemThenTheirOwnFields) {
    EXPECT_EQ(cli::eventToJson(core::ItemStarted{item()}),
              R"({"event":"item-started","item":2,"items":3,"input":"in/a.png",)"
              R"("output":"out/a_x2.png"})");

    core::Batch batch{item()};
    batch.batchIndex = 2;
    batch.framesInBatch = 2;
    batch.framesDone = 4;
    batch.framesTotal = 10;
    batch.framesPerSecond = 2.5;
    batch.etaSeconds = 2.4;
    batch.inputWidth = 48;
    batch.inputHeight = 32;
    batch.outputWidth = 96;
    batch.outputHeight = 64;
    batch.seconds = 1.5;
    EXPECT_EQ(cli::eventToJson(batch),
              R"({"event":"batch","item":2,"items":3,"input":"in/a.png","output":"out/a_x2.png",)"
              R"("batch":2,"frames":2,"frames_done":4,"frames_total":10,"fps":2.5,"eta_s":2.4,)"
              R"("input_size":[48,32],"output_size":[96,64],"seconds":1.5})");

    core::ItemFinished skipped{item()};
    skipped.skipped = true;
    EXPECT_EQ(cli::eventToJson(skipped),
              R"({"event":"item-finished","item":2,"items":3,"input":"in/a.png",)"
              R"("output":"out/a_x2.png","skipped":true,"frames_done":0,"frames_total":0,)"
              R"("fps":0.0,"eta_s":-1.0,"input_size":[0,0],"output_size":[0,0],"seconds":0.0})");
}

TEST(EventJson, AFailureCarriesItsCodeRemedyAndAdvice) {
    core::ItemFailed failed{item()};
    failed.error =
        core::Error{core::ErrorCode::InvalidArgument, "The output 'out/a_x2.png' already exists.",
                    core::Remedy::ReplaceOutput, "out/a_x2.png"};
    EXPECT_EQ(cli::eventToJson(failed),
              R"({"event":"item-failed","item":2,"items":3,"input":"in/a.png",)"
              R"("output":"out/a_x2.png","error":"invalid-argument",)"
              R"("message":"The output 'out/a_x2.png' already exists.","remedy":"replace-output",)"
              R"("advice":"Use --overwrite to replace it, or choose another output with -o."})");

    core::ItemFailed cancelled{item()};
    cancelled.error =
        core::Error{core::ErrorCode::Cancelled, "Cancelled before 'in/a.png' was saved."};
    EXPECT_TRUE(cancelled.cancelled());
    EXPECT_EQ(cli::eventToJson(cancelled),
              R"({"event":"item-failed","item":2,"items":3,"input":"in/a.png",)"
              R"("output":"out/a_x2.png","error":"cancelled",)"
              R"("message":"Cancelled before 'in/a.png' was saved.","remedy":"none","advice":""})");
}
