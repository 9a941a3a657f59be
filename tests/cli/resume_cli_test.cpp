// Faults a user's machine deals out, on the `upscale` executable: kill -9 in the middle of a
// job, a full disk, a file size limit. Each is followed by `--resume`, which must finish the job
// without redoing what was saved and give what an uninterrupted run gives.

#include <gtest/gtest.h>

#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <thread>

#include "cli/cli_run.hpp"
#include "common/test_paths.hpp"
#include "common/video_clips.hpp"
#include "upscale/media/image_io.hpp"

namespace fs = std::filesystem;
using namespace upscale::test;

namespace {

std::size_t lineCount(const fs::path& file) {
    std::ifstream in(file);
    std::size_t lines = 0;
    for (std::string line; std::getline(in, line);) {
        ++lines;
    }
    return lines;
}

std::string readText(const fs::path& file) {
    std::ifstream in(file);
    return {std::istreambuf_iterator<char>(in), {}};
}

/// Starts `upscale args` in a child process with its output in `log`.
pid_t startCli(const std::string& args, const fs::path& log) {
    const pid_t pid = fork();
    if (pid == 0) {
        const std::string cmd = "exec " + cliCommand() + args + " > " + quoted(log) + " 2>&1";
        execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    return pid;
}

/// Starts `upscale args` with its output in `log`, waits until `file` has at least `lines`
/// lines, then kills it with SIGKILL. Returns false when the job ended first.
bool killWhen(const std::string& args, const fs::path& log, const fs::path& file,
              std::size_t lines) {
    const pid_t pid = startCli(args, log);
    for (int i = 0; i < 1200; ++i) {
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            return false;
        }
        if (lineCount(file) >= lines) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    return false;
}

/// Starts `upscale args` with its output in `log` and kills it with SIGKILL the moment a file
/// with the extension `ext` is created anywhere under `dir`: the container the join is writing.
/// Returns false when the job ended first.
bool killAtCreation(const std::string& args, const fs::path& log, const fs::path& dir,
                    const std::string& ext) {
    const int fd = inotify_init1(IN_CLOEXEC);
    std::map<int, fs::path> watched;
    const auto watch = [&](const fs::path& folder) {
        const int wd = inotify_add_watch(fd, folder.c_str(), IN_CREATE);
        if (wd >= 0) {
            watched[wd] = folder;
        }
    };
    watch(dir);
    const pid_t pid = startCli(args, log);
    bool killed = false;
    int status = 0;
    alignas(inotify_event) char events[4096];
    for (int polls = 0; !killed && polls < 1200; ++polls) {
        pollfd ready{fd, POLLIN, 0};
        if (poll(&ready, 1, 50) <= 0) {
            if (waitpid(pid, &status, WNOHANG) == pid) {
                close(fd);
                return false;
            }
            continue;
        }
        const ssize_t n = read(fd, events, sizeof events);
        for (ssize_t at = 0; !killed && at < n;) {
            const auto* e = reinterpret_cast<const inotify_event*>(events + at);
            at += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
            const fs::path created = watched[e->wd] / e->name;
            if ((e->mask & IN_ISDIR) != 0) {
                watch(created);
                std::error_code ec;
                for (const auto& sub : fs::recursive_directory_iterator(created, ec)) {
                    if (sub.is_directory()) {
                        watch(sub.path());
                    }
                }
            } else if (created.extension() == ext) {
                kill(pid, SIGKILL);
                killed = true;
            }
        }
    }
    if (!killed) {
        kill(pid, SIGKILL);
    }
    waitpid(pid, &status, 0);
    close(fd);
    return killed && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

/// Every file and folder under `dir`, hidden ones included, relative to it.
std::set<std::string> everythingIn(const fs::path& dir) {
    std::set<std::string> found;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        found.insert(fs::relative(e.path(), dir).string());
    }
    return found;
}

/// How many times each output file was reported saved in a run's log.
std::map<std::string, int> savedOutputs(const std::string& log) {
    std::map<std::string, int> saved;
    const std::regex line(R"(Batch 1: 1 frame upscaled and saved: (\S+))");
    for (auto it = std::sregex_iterator(log.begin(), log.end(), line); it != std::sregex_iterator();
         ++it) {
        ++saved[fs::path((*it)[1].str()).filename().string()];
    }
    return saved;
}

/// Files in a folder whose names mark them as temporary (".<stem>.<tag>.tmp.<ext>").
std::vector<std::string> temporaryFiles(const fs::path& dir) {
    std::vector<std::string> found;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (e.path().filename().string().find(".tmp") != std::string::npos) {
            found.push_back(e.path().string());
        }
    }
    return found;
}

class Resume : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        m_dir = fs::path(UPSCALE_TEST_BINARY_DIR) / ("resume_" + std::string(info->name()));
        fs::remove_all(m_dir);
        fs::create_directories(m_dir / "in");
        setenv("XDG_DATA_HOME", (m_dir / "data").c_str(), 1);
    }
    void TearDown() override {
        if (m_mounted) {
            runCommand("umount " + quoted(m_mount));
        }
    }

    /// `count` 64x64 images, alternating two pictures, in m_dir/in.
    void makeImages(int count) {
        for (int i = 0; i < count; ++i) {
            const char* from = i % 2 == 0 ? "rocket_crop.png" : "coffee_crop.png";
            fs::copy_file(fs::path(UPSCALE_TEST_DATA_DIR) / from,
                          m_dir / "in" / ("img" + std::to_string(100 + i) + ".png"));
        }
    }

    /// Mounts a tmpfs of `size` at m_dir/<name>; false when this machine does not let us.
    bool mountTmpfs(const std::string& name, const std::string& size) {
        m_mount = m_dir / name;
        fs::create_directories(m_mount);
        m_mounted =
            runCommand("mount -t tmpfs -o size=" + size + " tmpfs " + quoted(m_mount) + " 2>&1")
                .code == 0;
        return m_mounted;
    }

    fs::path m_dir;
    fs::path m_mount;
    bool m_mounted = false;
};

}  // namespace

