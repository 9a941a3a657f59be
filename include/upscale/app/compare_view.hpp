#pragma once
// The before/after preview: the input, scaled to the output's size, left of a split the user
// drags, and the output right of it, so both show the same region. The wheel zooms about the
// pointer; dragging with the middle or right button, or with the space bar held, pans; a double
// click fits the image again. Swapping puts the output on the left.

#include <QImage>
#include <QPointF>
#include <QWidget>

namespace upscale::app {

class CompareView final : public QWidget {
    Q_OBJECT

public:
    explicit CompareView(QWidget* parent = nullptr);
    CompareView(const CompareView&) = delete;
    CompareView& operator=(const CompareView&) = delete;

    /// `after` may be null (an item not yet upscaled): then only `before` is shown. The zoom
    /// and the pan are kept while the image keeps its size, so items compare at one place.
    void setImages(const QImage& before, const QImage& after);
    void clear();
    [[nodiscard]] bool hasAfter() const { return !m_after.isNull(); }

    /// Where the split is, from 0 (all after) to 1 (all before).
    [[nodiscard]] double split() const { return m_split; }
    void setSplit(double split);
    /// 1 fits the image in the widget; larger values magnify.
    [[nodiscard]] double zoom() const { return m_zoom; }
    /// Zooms about the widget's centre.
    void setZoom(double zoom);
    /// Zooms by `factor` keeping the image point under `pos` (widget coordinates) in place.
    void zoomAt(QPointF pos, double factor);
    /// Shows the image whole and centred.
    void fit();
    /// One image pixel per screen pixel.
    void actualSize();
    /// Moves the image by `delta` widget pixels.
    void pan(QPointF delta);
    /// Puts the output left of the split and the input right of it, or back.
    void swap();
    [[nodiscard]] bool swapped() const { return m_swapped; }
    /// The rectangle, in widget coordinates, where the image is painted.
    [[nodiscard]] QRectF imageRect() const;

    [[nodiscard]] QSize sizeHint() const override { return {480, 360}; }

signals:
    void zoomChanged(double zoom);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void keyReleaseEvent(QKeyEvent* event) override;

private:
    void splitAt(double x);
    [[nodiscard]] double fitScale() const;
    [[nodiscard]] double minZoom() const;
    void paintLabels(QPainter& painter, const QRectF& target);

    QImage m_before;  ///< already scaled to m_after's size when both are set
    QImage m_after;
    double m_split = 0.5;
    double m_zoom = 1.0;
    QPointF m_offset;  ///< of the image's centre from the widget's centre
    bool m_swapped = false;
    bool m_spaceHeld = false;
    bool m_panning = false;
    QPointF m_lastPos;
};

}  // namespace upscale::app
