#include "upscale/core/barrier.hpp"

#include <new>
#include <string>

#include <fmt/format.h>

namespace upscale::core {

namespace {

/// The first line of an exception's text: c10::Error appends a backtrace to its message.
std::string firstLine(const char* what) {
    std::string text = what != nullptr ? what : "";
    if (const auto end = text.find('\n'); end != std::string::npos) {
        text.erase(end);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '.')) {
        text.pop_back();
    }
    return text.empty() ? std::string("no description") : text;
}

}  // namespace

Error errorFromCurrentException(std::string_view action) {
    try {
        throw;
    } catch (const std::bad_alloc&) {
        return {ErrorCode::OutOfMemory, fmt::format("Not enough memory while {}.", action)};
    } catch (const std::exception& e) {
        return {ErrorCode::Internal,
                fmt::format("Unexpected failure while {}: {}.", action, firstLine(e.what()))};
    } catch (...) {
        return {
            ErrorCode::Internal,
            fmt::format("Unexpected failure while {}: an exception of an unknown type.", action)};
    }
}

}  // namespace upscale::core
