#include "upscale/app/model_picker.hpp"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMimeData>
#include <QUrl>

#include "upscale/core/logging.hpp"
#include "upscale/models/manifest.hpp"
#include "upscale/models/model_file.hpp"
#include "upscale/models/model_formats.hpp"

namespace upscale::app {

namespace {

// The "Add model..." entry carries no model; this marks it.
const QString kAddEntry = QStringLiteral("\x01add");

bool looksLikeModel(const QString& path) {
    return models::hasModelExtension(path.toStdString());
}

}  // namespace

ModelPicker::ModelPicker(QWidget* parent) : QComboBox(parent) {
    setAcceptDrops(true);
    setObjectName(QStringLiteral("modelPicker"));
    rebuild();
    connect(this, &QComboBox::activated, this, &ModelPicker::onActivated);
}

QString ModelPicker::currentModel() const {
    return m_current;
}

void ModelPicker::setCurrentModel(const QString& idOrPath) {
    const int index = findData(idOrPath);
    if (index >= 0) {
        m_current = idOrPath;
        setCurrentIndex(index);
        emit modelChanged(m_current);
    } else if (QFileInfo::exists(idOrPath)) {
        addModelFile(idOrPath);
    }
}

bool ModelPicker::addModelFile(const QString& path) {
    const QString absolute = QFileInfo(path).absoluteFilePath();
    auto file = models::loadModelFile(absolute.toStdString());
    if (!file) {
        core::logger("app")->error("{}", file.error().message);
        emit errorOccurred(QString::fromStdString(file.error().message));
        setCurrentIndex(std::max(findData(m_current), 0));
        return false;
    }
    if (!m_userModels.contains(absolute)) {
        m_userModels.append(absolute);
        core::logger("app")->info("Model added: {} ({})", absolute.toStdString(),
                                  file->spec.describe());
    }
    m_current = absolute;
    rebuild();
    emit modelChanged(m_current);
    return true;
}

void ModelPicker::setUserModels(const QStringList& paths) {
    m_userModels.clear();
    for (const QString& path : paths) {
        if (QFileInfo::exists(path) && !m_userModels.contains(path)) {
            m_userModels.append(path);
        }
    }
    rebuild();
}

void ModelPicker::rebuild() {
    const QSignalBlocker blocker(this);
    clear();
    // The bundled models, then those in the user models folder (by name, like the bundled ones).
    auto manifest = models::loadAvailableModels();
    if (manifest) {
        for (const auto& entry : manifest->models) {
            QString text =
                QString::fromStdString(entry.displayName.empty() ? entry.id : entry.displayName);
            // The manifest's names are English and may already say "(Recommended)"; the
            // dropdown says it once, in the interface's language.
            text.remove(QStringLiteral(" (Recommended)"));
            if (entry.recommended) {
                text = tr("%1 (Recommended)").arg(text);
            }
            addItem(text, QString::fromStdString(entry.id));
            setItemData(count() - 1, QString::fromStdString(entry.description), Qt::ToolTipRole);
        }
        if (m_current.isEmpty() && manifest->defaultModel() != nullptr) {
            m_current = QString::fromStdString(manifest->defaultModel()->id);
        }
    } else {
        core::logger("app")->error("{}", manifest.error().message);
    }
    for (const QString& path : m_userModels) {
        addItem(QFileInfo(path).completeBaseName(), path);
        setItemData(count() - 1, path, Qt::ToolTipRole);
    }
    insertSeparator(count());
    addItem(tr("Add model..."), kAddEntry);
    setCurrentIndex(std::max(findData(m_current), 0));
}

void ModelPicker::onActivated(int index) {
    const QString data = itemData(index).toString();
    if (data != kAddEntry) {
        m_current = data;
        emit modelChanged(m_current);
        return;
    }
    setCurrentIndex(std::max(findData(m_current), 0));
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Add model"), QString(),
                                     tr("Model files (%1);;All files (*)")
                                         .arg(QString::fromStdString(models::modelFilePatterns())));
    if (!path.isEmpty()) {
        addModelFile(path);
    }
}

void ModelPicker::dragEnterEvent(QDragEnterEvent* event) {
    const auto urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.front().isLocalFile() &&
        looksLikeModel(urls.front().toLocalFile())) {
        event->acceptProposedAction();
    }
}

void ModelPicker::dropEvent(QDropEvent* event) {
    const auto urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.front().isLocalFile()) {
        addModelFile(urls.front().toLocalFile());
        event->acceptProposedAction();
    }
}

void ModelPicker::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        rebuild();
    }
    QComboBox::changeEvent(event);
}

}  // namespace upscale::app
