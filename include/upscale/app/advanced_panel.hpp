#pragma once
// The collapsible Advanced panel: precision (with a one-line hint for each choice), batch size
// 1-8, workers, tile size (Auto or a value), device and output scale. The values are read when
// a job starts, so a change made while idle applies to the next run without a restart.

#include <memory>

#include <QWidget>

#include "upscale/core/settings.hpp"

namespace Ui {
class AdvancedPanel;
}

namespace upscale::app {

class AdvancedPanel final : public QWidget {
    Q_OBJECT

public:
    explicit AdvancedPanel(QWidget* parent = nullptr);
    ~AdvancedPanel() override;
    AdvancedPanel(const AdvancedPanel&) = delete;
    AdvancedPanel& operator=(const AdvancedPanel&) = delete;

    [[nodiscard]] core::EngineSettings engineSettings() const;
    void setEngineSettings(const core::EngineSettings& settings);
    /// 0 means the model's own scale.
    [[nodiscard]] double outputScale() const;
    void setOutputScale(double scale);

    [[nodiscard]] bool isExpanded() const;
    void setExpanded(bool expanded);

    void setPrecision(core::Precision precision);
    [[nodiscard]] core::Precision precision() const;

    /// The text of the precision label and hint, for checks of the translation.
    [[nodiscard]] QString precisionLabelText() const;
    [[nodiscard]] QString batchLabelText() const;

protected:
    void changeEvent(QEvent* event) override;

private:
    void fillChoices();
    void updateHint();

    std::unique_ptr<Ui::AdvancedPanel> m_ui;
};

}  // namespace upscale::app
