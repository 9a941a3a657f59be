// Hostile model files are refused with their own message, and at a cost bounded by the file's
// size: this binary counts every byte allocated through operator new and checks the peak.

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include "hostile_files.hpp"
#include "model_test_util.hpp"
#include "upscale/models/model_file.hpp"
#include "upscale/models/ncnn.hpp"
#include "upscale/models/pytorch.hpp"
#include "upscale/models/safetensors.hpp"

namespace {

std::atomic<std::int64_t> g_live{0};
std::atomic<std::int64_t> g_peak{0};

void* countedAlloc(std::size_t size) {
    // A header in front of each block remembers its size for the matching delete.
    void* block = std::malloc(size + alignof(std::max_align_t));
    if (block == nullptr) {
        throw std::bad_alloc();
    }
    *static_cast<std::size_t*>(block) = size;
    const std::int64_t live = g_live += static_cast<std::int64_t>(size);
    std::int64_t peak = g_peak.load();
    while (live > peak && !g_peak.compare_exchange_weak(peak, live)) {
    }
    return static_cast<char*>(block) + alignof(std::max_align_t);
}

void countedFree(void* p) noexcept {
    if (p == nullptr) {
        return;
    }
    void* block = static_cast<char*>(p) - alignof(std::max_align_t);
    g_live -= static_cast<std::int64_t>(*static_cast<std::size_t*>(block));
    std::free(block);
}

/// The most memory held at once while `work` ran, beyond what was held before it.
template <typename Work>
std::int64_t peakDuring(Work&& work) {
    const std::int64_t before = g_live.load();
    g_peak = before;
    work();
    const std::int64_t peak = g_peak.load() - before;
    ::testing::Test::RecordProperty("peak_bytes", std::to_string(peak));
    return peak;
}

}  // namespace

void* operator new(std::size_t size) {
    return countedAlloc(size);
}
void* operator new[](std::size_t size) {
    return countedAlloc(size);
}
void operator delete(void* p) noexcept {
    countedFree(p);
}
void operator delete[](void* p) noexcept {
    countedFree(p);
}
void operator delete(void* p, std::size_t) noexcept {
    countedFree(p);
}
void operator delete[](void* p, std::size_t) noexcept {
    countedFree(p);
}

using namespace upscale::models;
using upscale::core::ErrorCode;

namespace {

constexpr std::int64_t kMiB = 1 << 20;

}  // namespace

TEST(LoaderLimits, TheAllocationCounterSeesAllocations) {
    const std::int64_t peak = peakDuring([] {
        std::vector<std::uint8_t> big(8 * kMiB);
        big[0] = 1;
    });
    EXPECT_GE(peak, 8 * kMiB);
    EXPECT_LT(peak, 9 * kMiB);
}

TEST(LoaderLimits, SixteenMegabytesOfDictPopPairsCostLessThanTheirSize) {
    const auto bytes = test::dictPopPickle(16 * kMiB);
    const auto size = static_cast<std::int64_t>(bytes.size());
    upscale::core::Result<StateDict> r;
    const std::int64_t peak = peakDuring([&] { r = parsePytorch(bytes, "dictpop.pth"); });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::UnsupportedFormat);
    EXPECT_NE(r.error().message.find("'dictpop.pth' holds no weights"), std::string::npos)
        << r.error().message;
    // Objects built and dropped in a loop are reclaimed as they go.
    EXPECT_LT(peak, size) << "peak " << peak / kMiB << " MiB for a " << size / kMiB
                          << " MiB file";
}

TEST(LoaderLimits, ObjectsPastTheFilesBudgetAreRefused) {
    // Four megabytes of empty dicts never popped: every byte makes an object, past what the
    // budget allows a file of this size.
    std::string pickle = "\x80\x02" + std::string(4 * kMiB, '}') + ".";
    const auto bytes = test::legacyPickle(pickle);
    upscale::core::Result<StateDict> r;
    const std::int64_t peak = peakDuring([&] { r = parsePytorch(bytes, "dicts.pth"); });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::CorruptFile) << r.error().message;
    EXPECT_NE(r.error().message.find("builds far more objects than a file of its size holds"),
              std::string::npos)
        << r.error().message;
    EXPECT_LT(peak, 32 * static_cast<std::int64_t>(bytes.size()))
        << "peak " << peak / kMiB << " MiB for a " << bytes.size() / kMiB << " MiB file";
}

