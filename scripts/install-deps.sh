#!/usr/bin/env bash
# Installs the Debian 12 packages that Upscale Studio needs to build and test, and nothing else.
# Idempotent: packages already installed are left alone, and apt is not called at all when
# nothing is missing. Runs apt-get through sudo when not root.
set -euo pipefail

packages=(
    build-essential cmake ninja-build ccache pkg-config
    libtorch-dev
    libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev
    libspdlog-dev libfmt-dev nlohmann-json3-dev libcli11-dev libexpected-dev
    libgtest-dev libgmock-dev zlib1g-dev
    clang libclang-rt-14-dev
    qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n
    xvfb xauth fonts-dejavu-core
    libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libswresample-dev ffmpeg
    slurm-wlm slurmctld slurmd slurm-client munge
    libwebp-dev
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#packages[@]} packages are installed."
    exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
    sudo=(sudo)
fi
echo "install-deps: installing ${missing[*]}"
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
