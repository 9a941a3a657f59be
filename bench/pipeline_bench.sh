#!/usr/bin/env bash
# Measures the video pipeline against the engine on the same frames, and its peak memory on a
# short and a ten times longer clip. Prints one line per figure; docs/BENCHMARKS.md records them.
#
#   bench/pipeline_bench.sh [build dir]      (default: build/release)
#
# Environment: FRAMES (frames of the 640x360 clip, default 12), DEVICE (default auto),
# MODEL (default realesr-animevideov3), SCALE (default 2), WORKERS (default 2), BATCH (default 2).
set -euo pipefail

build=${1:-build/release}
cli="$build/src/cli/upscale"
frames=${FRAMES:-12}
device=${DEVICE:-auto}
model=${MODEL:-realesr-animevideov3}
scale=${SCALE:-2}
workers=${WORKERS:-2}
batch=${BATCH:-2}
[ -x "$cli" ] || { echo "pipeline_bench: build the 'upscale' target first ($cli)" >&2; exit 2; }
command -v ffmpeg >/dev/null || { echo "pipeline_bench: needs the ffmpeg tool" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_DATA_HOME="$work/data"
common=(--device "$device" -m "$model" -w "$workers" -b "$batch" -q)

seconds() {  # seconds taken by a command that must succeed
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || { echo "pipeline_bench: failed: $*" >&2; exit 1; }
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { print b - a }'
}

# Throughput: the whole pipeline (decode, batch, engine, x264 veryfast encode, audio copy) on a
# 640x360 clip, against the same frames as PNG files through the image path, which is the
# engine plus a PNG read and write per frame.
ffmpeg -v error -f lavfi -i "testsrc2=size=640x360:rate=30" -f lavfi -i "sine=frequency=440" \
    -frames:v "$frames" -c:v libx264 -preset veryfast -c:a aac -shortest "$work/clip.mp4"
mkdir -p "$work/frames" "$work/frames_out"
ffmpeg -v error -i "$work/clip.mp4" "$work/frames/f_%04d.png"
# One untimed run first so that both timed runs start with the model file in the page cache.
"$cli" "${common[@]}" -s "$scale" "$work/frames/f_0001.png" -o "$work/warm.png" >/dev/null 2>&1

engine_s=$(seconds "$cli" "${common[@]}" -s "$scale" "$work/frames" -o "$work/frames_out")
video_s=$(seconds "$cli" "${common[@]}" -s "$scale" --preset veryfast "$work/clip.mp4" \
    -o "$work/out.mp4")
engine_fps=$(awk -v n="$frames" -v s="$engine_s" 'BEGIN { print n / s }')
video_fps=$(awk -v n="$frames" -v s="$video_s" 'BEGIN { print n / s }')
printf 'frames=%d size=640x360 scale=%s workers=%s batch=%s device=%s\n' \
    "$frames" "$scale" "$workers" "$batch" "$device"
printf 'engine (image path): %.3f frames/s (%.1f s)\n' "$engine_fps" "$engine_s"
printf 'pipeline (video, x264 veryfast): %.3f frames/s (%.1f s)\n' "$video_fps" "$video_s"
printf 'pipeline / engine: %.3f\n' "$(awk -v a="$video_fps" -v b="$engine_fps" 'BEGIN { print a / b }')"

# Memory: peak resident set of a 300-frame and a 3000-frame clip of tiny frames, so the run is
# short and the frames in flight, not the model, would show any growth.
for n in 300 3000; do
    ffmpeg -v error -f lavfi -i "testsrc2=size=32x18:rate=30" -f lavfi -i "sine=frequency=440" \
        -frames:v "$n" -c:v libx264 -preset veryfast -c:a aac -shortest "$work/mem_$n.mp4"
    /usr/bin/time -f '%M' -o "$work/rss_$n" "$cli" "${common[@]}" -s 1 "$work/mem_$n.mp4" \
        -o "$work/mem_${n}_out.mp4" >/dev/null 2>&1
    printf 'peak memory, %d frames of 32x18: %d MiB\n' "$n" "$(($(cat "$work/rss_$n") / 1024))"
done
