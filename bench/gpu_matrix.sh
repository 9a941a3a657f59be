#!/usr/bin/env bash
# The GPU table in one run: upscale-bench over input sizes x precision x batch x workers x CUDA
# graphs, beside the PyTorch-eager reference (and torch.compile where it works) on the same frames.
# Writes every result as one JSON line to $OUT (default bench-gpu.jsonl) and prints a Markdown
# table (bench/summarize.py). Needs a CUDA build of upscale-bench and a Python with CUDA PyTorch.
#   BENCH=build/engine-only/bench/upscale-bench bench/gpu_matrix.sh [frames]
set -uo pipefail
cd "$(dirname "$0")/.."
bench=${BENCH:-build/engine-only/bench/upscale-bench}
python=${PYTHON:-python3}
frames=${1:-32}
out=${OUT:-bench-gpu.jsonl}
model=${MODEL:-realesr-animevideov3}
sizes=${SIZES:-"1920x1080 1280x720"}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
: > "$out"

for size in $sizes; do
    w=${size%x*}
    h=${size#*x}
    for scale in 0 2; do
        [ "$scale" = 2 ] && [ "$size" != 1920x1080 ] && continue
        for precision in fp16 fp32; do
            for batch in 1 2 4; do
                for workers in 1 2 3; do
                    for graphs in "" --cuda-graphs; do
                        "$bench" --model "$model" --device cuda --width "$w" --height "$h" \
                            --frames "$frames" --batch "$batch" --workers "$workers" \
                            --precision "$precision" --scale "$scale" $graphs \
                            --json "$work/r.json" >/dev/null 2>"$work/err" &&
                            tr -d '\n' < "$work/r.json" >> "$out" && echo >> "$out" ||
                            echo "failed: $size $precision b$batch w$workers $graphs: $(tail -1 "$work/err")" >&2
                    done
                done
            done
        done
    done
    "$bench" --model "$model" --device cuda --width "$w" --height "$h" --frames "$frames" \
        --dump-frames "$work/frames.raw" >/dev/null 2>&1
    for precision in fp16 fp32; do
        for compile in "" --compile; do
            "$python" bench/python_reference.py --model "models/$model.safetensors" \
                --frames "$work/frames.raw" --width "$w" --height "$h" --device cuda \
                --precision "$precision" $compile >> "$out" 2>"$work/err" ||
                echo "reference failed: $size $precision $compile: $(tail -1 "$work/err")" >&2
        done
    done
done
"$python" bench/summarize.py "$out"
