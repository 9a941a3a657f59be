#!/usr/bin/env bash
# Several devices and the farm against one plain run, on one clip, each measured once:
#   1. `-d cpu -w 2` against `-d cpu,cpu -w 1`: the same total workers and CPU threads, one
#      engine instance against two (the same output is checked with per-frame MD5);
#   2. one run with `--segment-seconds S` against `farm plan`, every `farm run` one after the
#      other, and `farm join` of the same video: the farm's overhead (each task is a process that
#      loads the model and decodes the frames before its segment).
#
#   bench/farm.sh [build dir]      (default: build/release)
#
# Environment: SECONDS_OF_VIDEO (default 5), SIZE (default 160x90), RATE (default 24), SEGMENT
# (default 1), SCALE (default 2).
set -euo pipefail

build=${1:-build/release}
cli=$(realpath "$build/src/cli/upscale")
length=${SECONDS_OF_VIDEO:-5}
size=${SIZE:-160x90}
rate=${RATE:-24}
segment=${SEGMENT:-1}
scale=${SCALE:-2}
[ -x "$cli" ] || { echo "farm bench: build the 'upscale' target first ($cli)" >&2; exit 2; }
command -v ffmpeg >/dev/null || { echo "farm bench: needs the ffmpeg tool" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_DATA_HOME="$work/data"
clip="$work/clip.mp4"
ffmpeg -v error -f lavfi -i "testsrc2=size=$size:rate=$rate" -f lavfi -i sine=frequency=440 \
    -t "$length" -c:v libx264 -c:a aac -shortest "$clip"
frames=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames \
    -of csv=p=0 "$clip")
common=(-q -s "$scale" --segment-seconds "$segment")

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc; }
hashes() { ffmpeg -v error -i "$1" -map 0:v:0 -f framemd5 - | grep -v '^#' | md5sum | cut -c1-12; }

echo "clip: $size, $frames frames at $rate fps, ${scale}x, segments of $segment s, $(nproc) cores"

t0=$(now)
"$cli" "${common[@]}" -d cpu -w 2 "$clip" -o "$work/one.mp4"
t1=$(now)
"$cli" "${common[@]}" -d cpu,cpu -w 1 "$clip" -o "$work/two.mp4"
t2=$(now)
echo "-d cpu -w 2:        $(elapsed "$t0" "$t1") s  frames $(hashes "$work/one.mp4")"
echo "-d cpu,cpu -w 1:    $(elapsed "$t1" "$t2") s  frames $(hashes "$work/two.mp4")"

t0=$(now)
tasks=$("$cli" "${common[@]}" -d cpu farm plan "$clip" -o "$work/farm.mp4" --farm-dir "$work/farm")
t1=$(now)
for ((i = 0; i < tasks; i++)); do
    "$cli" -q -d cpu farm run "$work/farm" --task "$i"
done
t2=$(now)
"$cli" -q farm join "$work/farm"
t3=$(now)
plan=$(elapsed "$t0" "$t1")
run=$(elapsed "$t1" "$t2")
join=$(elapsed "$t2" "$t3")
echo "farm plan:          $plan s ($tasks tasks)"
echo "farm run, serial:   $run s"
echo "farm join:          $join s"
echo "farm total:         $(echo "$plan + $run + $join" | bc) s  frames $(hashes "$work/farm.mp4")"
