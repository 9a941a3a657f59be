#include "upscale/app/progress_tracker.hpp"

#include <algorithm>
#include <numeric>

namespace upscale::app {

void ProgressTracker::start(const QVector<qint64>& framesPerItem) {
    m_total = framesPerItem;
    for (qint64& frames : m_total) {
        frames = std::max<qint64>(frames, 1);
    }
    m_done = QVector<qint64>(m_total.size(), 0);
    m_upscaled = 0;
    m_samples.clear();
}

void ProgressTracker::itemProgress(int item, qint64 done, qint64 total, qint64 upscaled,
                                   double elapsedSeconds) {
    if (item < 0 || item >= m_total.size()) {
        return;
    }
    if (total > 0) {
        m_total[item] = total;
    }
    m_upscaled += std::max<qint64>(upscaled, 0);
    m_samples.append({elapsedSeconds, m_upscaled});
    m_done[item] = std::max(m_done[item], std::clamp<qint64>(done, 0, m_total[item]));
}

void ProgressTracker::itemEnded(int item) {
    if (item >= 0 && item < m_total.size()) {
        m_done[item] = m_total[item];
    }
}

qint64 ProgressTracker::done() const {
    return std::accumulate(m_done.begin(), m_done.end(), qint64{0});
}

qint64 ProgressTracker::total() const {
    return std::accumulate(m_total.begin(), m_total.end(), qint64{0});
}

double ProgressTracker::framesPerSecond(double elapsedSeconds) const {
    constexpr double kWindowSeconds = 10.0;
    // The oldest batch within the window, and the one before it, so that the window starts at
    // a batch boundary; the whole job until two batches are known.
    const auto first = std::find_if(m_samples.begin(), m_samples.end(), [&](const Sample& s) {
        return s.seconds >= elapsedSeconds - kWindowSeconds;
    });
    if (first != m_samples.end() && first != m_samples.begin()) {
        const Sample& from = *(first - 1);
        const double seconds = elapsedSeconds - from.seconds;
        if (seconds > 0.0) {
            return static_cast<double>(m_upscaled - from.upscaled) / seconds;
        }
    }
    return elapsedSeconds > 0.0 ? static_cast<double>(m_upscaled) / elapsedSeconds : 0.0;
}

double ProgressTracker::secondsLeft(double elapsedSeconds) const {
    const double rate = framesPerSecond(elapsedSeconds);
    if (rate <= 0.0) {
        return -1.0;
    }
    return static_cast<double>(total() - done()) / rate;
}

}  // namespace upscale::app
