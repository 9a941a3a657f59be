#include "gif_palette.hpp"

#include <algorithm>
#include <unordered_map>

namespace upscale::media {

namespace {

constexpr int kBins = 32;  // 5 bits per channel in the histogram
constexpr int kOpaque = 128;

int binOf(const std::uint8_t* p) {
    return ((p[0] >> 3) * kBins + (p[1] >> 3)) * kBins + (p[2] >> 3);
}

/// A box of histogram bins, inclusive on both ends, per channel.
struct Box {
    std::array<int, 3> lo{0, 0, 0};
    std::array<int, 3> hi{kBins - 1, kBins - 1, kBins - 1};
    std::int64_t count = 0;
};

struct Histogram {
    std::vector<std::int64_t> count = std::vector<std::int64_t>(kBins * kBins * kBins);
    std::vector<std::array<std::int64_t, 3>> sum =
        std::vector<std::array<std::int64_t, 3>>(kBins * kBins * kBins);

    template <typename F>
    void forEach(const Box& b, F&& f) const {
        for (int r = b.lo[0]; r <= b.hi[0]; ++r) {
            for (int g = b.lo[1]; g <= b.hi[1]; ++g) {
                for (int bl = b.lo[2]; bl <= b.hi[2]; ++bl) {
                    f((r * kBins + g) * kBins + bl, std::array<int, 3>{r, g, bl});
                }
            }
        }
    }

    /// Shrinks the box to the bins that hold pixels and counts them.
    void fit(Box& b) const {
        Box fitted;
        fitted.lo = {kBins, kBins, kBins};
        fitted.hi = {-1, -1, -1};
        forEach(b, [&](int bin, const std::array<int, 3>& at) {
            if (count[bin] == 0) {
                return;
            }
            fitted.count += count[bin];
            for (int c = 0; c < 3; ++c) {
                fitted.lo[c] = std::min(fitted.lo[c], at[c]);
                fitted.hi[c] = std::max(fitted.hi[c], at[c]);
            }
        });
        b = fitted;
    }
};

/// Splits the box at the median of its longest side; false when it is a single bin.
bool split(const Histogram& h, Box& box, Box& other) {
    int axis = 0;
    for (int c = 1; c < 3; ++c) {
        if (box.hi[c] - box.lo[c] > box.hi[axis] - box.lo[axis]) {
            axis = c;
        }
    }
    if (box.hi[axis] == box.lo[axis]) {
        return false;
    }
    std::array<std::int64_t, kBins> slices{};
    h.forEach(box,
              [&](int bin, const std::array<int, 3>& at) { slices[at[axis]] += h.count[bin]; });
    std::int64_t below = 0;
    int cut = box.lo[axis];
    for (; cut < box.hi[axis] - 1; ++cut) {
        below += slices[cut];
        if (2 * below >= box.count) {
            break;
        }
    }
    other = box;
    box.hi[axis] = cut;
    other.lo[axis] = cut + 1;
    h.fit(box);
    h.fit(other);
    return true;
}

/// Median cut: at most `colours` boxes over the opaque pixels, each giving the mean colour of
/// its pixels. Returns the number of colours.
int medianCut(const Histogram& h, int colours, std::array<std::uint8_t, 768>& palette) {
    std::vector<Box> boxes(1);
    h.fit(boxes.front());
    std::vector<bool> whole(1, false);
    while (static_cast<int>(boxes.size()) < colours) {
        // The box with the most pixels times its longest side goes next.
        int best = -1;
        std::int64_t bestScore = 0;
        for (std::size_t i = 0; i < boxes.size(); ++i) {
            const Box& b = boxes[i];
            const int side = std::max({b.hi[0] - b.lo[0], b.hi[1] - b.lo[1], b.hi[2] - b.lo[2]});
            const std::int64_t score = b.count * side;
            if (!whole[i] && side > 0 && score > bestScore) {
                best = static_cast<int>(i);
                bestScore = score;
            }
        }
        if (best < 0) {
            break;
        }
        Box other;
        if (!split(h, boxes[static_cast<std::size_t>(best)], other)) {
            whole[static_cast<std::size_t>(best)] = true;
            continue;
        }
        boxes.push_back(other);
        whole.push_back(false);
    }
    int n = 0;
    for (const Box& b : boxes) {
        std::array<std::int64_t, 3> sum{};
        h.forEach(b, [&](int bin, const std::array<int, 3>&) {
            for (int c = 0; c < 3; ++c) {
                sum[c] += h.sum[bin][c];
            }
        });
        for (int c = 0; c < 3; ++c) {
            palette[static_cast<std::size_t>(n * 3 + c)] =
                static_cast<std::uint8_t>(b.count > 0 ? (sum[c] + b.count / 2) / b.count : 0);
        }
        ++n;
    }
    return n;
}

/// The nearest palette entry to a colour, cached per cell of 6 bits a channel.
class NearestColour {
public:
    NearestColour(const std::array<std::uint8_t, 768>& palette, int colours)
        : m_palette(palette), m_colours(colours), m_cache(64 * 64 * 64, -1) {}

