#include "upscale/app/compare_view.hpp"

#include <algorithm>
#include <cmath>

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

namespace upscale::app {

namespace {
constexpr double kMaxZoom = 64.0;
}

CompareView::CompareView(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("compareView"));
    setMinimumSize(160, 120);
    setCursor(Qt::SplitHCursor);
    setFocusPolicy(Qt::StrongFocus);
    setToolTip(
        tr("Drag to move the split. Wheel: zoom about the pointer. Middle or right "
           "button, or Space and drag: pan. Double click: fit."));
}

void CompareView::setImages(const QImage& before, const QImage& after) {
    const QSize oldSize = (m_after.isNull() ? m_before : m_after).size();
    m_after = after;
    // The input is enlarged with plain pixel repetition so that the comparison shows what the
    // network added, not what a smooth filter would have.
    m_before = after.isNull() || before.isNull()
                   ? before
                   : before.scaled(after.size(), Qt::IgnoreAspectRatio, Qt::FastTransformation);
    if ((m_after.isNull() ? m_before : m_after).size() != oldSize) {
        m_zoom = 1.0;
        m_offset = {};
        emit zoomChanged(m_zoom);
    }
    update();
}

void CompareView::clear() {
    m_before = {};
    m_after = {};
    update();
}

void CompareView::setSplit(double split) {
    m_split = std::clamp(split, 0.0, 1.0);
    update();
}

double CompareView::fitScale() const {
    const QImage& shown = m_after.isNull() ? m_before : m_after;
    if (shown.isNull()) {
        return 1.0;
    }
    return std::min(width() / static_cast<double>(shown.width()),
                    height() / static_cast<double>(shown.height()));
}

double CompareView::minZoom() const {
    // Zooming out stops at fitting the widget; 100 % may be smaller for a small picture.
    return std::min(1.0, m_zoom);
}

void CompareView::setZoom(double zoom) {
    zoomAt(QPointF(width() / 2.0, height() / 2.0), zoom / m_zoom);
}

void CompareView::zoomAt(QPointF pos, double factor) {
    const double zoom = std::clamp(m_zoom * factor, minZoom(), kMaxZoom);
    const QRectF before = imageRect();
    m_zoom = zoom;
    if (!before.isEmpty()) {
        // The image point under `pos` stays under it.
        const QPointF centre(width() / 2.0, height() / 2.0);
        const QPointF imageCentre = before.center();
        const double applied = imageRect().width() / before.width();
        m_offset = pos + (imageCentre - pos) * applied - centre;
    }
    if (m_zoom <= 1.0) {
        m_offset = {};
    }
    emit zoomChanged(m_zoom);
    update();
}

void CompareView::fit() {
    m_zoom = 1.0;
    m_offset = {};
    emit zoomChanged(m_zoom);
    update();
}

void CompareView::actualSize() {
    m_zoom = 1.0 / fitScale();
    m_offset = {};
    emit zoomChanged(m_zoom);
    update();
}

void CompareView::pan(QPointF delta) {
    m_offset += delta;
    update();
}

void CompareView::swap() {
    m_swapped = !m_swapped;
    update();
}

QRectF CompareView::imageRect() const {
    const QImage& shown = m_after.isNull() ? m_before : m_after;
    if (shown.isNull()) {
        return {};
    }
    const double scale = fitScale() * m_zoom;
    const QSizeF size(shown.width() * scale, shown.height() * scale);
    const QPointF centre = QPointF(width() / 2.0, height() / 2.0) + m_offset;
    return {centre - QPointF(size.width() / 2.0, size.height() / 2.0), size};
}

