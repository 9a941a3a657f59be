#include <gtest/gtest.h>

#include <fstream>

#include "common/test_paths.hpp"
#include "upscale/media/image_io.hpp"
#include "upscale/pipeline/job.hpp"

using namespace upscale;
namespace fs = std::filesystem;

namespace {

class JobRunnerTest : public testing::Test {
protected:
    void SetUp() override {
        m_dir =
            fs::path(UPSCALE_TEST_BINARY_DIR) /
            ("job_" + std::string(testing::UnitTest::GetInstance()->current_test_info()->name()));
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
    }

    fs::path sample(const std::string& name) {
        const auto to = m_dir / name;
        fs::create_directories(to.parent_path());
        fs::copy_file(fs::path(UPSCALE_TEST_DATA_DIR) / "rocket_crop.png", to);
        return to;
    }

    pipeline::JobSettings settings() {
        pipeline::JobSettings s;
        s.engine.device = core::DeviceSpec{core::DeviceSpec::Kind::Cpu, 0};
        s.model = "realesr-animevideov3";
        return s;
    }

    std::vector<core::Event> run(const pipeline::JobSettings& s) {
        std::vector<core::Event> events;
        engine::Context context;
        pipeline::JobRunner runner(context, s,
                                   [&events](const core::Event& e) { events.push_back(e); });
        core::CancelToken cancel;
        auto summary = runner.run(cancel);
        EXPECT_TRUE(summary.has_value()) << summary.error().message;
        return events;
    }

    template <typename Kind>
    static std::vector<Kind> ofKind(const std::vector<core::Event>& all) {
        std::vector<Kind> out;
        for (const auto& e : all) {
            if (const auto* kind = std::get_if<Kind>(&e)) {
                out.push_back(*kind);
            }
        }
        return out;
    }

    fs::path m_dir;
};

}  // namespace

TEST(OutputNames, FollowStemScaleAndFormat) {
    EXPECT_EQ(pipeline::outputFileName("a/photo.jpg", 4.0, ""), "photo_x4.jpg");
    EXPECT_EQ(pipeline::outputFileName("a/photo.jpg", 2.0, "png"), "photo_x2.png");
    EXPECT_EQ(pipeline::outputFileName("photo.png", 1.5, ""), "photo_x1.5.png");
    EXPECT_EQ(pipeline::outputFileName("a/photo.png", 4.0, "webp", "{name}-{model}-{scale}x",
                                       "realesr-general-x4v3"),
              "photo-realesr-general-x4v3-4x.webp");
}

TEST(OutputNames, PatternsAreCheckedBeforeTheJob) {
    EXPECT_TRUE(pipeline::validateNamePattern("{name}_big").has_value());
    auto unknown = pipeline::validateNamePattern("{name}_{size}");
    ASSERT_FALSE(unknown.has_value());
    EXPECT_NE(unknown.error().message.find("'{size}'"), std::string::npos);
    EXPECT_FALSE(pipeline::validateNamePattern("sub/{name}").has_value());
    EXPECT_FALSE(pipeline::validateNamePattern("").has_value());
}

TEST_F(JobRunnerTest, WritesBesideTheInputByDefault) {
    auto s = settings();
    s.inputs = {sample("a.png")};
    const auto events = run(s);
    EXPECT_TRUE(fs::exists(m_dir / "a_x4.png"));
    auto out = media::readImage(m_dir / "a_x4.png");
    ASSERT_TRUE(out.has_value());
    EXPECT_EQ(out->width(), 256);
    const auto batches = ofKind<core::Batch>(events);
    ASSERT_EQ(batches.size(), 1u);
    EXPECT_EQ(batches[0].batchIndex, 1);
    EXPECT_EQ(batches[0].outputWidth, 256);
    EXPECT_EQ(ofKind<core::JobFinished>(events).at(0).itemsSucceeded, 1);
}

