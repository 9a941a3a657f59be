#!/usr/bin/env bash
# Soak test of the video pipeline: upscales a long clip of small frames and samples the resident
# memory of `upscale` every second, so that a leak per frame shows as a slope. Prints the frames,
# the minutes, the memory once the model is loaded, at the end and at its peak, and the slope (a
# least-squares fit over time and over frames); docs/BENCHMARKS.md records them.
#
#   bench/soak.sh [build dir]      (default: build/release)
#
# Environment: FRAMES (default 30000: 1000 s of video at 30 fps), SIZE (default 32x18), MODEL
# (default: the default model), SCALE (default 1), WORKERS (default 2), BATCH (default 2), DEVICE
# (default auto), WARMUP (seconds before the "start" sample, default 10), SOAK_CSV (the samples,
# default <build dir>/soak-rss.csv: seconds,rss_kib,frames_done).
set -euo pipefail

build=${1:-build/release}
cli="$build/src/cli/upscale"
frames=${FRAMES:-30000}
size=${SIZE:-32x18}
scale=${SCALE:-1}
csv=${SOAK_CSV:-$build/soak-rss.csv}
[ -x "$cli" ] || { echo "soak: build the 'upscale' target first ($cli)" >&2; exit 2; }
command -v ffmpeg >/dev/null || { echo "soak: needs the ffmpeg tool" >&2; exit 2; }

work=$(mktemp -d)
pid=
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
export XDG_DATA_HOME="$work/data"
args=(--device "${DEVICE:-auto}" -w "${WORKERS:-2}" -b "${BATCH:-2}" -s "$scale" --codec h264)
if [ -n "${MODEL:-}" ]; then args+=(-m "$MODEL"); fi

ffmpeg -v error -f lavfi -i "testsrc2=size=$size:rate=30" -f lavfi -i "sine=frequency=440" \
    -frames:v "$frames" -c:v libx264 -preset veryfast -c:a aac -shortest "$work/clip.mp4"

log="$work/upscale.log"
"$cli" "${args[@]}" "$work/clip.mp4" -o "$work/out.mp4" >"$log" 2>&1 &
pid=$!
start=$(date +%s.%N)
echo "seconds,rss_kib,frames_done" >"$csv"
# One sample a second while it runs: VmRSS, and the frames saved so far from the last Batch line.
while [ -r "/proc/$pid/status" ]; do
    rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
    [ -n "$rss" ] || break
    done_frames=$(sed -n 's|^.*Batch [0-9]*: .*(\([0-9]*\)/.*$|\1|p' "$log" | tail -1)
    now=$(date +%s.%N)
    printf '%.1f,%s,%s\n' "$(awk -v a="$start" -v b="$now" 'BEGIN { print b - a }')" "$rss" \
        "${done_frames:-0}" >>"$csv"
    sleep 1
done
status=0
wait "$pid" || status=$?
pid=
end=$(date +%s.%N)
if [ "$status" -ne 0 ]; then
    echo "soak: upscale failed with status $status:" >&2
    tail -20 "$log" >&2
    exit 1
fi

saved=$(sed -n 's|^.*Saved .*: \([0-9]*\) frames in .*$|\1|p' "$log" | tail -1)
# The memory "at start" is the first sample WARMUP seconds (default 10) into the run once a batch
# has been saved: the model is loaded, the queues and the encoder's look-ahead are full. The
# slopes are least-squares fits of the samples from there on.
awk -F, -v frames="${saved:-0}" -v start="$start" -v end="$end" -v csv="$csv" \
    -v warmup="${WARMUP:-10}" '
    NR == 1 { next }
    { if ($2 > peak) peak = $2 }
    $3 > 0 && $1 >= warmup && !began { began = 1; t0 = $1; r0 = $2 }
    began {
        n++; last = $2; tl = $1
        st += $1; sf += $3; sr += $2; stt += $1 * $1; sff += $3 * $3; str += $1 * $2; sfr += $3 * $2
    }
    END {
        if (n < 3) { print "soak: too short to measure; raise FRAMES" > "/dev/stderr"; exit 1 }
        per_s = (n * str - st * sr) / (n * stt - st * st)      # KiB per second
        per_frame = (n * sfr - sf * sr) / (n * sff - sf * sf)  # KiB per frame
        printf "frames: %d, %.1f minutes (%d samples in %s)\n", frames, (end - start) / 60, n, csv
        printf "rss at start (%.0f s): %.1f MiB\n", t0, r0 / 1024
        printf "rss at end (%.0f s): %.1f MiB\n", tl, last / 1024
        printf "rss peak: %.1f MiB\n", peak / 1024
        printf "slope: %+.1f KiB/min, %+.2f KiB per 1000 frames\n", per_s * 60, per_frame * 1000
    }' "$csv"
