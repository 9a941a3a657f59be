#pragma once
// The model dropdown: the bundled models ("Recommended" first), then the user's own model files,
// then "Add model...", which asks for a file. A model file dropped on the dropdown is added too.
// A file is checked (format, architecture, every weight) before it joins the list.

#include <QComboBox>
#include <QString>
#include <QStringList>

namespace upscale::app {

class ModelPicker final : public QComboBox {
    Q_OBJECT

public:
    explicit ModelPicker(QWidget* parent = nullptr);
    ModelPicker(const ModelPicker&) = delete;
    ModelPicker& operator=(const ModelPicker&) = delete;

    /// The chosen model: a bundled model's id or a model file's path.
    [[nodiscard]] QString currentModel() const;
    /// Selects a model by id or path; an unknown path to a valid model file is added first.
    void setCurrentModel(const QString& idOrPath);

    /// Checks a model file and adds it (selected). On failure the list is unchanged and
    /// errorOccurred carries the reason, which is also logged.
    bool addModelFile(const QString& path);
    [[nodiscard]] QStringList userModels() const { return m_userModels; }
    /// Restores a remembered list without reading the files again (they were checked when
    /// added, and the engine checks them once more when a job loads one); missing files are
    /// left out.
    void setUserModels(const QStringList& paths);

signals:
    void errorOccurred(const QString& message);
    void modelChanged(const QString& idOrPath);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void rebuild();
    void onActivated(int index);

    QStringList m_userModels;
    QString m_current;
};

}  // namespace upscale::app
