#include "upscale/engine/fault_injection.hpp"

#include <atomic>

#include "faults.hpp"

namespace upscale::engine::faults {

namespace {
std::atomic<int> gOutOfMemory{0};
std::atomic<int> gNonFinite{0};

bool take(std::atomic<int>& counter) {
    int n = counter.load();
    while (n > 0) {
        if (counter.compare_exchange_weak(n, n - 1)) {
            return true;
        }
    }
    return false;
}
}  // namespace

void injectOutOfMemory(int count) {
    gOutOfMemory.store(count);
}
void injectNonFinite(int count) {
    gNonFinite.store(count);
}
void clear() {
    gOutOfMemory.store(0);
    gNonFinite.store(0);
}

bool takeOutOfMemory() {
    return take(gOutOfMemory);
}
bool takeNonFinite() {
    return take(gNonFinite);
}

}  // namespace upscale::engine::faults
