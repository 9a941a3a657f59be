#pragma once
// CUDA-graph replay of the network's forward pass for one fixed input shape: the launch cost of
// every kernel is paid once, at capture. Tiles all have one shape, so one capture serves a whole
// job. Without CUDA (or on the CPU) run() is the plain forward pass, so callers have one path.
// One instance per worker: it captures on, and replays on, the worker's current stream.

#include <memory>

#include <ATen/core/Tensor.h>

namespace upscale::engine {

struct LoadedModel;

class GraphForward {
public:
    GraphForward();
    ~GraphForward();
    GraphForward(const GraphForward&) = delete;
    GraphForward& operator=(const GraphForward&) = delete;

    /// The network's output for `input` (in the model's dtype, on its device). A new shape or
    /// dtype warms up and captures again. The result is the caller's own tensor.
    [[nodiscard]] at::Tensor run(const LoadedModel& model, const at::Tensor& input);

private:
    struct State;
    std::unique_ptr<State> m_state;
};

}  // namespace upscale::engine
