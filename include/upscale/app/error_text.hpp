#pragma once
// The window's wording of a library error. The libraries give a code, the facts (the file it is
// about) and a remedy; the window turns them into a sentence in the interface language and
// advice that names its own controls. The library's own text stays available as the details.

#include <QString>

#include "upscale/core/error.hpp"

namespace upscale::app {

struct ErrorText {
    QString summary;  ///< what happened, translated, naming the file
    QString advice;   ///< what to do, naming the window's controls; may be empty
    QString details;  ///< the library's full message, for the details area and the log

    /// "summary advice", as one line for a status or a row.
    [[nodiscard]] QString sentence() const;
    /// The summary, the advice and the details on separate lines, for tooltips.
    [[nodiscard]] QString full() const;
};

/// Words `error` for the window. `fallbackSubject` names the file when the error does not.
[[nodiscard]] ErrorText describeError(const core::Error& error,
                                      const QString& fallbackSubject = {});

/// The window's advice for a remedy; empty for Remedy::None.
[[nodiscard]] QString remedyAdvice(core::Remedy remedy);

}  // namespace upscale::app
