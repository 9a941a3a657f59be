// The `upscale` executable on a video, as a user runs it: the video options, JSON lines, Ctrl-C.

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "cli/cli_run.hpp"
#include "common/test_paths.hpp"
#include "common/video_clips.hpp"

namespace fs = std::filesystem;
using namespace upscale::test;

namespace {

class VideoCli : public ::testing::Test {
protected:
    void SetUp() override {
        UPSCALE_REQUIRE_ENCODERS("libx264", "libx265", "aac");
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        m_dir = fs::path(UPSCALE_TEST_BINARY_DIR) / ("videocli_" + std::string(info->name()));
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
        setenv("XDG_DATA_HOME", (m_dir / "data").c_str(), 1);
    }
    fs::path m_dir;
};

}  // namespace

TEST_F(VideoCli, VideoOptionsAndJsonLines) {
    const auto clip = m_dir / "clip.mp4";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=32x24:rate=10 -f lavfi -i sine=frequency=440 "
                       "-t 0.4 -c:v libx264 -c:a aac -shortest",
                       clip),
              "");
    const auto out = m_dir / "out.mkv";
    const auto run = upscaleCli(
        "--json -q -s 2 -b 2 --codec h265 --crf 30 --preset ultrafast "
        "--no-audio " +
        quoted(clip) + " -o " + quoted(out));
    ASSERT_EQ(run.code, 0) << run.output;
    EXPECT_EQ(streamTypes(out), std::vector<std::string>{"video"});
    EXPECT_EQ(videoStream(out).value("codec_name", ""), "hevc");
    EXPECT_NE(run.output.find(R"("event":"batch","item":1,"items":1)"), std::string::npos)
        << run.output;
    EXPECT_NE(run.output.find(R"("batch":2,"frames":2,"frames_done":4,"frames_total":4)"),
              std::string::npos)
        << run.output;
}

TEST_F(VideoCli, InterruptKeepsThePartOfTheVideoAlreadyDone) {
    const auto clip = m_dir / "long.mp4";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=64x48:rate=10 -t 20 -c:v libx264", clip), "");
    const std::string log = (m_dir / "log.txt").string();
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        const std::string cmd = std::string(UPSCALE_CLI_PATH) + " --device cpu -w 1 -s 2 " +
                                quoted(clip) + " > '" + log + "' 2>&1";
        execl("/bin/sh", "sh", "-c", ("exec " + cmd).c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    // Wait for the first saved batch, then press Ctrl-C.
    for (int i = 0; i < 600; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        if (runCommand("grep -c 'upscaled and saved' '" + log + "'").output != "0\n") {
            break;
        }
    }
    kill(pid, SIGINT);
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 1);
    const auto partial = m_dir / "long_x2.partial.mp4";
    ASSERT_TRUE(fs::exists(partial)) << runCommand("cat '" + log + "'").output;
    EXPECT_FALSE(fs::exists(m_dir / "long_x2.mp4"));
    const auto frames = frameTimes(partial).size();
    EXPECT_GT(frames, 0U);
    EXPECT_LT(frames, 200U);
}
