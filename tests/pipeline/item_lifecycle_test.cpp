// Every item a job starts ends exactly once, in finished, failed or cancelled, and the counts of
// JobFinished are those ends: an image cancelled while queued, a video cancelled part-way, an
// item that fails, and the items a cancel leaves unstarted.

#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "common/test_paths.hpp"
#include "common/video_clips.hpp"
#include "upscale/engine/context.hpp"
#include "upscale/pipeline/job.hpp"

using namespace upscale;
namespace fs = std::filesystem;

namespace {

/// How each item started and ended in a job's events.
struct Lifecycle {
    std::map<int, int> starts;       ///< item index -> ItemStarted events
    std::map<int, int> ends;         ///< item index -> end events (finished, failed, cancelled)
    std::map<int, std::string> how;  ///< item index -> "finished", "failed" or "cancelled"
    int finished = 0, failed = 0, cancelled = 0, jobFinished = 0;
    core::JobFinished last;
    bool endWithoutStart = false;
};

Lifecycle lifecycle(const std::vector<core::Event>& events) {
    Lifecycle l;
    const auto end = [&l](const core::ItemIdentity& e, const std::string& how) {
        l.endWithoutStart = l.endWithoutStart || l.starts[e.itemIndex] == 0;
        ++l.ends[e.itemIndex];
        l.how[e.itemIndex] = how;
    };
    for (const auto& event : events) {
        std::visit(core::Overloaded{
                       [&](const core::ItemStarted& e) { ++l.starts[e.itemIndex]; },
                       [&](const core::ItemFinished& e) {
                           ++l.finished;
                           end(e, "finished");
                       },
                       [&](const core::ItemFailed& e) {
                           ++(e.cancelled() ? l.cancelled : l.failed);
                           end(e, e.cancelled() ? "cancelled" : "failed");
                       },
                       [&](const core::JobFinished& e) {
                           ++l.jobFinished;
                           l.last = e;
                       },
                       [](const auto&) {},
                   },
                   event);
    }
    return l;
}

/// Each start has one end, no end comes without its start, and JobFinished counts the ends.
void expectOneEndPerStart(const Lifecycle& l, const pipeline::JobSummary& summary) {
    EXPECT_FALSE(l.endWithoutStart);
    for (const auto& [item, starts] : l.starts) {
        EXPECT_EQ(starts, 1) << "item " << item;
        EXPECT_EQ(l.ends.count(item) ? l.ends.at(item) : 0, 1) << "item " << item;
    }
    EXPECT_EQ(l.ends.size(), l.starts.size());
    ASSERT_EQ(l.jobFinished, 1);
    EXPECT_EQ(l.last.itemsSucceeded, l.finished);
    EXPECT_EQ(l.last.itemsFailed, l.failed);
    EXPECT_EQ(l.last.itemsCancelled, l.cancelled);
    EXPECT_EQ(summary.succeeded, l.finished);
    EXPECT_EQ(summary.failed, l.failed);
    EXPECT_EQ(summary.cancelled, l.cancelled);
}

class ItemLifecycle : public testing::Test {
protected:
    void SetUp() override {
        const auto* info = testing::UnitTest::GetInstance()->current_test_info();
        m_dir = fs::path(UPSCALE_TEST_BINARY_DIR) / ("lifecycle_" + std::string(info->name()));
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
    }

    fs::path image(const std::string& name) {
        const auto to = m_dir / name;
        fs::copy_file(fs::path(UPSCALE_TEST_DATA_DIR) / "rocket_crop.png", to);
        return to;
    }

    pipeline::JobSettings settings(std::vector<fs::path> inputs) {
        pipeline::JobSettings s;
        s.inputs = std::move(inputs);
        s.model = "realesr-animevideov3";
        s.scale = 2.0;
        s.engine.device = core::DeviceSpec{core::DeviceSpec::Kind::Cpu, 0};
        s.engine.precision = core::Precision::FP32;
        s.engine.workers = 2;
        s.video.preset = "veryfast";
        return s;
    }

