#include <gtest/gtest.h>

#include <string>

#include "upscale/core/sha256.hpp"

using upscale::core::Sha256;
using upscale::core::sha256Hex;

namespace {
std::span<const std::uint8_t> bytesOf(const std::string& s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
}  // namespace

TEST(Sha256, MatchesKnownVectors) {
    EXPECT_EQ(sha256Hex(bytesOf("")),
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256Hex(bytesOf("abc")),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256Hex(bytesOf("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, IncrementalUpdatesEqualOneShot) {
    std::string text(1000, 'x');
    for (std::size_t i = 0; i < text.size(); ++i) {
        text[i] = static_cast<char>('a' + i % 26);
    }
    Sha256 h;
    for (std::size_t i = 0; i < text.size(); i += 37) {
        h.update(bytesOf(text.substr(i, 37)));
    }
    EXPECT_EQ(h.hexDigest(), sha256Hex(bytesOf(text)));
}
