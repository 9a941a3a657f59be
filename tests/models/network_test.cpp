// Each architecture's LibTorch network against the reference implementations in
// scripts/make-model-fixtures.py and scripts/reference_archs/ (fixtures by
// scripts/make-arch-fixtures.py, on crops of real photos whose sides are multiples of no window):
// the same weights, read from a zip .pth, a legacy .pth or a .safetensors, must give the reference
// output on the same input (FP32, CPU), in floats and as the 8-bit image a user would get.

#include <gtest/gtest.h>

#include <ATen/ATen.h>
#include <torch/csrc/autograd/grad_mode.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "model_test_util.hpp"
#include "pixel_agreement.hpp"
#include "upscale/models/model_file.hpp"
#include "upscale/models/network.hpp"
#include "upscale/models/safetensors.hpp"

using namespace upscale::models;

namespace {

constexpr double kTolerance = 1e-4;

at::Tensor toTorch(const Tensor& t) {
    const std::vector<float> values = t.toFloat32();
    return at::tensor(values).view(t.shape);
}

std::vector<int> levels(const at::Tensor& t) {
    const at::Tensor flat = t.contiguous().to(at::kFloat).flatten();
    const float* data = flat.data_ptr<float>();
    std::vector<int> out(static_cast<std::size_t>(flat.numel()));
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[i] = test::toLevel(data[i]);
    }
    return out;
}

struct Case {
    std::string model;
    std::string file;
};

class ReferenceOutput : public testing::TestWithParam<Case> {};

std::string caseName(const testing::TestParamInfo<Case>& info) {
    std::string name = info.param.file;
    std::replace_if(
        name.begin(), name.end(), [](char c) { return !std::isalnum(c); }, '_');
    return name;
}

}  // namespace

TEST_P(ReferenceOutput, MatchesThePythonImplementation) {
    const auto& param = GetParam();
    const auto io = readSafetensors(test::modelFixture(param.model + ".io.safetensors"));
    ASSERT_TRUE(io) << io.error().message;
    const auto model = loadModelFile(test::modelFixture(param.file));
    ASSERT_TRUE(model) << model.error().message;
    auto net = buildNetwork(*model);
    ASSERT_TRUE(net) << net.error().message;

    torch::NoGradGuard noGrad;
    const at::Tensor input = toTorch(io->tensors.at("input"));
    const at::Tensor expected = toTorch(io->tensors.at("output"));
    const at::Tensor output = (*net)->forward(input);
    ASSERT_EQ(output.sizes(), expected.sizes());
    EXPECT_EQ(output.size(2), input.size(2) * (*net)->scale());
    EXPECT_EQ(output.size(3), input.size(3) * (*net)->scale());
    // Relative to the output's magnitude, so that SPAN (whose outputs reach ~20) is held to the
    // same float32 precision as the others.
    const double scale = std::max(1.0, expected.abs().max().item<double>());
    const double diff = (output - expected).abs().max().item<double>();
    EXPECT_LE(diff, kTolerance * scale) << param.file << ": max difference " << diff;
    const auto agreement = test::compareLevels(levels(output), levels(expected));
    EXPECT_EQ(agreement.medianDiff, 0) << param.file;
    EXPECT_GE(agreement.withinOne, 0.99) << param.file;
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, ReferenceOutput,
    testing::Values(
        Case{"compact-x4", "compact-x4.pth"}, Case{"compact-x4", "compact-x4-legacy.pth"},
        Case{"compact-x4", "compact-x4.safetensors"}, Case{"rrdb-x4", "rrdb-x4.pth"},
        Case{"rrdb-x4", "rrdb-x4-legacy.pth"}, Case{"rrdb-x4", "rrdb-x4.safetensors"},
        Case{"rrdb-x4", "rrdb-x4.param"}, Case{"rrdb-x2", "rrdb-x2.pth"},
        Case{"rrdb-x2", "rrdb-x2-legacy.pth"}, Case{"rrdb-x2", "rrdb-x2.safetensors"},
        Case{"rrdb-x1", "rrdb-x1.pth"}, Case{"rrdb-x1", "rrdb-x1-legacy.pth"},
        Case{"rrdb-x1", "rrdb-x1.safetensors"}, Case{"esrgan-old-x4", "esrgan-old-x4.pth"},
        Case{"esrgan-old-x4", "esrgan-old-x4-legacy.pth"},
        Case{"esrgan-old-x4", "esrgan-old-x4.safetensors"}, Case{"span-x4", "span-x4.pth"},
        Case{"span-x4", "span-x4-legacy.pth"}, Case{"span-x4", "span-x4.safetensors"}),
    caseName);

INSTANTIATE_TEST_SUITE_P(
    RealPlksr, ReferenceOutput,
    testing::Values(Case{"realplksr-x4", "realplksr-x4.pth"},
                    Case{"realplksr-x4", "realplksr-x4.safetensors"},
                    Case{"realplksr-x2-layernorm", "realplksr-x2-layernorm.pth"},
                    Case{"realplksr-x3-dysample", "realplksr-x3-dysample.pth"},
                    Case{"realplksr-x4-dysample-layernorm", "realplksr-x4-dysample-layernorm.pth"},
                    Case{"realplksr-x1-dysample", "realplksr-x1-dysample.pth"},
                    Case{"realplksr-x8", "realplksr-x8.pth"}),
    caseName);

INSTANTIATE_TEST_SUITE_P(Dat, ReferenceOutput,
                         testing::Values(Case{"dat-x4", "dat-x4.pth"},
                                         Case{"dat-s-x2", "dat-s-x2.pth"},
                                         Case{"dat2-x3", "dat2-x3.pth"},
                                         Case{"dat-light-x4", "dat-light-x4.pth"},
                                         Case{"dat-x8", "dat-x8.pth"}, Case{"dat-x1", "dat-x1.pth"},
                                         Case{"dat-x1", "dat-x1.safetensors"}),
                         caseName);

INSTANTIATE_TEST_SUITE_P(OmniSr, ReferenceOutput,
                         testing::Values(Case{"omnisr-x4", "omnisr-x4.pth"},
                                         Case{"omnisr-x4", "omnisr-x4.safetensors"},
                                         Case{"omnisr-x2", "omnisr-x2.pth"},
                                         Case{"omnisr-x3-nobias", "omnisr-x3-nobias.pth"},
                                         Case{"omnisr-x8", "omnisr-x8.pth"},
                                         Case{"omnisr-x1", "omnisr-x1.pth"}),
                         caseName);