    /// Runs a job; `onEvent` sees each event as it comes and may cancel.
    std::vector<core::Event> run(
        const pipeline::JobSettings& s,
        const std::function<void(const core::Event&, core::CancelToken&)>& onEvent,
        pipeline::JobSummary& summary) {
        std::vector<core::Event> events;
        core::CancelToken cancel;
        engine::Context context;
        pipeline::JobRunner runner(context, s, [&](const core::Event& e) {
            events.push_back(e);
            onEvent(e, cancel);
        });
        auto ran = runner.run(cancel);
        EXPECT_TRUE(ran.has_value()) << ran.error().message;
        if (ran) {
            summary = *ran;
        }
        return events;
    }

    fs::path m_dir;
};

}  // namespace

TEST_F(ItemLifecycle, AnImageCancelledWhileQueuedEndsCancelled) {
    // Cancelled as the second image starts: it is submitted with the cancel already given, so
    // the workers never upscale it, and the last two images are never started.
    const auto s = settings({image("a.png"), image("b.png"), image("c.png"), image("d.png")});
    pipeline::JobSummary summary;
    const auto events = run(
        s,
        [](const core::Event& e, core::CancelToken& cancel) {
            const auto* started = std::get_if<core::ItemStarted>(&e);
            if (started != nullptr && started->itemIndex == 1) {
                cancel.cancel();
            }
        },
        summary);
    const auto l = lifecycle(events);
    expectOneEndPerStart(l, summary);
    EXPECT_EQ(l.starts.size(), 2U);
    ASSERT_EQ(l.how.count(1), 1U);
    EXPECT_EQ(l.how.at(1), "cancelled");
    EXPECT_GE(summary.cancelled, 1);
    EXPECT_FALSE(fs::exists(m_dir / "b_x2.png"));
    EXPECT_FALSE(fs::exists(m_dir / "c_x2.png"));
}

TEST_F(ItemLifecycle, AVideoCancelledPartWayEndsCancelledOnce) {
    UPSCALE_REQUIRE_ENCODERS("libx264");
    const auto clip = m_dir / "clip.mp4";
    ASSERT_EQ(test::makeClip("-f lavfi -i testsrc=size=32x24:rate=10 -t 3 -c:v libx264 "
                             "-pix_fmt yuv420p",
                             clip),
              "");
    auto s = settings({image("before.png"), clip, image("after.png")});
    pipeline::JobSummary summary;
    const auto events = run(
        s,
        [](const core::Event& e, core::CancelToken& cancel) {
            const auto* batch = std::get_if<core::Batch>(&e);
            if (batch != nullptr && batch->itemIndex == 1 && batch->batchIndex == 2) {
                cancel.cancel();
            }
        },
        summary);
    const auto l = lifecycle(events);
    expectOneEndPerStart(l, summary);
    EXPECT_EQ(l.starts.size(), 2U);
    EXPECT_EQ(l.how.at(0), "finished");
    EXPECT_EQ(l.how.at(1), "cancelled");
    EXPECT_EQ(summary.succeeded, 1);
    EXPECT_EQ(summary.cancelled, 1);
    EXPECT_TRUE(fs::exists(m_dir / "clip_x2.partial.mp4"));
}

TEST_F(ItemLifecycle, AFailingItemEndsFailedOnceAndTheRestFinish) {
    const auto broken = m_dir / "broken.png";
    std::ofstream(broken) << "not a picture";
    const auto s = settings({image("a.png"), broken, image("c.png")});
    pipeline::JobSummary summary;
    const auto events = run(
        s, [](const core::Event&, core::CancelToken&) {}, summary);
    const auto l = lifecycle(events);
    expectOneEndPerStart(l, summary);
    EXPECT_EQ(l.starts.size(), 3U);
    EXPECT_EQ(l.how.at(0), "finished");
    EXPECT_EQ(l.how.at(1), "failed");
    EXPECT_EQ(l.how.at(2), "finished");
    EXPECT_EQ(summary.succeeded, 2);
    EXPECT_EQ(summary.failed, 1);
    EXPECT_TRUE(fs::exists(m_dir / "c_x2.png"));
}