TEST_F(Resume, KilledImageFolderJobResumesWithoutProcessingAnImageTwice) {
    makeImages(24);
    const fs::path out = m_dir / "out";
    const fs::path journal = out / ".upscale-resume" / "journal.jsonl";
    const std::string args = "-w 1 " + quoted(m_dir / "in") + " -o " + quoted(out);
    ASSERT_TRUE(killWhen(args, m_dir / "first.log", journal, 4))
        << "the job finished before it could be killed:\n"
        << readText(m_dir / "first.log");
    // What the killed run finished, by its journal.
    std::set<std::string> finished;
    {
        std::ifstream in(journal);
        for (std::string line; std::getline(in, line);) {
            finished.insert(nlohmann::json::parse(line).value("output", ""));
        }
    }
    ASSERT_GE(finished.size(), 4U);
    ASSERT_LT(finished.size(), 24U);

    const auto resumed = upscaleCli("--resume " + args);
    ASSERT_EQ(resumed.code, 0) << resumed.output;
    std::set<std::string> skipped;
    const std::regex skip(R"(Skipped \S+: (\S+) was finished by an earlier run and is unchanged)");
    for (auto it = std::sregex_iterator(resumed.output.begin(), resumed.output.end(), skip);
         it != std::sregex_iterator(); ++it) {
        skipped.insert(fs::path((*it)[1].str()).filename().string());
    }
    EXPECT_EQ(skipped, finished) << resumed.output;
    const auto saved = savedOutputs(resumed.output);
    EXPECT_EQ(saved.size() + skipped.size(), 24U) << resumed.output;
    for (const auto& [name, times] : saved) {
        EXPECT_EQ(times, 1) << name;
        EXPECT_FALSE(finished.contains(name)) << name << " was processed twice";
    }
    for (int i = 0; i < 24; ++i) {
        const std::string name = "img" + std::to_string(100 + i) + "_x4.png";
        auto image = upscale::media::readImage(out / name);
        ASSERT_TRUE(image) << name << ": " << image.error().message;
        EXPECT_EQ(image->width(), 256);
        EXPECT_EQ(image->height(), 256);
    }
    EXPECT_TRUE(temporaryFiles(out).empty());
    // A finished job leaves nothing of its journal behind.
    EXPECT_FALSE(fs::exists(out / ".upscale-resume"));
}

