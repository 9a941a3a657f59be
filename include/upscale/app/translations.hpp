#pragma once
// The application's languages: English (the source text) and French, compiled from
// ui/translations/*.ts into resources at build time, plus Qt's own catalogue for its dialogs and
// standard buttons (from the system's Qt translations). Installing a language sends every widget
// a LanguageChange event, and each widget retranslates itself.

#include <memory>

#include <QString>
#include <QStringList>
#include <QTranslator>

namespace upscale::app {

class Translations final {
public:
    Translations();
    ~Translations();
    Translations(const Translations&) = delete;
    Translations& operator=(const Translations&) = delete;

    /// The languages offered, as codes: "en", "fr".
    [[nodiscard]] static QStringList available();
    /// The language the system locale asks for, when it is one of ours, else "en".
    [[nodiscard]] static QString systemLanguage();

    /// Switches the running application to `code` ("en", "fr"; empty = the system's). Returns
    /// false, leaving the language as it was, for a language we do not have.
    bool setLanguage(const QString& code);
    /// The language in use now ("en" or "fr").
    [[nodiscard]] QString current() const { return m_current; }
    /// True when Qt's own catalogue for the current language is installed (always for English).
    [[nodiscard]] bool hasQtCatalogue() const { return m_current == QLatin1String("en") || m_qt; }

private:
    std::unique_ptr<QTranslator> m_translator;
    std::unique_ptr<QTranslator> m_qt;  ///< Qt's own strings (file dialogs, standard buttons)
    QString m_current = QStringLiteral("en");
};

}  // namespace upscale::app
