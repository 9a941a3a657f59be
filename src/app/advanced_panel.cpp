#include "upscale/app/advanced_panel.hpp"

#include <QDir>

#include "ui_advanced_panel.h"

namespace upscale::app {

namespace {

/// The NVIDIA GPUs the driver reports. The engine keeps LibTorch to itself, so the panel asks
/// the driver's /proc entries instead of CUDA; the engine checks the choice when a job starts.
int nvidiaGpuCount() {
    return static_cast<int>(QDir(QStringLiteral("/proc/driver/nvidia/gpus"))
                                .entryList(QDir::Dirs | QDir::NoDotAndDotDot)
                                .size());
}

}  // namespace

AdvancedPanel::AdvancedPanel(QWidget* parent)
    : QWidget(parent), m_ui(std::make_unique<Ui::AdvancedPanel>()) {
    m_ui->setupUi(this);
    fillChoices();
    connect(m_ui->toggleButton, &QToolButton::toggled, this, &AdvancedPanel::setExpanded);
    connect(m_ui->precisionCombo, &QComboBox::currentIndexChanged, this,
            &AdvancedPanel::updateHint);
    connect(m_ui->batchSlider, &QSlider::valueChanged, this,
            [this](int value) { m_ui->batchValue->setNum(value); });
    setExpanded(false);
    updateHint();
}

AdvancedPanel::~AdvancedPanel() = default;

void AdvancedPanel::fillChoices() {
    // Item data stays the same across languages; only the visible text is translated.
    const int precision = std::max(m_ui->precisionCombo->currentIndex(), 0);
    m_ui->precisionCombo->clear();
    m_ui->precisionCombo->addItem(tr("FP16"), static_cast<int>(core::Precision::FP16));
    m_ui->precisionCombo->addItem(tr("FP32"), static_cast<int>(core::Precision::FP32));
    m_ui->precisionCombo->addItem(tr("None (the model's own)"),
                                  static_cast<int>(core::Precision::None));
    m_ui->precisionCombo->setCurrentIndex(precision);

    const int device = std::max(m_ui->deviceCombo->currentIndex(), 0);
    m_ui->deviceCombo->clear();
    m_ui->deviceCombo->addItem(tr("Automatic (the first GPU, else the CPU)"),
                               QStringLiteral("auto"));
    m_ui->deviceCombo->addItem(tr("CPU"), QStringLiteral("cpu"));
    for (int gpu = 0; gpu < nvidiaGpuCount(); ++gpu) {
        m_ui->deviceCombo->addItem(tr("GPU %1").arg(gpu), QStringLiteral("cuda:%1").arg(gpu));
    }
    m_ui->deviceCombo->setCurrentIndex(device);
}

void AdvancedPanel::updateHint() {
    switch (precision()) {
        case core::Precision::FP16:
            m_ui->precisionHint->setText(tr("Fastest on NVIDIA GPUs; the CPU runs it as FP32."));
            break;
        case core::Precision::FP32:
            m_ui->precisionHint->setText(tr("Full precision: runs everywhere, uses more memory."));
            break;
        case core::Precision::None:
            m_ui->precisionHint->setText(
                tr("Keeps the model file's own type (BF16 runs on the CPU too)."));
            break;
    }
}

core::EngineSettings AdvancedPanel::engineSettings() const {
    core::EngineSettings settings;
    settings.precision = precision();
    settings.batch = m_ui->batchSlider->value();
    settings.workers = m_ui->workersSpin->value();
    settings.tile = m_ui->tileSpin->value();
    const auto device =
        core::parseDevice(m_ui->deviceCombo->currentData().toString().toStdString());
    if (device) {
        settings.device = *device;
    }
    return settings;
}

void AdvancedPanel::setEngineSettings(const core::EngineSettings& settings) {
    setPrecision(settings.precision);
    m_ui->batchSlider->setValue(settings.batch);
    m_ui->workersSpin->setValue(settings.workers);
    m_ui->tileSpin->setValue(settings.tile);
    const int device =
        m_ui->deviceCombo->findData(QString::fromStdString(settings.device.toString()));
    m_ui->deviceCombo->setCurrentIndex(std::max(device, 0));
}

double AdvancedPanel::outputScale() const {
    return m_ui->scaleSpin->value();
}

void AdvancedPanel::setOutputScale(double scale) {
    m_ui->scaleSpin->setValue(scale);
}

bool AdvancedPanel::isExpanded() const {
    return m_ui->toggleButton->isChecked();
}

void AdvancedPanel::setExpanded(bool expanded) {
    m_ui->toggleButton->setChecked(expanded);
    m_ui->toggleButton->setArrowType(expanded ? Qt::DownArrow : Qt::RightArrow);
    m_ui->body->setVisible(expanded);
}

void AdvancedPanel::setPrecision(core::Precision precision) {
    const int index = m_ui->precisionCombo->findData(static_cast<int>(precision));
    m_ui->precisionCombo->setCurrentIndex(std::max(index, 0));
}

core::Precision AdvancedPanel::precision() const {
    return static_cast<core::Precision>(m_ui->precisionCombo->currentData().toInt());
}

QString AdvancedPanel::precisionLabelText() const {
    return m_ui->precisionLabel->text();
}

QString AdvancedPanel::batchLabelText() const {
    return m_ui->batchLabel->text();
}

void AdvancedPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        m_ui->retranslateUi(this);
        fillChoices();
        updateHint();
    }
    QWidget::changeEvent(event);
}

}  // namespace upscale::app