TEST_F(Resume, KilledVideoJobResumesToTheFramesTimestampsAndAudioOfAnUninterruptedRun) {
    UPSCALE_REQUIRE_ENCODERS("libx264", "aac");
    const fs::path clip = m_dir / "in" / "clip.mp4";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc2=size=48x32:rate=12 -f lavfi "
                       "-i sine=frequency=330:sample_rate=44100 -t 4 -c:v libx264 -c:a aac "
                       "-shortest",
                       clip),
              "");
    const std::string common = "-w 1 -s 2 --segment-seconds 0.5 " + quoted(clip) + " -o ";
    const fs::path whole = m_dir / "whole.mp4";
    const auto uninterrupted = upscaleCli(common + quoted(whole));
    ASSERT_EQ(uninterrupted.code, 0) << uninterrupted.output;

    const fs::path out = m_dir / "out" / "clip.mp4";
    const fs::path journal = m_dir / "out" / ".upscale-resume" / "clip.mp4" / "segments.jsonl";
    // The header line and three closed segments.
    ASSERT_TRUE(killWhen(common + quoted(out), m_dir / "first.log", journal, 4))
        << readText(m_dir / "first.log");
    EXPECT_FALSE(fs::exists(out));

    const auto resumed = upscaleCli("--resume " + common + quoted(out));
    ASSERT_EQ(resumed.code, 0) << resumed.output;
    EXPECT_TRUE(std::regex_search(resumed.output,
                                  std::regex(R"(Resuming .*clip\.mp4: \d+ frame\(s\) in \d+ )"
                                             R"(closed segment\(s\) were finished)")))
        << resumed.output;

    EXPECT_EQ(frameTimes(out), frameTimes(clip));
    EXPECT_EQ(frameTimes(out), frameTimes(whole));
    EXPECT_EQ(frameHashes(out), frameHashes(whole));
    EXPECT_EQ(frameHashes(out).size(), 48U);
    EXPECT_EQ(audioPacketHashes(out), audioPacketHashes(clip));
    EXPECT_FALSE(fs::exists(out.parent_path() / ".upscale-resume"));
    // The whole file decodes without an error.
    const auto decode = runCommand("ffmpeg -v error -i " + quoted(out) + " -f null - 2>&1");
    EXPECT_EQ(decode.code, 0);
    EXPECT_EQ(decode.output, "");
}

TEST_F(Resume, KillDuringTheFinalJoinLeavesNothingThatResumeDoesNotCleanUp) {
    UPSCALE_REQUIRE_ENCODERS("libx264", "aac");
    // Few frames to upscale, and a long audio track that makes the join itself take a while.
    // FFV1, lossless, so that two runs' frames can be compared bit for bit.
    const fs::path clip = m_dir / "in" / "clip.mp4";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc2=size=48x32:rate=12:duration=1 -f lavfi "
                       "-i sine=frequency=330:sample_rate=44100:duration=60 -c:v libx264 -c:a aac",
                       clip),
              "");
    const std::string common =
        "-w 1 -s 2 --codec ffv1 --segment-seconds 0.25 " + quoted(clip) + " -o ";
    const fs::path whole = m_dir / "whole.mkv";
    const auto uninterrupted = upscaleCli(common + quoted(whole));
    ASSERT_EQ(uninterrupted.code, 0) << uninterrupted.output;

    // Killed as the joined container is created, wherever the join writes it; a kill that comes
    // too late (the video already in place) is tried again.
    const fs::path outDir = m_dir / "out";
    const fs::path out = outDir / "clip.mkv";
    bool caught = false;
    std::set<std::string> left;
    for (int attempt = 0; attempt < 5 && !caught; ++attempt) {
        fs::remove_all(outDir);
        fs::create_directories(outDir);
        caught = killAtCreation(common + quoted(out), m_dir / "first.log", outDir, ".mkv") &&
                 !fs::exists(out);
        left = everythingIn(outDir);
    }
    ASSERT_TRUE(caught) << readText(m_dir / "first.log");
    // The kill left the container being joined (besides the journal and the segments).
    EXPECT_TRUE(std::any_of(left.begin(), left.end(), [](const std::string& p) {
        return fs::path(p).extension() == ".mkv" && fs::path(p).filename() != "clip.mkv";
    })) << ::testing::PrintToString(left);

    const auto resumed = upscaleCli("--resume " + common + quoted(out));
    ASSERT_EQ(resumed.code, 0) << resumed.output;
    // Nothing but the video: no hidden or partial file, no segment folder.
    EXPECT_EQ(everythingIn(outDir), std::set<std::string>{"clip.mkv"})
        << "the killed run left: " << ::testing::PrintToString(left);
    EXPECT_EQ(frameHashes(out), frameHashes(whole));
    EXPECT_EQ(frameHashes(out).size(), 12U);
    EXPECT_EQ(frameTimes(out), frameTimes(whole));
    EXPECT_EQ(audioPacketHashes(out), audioPacketHashes(whole));
}

