#!/usr/bin/env bash
# Takes the README's screenshot of the desktop application: runs upscale-studio under a virtual
# X server on the bundled sample, waits for the job to finish, selects the result so that the
# compare slider shows, and saves the window to docs/images/upscale-studio.png.
# Usage: scripts/screenshot.sh [build folder, default build/release]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
app="$build/src/app/upscale-studio"
if [ ! -x "$app" ]; then
    echo "screenshot: $app is missing; build it first (cmake --build --preset release)." >&2
    exit 1
fi
if ! command -v xvfb-run >/dev/null; then
    sudo=()
    [ "$(id -u)" -ne 0 ] && sudo=(sudo)
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends xvfb xauth fonts-dejavu-core
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p docs/images "$work/config" "$work/data"
cp docs/samples/coffee.png "$work/coffee.png"
out=docs/images/upscale-studio.png

# A private settings and data folder, so the picture does not depend on this user's choices.
XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" LANG=en_GB.UTF-8 \
    xvfb-run -a -s "-screen 0 1280x800x24" \
    "$app" --output "$work/out" --screenshot "$work/shot.png" "$work/coffee.png"
mv "$work/shot.png" "$out"
echo "screenshot: saved $out ($(du -k "$out" | cut -f1) KB)"
