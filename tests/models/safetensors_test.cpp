#include <gtest/gtest.h>

#include "model_test_util.hpp"
#include "upscale/models/safetensors.hpp"

using namespace upscale::models;
using upscale::core::ErrorCode;

namespace {

constexpr const char* kSource = "hostile.safetensors";

/// u64 header length, the header text as given, then the data bytes.
std::vector<std::uint8_t> rawFile(const std::string& header, std::size_t dataBytes,
                                  std::uint64_t claimedLength = UINT64_MAX) {
    const std::uint64_t n = claimedLength == UINT64_MAX ? header.size() : claimedLength;
    std::vector<std::uint8_t> out;
    for (int i = 0; i < 8; ++i) {
        out.push_back(static_cast<std::uint8_t>(n >> (8 * i)));
    }
    out.insert(out.end(), header.begin(), header.end());
    out.resize(out.size() + dataBytes, 0xab);
    return out;
}

StateDict sampleDict() {
    StateDict dict;
    dict["body.0.weight"] =
        Tensor::fromFloat32(std::vector<float>{1, 2, 3, 4, 5, 6}, {2, 3}, DType::F16);
    dict["a.scalar"] = Tensor::fromFloat32(std::vector<float>{7.5F}, {}, DType::F32);
    dict["empty"] = Tensor::fromFloat32(std::vector<float>{}, {0, 4}, DType::BF16);
    Tensor ids;
    ids.dtype = DType::I64;
    ids.shape = {3};
    ids.data = {1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0};
    dict["ids"] = ids;
    Tensor flags;
    flags.dtype = DType::Bool;
    flags.shape = {3};
    flags.data = {1, 0, 1};
    dict["flags"] = flags;
    return dict;
}

void expectSameDict(const StateDict& a, const StateDict& b) {
    ASSERT_EQ(a.size(), b.size());
    for (const auto& [name, t] : a) {
        const auto it = b.find(name);
        ASSERT_NE(it, b.end()) << name;
        EXPECT_EQ(it->second.dtype, t.dtype) << name;
        EXPECT_EQ(it->second.shape, t.shape) << name;
        EXPECT_EQ(it->second.data, t.data) << name;
    }
}

void expectFailure(const std::vector<std::uint8_t>& bytes, ErrorCode code,
                   const std::string& fragment) {
    const auto r = parseSafetensors(bytes, kSource);
    ASSERT_FALSE(r) << fragment;
    EXPECT_EQ(r.error().code, code) << r.error().message;
    EXPECT_NE(r.error().message.find(kSource), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find(fragment), std::string::npos) << r.error().message;
}

}  // namespace

TEST(Safetensors, SerializeParseRoundTrip) {
    const StateDict dict = sampleDict();
    const std::map<std::string, std::string> metadata = {{"format", "pt"}, {"note", "x"}};
    const auto bytes = serializeSafetensors(dict, metadata);
    const auto parsed = parseSafetensors(bytes, "roundtrip.safetensors");
    ASSERT_TRUE(parsed) << parsed.error().message;
    expectSameDict(dict, parsed->tensors);
    EXPECT_EQ(parsed->metadata, metadata);
}

TEST(Safetensors, HeaderIsCompactPaddedAndDeterministic) {
    const auto bytes = serializeSafetensors(sampleDict(), {{"k", "v"}});
    EXPECT_EQ(bytes, serializeSafetensors(sampleDict(), {{"k", "v"}}));
    std::uint64_t n = 0;
    for (int i = 7; i >= 0; --i) {
        n = (n << 8) | bytes[static_cast<std::size_t>(i)];
    }
    EXPECT_EQ(n % 8, 0u);
    EXPECT_EQ(bytes[8], '{');
    const std::string header(bytes.begin() + 8, bytes.begin() + 8 + static_cast<long>(n));
    EXPECT_EQ(header.find('\n'), std::string::npos);
    EXPECT_EQ(header.find(": "), std::string::npos);
    const auto close = header.rfind('}');
    EXPECT_EQ(header.find_first_not_of(' ', close + 1), std::string::npos);
    // Tensors are laid out by name: "a.scalar" first, at offset 0.
    EXPECT_NE(header.find("\"a.scalar\":{\"data_offsets\":[0,4]"), std::string::npos) << header;
}

TEST(Safetensors, EmptyDictWithoutMetadata) {
    const auto bytes = serializeSafetensors({}, {});
    const auto parsed = parseSafetensors(bytes, "empty.safetensors");
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_TRUE(parsed->tensors.empty());
    EXPECT_TRUE(parsed->metadata.empty());
}

TEST(Safetensors, RejectsTooShortFile) {
    expectFailure({1, 2, 3}, ErrorCode::CorruptFile, "only 3 bytes");
}

TEST(Safetensors, RejectsHeaderLengthPastTheEnd) {
    expectFailure(rawFile("{}", 0, 5000), ErrorCode::CorruptFile, "points past the end");
}

TEST(Safetensors, RejectsHugeHeaderLength) {
    expectFailure(rawFile("{}", 0, 100'000'001), ErrorCode::CorruptFile, "limit");
}

