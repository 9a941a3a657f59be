#include "upscale/app/translations.hpp"

#include <QCoreApplication>
#include <QEvent>
#include <QLibraryInfo>
#include <QLocale>

#include "upscale/core/logging.hpp"

namespace upscale::app {

Translations::Translations() = default;

Translations::~Translations() {
    for (const auto* translator : {&m_translator, &m_qt}) {
        if (*translator) {
            QCoreApplication::removeTranslator(translator->get());
        }
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
    // Qt's dialogs and standard buttons: qtbase_<language>.qm from the system's Qt.
    auto qt = std::make_unique<QTranslator>();
    const QString qtFolder = QLibraryInfo::path(QLibraryInfo::TranslationsPath);
    const bool qtLoaded =
        language != QLatin1String("en") && qt->load(QStringLiteral("qtbase_") + language, qtFolder);
    if (language != QLatin1String("en") && !qtLoaded) {
        core::logger("app")->warn(
            "Qt's own {} translation was not found in {}; its dialogs "
            "stay in English.",
            language.toStdString(), qtFolder.toStdString());
    }
    for (const auto* old : {&m_translator, &m_qt}) {
        if (*old) {
            QCoreApplication::removeTranslator(old->get());
        }
    }
    m_qt = qtLoaded ? std::move(qt) : nullptr;
    if (m_qt) {
        QCoreApplication::installTranslator(m_qt.get());
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
