#include "upscale/core/text.hpp"

namespace upscale::core {

std::string joinList(const std::vector<std::string>& items, std::string_view last) {
    std::string text;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i + 1 == items.size() && i > 0) {
            text.append(" ").append(last).append(" ");
        } else if (i > 0) {
            text.append(", ");
        }
        text.append(items[i]);
    }
    return text;
}

}  // namespace upscale::core