TEST_F(JobRunnerTest, FolderInputsAndBadItemsFailAloneWhileTheRestIsWritten) {
    sample("in/one.png");
    sample("in/two.png");
    std::ofstream(m_dir / "in" / "notes.txt") << "not an image";  // not an image extension: skipped
    std::ofstream(m_dir / "fake.png") << "this is text";
    auto s = settings();
    s.inputs = {m_dir / "in", m_dir / "missing.png", m_dir / "fake.png"};
    s.output = m_dir / "out";
    const auto events = run(s);

    EXPECT_TRUE(fs::exists(m_dir / "out" / "one_x4.png"));
    EXPECT_TRUE(fs::exists(m_dir / "out" / "two_x4.png"));
    const auto failed = ofKind<core::ItemFailed>(events);
    ASSERT_EQ(failed.size(), 2u);
    EXPECT_EQ(failed[0].error.code, core::ErrorCode::NotFound);
    EXPECT_NE(failed[0].error.message.find("missing.png"), std::string::npos);
    EXPECT_NE(failed[1].error.message.find("fake.png"), std::string::npos);
    const auto done = ofKind<core::JobFinished>(events).at(0);
    EXPECT_EQ(done.itemsSucceeded, 2);
    EXPECT_EQ(done.itemsFailed, 2 - 0);
    // Nothing is left half-written.
    for (const auto& entry : fs::directory_iterator(m_dir / "out")) {
        EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos);
    }
}

TEST_F(JobRunnerTest, NeverOverwritesAnInputOrAnExistingOutput) {
    auto s = settings();
    s.inputs = {sample("x.png")};
    s.output = m_dir / "x.png";
    const auto before = fs::file_size(m_dir / "x.png");
    auto events = run(s);
    auto failed = ofKind<core::ItemFailed>(events);
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_NE(failed[0].error.message.find("would overwrite an input"), std::string::npos);
    EXPECT_EQ(fs::file_size(m_dir / "x.png"), before);

    std::ofstream(m_dir / "x_x4.png") << "keep me";
    s.output.clear();
    events = run(s);
    failed = ofKind<core::ItemFailed>(events);
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_NE(failed[0].error.message.find("already exists"), std::string::npos);
    EXPECT_EQ(fs::file_size(m_dir / "x_x4.png"), 7u);

    s.overwrite = true;
    events = run(s);
    EXPECT_TRUE(ofKind<core::ItemFailed>(events).empty());
    EXPECT_GT(fs::file_size(m_dir / "x_x4.png"), 7u);
}

TEST_F(JobRunnerTest, UnwritableOutputFolderFailsTheItemNamingIt) {
    auto s = settings();
    s.inputs = {sample("y.png")};
    std::ofstream(m_dir / "blocker") << "a file where a folder should be";
    s.output = m_dir / "blocker" / "out";
    const auto events = run(s);
    const auto failed = ofKind<core::ItemFailed>(events);
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_EQ(failed[0].error.code, core::ErrorCode::Io);
    EXPECT_NE(failed[0].error.message.find("blocker"), std::string::npos);
}

TEST_F(JobRunnerTest, UnknownModelStopsTheJobWithTheAvailableIds) {
    auto s = settings();
    s.inputs = {sample("z.png")};
    s.model = "no-such-model";
    engine::Context context;
    pipeline::JobRunner runner(context, s, [](const core::Event&) {});
    core::CancelToken cancel;
    auto summary = runner.run(cancel);
    ASSERT_FALSE(summary.has_value());
    EXPECT_EQ(summary.error().code, core::ErrorCode::NotFound);
    EXPECT_NE(summary.error().message.find("no-such-model"), std::string::npos);
    EXPECT_NE(summary.error().message.find("realesr-animevideov3"), std::string::npos);
}

TEST_F(JobRunnerTest, SettingsAreCheckedWhereTheJobComesInBeforeAnyModelIsLookedFor) {
    auto s = settings();
    s.inputs = {sample("a.png")};
    s.model = "no-such-model";
    s.engine.batch = 9;
    std::vector<core::Event> events;
    engine::Context context;
    pipeline::JobRunner runner(context, s,
                               [&events](const core::Event& e) { events.push_back(e); });
    core::CancelToken cancel;
    auto summary = runner.run(cancel);
    ASSERT_FALSE(summary.has_value());
    EXPECT_EQ(summary.error().code, core::ErrorCode::InvalidArgument);
    EXPECT_EQ(summary.error().message, "Batch size 9 is out of range: use 1 to 8.");
    EXPECT_TRUE(events.empty());
    EXPECT_FALSE(fs::exists(m_dir / "a_x4.png"));
}
