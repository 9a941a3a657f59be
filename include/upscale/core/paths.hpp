#pragma once
// Where things live on the user's machine.

#include <filesystem>

namespace upscale::core {

/// $XDG_DATA_HOME/upscale-studio, else ~/.local/share/upscale-studio. Not created here.
[[nodiscard]] std::filesystem::path userDataDir();

/// <user data dir>/models: the user's own model files.
[[nodiscard]] std::filesystem::path userModelsDir();

/// A sibling path for writing `target` atomically: "<dir>/.<name>.<random>.tmp<ext>", in the same
/// folder so that the final rename never crosses file systems. The extension is kept so that
/// encoders which pick a format from the name still work.
[[nodiscard]] std::filesystem::path temporarySibling(const std::filesystem::path& target);

}  // namespace upscale::core