TEST_F(Resume, WithoutResumeAnInterruptedVideoIsKeptAndTheMessageSaysHowToContinue) {
    UPSCALE_REQUIRE_ENCODERS("libx264");
    const fs::path clip = m_dir / "in" / "clip.mkv";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc2=size=48x32:rate=12 -t 4 -c:v libx264", clip), "");
    const fs::path out = m_dir / "out" / "clip.mkv";
    const fs::path folder = m_dir / "out" / ".upscale-resume" / "clip.mkv";
    const std::string args = "-w 1 -s 2 --segment-seconds 0.5 " + quoted(clip) + " -o ";
    ASSERT_TRUE(killWhen(args + quoted(out), m_dir / "first.log", folder / "segments.jsonl", 3));

    const auto again = upscaleCli(args + quoted(out));
    EXPECT_EQ(again.code, 1);
    EXPECT_TRUE(std::regex_search(again.output, std::regex(R"(left \d+ finished segment\(s\))")))
        << again.output;
    EXPECT_NE(again.output.find("Run again with --resume to continue it"), std::string::npos);
    EXPECT_TRUE(fs::exists(folder / "000000.seg"));
    EXPECT_TRUE(fs::exists(folder / "000001.seg"));

    // Other settings are another job: resuming with them is refused, nothing is thrown away.
    const auto other = upscaleCli("--resume --crf 30 " + args + quoted(out));
    EXPECT_EQ(other.code, 1);
    EXPECT_NE(other.output.find("with other settings"), std::string::npos) << other.output;
    EXPECT_TRUE(fs::exists(folder / "000001.seg"));

    const auto overwrite = upscaleCli("--overwrite " + args + quoted(out));
    EXPECT_EQ(overwrite.code, 0) << overwrite.output;
    EXPECT_EQ(frameTimes(out), frameTimes(clip));
    EXPECT_FALSE(fs::exists(folder));
}

TEST_F(Resume, FullDiskStopsTheJobKeepsFinishedOutputsAndResumesOnceThereIsSpace) {
    if (geteuid() != 0 || !mountTmpfs("small", "300k")) {
        GTEST_SKIP() << "cannot mount a tmpfs here (needs root)";
    }
    makeImages(6);
    const std::string args = "-w 1 " + quoted(m_dir / "in") + " -o " + quoted(m_mount);
    const auto full = upscaleCli(args);
    EXPECT_EQ(full.code, 1) << full.output;
    EXPECT_TRUE(std::regex_search(full.output,
                                  std::regex(R"(small/img10\d_x4\.png.*No space left on device)")))
        << full.output;
    EXPECT_NE(full.output.find("The job stopped"), std::string::npos) << full.output;
    EXPECT_NE(full.output.find("run again with --resume"), std::string::npos) << full.output;

    // Every file under a final name is a whole image; nothing temporary is left.
    int kept = 0;
    for (const auto& e : fs::directory_iterator(m_mount)) {
        if (e.is_regular_file()) {
            auto image = upscale::media::readImage(e.path());
            ASSERT_TRUE(image) << e.path() << ": " << image.error().message;
            EXPECT_EQ(image->width(), 256);
            ++kept;
        }
    }
    EXPECT_GE(kept, 1);
    EXPECT_LT(kept, 6);
    EXPECT_TRUE(temporaryFiles(m_mount).empty());

    ASSERT_EQ(runCommand("mount -o remount,size=4m " + quoted(m_mount)).code, 0);
    const auto resumed = upscaleCli("--resume " + args);
    EXPECT_EQ(resumed.code, 0) << resumed.output;
    EXPECT_EQ(savedOutputs(resumed.output).size(), static_cast<std::size_t>(6 - kept))
        << resumed.output;
    for (int i = 0; i < 6; ++i) {
        EXPECT_TRUE(
            upscale::media::readImage(m_mount / ("img" + std::to_string(100 + i) + "_x4.png")));
    }
}

