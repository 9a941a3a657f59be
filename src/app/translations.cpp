#include "upscale/app/translations.hpp"

#include <QCoreApplication>
#include <QEvent>
#include <QLocale>

#include "upscale/core/logging.hpp"

namespace upscale::app {

Translations::Translations() = default;

Translations::~Translations() {
    if (m_translator) {
        QCoreApplication::removeTranslator(m_translator.get());
    }
}

QStringList Translations::available() {
    return {QStringLiteral("en"), QStringLiteral("fr")};
}

QString Translations::systemLanguage() {
    for (const QString& name : QLocale::system().uiLanguages()) {
        const QString code = name.left(2).toLower();
        if (available().contains(code)) {
            return code;
        }
    }
    return QStringLiteral("en");
}

bool Translations::setLanguage(const QString& code) {
    const QString language = code.isEmpty() ? systemLanguage() : code;
    if (!available().contains(language)) {
        return false;
    }
    auto translator = std::make_unique<QTranslator>();
    // English is the source text, so its catalogue may be empty; French must load.
    const QString file = QStringLiteral(":/i18n/upscale-studio_%1.qm").arg(language);
    if (!translator->load(file) && language != QLatin1String("en")) {
        core::logger("app")->warn("The {} translation is missing from this build ({}).",
                                  language.toStdString(), file.toStdString());
        return false;
    }
    if (m_translator) {
        QCoreApplication::removeTranslator(m_translator.get());
    }
    m_translator = std::move(translator);
    QCoreApplication::installTranslator(m_translator.get());
    // Qt posts the LanguageChange events; delivering them now means every widget shows the new
    // language when this returns.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LanguageChange);
    m_current = language;
    return true;
}

}  // namespace upscale::app
