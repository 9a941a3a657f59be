#include "upscale/core/events.hpp"

namespace upscale::core {

std::string_view eventKindName(const Event& event) {
    return std::visit(Overloaded{
                          [](const JobStarted&) { return std::string_view("job-started"); },
                          [](const ItemStarted&) { return std::string_view("item-started"); },
                          [](const Batch&) { return std::string_view("batch"); },
                          [](const ItemFinished&) { return std::string_view("item-finished"); },
                          [](const ItemFailed&) { return std::string_view("item-failed"); },
                          [](const JobFinished&) { return std::string_view("job-finished"); },
                      },
                      event);
}

}  // namespace upscale::core
