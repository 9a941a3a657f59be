#include "graph_forward.hpp"

#include <vector>

#include <ATen/ATen.h>

#include "loaded_model.hpp"

#ifdef UPSCALE_WITH_CUDA
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDAStream.h>
#endif

namespace upscale::engine {

#ifdef UPSCALE_WITH_CUDA

struct GraphForward::State {
    at::cuda::CUDAGraph graph;
    at::Tensor input;
    at::Tensor output;
    std::vector<std::int64_t> shape;
    c10::ScalarType dtype = c10::kFloat;
};

GraphForward::GraphForward() = default;
GraphForward::~GraphForward() = default;

at::Tensor GraphForward::run(const LoadedModel& model, const at::Tensor& input) {
    if (!input.is_cuda()) {
        return model.network->forward(input);
    }
    if (!m_state || m_state->shape != input.sizes().vec() ||
        m_state->dtype != input.scalar_type()) {
        m_state = std::make_unique<State>();
        m_state->shape = input.sizes().vec();
        m_state->dtype = input.scalar_type();
        m_state->input = input.clone();
        // Warm-up on this stream first: cuDNN autotuning and the allocator must settle before
        // capture, since neither may allocate or synchronise inside it.
        for (int i = 0; i < 3; ++i) {
            (void)model.network->forward(m_state->input);
        }
        c10::cuda::getCurrentCUDAStream().synchronize();
        // Thread-local capture: other workers keep launching on their own streams meanwhile.
        m_state->graph.capture_begin({0, 0}, cudaStreamCaptureModeThreadLocal);
        m_state->output = model.network->forward(m_state->input);
        m_state->graph.capture_end();
    }
    m_state->input.copy_(input, /*non_blocking=*/true);
    m_state->graph.replay();
    // The static output is overwritten by the next replay.
    return m_state->output.clone();
}

#else

struct GraphForward::State {};

GraphForward::GraphForward() = default;
GraphForward::~GraphForward() = default;

at::Tensor GraphForward::run(const LoadedModel& model, const at::Tensor& input) {
    return model.network->forward(input);
}

#endif

}  // namespace upscale::engine
