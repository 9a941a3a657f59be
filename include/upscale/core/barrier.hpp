#pragma once
// Exception barriers for the entry points that return a Result: whatever a library, a callback
// or a bug throws inside (std::exception, c10::Error, cv::Exception, anything at all) comes back
// as an Error that names what was being done, never as a crash or std::terminate.

#include <exception>
#include <string_view>
#include <type_traits>
#include <utility>

#include "upscale/core/error.hpp"

namespace upscale::core {

/// The Error for the exception being handled; call it inside a catch block only. `action` says
/// what was being done, as a phrase that follows "while": "reading 'photo.png'". std::bad_alloc
/// gives OutOfMemory; everything else gives Internal with the exception's first line.
[[nodiscard]] Error errorFromCurrentException(std::string_view action);

/// Calls `body` (which returns a Result) and turns any exception it lets out into a failure.
/// `action` is the phrase for errorFromCurrentException(), or a callable that returns it, called
/// only on failure (for entry points called once per frame).
template <typename Action, typename Body>
[[nodiscard]] auto guarded(Action&& action, Body&& body) -> std::invoke_result_t<Body> {
    try {
        return std::forward<Body>(body)();
    } catch (...) {
        if constexpr (std::is_invocable_v<Action>) {
            return fail(errorFromCurrentException(std::forward<Action>(action)()));
        } else {
            return fail(errorFromCurrentException(action));
        }
    }
}

}  // namespace upscale::core
