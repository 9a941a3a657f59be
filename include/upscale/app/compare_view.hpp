#pragma once
// The before/after preview: the input, scaled to the output's size, left of a split the user
// drags, and the output right of it, so both show the same region. The wheel zooms around the
// centre; a double click goes back to fitting the window.

#include <QImage>
#include <QWidget>

namespace upscale::app {

class CompareView final : public QWidget {
    Q_OBJECT

public:
    explicit CompareView(QWidget* parent = nullptr);
    CompareView(const CompareView&) = delete;
    CompareView& operator=(const CompareView&) = delete;

    /// `after` may be null (an item not yet upscaled): then only `before` is shown.
    void setImages(const QImage& before, const QImage& after);
    void clear();

    /// Where the split is, from 0 (all after) to 1 (all before).
    [[nodiscard]] double split() const { return m_split; }
    void setSplit(double split);
    /// 1 fits the image in the widget; larger values magnify.
    [[nodiscard]] double zoom() const { return m_zoom; }
    void setZoom(double zoom);
    /// The rectangle, in widget coordinates, where the image is painted.
    [[nodiscard]] QRectF imageRect() const;

    [[nodiscard]] QSize sizeHint() const override { return {480, 360}; }

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;

private:
    void splitAt(double x);

    QImage m_before;  ///< already scaled to m_after's size when both are set
    QImage m_after;
    double m_split = 0.5;
    double m_zoom = 1.0;
};

}  // namespace upscale::app
