#!/usr/bin/env python3
"""Turns the JSON lines of bench/gpu_matrix.sh into Markdown tables: frames/s of every engine
configuration, the PyTorch references, the best configuration's ratio to PyTorch-eager FP16, and
the share of the GPU's peak FP16 throughput it reaches.

    summarize.py RESULTS.jsonl [--peak-tflops 989]   (H100 SXM dense FP16 tensor peak)
"""
import argparse
import json


def main():
    p = argparse.ArgumentParser()
    p.add_argument("results")
    p.add_argument("--peak-tflops", type=float, default=989.0)
    args = p.parse_args()
    engine, reference = [], []
    for line in open(args.results):
        line = line.strip()
        if line:
            r = json.loads(line)
            (reference if "reference" in r else engine).append(r)

    print("| input | output | precision | batch | workers | CUDA graphs | frames/s | TFLOP/s |")
    print("|---|---|---|---|---|---|---|---|")
    for r in engine:
        print(f"| {r['width']}x{r['height']} | {'native' if r.get('scale', 0) == 0 else 'resized'} "
              f"| {r['precision']} | {r['batch']} | {r['workers']} | "
              f"{'yes' if r.get('cuda_graphs') else 'no'} | {r['fps']:.2f} | {r['tflops']:.1f} |")
    print()
    print("| reference | precision | frames | frames/s |")
    print("|---|---|---|---|")
    for r in reference:
        print(f"| {r['reference']} (torch {r['torch']}) | {r['precision']} | {r['frames']} "
              f"| {r['fps']:.2f} |")
    eager16 = [r for r in reference if r["reference"] == "pytorch-eager" and r["precision"] == "fp16"]
    if engine and eager16:
        best = max(engine, key=lambda r: r["fps"])
        print()
        print(f"Best: {best['precision']} batch {best['batch']}, {best['workers']} workers, "
              f"graphs {'on' if best.get('cuda_graphs') else 'off'}: {best['fps']:.2f} frames/s "
              f"= {best['fps'] / eager16[0]['fps']:.2f}x PyTorch eager FP16 "
              f"({eager16[0]['fps']:.2f} frames/s); {best['tflops']:.1f} TFLOP/s = "
              f"{100 * best['tflops'] / args.peak_tflops:.1f}% of {args.peak_tflops:.0f} TFLOP/s.")


if __name__ == "__main__":
    main()