TEST(Safetensors, RejectsOffsetsPastTheEnd) {
    const auto bytes =
        rawFile(R"({"body.0.weight":{"dtype":"F32","shape":[2],"data_offsets":[0,999999]}})", 8);
    expectFailure(bytes, ErrorCode::CorruptFile,
                  "tensor 'body.0.weight' data_offsets [0, 999999] point past the end of the "
                  "file");
    expectFailure(bytes, ErrorCode::CorruptFile, "download or convert it again");
}

TEST(Safetensors, RejectsOverlappingOffsets) {
    expectFailure(rawFile(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                          R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                          12),
                  ErrorCode::CorruptFile, "overlap");
}

TEST(Safetensors, RejectsHolesBetweenTensors) {
    expectFailure(rawFile(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                          R"("b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})",
                          12),
                  ErrorCode::CorruptFile, "gap of 4 bytes");
    expectFailure(rawFile(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", 8),
                  ErrorCode::CorruptFile, "gap at the start");
}

TEST(Safetensors, RejectsTrailingBytes) {
    expectFailure(rawFile(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", 6),
                  ErrorCode::CorruptFile, "2 bytes after the last tensor");
}

TEST(Safetensors, RejectsSizeThatDisagreesWithShape) {
    expectFailure(rawFile(R"({"a":{"dtype":"F16","shape":[3],"data_offsets":[0,4]}})", 4),
                  ErrorCode::CorruptFile, "needs 6 bytes");
}

TEST(Safetensors, RejectsBadJson) {
    expectFailure(rawFile(R"({"a":{"dtype":"F32",)", 0), ErrorCode::CorruptFile, "not valid JSON");
    expectFailure(rawFile(R"([1, 2])", 0), ErrorCode::CorruptFile, "start with '{'");
    expectFailure(rawFile(R"({"a": 1})", 0), ErrorCode::CorruptFile, "not an object");
}

TEST(Safetensors, RejectsMissingOrMalformedFields) {
    expectFailure(rawFile(R"({"a":{"shape":[1],"data_offsets":[0,4]}})", 4), ErrorCode::CorruptFile,
                  "lacks");
    expectFailure(rawFile(R"({"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", 4),
                  ErrorCode::CorruptFile, "non-negative integer");
    expectFailure(rawFile(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}})", 4),
                  ErrorCode::CorruptFile, "end before they begin");
    expectFailure(rawFile(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0]}})", 4),
                  ErrorCode::CorruptFile, "not two");
}

TEST(Safetensors, RejectsShapeOverflow) {
    expectFailure(rawFile(R"({"a":{"dtype":"F64","shape":[4294967296,4294967296],)"
                          R"("data_offsets":[0,0]}})",
                          0),
                  ErrorCode::CorruptFile, "too large");
}

TEST(Safetensors, UnknownDtypeIsUnsupported) {
    expectFailure(rawFile(R"({"a":{"dtype":"F8_E4M3","shape":[4],"data_offsets":[0,4]}})", 4),
                  ErrorCode::UnsupportedFormat, "F8_E4M3");
}

TEST(Safetensors, MetadataMustMapStringsToStrings) {
    expectFailure(rawFile(R"({"__metadata__":{"scale":4}})", 0), ErrorCode::CorruptFile,
                  "__metadata__");
}

TEST(Safetensors, AcceptsSpacePaddedHeaderAndEmptyTensors) {
    const auto bytes = rawFile(R"({"e":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},)"
                               R"("s":{"dtype":"U8","shape":[],"data_offsets":[0,1]}}   )",
                               1);
    const auto parsed = parseSafetensors(bytes, kSource);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed->tensors.at("e").numel(), 0);
    EXPECT_EQ(parsed->tensors.at("s").data, std::vector<std::uint8_t>{0xab});
}

TEST(Safetensors, WriteAndReadFile) {
    test::ScratchDir dir;
    const auto path = dir / "model.safetensors";
    ASSERT_TRUE(writeSafetensors(path, sampleDict(), {{"k", "v"}}));
    const auto read = readSafetensors(path);
    ASSERT_TRUE(read) << read.error().message;
    expectSameDict(sampleDict(), read->tensors);
    EXPECT_EQ(test::readBytes(path), serializeSafetensors(sampleDict(), {{"k", "v"}}));
    // Only the final file is left: the temporary sibling was renamed into place.
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()),
                            std::filesystem::directory_iterator()),
              1);
}

TEST(Safetensors, WriteFailureNamesThePath) {
    test::ScratchDir dir;
    const auto path = dir / "missing-folder" / "model.safetensors";
    const auto r = writeSafetensors(path, sampleDict(), {});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::Io);
    EXPECT_NE(r.error().message.find(path.string()), std::string::npos);
    EXPECT_NE(r.error().message.find("No such file"), std::string::npos) << r.error().message;
}

TEST(Safetensors, ReadMissingFileIsNotFound) {
    const auto r = readSafetensors("/nonexistent/none.safetensors");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::NotFound);
    EXPECT_EQ(r.error().message, "Model file '/nonexistent/none.safetensors' does not exist.");
}
