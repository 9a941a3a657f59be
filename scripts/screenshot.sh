#!/usr/bin/env bash
# Takes the README's screenshots of the desktop application, driving the real window under a
# virtual X server (upscale-studio --screenshot FILE --scene NAME):
#   studio-empty.png     the window as it opens, its drop area saying what to do
#   studio-running.png   a mixed queue of pictures and a video part-way through
#   studio-compare.png   a finished run, the result zoomed in the compare view
#   studio-video.png     the video settings (MKV, H.265, quality, speed) for a queue with a video
#   studio-french.png    the same finished run in French
# Usage: scripts/screenshot.sh [build folder, default build/release]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
app="$build/src/app/upscale-studio"
if [ ! -x "$app" ]; then
    echo "screenshot: $app is missing; build it first (scripts/build.sh release --target upscale-studio)." >&2
    exit 1
fi
if ! command -v xvfb-run >/dev/null || ! command -v ffmpeg >/dev/null; then
    echo "screenshot: xvfb-run and ffmpeg are needed; run scripts/install-deps.sh." >&2
    exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p docs/images "$work/in"
sample=docs/samples/coffee-cup.png
# A queue an artist might bring: the sample, a crop of it, and a short clip made from it.
cp "$sample" "$work/in/coffee-cup.png"
ffmpeg -v error -y -i "$sample" -vf "crop=240:160:300:120" "$work/in/cup-detail.png"
ffmpeg -v error -y -loop 1 -i "$sample" -vf "scale=160:-2,zoompan=z='1+on/120':d=1:s=160x106,format=yuv420p" \
    -frames:v 48 -r 24 -c:v libx264 -preset veryfast "$work/in/coffee-pan.mp4"

# Each scene gets a private settings and data folder, so that the pictures do not depend on
# this user's choices or on each other.
shot() {
    local name=$1 scene=$2
    shift 2
    local home="$work/home-$name"
    mkdir -p "$home/config" "$home/data"
    XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" LANG=en_GB.UTF-8 \
        xvfb-run -a -s "-screen 0 1280x800x24" \
        "$app" --output "$work/out-$name" --screenshot "$work/$name.png" --scene "$scene" "$@"
    mv "$work/$name.png" "docs/images/$name.png"
    echo "screenshot: saved docs/images/$name.png ($(du -k "docs/images/$name.png" | cut -f1) KB)"
}

shot studio-empty empty
shot studio-running running "$work/in/coffee-cup.png" "$work/in/cup-detail.png" "$work/in/coffee-pan.mp4"
shot studio-compare finished "$work/in/coffee-cup.png" "$work/in/cup-detail.png"
shot studio-video video "$work/in/coffee-cup.png" "$work/in/coffee-pan.mp4"
shot studio-french finished --language fr "$work/in/coffee-cup.png" "$work/in/cup-detail.png"
