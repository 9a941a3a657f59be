#pragma once
// Small helpers for the lists that messages and help texts spell out.

#include <string>
#include <string_view>
#include <vector>

namespace upscale::core {

/// "a", "a or b", "a, b or c" (with `last` = "or"); "" for none.
[[nodiscard]] std::string joinList(const std::vector<std::string>& items,
                                   std::string_view last = "or");

}  // namespace upscale::core
