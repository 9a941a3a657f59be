#include "common/faulty_network.hpp"

#include <limits>
#include <stdexcept>

#include <ATen/ATen.h>
#include <c10/util/Exception.h>

#include "upscale/models/network.hpp"

namespace upscale::test {

namespace {

bool take(std::atomic<int>& counter) {
    int n = counter.load();
    while (n > 0) {
        if (counter.compare_exchange_weak(n, n - 1)) {
            return true;
        }
    }
    return false;
}

/// The wrapped network as a child module, so that moving it to a device or a dtype, and
/// counting its parameters, reach the real weights.
class FaultyNetwork final : public models::Network {
public:
    FaultyNetwork(std::shared_ptr<models::Network> inner, std::shared_ptr<Faults> faults)
        : m_inner(register_module("inner", std::move(inner))), m_faults(std::move(faults)) {}

    at::Tensor forward(const at::Tensor& input) override {
        if (take(m_faults->outOfMemory)) {
            throw c10::OutOfMemoryError({__func__, __FILE__, static_cast<std::uint32_t>(__LINE__)},
                                        "CUDA out of memory (a test's fault).");
        }
        if (take(m_faults->unexpected)) {
            throw std::logic_error("a test's unexpected fault");
        }
        at::Tensor out = m_inner->forward(input);
        if (input.scalar_type() != at::kFloat && take(m_faults->nonFinite)) {
            out = at::full_like(out, std::numeric_limits<float>::quiet_NaN());
        }
        return out;
    }
    int scale() const override { return m_inner->scale(); }
    int receptiveRadius() const override { return m_inner->receptiveRadius(); }

private:
    std::shared_ptr<models::Network> m_inner;
    std::shared_ptr<Faults> m_faults;
};

}  // namespace

engine::NetworkSource faultyNetworks(std::shared_ptr<Faults> faults) {
    return [faults = std::move(faults)](
               const models::ModelFile& file) -> core::Result<std::shared_ptr<models::Network>> {
        auto network = models::buildNetwork(file);
        if (!network) {
            return core::fail(network.error());
        }
        return std::shared_ptr<models::Network>(
            std::make_shared<FaultyNetwork>(std::move(*network), faults));
    };
}

}  // namespace upscale::test