    std::uint8_t operator()(int r, int g, int b) {
        const int cell = ((r >> 2) * 64 + (g >> 2)) * 64 + (b >> 2);
        std::int16_t& cached = m_cache[static_cast<std::size_t>(cell)];
        if (cached < 0) {
            const int cr = (r & ~3) | 2, cg = (g & ~3) | 2, cb = (b & ~3) | 2;
            int best = 0, bestDistance = 1 << 30;
            for (int i = 0; i < m_colours; ++i) {
                const int dr = cr - m_palette[static_cast<std::size_t>(i * 3)];
                const int dg = cg - m_palette[static_cast<std::size_t>(i * 3 + 1)];
                const int db = cb - m_palette[static_cast<std::size_t>(i * 3 + 2)];
                const int d = 2 * dr * dr + 4 * dg * dg + 3 * db * db;
                if (d < bestDistance) {
                    best = i;
                    bestDistance = d;
                }
            }
            cached = static_cast<std::int16_t>(best);
        }
        return static_cast<std::uint8_t>(cached);
    }

private:
    const std::array<std::uint8_t, 768>& m_palette;
    int m_colours;
    std::vector<std::int16_t> m_cache;
};

std::uint32_t key(const std::uint8_t* p) {
    return (std::uint32_t{p[0]} << 16) | (std::uint32_t{p[1]} << 8) | p[2];
}

/// The frame's own colours, when there are at most `limit` of them.
bool exactColours(const std::uint8_t* rgba, int width, int height, int stride, int limit,
                  std::unordered_map<std::uint32_t, std::uint8_t>& index) {
    for (int y = 0; y < height; ++y) {
        const std::uint8_t* p = rgba + static_cast<std::ptrdiff_t>(y) * stride;
        for (int x = 0; x < width; ++x, p += 4) {
            if (p[3] < kOpaque) {
                continue;
            }
            const auto [at, added] = index.try_emplace(key(p), static_cast<std::uint8_t>(0));
            if (added) {
                if (static_cast<int>(index.size()) > limit) {
                    return false;
                }
                at->second = static_cast<std::uint8_t>(index.size() - 1);
            }
        }
    }
    return true;
}

/// Floyd-Steinberg error diffusion in serpentine order; transparent pixels neither take nor
/// pass on error.
void diffuse(const std::uint8_t* rgba, int width, int height, int stride, NearestColour& nearest,
             const std::array<std::uint8_t, 768>& palette, IndexedFrame& out) {
    const auto w = static_cast<std::size_t>(width);
    std::vector<int> thisRow((w + 2) * 3), nextRow((w + 2) * 3);
    for (int y = 0; y < height; ++y) {
        const std::uint8_t* row = rgba + static_cast<std::ptrdiff_t>(y) * stride;
        const bool forward = y % 2 == 0;
        const int step = forward ? 1 : -1;
        std::fill(nextRow.begin(), nextRow.end(), 0);
        for (int i = 0; i < width; ++i) {
            const int x = forward ? i : width - 1 - i;
            const std::uint8_t* p = row + static_cast<std::ptrdiff_t>(x) * 4;
            std::uint8_t& index = out.indices[static_cast<std::size_t>(y) * w + x];
            if (p[3] < kOpaque) {
                index = static_cast<std::uint8_t>(out.transparent);
                continue;
            }
            std::array<int, 3> want{};
            for (int c = 0; c < 3; ++c) {
                want[c] = std::clamp(p[c] + thisRow[(x + 1) * 3 + c] / 16, 0, 255);
            }
            index = nearest(want[0], want[1], want[2]);
            for (int c = 0; c < 3; ++c) {
                const int error = want[c] - palette[static_cast<std::size_t>(index * 3 + c)];
                thisRow[(x + 1 + step) * 3 + c] += error * 7;
                nextRow[(x + 1 - step) * 3 + c] += error * 3;
                nextRow[(x + 1) * 3 + c] += error * 5;
                nextRow[(x + 1 + step) * 3 + c] += error;
            }
        }
        std::swap(thisRow, nextRow);
    }
}

}  // namespace

void quantiseFrame(const std::uint8_t* rgba, int width, int height, int stride, IndexedFrame& out) {
    const auto pixels = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
    out.indices.assign(pixels, 0);
    out.palette.fill(0);
    out.transparent = -1;
    for (int y = 0; y < height && out.transparent < 0; ++y) {
        const std::uint8_t* p = rgba + static_cast<std::ptrdiff_t>(y) * stride;
        for (int x = 0; x < width; ++x) {
            if (p[x * 4 + 3] < kOpaque) {
                out.transparent = 255;
                break;
            }
        }
    }
    const int limit = out.transparent >= 0 ? 255 : 256;
    std::unordered_map<std::uint32_t, std::uint8_t> exact;
    if (exactColours(rgba, width, height, stride, limit, exact)) {
        for (const auto& [colour, index] : exact) {
            out.palette[index * 3U] = static_cast<std::uint8_t>(colour >> 16);
            out.palette[index * 3U + 1] = static_cast<std::uint8_t>(colour >> 8);
            out.palette[index * 3U + 2] = static_cast<std::uint8_t>(colour);
        }
        for (int y = 0; y < height; ++y) {
            const std::uint8_t* p = rgba + static_cast<std::ptrdiff_t>(y) * stride;
            for (int x = 0; x < width; ++x, p += 4) {
                out.indices[static_cast<std::size_t>(y) * width + x] =
                    p[3] < kOpaque ? static_cast<std::uint8_t>(out.transparent) : exact[key(p)];
            }
        }
        return;
    }
    Histogram h;
    for (int y = 0; y < height; ++y) {
        const std::uint8_t* p = rgba + static_cast<std::ptrdiff_t>(y) * stride;
        for (int x = 0; x < width; ++x, p += 4) {
            if (p[3] >= kOpaque) {
                const int bin = binOf(p);
                ++h.count[bin];
                for (int c = 0; c < 3; ++c) {
                    h.sum[bin][c] += p[c];
                }
            }
        }
    }
    const int colours = medianCut(h, limit, out.palette);
    NearestColour nearest(out.palette, colours);
    diffuse(rgba, width, height, stride, nearest, out.palette, out);
}

}  // namespace upscale::media
