#include "graph_forward.hpp"

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include <ATen/ATen.h>

#include "loaded_model.hpp"
#include "torch_compat.hpp"
#include "upscale/core/logging.hpp"

#ifdef UPSCALE_WITH_CUDA
#include <c10/cuda/CUDAStream.h>
#include <c10/util/Exception.h>
#include <cuda_runtime_api.h>

#include "oom.hpp"
#endif

namespace upscale::engine {

#ifdef UPSCALE_WITH_CUDA

namespace {

// Full batches, the last shorter batch, and a whole image or two: more shapes than this in one
// job are rare, and every graph keeps a memory pool of its own.
constexpr std::size_t kMaxGraphs = 4;
// cuDNN autotuning and the caching allocator must settle before capture, since neither may
// allocate or synchronise inside it.
constexpr int kWarmUpPasses = 3;

using Key = std::pair<std::vector<std::int64_t>, c10::ScalarType>;

struct Captured {
    at::cuda::CUDAGraph graph;
    at::Tensor input;
    at::Tensor output;
    std::uint64_t lastUse = 0;
};

/// One capture on the current stream. Unless end() completes, the destructor ends the capture
/// however far it got, so the stream is not left capturing (which would fail every later launch
/// on it), and clears the error a broken capture leaves; the half graph goes with its owner.
class CaptureScope {
public:
    explicit CaptureScope(at::cuda::CUDAGraph& graph)
        : m_graph(graph), m_stream(c10::cuda::getCurrentCUDAStream().stream()) {
        compat::beginCapture(m_graph);
    }
    ~CaptureScope() {
        if (m_ended) {
            return;
        }
        try {
            m_graph.capture_end();
        } catch (const c10::Error&) {
            // An invalidated capture: ended below if CUDA has not ended it already.
        }
        cudaStreamCaptureStatus status = cudaStreamCaptureStatusNone;
        if (cudaStreamIsCapturing(m_stream, &status) == cudaSuccess &&
            status != cudaStreamCaptureStatusNone) {
            cudaGraph_t partial = nullptr;
            if (cudaStreamEndCapture(m_stream, &partial) == cudaSuccess && partial != nullptr) {
                cudaGraphDestroy(partial);
            }
        }
        (void)cudaGetLastError();
    }
    CaptureScope(const CaptureScope&) = delete;
    CaptureScope& operator=(const CaptureScope&) = delete;

    void end() {
        m_graph.capture_end();
        m_ended = true;
    }

private:
    at::cuda::CUDAGraph& m_graph;
    cudaStream_t m_stream;
    bool m_ended = false;
};

}  // namespace

struct GraphForward::State {
    std::map<Key, std::unique_ptr<Captured>> graphs;
    std::uint64_t uses = 0;
    bool disabled = false;  ///< a capture failed: plain forward passes from then on

    Captured& capture(const LoadedModel& model, const at::Tensor& input, Key key) {
        if (graphs.size() >= kMaxGraphs) {
            auto oldest = graphs.begin();
            for (auto it = graphs.begin(); it != graphs.end(); ++it) {
                if (it->second->lastUse < oldest->second->lastUse) {
                    oldest = it;
                }
            }
            graphs.erase(oldest);
        }
        auto captured = std::make_unique<Captured>();
        captured->input = input.clone();
        for (int i = 0; i < kWarmUpPasses; ++i) {
            (void)model.network->forward(captured->input);
        }
        c10::cuda::getCurrentCUDAStream().synchronize();
        {
            CaptureScope scope(captured->graph);
            captured->output = model.network->forward(captured->input);
            scope.end();
        }
        return *graphs.emplace(std::move(key), std::move(captured)).first->second;
    }
};

GraphForward::GraphForward() : m_state(std::make_unique<State>()) {}
GraphForward::~GraphForward() = default;

at::Tensor GraphForward::run(const LoadedModel& model, const at::Tensor& input) {
    if (!input.is_cuda() || m_state->disabled) {
        return model.network->forward(input);
    }
    Key key{input.sizes().vec(), input.scalar_type()};
    Captured* captured = nullptr;
    if (auto it = m_state->graphs.find(key); it != m_state->graphs.end()) {
        captured = it->second.get();
    } else {
        try {
            captured = &m_state->capture(model, input, std::move(key));
        } catch (const std::exception& e) {
            if (isOutOfMemory(e)) {
                throw;  // smaller tiles, then a capture of their shape
            }
            m_state->disabled = true;
            m_state->graphs.clear();
            core::logger("engine")->warn(
                "Capturing a CUDA graph of {} on {} failed ({}); running plain forward passes "
                "instead.",
                model.name, model.device.str(), failureMessage(e));
            return model.network->forward(input);
        }
        // The captured pass ran nothing: the first replay below computes this input.
    }
    captured->lastUse = ++m_state->uses;
    captured->input.copy_(input, /*non_blocking=*/true);
    captured->graph.replay();
    // The static output is overwritten by the next replay.
    return captured->output.clone();
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
