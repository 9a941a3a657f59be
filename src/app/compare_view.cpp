#include "upscale/app/compare_view.hpp"

#include <algorithm>
#include <cmath>

#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

namespace upscale::app {

namespace {
constexpr double kMaxZoom = 16.0;
}

CompareView::CompareView(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("compareView"));
    setMinimumSize(160, 120);
    setCursor(Qt::SplitHCursor);
}

void CompareView::setImages(const QImage& before, const QImage& after) {
    m_after = after;
    // The input is enlarged with plain pixel repetition so that the comparison shows what the
    // network added, not what a smooth filter would have.
    m_before = after.isNull() || before.isNull()
                   ? before
                   : before.scaled(after.size(), Qt::IgnoreAspectRatio, Qt::FastTransformation);
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

void CompareView::setZoom(double zoom) {
    m_zoom = std::clamp(zoom, 1.0, kMaxZoom);
    update();
}

QRectF CompareView::imageRect() const {
    const QImage& shown = m_after.isNull() ? m_before : m_after;
    if (shown.isNull()) {
        return {};
    }
    const double fit = std::min(width() / static_cast<double>(shown.width()),
                                height() / static_cast<double>(shown.height()));
    const QSizeF size(shown.width() * fit * m_zoom, shown.height() * fit * m_zoom);
    return {QPointF((width() - size.width()) / 2.0, (height() - size.height()) / 2.0), size};
}

void CompareView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Base));
    const QRectF target = imageRect();
    if (target.isEmpty()) {
        painter.drawText(rect(), Qt::AlignCenter, tr("Select an item to preview it."));
        return;
    }
    painter.setRenderHint(QPainter::SmoothPixmapTransform, m_zoom < 2.0);
    if (m_after.isNull()) {
        painter.drawImage(target, m_before);
        return;
    }
    const double splitX = target.left() + target.width() * m_split;
    const double sourceSplit = m_after.width() * m_split;
    const QRectF left(target.left(), target.top(), splitX - target.left(), target.height());
    const QRectF right(splitX, target.top(), target.right() - splitX, target.height());
    painter.drawImage(left, m_before, QRectF(0, 0, sourceSplit, m_after.height()));
    painter.drawImage(right, m_after,
                      QRectF(sourceSplit, 0, m_after.width() - sourceSplit, m_after.height()));

    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(Qt::white, 2));
    painter.drawLine(QPointF(splitX, target.top()), QPointF(splitX, target.bottom()));
    const QPointF handle(splitX, target.center().y());
    painter.setBrush(Qt::white);
    painter.drawEllipse(handle, 7, 7);

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
    label(tr("Before"), std::max(target.left(), 0.0) + margin);
    const QString after = tr("After");
    label(after, std::min(target.right(), double(width())) - 3 * margin -
                     metrics.horizontalAdvance(after));
}

void CompareView::splitAt(double x) {
    const QRectF target = imageRect();
    if (!target.isEmpty()) {
        setSplit((x - target.left()) / target.width());
    }
}

void CompareView::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton) {
        splitAt(event->position().x());
    }
}

void CompareView::mouseMoveEvent(QMouseEvent* event) {
    if (event->buttons() & Qt::LeftButton) {
        splitAt(event->position().x());
    }
}

void CompareView::mouseDoubleClickEvent(QMouseEvent*) {
    setZoom(1.0);
}

void CompareView::wheelEvent(QWheelEvent* event) {
    // One notch (120) zooms by 25 %, so a touchpad's small steps zoom smoothly.
    setZoom(m_zoom * std::pow(1.25, event->angleDelta().y() / 120.0));
    event->accept();
}

}  // namespace upscale::app
