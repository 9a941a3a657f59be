#pragma once
// Test clips made with the ffmpeg command-line tool, and results checked with ffprobe, so the
// tests judge our reader and writer by FFmpeg's own tools rather than by themselves.

#include <sys/wait.h>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace upscale::test {

struct CommandResult {
    int code = -1;
    std::string output;
};

inline CommandResult runCommand(const std::string& command) {
    CommandResult result;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) {
        return result;
    }
    std::array<char, 4096> buffer{};
    while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) {
        result.output += buffer.data();
    }
    const int status = pclose(pipe);
    result.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

inline std::string quoted(const std::filesystem::path& path) {
    std::string text(1, '\'');
    text += path.string();
    text += '\'';
    return text;
}

/// What the video tests lack: "" when the ffmpeg tool is installed and has every named encoder.
inline std::string missingEncoders(const std::vector<std::string>& names) {
    static const CommandResult encoders = runCommand("ffmpeg -hide_banner -encoders 2>/dev/null");
    if (encoders.code != 0) {
        return "the ffmpeg tool is missing";
    }
    std::string missing;
    for (const auto& name : names) {
        if (encoders.output.find(" " + name + " ") == std::string::npos) {
            missing += (missing.empty() ? "" : ", ") + name;
        }
    }
    return missing.empty() ? missing : "ffmpeg lacks the encoder(s) " + missing;
}

/// True when UPSCALE_REQUIRE_FFMPEG=1 (scripts/test.sh sets it): then a missing ffmpeg tool or
/// encoder fails the video tests instead of skipping them.
inline bool ffmpegRequired() {
    const char* value = std::getenv("UPSCALE_REQUIRE_FFMPEG");
    return value != nullptr && std::string(value) == "1";
}

}  // namespace upscale::test

/// In a test or its SetUp: skips it when ffmpeg or one of the named encoders is missing, or fails
/// it when UPSCALE_REQUIRE_FFMPEG=1.
#define UPSCALE_REQUIRE_ENCODERS(...)                                                          \
    do {                                                                                       \
        const std::string missing_ = ::upscale::test::missingEncoders({__VA_ARGS__});          \
        if (!missing_.empty()) {                                                               \
            if (::upscale::test::ffmpegRequired()) {                                           \
                FAIL() << missing_ << " (UPSCALE_REQUIRE_FFMPEG=1: the video tests must run)"; \
            }                                                                                  \
            GTEST_SKIP() << missing_;                                                          \
        }                                                                                      \
    } while (false)

namespace upscale::test {

/// Runs `ffmpeg -y <args> <out>`; returns ffmpeg's output on failure, empty on success.
inline std::string makeClip(const std::string& args, const std::filesystem::path& out) {
    const auto run =
        runCommand("ffmpeg -hide_banner -loglevel error -y " + args + " " + quoted(out) + " 2>&1");
    return run.code == 0 ? std::string() : "ffmpeg failed: " + run.output;
}

/// Copies the first `fraction` of a file's bytes, as a download or a copy cut short would leave it.
inline void truncatedCopy(const std::filesystem::path& from, const std::filesystem::path& to,
                          double fraction) {
    std::ifstream in(from, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), {});
    std::ofstream(to, std::ios::binary)
        << bytes.substr(0, static_cast<std::size_t>(bytes.size() * fraction));
}

/// ffprobe's JSON for a file with the given selection, e.g. "-show_streams".
inline nlohmann::json probeJson(const std::filesystem::path& file, const std::string& args) {
    const auto run =
        runCommand("ffprobe -v error -of json " + args + " " + quoted(file) + " 2>/dev/null");
    if (run.code != 0) {
        return nlohmann::json::object();
    }
    return nlohmann::json::parse(run.output, nullptr, false);
}

/// The presentation times (seconds, as ffprobe prints them) of the video frames.
inline std::vector<std::string> frameTimes(const std::filesystem::path& file) {
    const auto j = probeJson(file, "-select_streams v:0 -show_entries frame=pts_time");
    std::vector<std::string> times;
    for (const auto& f : j.value("frames", nlohmann::json::array())) {
        times.push_back(f.value("pts_time", "?"));
    }
    return times;
}

/// The MD5 of every packet of the first audio stream.
inline std::vector<std::string> audioPacketHashes(const std::filesystem::path& file) {
    const auto j =
        probeJson(file, "-select_streams a:0 -show_entries packet=data_hash -show_data_hash md5");
    std::vector<std::string> hashes;
    for (const auto& p : j.value("packets", nlohmann::json::array())) {
        hashes.push_back(p.value("data_hash", "?"));
    }
    return hashes;
}

/// The streams of a file, as ffprobe describes them.
inline nlohmann::json streams(const std::filesystem::path& file) {
    return probeJson(file, "-show_streams").value("streams", nlohmann::json::array());
}

inline nlohmann::json videoStream(const std::filesystem::path& file) {
    for (const auto& s : streams(file)) {
        if (s.value("codec_type", "") == "video") {
            return s;
        }
    }
    return nlohmann::json::object();
}

/// Codec types of a file's streams in order: {"video", "audio", "subtitle"}.
inline std::vector<std::string> streamTypes(const std::filesystem::path& file) {
    std::vector<std::string> types;
    for (const auto& s : streams(file)) {
        types.push_back(s.value("codec_type", "?"));
    }
    return types;
}

/// One MD5 per decoded video frame (ffmpeg's framemd5 muxer).
inline std::vector<std::string> frameHashes(const std::filesystem::path& file) {
    const auto run =
        runCommand("ffmpeg -v error -i " + quoted(file) + " -map 0:v:0 -f framemd5 - 2>/dev/null");
    std::vector<std::string> hashes;
    std::size_t pos = 0;
    while (pos < run.output.size()) {
        const auto end = run.output.find('\n', pos);
        const std::string line = run.output.substr(pos, end - pos);
        if (!line.empty() && line.front() != '#') {
            hashes.push_back(line.substr(line.rfind(',') + 1));
        }
        if (end == std::string::npos) {
            break;
        }
        pos = end + 1;
    }
    return hashes;
}

}  // namespace upscale::test
