#!/usr/bin/env bash
# Builds the Debian package from a built tree and checks it as a user would get it: its
# dependencies cover every library the executables link, it holds the executables, the models,
# the desktop entry and the icon, and once installed with apt-get the installed `upscale` lists
# the bundled models and upscales an image, and `upscale-studio` runs a job. The package (and
# anything apt-get had to add for it) is removed again, so the machine is left as it was.
#
#   scripts/check-package.sh [build folder, default build/release]
#
# Build everything first (scripts/build.sh release). Needs dpkg-dev (for dpkg-shlibdeps) and
# runs apt-get through sudo when not root.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
build=${1:-build/release}
package=upscale-studio

fail() {
    echo "check-package: $*" >&2
    exit 1
}
step() {
    printf '\n$ %s\n' "$*"
}
# Runs a command with its output in $work/log; prints the lines matching a pattern, or all of
# it and stops when the command fails.
run_quiet() {
    local pattern=$1
    shift
    if ! "$@" >"$work/log" 2>&1; then
        cat "$work/log" >&2
        fail "failed: $*"
    fi
    grep -E "$pattern" "$work/log" || true
}

for exe in src/cli/upscale src/app/upscale-studio; do
    [ -x "$build/$exe" ] || fail "$build/$exe is missing; build everything first (scripts/build.sh release)."
done
if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    fail "$package is installed already; remove it first (apt-get remove $package), so that this check can leave the machine as it found it."
fi
sudo=()
[ "$(id -u)" -ne 0 ] && sudo=(sudo)

work=$(mktemp -d)
installed_before="$work/installed-before"
dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" { print $2 }' | sort \
    >"$installed_before"
cleanup() {
    # Whatever is installed now and was not before: the package and any dependency apt added.
    local added
    added=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" { print $2 }' |
        sort | comm -13 "$installed_before" -)
    if [ -n "$added" ]; then
        printf '\n$ apt-get remove --purge -y %s\n' "${added//$'\n'/ }"
        # shellcheck disable=SC2086
        if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get remove --purge -y $added \
            >"$work/log" 2>&1; then
            cat "$work/log" >&2
            echo "check-package: could not remove $added." >&2
        fi
        grep -E '^(Removing|Purging)' "$work/log" || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

step "cd $build && cpack -G DEB"
rm -f "$build/$package"_*.deb
run_quiet 'package: .* generated' cpack -G DEB --config "$build/CPackConfig.cmake" -B "$build"
deb=$(find "$build" -maxdepth 1 -name "${package}_*.deb" -print -quit)
[ -n "$deb" ] || fail "cpack did not write $build/${package}_*.deb."
deb=$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")
echo "$(basename "$deb"): $(du -h "$deb" | cut -f1)"

step "dpkg-deb --field $(basename "$deb") Package Version Section Depends"
dpkg-deb --field "$deb" Package Version Section Depends
depends=$(dpkg-deb --field "$deb" Depends)
# Every library the executables link must come from a package the .deb depends on.
ldconfig -p >"$work/ldcache"
for exe in "$build/src/cli/upscale" "$build/src/app/upscale-studio"; do
    for lib in $(readelf -d "$exe" | awk '/NEEDED/ { gsub(/[][]/, "", $5); print $5 }'); do
        path=$(awk -v l="$lib" '$1 == l && /x86-64/ && !found { print $NF; found = 1 }' "$work/ldcache")
        [ -n "$path" ] || fail "cannot find $lib, which $(basename "$exe") links."
        owner=$(dpkg -S "$(realpath "$path")" 2>/dev/null || dpkg -S "$path" 2>/dev/null) ||
            fail "no package owns $path ($lib)."
        owner=${owner%%:*}
        # The dependency may name the owner or a virtual package it provides.
        covered=no
        for name in $owner $(dpkg-query -W -f='${Provides}' "$owner" | sed 's/([^)]*)//g; s/,/ /g'); do
            case ", $depends," in
            *", $name "* | *", $name,"* | *"| $name "* | *"| $name,"*) covered=yes ;;
            esac
        done
        [ "$covered" = yes ] ||
            fail "the package does not depend on $owner, which holds $lib ($(basename "$exe") links it)."
    done
done
echo "check-package: Depends covers every library that upscale and upscale-studio link."

step "dpkg-deb --contents $(basename "$deb")     (directories left out)"
dpkg-deb --contents "$deb" | awk '$1 !~ /^d/ { print $1, $NF }' | tee "$work/contents"
expect=(./usr/bin/upscale ./usr/bin/upscale-studio
    ./usr/share/applications/upscale-studio.desktop
    ./usr/share/icons/hicolor/scalable/apps/upscale-studio.svg
    ./usr/share/upscale-studio/models/manifest.json)
for file in $(python3 -c 'import json,sys; print("\n".join(m["file"] for m in json.load(open(sys.argv[1]))["models"]))' models/manifest.json); do
    expect+=("./usr/share/upscale-studio/models/$file")
done
for path in "${expect[@]}"; do
    awk '{ print $2 }' "$work/contents" | grep -qxF "$path" || fail "the package lacks $path."
done
echo "check-package: all ${#expect[@]} expected files are in the package."

step "apt-get install -y ./$(basename "$deb")"
run_quiet '^(Unpacking|Setting up)' \
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "$deb"
dpkg-query -W -f='${Status}' "$package" | grep -q "install ok installed" ||
    fail "apt-get did not install $package."

# Outside the source tree, with private settings and data, so only installed files are used.
mkdir -p "$work/run/config" "$work/run/data"
cp "$root/tests/data/coffee_crop.png" "$work/run/coffee.png"
cd "$work/run"
export XDG_CONFIG_HOME="$work/run/config" XDG_DATA_HOME="$work/run/data"

step "command -v upscale upscale-studio"
command -v upscale upscale-studio
[ "$(command -v upscale)" = /usr/bin/upscale ] || fail "upscale is not installed in /usr/bin."

step "cd $work/run && /usr/bin/upscale --list-models"
/usr/bin/upscale --list-models | tee "$work/models"
for id in $(python3 -c 'import json,sys; print("\n".join(m["id"] for m in json.load(open(sys.argv[1]))["models"]))' "$root/models/manifest.json"); do
    grep -q "^$id " "$work/models" || fail "the installed upscale does not list the bundled model $id."
done

step "/usr/bin/upscale --device cpu coffee.png -o out/"
run_quiet 'Batch|error' /usr/bin/upscale --device cpu coffee.png -o out/
[ -s out/coffee_x4.png ] || fail "the installed upscale did not write out/coffee_x4.png."

step "QT_QPA_PLATFORM=offscreen /usr/bin/upscale-studio --output gui --screenshot shot.png coffee.png"
run_quiet 'Batch|Screenshot|error' env QT_QPA_PLATFORM=offscreen \
    /usr/bin/upscale-studio --output gui --screenshot shot.png coffee.png
[ -s gui/coffee_x4.png ] || fail "the installed upscale-studio did not write gui/coffee_x4.png."
[ -s shot.png ] || fail "the installed upscale-studio did not save its screenshot."
cd "$root"

# The trap removes the package; check that it is gone.
cleanup
trap - EXIT
if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "installed"; then
    fail "$package is still installed."
fi
[ ! -e /usr/bin/upscale ] || fail "/usr/bin/upscale is still there after removing $package."
printf '\ncheck-package: OK: %s built, installed, run and removed.\n' "$(basename "$deb")"
