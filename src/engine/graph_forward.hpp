#pragma once
// CUDA-graph replay of the network's forward pass: the launch cost of every kernel is paid once,
// at capture. One graph is kept per input shape and dtype (the full batches of a job and its last,
// shorter one), so a job captures once per shape and then only replays. Without CUDA (or on the
// CPU) run() is the plain forward pass, so callers have one path. One instance per worker: it
// captures on, and replays on, the worker's current stream.

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

    /// The network's output for `input` (in the model's dtype, on its device). A shape or dtype
    /// not seen before warms up and captures a graph of its own (at most four are kept; the
    /// least recently used goes). A capture that fails other than by running out of memory
    /// (which is rethrown, for the caller's smaller tiles) is ended and discarded, and this
    /// instance runs plain forward passes from then on, with one warning. The result is the
    /// caller's own tensor.
    [[nodiscard]] at::Tensor run(const LoadedModel& model, const at::Tensor& input);

private:
    struct State;
    std::unique_ptr<State> m_state;
};

}  // namespace upscale::engine
