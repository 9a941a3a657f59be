#pragma once
// A farm job's inputs and the one-machine run to compare it with, shared by the farm tests.

#include <fstream>
#include <string>

#include "cli/cli_run.hpp"
#include "common/test_paths.hpp"
#include "common/video_clips.hpp"

namespace upscale::test {

/// The options every farm test runs with: a small model's tiny outputs, short segments.
inline const std::string kFarmJobOptions = "-s 2 --segment-seconds 0.3 --preset ultrafast";

inline std::string upscaleCommand(const std::string& args) {
    return cliCommand() + args + " 2>&1";
}

/// What the command prints on stdout alone (the log goes to stderr).
inline CommandResult upscaleStdout(const std::string& args) {
    return runCommand(cliCommand() + args + " 2>/dev/null");
}

inline std::string fileBytes(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

/// In `dir`: clip.mp4 (1.2 s at 10 fps with AAC audio: 4 segments of 0.3 s) and images/ with
/// two PNGs. Returns ffmpeg's complaint, empty on success.
inline std::string makeFarmInputs(const std::filesystem::path& dir) {
    std::filesystem::create_directories(dir / "images");
    std::string failed = makeClip(
        "-f lavfi -i testsrc=size=32x24:rate=10 -f lavfi -i sine=frequency=440 -t 1.2 "
        "-c:v libx264 -g 4 -c:a aac -shortest",
        dir / "clip.mp4");
    failed += makeClip("-f lavfi -i testsrc2=size=24x16 -frames:v 1", dir / "images" / "a.png");
    failed += makeClip("-f lavfi -i mandelbrot=size=20x20 -frames:v 1", dir / "images" / "b.png");
    return failed;
}

/// The farm's outputs equal the one-machine run's: per-frame MD5 and times of the video, its
/// audio packets, and the images' bytes.
inline void expectSameOutputs(const std::filesystem::path& farmOut,
                              const std::filesystem::path& reference) {
    const auto video = farmOut / "clip_x2.mp4";
    const auto expected = reference / "clip_x2.mp4";
    ASSERT_TRUE(std::filesystem::exists(video)) << video;
    const auto hashes = frameHashes(video);
    EXPECT_EQ(hashes.size(), 12u);
    EXPECT_EQ(hashes, frameHashes(expected));
    EXPECT_EQ(frameTimes(video), frameTimes(expected));
    EXPECT_FALSE(audioPacketHashes(video).empty());
    EXPECT_EQ(audioPacketHashes(video), audioPacketHashes(expected));
    for (const char* name : {"a_x2.png", "b_x2.png"}) {
        ASSERT_TRUE(std::filesystem::exists(farmOut / name)) << name;
        EXPECT_EQ(fileBytes(farmOut / name), fileBytes(reference / name)) << name;
    }
}

}  // namespace upscale::test