void CompareView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Base));
    const QRectF target = imageRect();
    if (target.isEmpty()) {
        painter.drawText(rect(), Qt::AlignCenter, tr("Select an item to preview it."));
        return;
    }
    painter.setRenderHint(QPainter::SmoothPixmapTransform, fitScale() * m_zoom < 2.0);
    if (m_after.isNull()) {
        painter.drawImage(target, m_before);
        return;
    }
    const QImage& left = m_swapped ? m_after : m_before;
    const QImage& right = m_swapped ? m_before : m_after;
    const double splitX = target.left() + target.width() * m_split;
    const double sourceSplit = m_after.width() * m_split;
    painter.drawImage(QRectF(target.left(), target.top(), splitX - target.left(), target.height()),
                      left, QRectF(0, 0, sourceSplit, m_after.height()));
    painter.drawImage(QRectF(splitX, target.top(), target.right() - splitX, target.height()), right,
                      QRectF(sourceSplit, 0, m_after.width() - sourceSplit, m_after.height()));

    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(Qt::white, 2));
    const double top = std::max(target.top(), 0.0);
    const double bottom = std::min(target.bottom(), double(height()));
    painter.drawLine(QPointF(splitX, top), QPointF(splitX, bottom));
    painter.setBrush(Qt::white);
    painter.drawEllipse(QPointF(splitX, (top + bottom) / 2.0), 7, 7);
    paintLabels(painter, target);
}

void CompareView::paintLabels(QPainter& painter, const QRectF& target) {
    // The labels sit on dark boxes so that they read on light and dark images alike.
    const QFontMetrics metrics(painter.font());
    const double margin = 6;
    const double top = std::max(target.top(), 0.0) + margin;
    const auto label = [&](const QString& text, double left) {
        const QRectF box(left, top, metrics.horizontalAdvance(text) + 2 * margin,
                         metrics.height() + margin);
        painter.setPen(Qt::NoPen);
        painter.setBrush(QColor(0, 0, 0, 150));
        painter.drawRoundedRect(box, 4, 4);
        painter.setPen(Qt::white);
        painter.drawText(box, Qt::AlignCenter, text);
    };
    const QString leftText = m_swapped ? tr("After") : tr("Before");
    const QString rightText = m_swapped ? tr("Before") : tr("After");
    label(leftText, std::max(target.left(), 0.0) + margin);
    label(rightText, std::min(target.right(), double(width())) - 3 * margin -
                         metrics.horizontalAdvance(rightText));
}

void CompareView::splitAt(double x) {
    const QRectF target = imageRect();
    if (!target.isEmpty()) {
        setSplit((x - target.left()) / target.width());
    }
}

void CompareView::mousePressEvent(QMouseEvent* event) {
    m_lastPos = event->position();
    m_panning = event->button() == Qt::MiddleButton || event->button() == Qt::RightButton ||
                (event->button() == Qt::LeftButton && m_spaceHeld);
    if (m_panning) {
        setCursor(Qt::ClosedHandCursor);
    } else if (event->button() == Qt::LeftButton) {
        splitAt(event->position().x());
    }
}

void CompareView::mouseMoveEvent(QMouseEvent* event) {
    if (m_panning) {
        pan(event->position() - m_lastPos);
        m_lastPos = event->position();
    } else if (event->buttons() & Qt::LeftButton) {
        splitAt(event->position().x());
    }
}

void CompareView::mouseReleaseEvent(QMouseEvent*) {
    m_panning = false;
    setCursor(m_spaceHeld ? Qt::OpenHandCursor : Qt::SplitHCursor);
}

void CompareView::mouseDoubleClickEvent(QMouseEvent*) {
    fit();
}

void CompareView::wheelEvent(QWheelEvent* event) {
    // One notch (120) zooms by 25 %, so a touchpad's small steps zoom smoothly.
    zoomAt(event->position(), std::pow(1.25, event->angleDelta().y() / 120.0));
    event->accept();
}

void CompareView::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = true;
        setCursor(Qt::OpenHandCursor);
        return;
    }
    QWidget::keyPressEvent(event);
}

void CompareView::keyReleaseEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = false;
        setCursor(m_panning ? Qt::ClosedHandCursor : Qt::SplitHCursor);
        return;
    }
    QWidget::keyReleaseEvent(event);
}

}  // namespace upscale::app
