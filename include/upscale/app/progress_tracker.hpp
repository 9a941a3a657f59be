#pragma once
// Progress of a job by frames across its whole queue: an image is one frame, a video as many as
// its probe says. Frames per second and the time left come from the frames upscaled in the last
// ten seconds of this job (a large picture then small video frames do not skew it for long);
// items an earlier run finished count as done but not towards the speed.

#include <QVector>

namespace upscale::app {

class ProgressTracker {
public:
    /// A new job whose items have these frame counts (at least 1 each).
    void start(const QVector<qint64>& framesPerItem);
    /// An item reported `done` of `total` frames (total 0: keep the known count), `upscaled` of
    /// them in this batch (a resumed video starts with frames an earlier run did), at
    /// `elapsedSeconds` into the job.
    void itemProgress(int item, qint64 done, qint64 total, qint64 upscaled, double elapsedSeconds);
    /// An item ended: finished, skipped, failed or cancelled. All its frames count as done.
    void itemEnded(int item);

    [[nodiscard]] qint64 done() const;
    [[nodiscard]] qint64 total() const;
    /// Frames upscaled per second of `elapsedSeconds`; 0 until a frame is done.
    [[nodiscard]] double framesPerSecond(double elapsedSeconds) const;
    /// Seconds left at the current speed; negative while unknown.
    [[nodiscard]] double secondsLeft(double elapsedSeconds) const;

private:
    QVector<qint64> m_total;
    QVector<qint64> m_done;
    qint64 m_upscaled = 0;  ///< frames upscaled by this job
    struct Sample {
        double seconds;
        qint64 upscaled;
    };
    QVector<Sample> m_samples;  ///< m_upscaled after each batch, for the recent speed
};

}  // namespace upscale::app