TEST(LoaderLimits, MemoizedCallsWithHugeShapesAreRefusedAtTheFirst) {
    // 412 KB: a memoized 100000-dimension shape, used by thousands of tensor rebuilds.
    const auto bytes = test::memoizedShapePickle(100000, 13300);
    ASSERT_GT(bytes.size(), 400'000U);
    upscale::core::Result<StateDict> r;
    const std::int64_t peak = peakDuring([&] { r = parsePytorch(bytes, "shapes.pth"); });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::CorruptFile);
    EXPECT_NE(r.error().message.find("a tensor has more than 16 dimensions"), std::string::npos)
        << r.error().message;
    EXPECT_LT(peak, 16 * static_cast<std::int64_t>(bytes.size()));
}

TEST(LoaderLimits, MemoizedCallsWithSmallShapesStayWithinTheBudget) {
    // The same file with a 16-dimension shape: each call builds a tensor reference, and the
    // references together stay within a small multiple of the file.
    const auto bytes = test::memoizedShapePickle(16, 60000);
    upscale::core::Result<StateDict> r;
    const std::int64_t peak = peakDuring([&] { r = parsePytorch(bytes, "shapes16.pth"); });
    ASSERT_FALSE(r);
    EXPECT_LT(peak, 64 * static_cast<std::int64_t>(bytes.size()) + 2 * kMiB)
        << r.error().message;
}

TEST(LoaderLimits, AHugeLayerIndexIsRefusedWithoutSizingIt) {
    test::ScratchDir dir;
    ArchSpec spec;
    spec.numFeat = 4;
    spec.numConv = 1;
    StateDict weights = test::syntheticWeights(spec);
    weights["body.2000000.weight"] =
        Tensor::fromFloat32(std::vector<float>(4, 0.5F), {4}, DType::F32);
    const auto path = dir / "deep.safetensors";
    ASSERT_TRUE(writeSafetensors(path, weights, {}));
    const auto size = static_cast<std::int64_t>(std::filesystem::file_size(path));
    upscale::core::Result<ModelFile> r;
    const std::int64_t peak = peakDuring([&] { r = loadModelFile(path); });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::ModelMismatch);
    EXPECT_NE(r.error().message.find("does not fit SRVGGNetCompact: its keys number 999999 "
                                     "layers, but it holds only 9 tensors"),
              std::string::npos)
        << r.error().message;
    EXPECT_LT(peak, 16 * size + kMiB) << "peak " << peak << " for " << size << " bytes";
}

TEST(LoaderLimits, NcnnSizesThatOverflowAreRefusedNotDividedByZero) {
    upscale::core::Result<NcnnModel> r;
    const std::int64_t peak =
        peakDuring([&] { r = parseNcnn(test::overflowingNcnnParam(), {}, "big.param"); });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::CorruptFile);
    EXPECT_NE(r.error().message.find("layer 'conv' (Convolution) has inconsistent sizes "
                                     "(num_output 1073741824, kernel 131072x131072"),
              std::string::npos)
        << r.error().message;
    EXPECT_LT(peak, kMiB);
}

TEST(LoaderLimits, NcnnLayerWithMoreBlobsThanAnIntIsMalformed) {
    const std::string param =
        "7767517\n1 1\nInput data 2147483647 2147483647 data\n";
    const auto r = parseNcnn(param, {}, "blobs.param");
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("'blobs.param' line 3: expected '<type> <name> <inputs> "
                                     "<outputs> <blobs...>'"),
              std::string::npos)
        << r.error().message;
}

TEST(LoaderLimits, NcnnFloatSizesOutsideIntAreNoSizes) {
    NcnnLayer layer;
    layer.params[0] = 3.0e10F;
    layer.params[1] = -3.0e10F;
    layer.params[2] = 7.9F;
    EXPECT_EQ(layer.intParam(0, -1), -1);
    EXPECT_EQ(layer.intParam(1, -1), -1);
    EXPECT_EQ(layer.intParam(2, -1), 7);
}

TEST(LoaderLimits, DeeplyNestedSafetensorsHeaderIsRefusedBeforeParsing) {
    // A megabyte of '[' would cost a JSON parser forty times its size.
    const std::string header = "{\"a\":" + std::string(kMiB, '[') + "}";
    std::vector<std::uint8_t> bytes(8);
    for (int i = 0; i < 8; ++i) {
        bytes[i] = static_cast<std::uint8_t>(header.size() >> (8 * i));
    }
    bytes.insert(bytes.end(), header.begin(), header.end());
    upscale::core::Result<SafetensorsFile> r;
    const std::int64_t peak = peakDuring([&] { r = parseSafetensors(bytes, "deep.safetensors"); });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::CorruptFile);
    EXPECT_NE(r.error().message.find("its header nests objects or lists more than 3 deep"),
              std::string::npos)
        << r.error().message;
    EXPECT_LT(peak, 64 * 1024);
}
