// The journals --resume relies on: records survive a reopen, a line cut short by a crash is not
// taken for a record, and a rewrite replaces the whole file at once; and the fingerprint they
// hold, which must not change for the same settings, or interrupted jobs would not resume.

#include <gtest/gtest.h>

#include <fstream>

#include "common/test_paths.hpp"
#include "pipeline/journal.hpp"
#include "pipeline/resume.hpp"

namespace fs = std::filesystem;
using upscale::pipeline::Journal;

namespace {

fs::path freshDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    const fs::path dir =
        fs::path(UPSCALE_TEST_BINARY_DIR) / ("journal_" + std::string(info->name()));
    fs::remove_all(dir);
    return dir;
}

}  // namespace

TEST(Journal, RecordsSurviveAReopenAndTheFolderIsMadeOnTheFirstAppend) {
    const fs::path file = freshDir() / ".upscale-resume" / "journal.jsonl";
    auto journal = Journal::open(file);
    ASSERT_TRUE(journal);
    EXPECT_TRUE(journal->records().empty());
    EXPECT_FALSE(fs::exists(file));
    ASSERT_TRUE(journal->append({{"output", "a_x4.png"}, {"bytes", 10}}));
    ASSERT_TRUE(journal->append({{"output", "b_x4.png"}, {"bytes", 20}}));

    auto again = Journal::open(file);
    ASSERT_TRUE(again);
    ASSERT_EQ(again->records().size(), 2U);
    EXPECT_EQ(again->records()[1].value("output", ""), "b_x4.png");
    EXPECT_EQ(again->records()[1].value("bytes", 0), 20);
}

TEST(Journal, ALineCutShortByACrashIsIgnored) {
    const fs::path dir = freshDir();
    fs::create_directories(dir);
    const fs::path file = dir / "journal.jsonl";
    {
        auto journal = Journal::open(file);
        ASSERT_TRUE(journal->append({{"output", "a_x4.png"}}));
    }
    // A power cut in the middle of the second append: no newline, half an object.
    std::ofstream(file, std::ios::app) << R"({"output":"b_x4.p)";
    auto journal = Journal::open(file);
    ASSERT_TRUE(journal);
    ASSERT_EQ(journal->records().size(), 1U);
    EXPECT_EQ(journal->records()[0].value("output", ""), "a_x4.png");

    // Even a whole object without its newline was not finished: it is not a record either.
    std::ofstream(file, std::ios::trunc) << "{\"output\":\"a_x4.png\"}\n{\"output\":\"c_x4.png\"}";
    EXPECT_EQ(Journal::open(file)->records().size(), 1U);
}

TEST(Journal, RewriteReplacesEveryRecordAndLeavesNoTemporaryFile) {
    const fs::path dir = freshDir();
    const fs::path file = dir / "segments.jsonl";
    auto journal = Journal::open(file);
    ASSERT_TRUE(journal->append({{"segment", 0}}));
    ASSERT_TRUE(journal->append({{"segment", 1}}));
    ASSERT_TRUE(journal->rewrite({{{"segment", 0}}}));
    EXPECT_EQ(journal->records().size(), 1U);
    EXPECT_EQ(Journal::open(file)->records().size(), 1U);
    int files = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) {
        ++files;
    }
    EXPECT_EQ(files, 1);
}

TEST(Journal, AnUnwritableJournalSaysWhichFile) {
    const fs::path dir = freshDir();
    fs::create_directories(dir);
    std::ofstream(dir / "blocked") << "a file where the folder should be";
    auto journal = Journal::open(dir / "blocked" / "journal.jsonl");
    ASSERT_TRUE(journal);
    auto appended = journal->append({{"output", "a_x4.png"}});
    ASSERT_FALSE(appended);
    EXPECT_NE(appended.error().message.find((dir / "blocked" / "journal.jsonl").string()),
              std::string::npos)
        << appended.error().message;
    EXPECT_EQ(appended.error().remedy, upscale::core::Remedy::Resume);
}

TEST(ResumeFingerprint, TheSameSettingsGiveTheSameBytesAsEver) {
    upscale::pipeline::JobSettings settings;
    settings.engine.tile = 256;
    settings.engine.overlap = 16;
    settings.format = "png";
    settings.writeOptions.jpegQuality = 90;
    settings.writeOptions.webpQuality = 80;
    settings.writeOptions.pngCompression = 6;
    settings.video.codec = "h265";
    settings.video.crf = 20;
    settings.video.preset = "slow";
    settings.video.pixelFormat = "yuv420p10le";
    settings.video.audio = true;
    settings.video.otherStreams = false;
    settings.segmentSeconds = 5.0;
    using upscale::engine::ResolvedPrecision;
    const struct {
        ResolvedPrecision precision;
        const char* name;
        const char* hash;  // sha256 of the text, its first 16 hex digits
    } cases[] = {{ResolvedPrecision::FP16, "FP16", "870c9662cb51621b"},
                 {ResolvedPrecision::BF16, "BF16", "8fb0a240873b825a"},
                 {ResolvedPrecision::FP32, "FP32", "9e28c86cf905b7f9"}};
    for (const auto& c : cases) {
        const std::string text =
            R"({"audio":true,"codec":"h265","crf":20,"format":"png","jpeg":90,"model":"a1b2c3",)"
            R"("other_streams":false,"overlap":16,"pix_fmt":"yuv420p10le","png":6,"precision":")" +
            std::string(c.name) +
            R"(","preset":"slow","scale":2.5,"segment_seconds":5.0,"tile":256,"webp":80})";
        EXPECT_EQ(upscale::pipeline::resultFingerprintText(settings, "a1b2c3", c.precision, 2.5),
                  text);
        EXPECT_EQ(upscale::pipeline::resultFingerprint(settings, "a1b2c3", c.precision, 2.5),
                  c.hash);
    }
}
