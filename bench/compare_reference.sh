#!/usr/bin/env bash
# The C++ engine and the PyTorch-eager reference on the same frames, in the same run, and the
# ratio of their frames/s. Uses the release build's upscale-bench (built if missing) and a
# Python with PyTorch (Debian's python3-torch here; set PYTHON for another).
#   bench/compare_reference.sh [--width 256] [--height 256] [--frames 16] [--device cpu]
#                              [--precision fp32] [--model realesr-animevideov3|PATH] [--tile N]
#                              [--repeat 3]
# --model is a bundled model's id or the path of a .safetensors file (any architecture the
# reference builds: SRVGGNetCompact, SwinIR, HAT; scripts/make-transformer-fixtures.py --bench DIR
# writes full-size random-weight SwinIR and HAT files).
# The engine runs whole frames by default (--tile 0 = its automatic tiles), as the reference does.
set -euo pipefail
cd "$(dirname "$0")/.."
width=256 height=256 frames=16 device=cpu precision=fp32 model=realesr-animevideov3 tile=
repeat=3
while [ $# -gt 0 ]; do
    case "$1" in
        --width) width=$2 ;; --height) height=$2 ;; --frames) frames=$2 ;;
        --device) device=$2 ;; --precision) precision=$2 ;; --model) model=$2 ;;
        --tile) tile=$2 ;; --repeat) repeat=$2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift 2
done
tile=${tile:-$(( width > height ? width : height ))}
bench=${BENCH:-build/release/bench/upscale-bench}
[ -x "$bench" ] || scripts/build.sh release --target upscale-bench
python=${PYTHON:-/usr/bin/python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$bench" --model "$model" --width "$width" --height "$height" --frames "$frames" --batch 1 \
    --workers 1 --precision "$precision" --device "$device" --tile "$tile" --repeat "$repeat" \
    --dump-frames "$work/frames.raw" --json "$work/engine.json" >/dev/null
reference_model=models/$model.safetensors
[ -f "$model" ] && reference_model=$model
"$python" bench/python_reference.py --model "$reference_model" --frames "$work/frames.raw" \
    --width "$width" --height "$height" --device "$device" --precision "$precision" \
    --threads "$(nproc)" > "$work/reference.json"
"$python" - "$work/engine.json" "$work/reference.json" <<'PY'
import json, sys
e = json.load(open(sys.argv[1])); r = json.load(open(sys.argv[2]))
print(json.dumps({"engine": e, "reference": r}, indent=2))
print(f"\n{e['model']} {e['width']}x{e['height']} {e['precision']} on {e['device']}, "
      f"{e['frames']} frames, batch 1, 1 worker, tile {e.get('tile', '?')}")
print(f"  C++ engine         {e['fps']:8.3f} frames/s")
print(f"  PyTorch eager      {r['fps']:8.3f} frames/s  (torch {r['torch']}, {r['threads']} threads)")
print(f"  ratio              {e['fps'] / r['fps']:8.3f}x")
print(f"  engine efficiency  {e['engine_efficiency']:8.3f}  (bare forward / engine total)")
PY
