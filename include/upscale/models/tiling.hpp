#pragma once
// What an architecture asks of the tiles it runs on.

#include "upscale/models/architecture.hpp"

namespace upscale::models {

/// The multiple every tile's position should be: the attention window of SwinIR and HAT (so that
/// a tile's windows are the whole image's windows), 1 for the convolutional networks.
[[nodiscard]] int tileMultiple(const ArchSpec& spec);

}  // namespace upscale::models
