#include "upscale/core/events.hpp"

namespace upscale::core {

std::string_view eventKindName(EventKind kind) {
    switch (kind) {
        case EventKind::JobStarted:
            return "job-started";
        case EventKind::ItemStarted:
            return "item-started";
        case EventKind::Batch:
            return "batch";
        case EventKind::ItemFinished:
            return "item-finished";
        case EventKind::ItemFailed:
            return "item-failed";
        case EventKind::JobFinished:
            return "job-finished";
    }
    return "unknown";
}

}  // namespace upscale::core
