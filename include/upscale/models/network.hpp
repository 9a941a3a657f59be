#pragma once
// The networks as LibTorch modules: the one place where the models module hands LibTorch types
// across its border, to the engine.

#include <memory>

#include <ATen/core/Tensor.h>
#include <c10/core/ScalarType.h>
#include <torch/nn/module.h>

#include "upscale/models/model_file.hpp"

namespace upscale::models {

/// A super-resolution network. forward() takes NCHW RGB in [0, 1] and returns NCHW at scale()
/// times the size, unclamped. Inference only: forward() does not change the module, so one
/// instance may be used from several threads at once (under c10::InferenceMode).
class Network : public torch::nn::Module {
public:
    [[nodiscard]] virtual at::Tensor forward(const at::Tensor& input) = 0;
    [[nodiscard]] virtual int scale() const = 0;
    /// How many input pixels on each side influence one output pixel: the context a tile needs
    /// for a seamless result.
    [[nodiscard]] virtual int receptiveRadius() const = 0;
    /// Called by buildNetwork once the file's weights are in: derives what the architecture
    /// computes from them (nothing, for most).
    virtual void finishLoading() {}
};

/// The LibTorch dtype of a StateDict dtype.
[[nodiscard]] c10::ScalarType toScalarType(DType dtype);

/// Builds the network of a loaded model file and copies its weights in (on the CPU, in the
/// file's own dtype). ModelMismatch when a parameter has no tensor or the wrong shape.
[[nodiscard]] core::Result<std::shared_ptr<Network>> buildNetwork(const ModelFile& model);

}  // namespace upscale::models