TEST_F(Resume, FileSizeLimitFailsTheLargeOutputWithAClearErrorAndKeepsTheSmallOne) {
    // A 16x16 picture (small output) and a 64x64 one (an output over the limit).
    auto small = upscale::media::readImage(fs::path(UPSCALE_TEST_DATA_DIR) / "rocket_crop.png");
    ASSERT_TRUE(small);
    upscale::core::Image tiny(16, 16, 3, small->depth());
    for (int y = 0; y < 16; ++y) {
        std::copy_n(small->row(y * 4), tiny.rowBytes(), tiny.row(y));
    }
    ASSERT_TRUE(upscale::media::writeImage(m_dir / "in" / "a_small.png", tiny));
    fs::copy_file(fs::path(UPSCALE_TEST_DATA_DIR) / "coffee_crop.png", m_dir / "in" / "b_big.png");
    const fs::path out = m_dir / "out";
    fs::create_directories(out);
    const std::string args = "-w 1 " + quoted(m_dir / "in") + " -o " + quoted(out);

    const auto limited =
        runCommand("bash -c \"ulimit -f 48; exec " + cliCommand() + args + "\" 2>&1");
    EXPECT_EQ(limited.code, 1) << limited.output;
    EXPECT_TRUE(std::regex_search(limited.output, std::regex(R"(b_big_x4\.png.*File too large)")))
        << limited.output;
    EXPECT_TRUE(upscale::media::readImage(out / "a_small_x4.png"));
    EXPECT_FALSE(fs::exists(out / "b_big_x4.png"));
    EXPECT_TRUE(temporaryFiles(out).empty());

    const auto resumed = upscaleCli("--resume " + args);
    EXPECT_EQ(resumed.code, 0) << resumed.output;
    EXPECT_EQ(savedOutputs(resumed.output), (std::map<std::string, int>{{"b_big_x4.png", 1}}))
        << resumed.output;
    EXPECT_TRUE(upscale::media::readImage(out / "b_big_x4.png"));
}

TEST_F(Resume, FullDiskDuringAVideoKeepsItsSegmentsAndResumesOnceThereIsSpace) {
    UPSCALE_REQUIRE_ENCODERS("ffv1", "aac");
    if (geteuid() != 0 || !mountTmpfs("small", "600k")) {
        GTEST_SKIP() << "cannot mount a tmpfs here (needs root)";
    }
    const fs::path clip = m_dir / "in" / "clip.mkv";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc2=size=96x64:rate=12 -f lavfi -i sine=frequency=330 "
                       "-t 3 -c:v libx264 -c:a aac -shortest",
                       clip),
              "");
    // Lossless FFV1 frames are large: the disk fills up in the middle of the video.
    const fs::path out = m_mount / "clip.mkv";
    const std::string args =
        "-w 1 -s 2 --codec ffv1 --segment-seconds 0.5 " + quoted(clip) + " -o " + quoted(out);
    const auto full = upscaleCli(args);
    EXPECT_EQ(full.code, 1) << full.output;
    EXPECT_NE(full.output.find("No space left on device"), std::string::npos) << full.output;
    EXPECT_NE(full.output.find("The job stopped"), std::string::npos) << full.output;
    EXPECT_FALSE(fs::exists(out));
    EXPECT_TRUE(temporaryFiles(m_mount).empty());
    EXPECT_TRUE(fs::exists(m_mount / ".upscale-resume" / "clip.mkv" / "000000.seg"));

    ASSERT_EQ(runCommand("mount -o remount,size=64m " + quoted(m_mount)).code, 0);
    const auto resumed = upscaleCli("--resume " + args);
    ASSERT_EQ(resumed.code, 0) << resumed.output;
    EXPECT_NE(resumed.output.find("were finished by an earlier run"), std::string::npos)
        << resumed.output;
    EXPECT_EQ(frameTimes(out), frameTimes(clip));
    EXPECT_EQ(audioPacketHashes(out), audioPacketHashes(clip));
}
